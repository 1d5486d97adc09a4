import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { SYNTHETIC_CCCD, SYNTHETIC_CCCD_2024, SYNTHETIC_MRZ, syntheticMrz } from './fixtures.ts';
import {
  buildTicketQr,
  buildVietQr,
  classifyScan,
  crc16ccittFalse,
  mrzCheckDigit,
  parseTicketQr,
  PROVINCES,
  ScanResult,
  type ScanResultOf,
} from './index.ts';

const classify = (text: string) => {
  const result = classifyScan(text, 'sim');
  // Every answer fits the schema the kiosk API pushes to the renderer.
  expect(ScanResult.safeParse(result).success).toBe(true);
  return result;
};
function expectKind<K extends ScanResult['kind']>(result: ScanResult, kind: K): ScanResultOf<K> {
  expect(result.kind, JSON.stringify(result).slice(0, 400)).toBe(kind);
  return result as ScanResultOf<K>;
}
const latin1Mojibake = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));

describe('CCCD QR', () => {
  it('reads every field of a well-formed card and finds the province', () => {
    const r = expectKind(classify(SYNTHETIC_CCCD + '\r\n'), 'cccd');
    expect(r.cccd).toEqual({
      id: '096190012345',
      oldId: '381234567',
      fullName: 'Nguyễn Thị Ánh Tuyết',
      birthDate: '1990-03-15',
      sex: 'female',
      address: 'Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau',
      issueDate: '2021-04-20',
      province: { code: '096', name: 'Cà Mau', since2025: 'Cà Mau' },
    });
    expect(r.warnings).toEqual([]);
  });

  it('accepts the four extra empty fields of cards issued from mid-2024 and notes a merged province', () => {
    const r = expectKind(classify(SYNTHETIC_CCCD_2024), 'cccd');
    expect(r.cccd.oldId).toBeNull();
    expect(r.cccd.sex).toBe('male');
    expect(r.cccd.province?.since2025).toBe('Cà Mau');
    expect(r.warnings.map((w) => w.code)).toEqual(['CCCD_PROVINCE_MERGED']);
  });

  it('repairs UTF-8 read as latin-1 exactly, and says so', () => {
    const r = expectKind(classify(latin1Mojibake(SYNTHETIC_CCCD)), 'cccd');
    expect(r.cccd.fullName).toBe('Nguyễn Thị Ánh Tuyết');
    expect(r.warnings.map((w) => w.code)).toContain('MOJIBAKE_REPAIRED');
  });

  it('warns, without rejecting, when the ID disagrees with sex, birth year or province table', () => {
    const r = expectKind(classify('099090012345||Lê Văn An|01011985|Nữ|Cà Mau|01012021'), 'cccd');
    expect(r.warnings.map((w) => w.code).sort()).toEqual([
      'CCCD_BIRTH_YEAR_MISMATCH',
      'CCCD_SEX_MISMATCH',
      'CCCD_UNKNOWN_PROVINCE',
    ]);
  });

  it('asks for a check when a wedge scanner dropped every diacritic', () => {
    const r = expectKind(
      classify('096190012345||Nguyn Th nh Tuyt|15031990|Nu|Khom 5, Phuong 5, Ca Mau|20042021'),
      'cccd',
    );
    expect(r.warnings.map((w) => w.code)).toContain('CCCD_NO_DIACRITICS');
  });

  it('refuses a truncated read instead of filling half a form', () => {
    for (let cut = 13; cut < SYNTHETIC_CCCD.length; cut++) {
      const r = classify(SYNTHETIC_CCCD.slice(0, cut));
      expect(r.kind, SYNTHETIC_CCCD.slice(0, cut)).toBe('error');
      if (r.kind === 'error') expect(r.attempted).toBe('cccd');
    }
    const r = expectKind(classify('096190012345|381234567|Nguyễn Thị Ánh Tuyết|15031990'), 'error');
    expect(r.error.code).toBe('CCCD_TRUNCATED');
    expect(r.error.message.vi).toMatch(/quét lại/);
    expect(r.error.message.en).toMatch(/scan again/);
  });

  it('refuses impossible dates, unknown sex and damaged characters', () => {
    expect(expectKind(classify(SYNTHETIC_CCCD.replace('15031990', '31021990')), 'error').error.code).toBe(
      'CCCD_BAD_DATE',
    );
    expect(expectKind(classify(SYNTHETIC_CCCD.replace('|Nữ|', '|X|')), 'error').error.code).toBe('CCCD_BAD_SEX');
    expect(expectKind(classify(SYNTHETIC_CCCD.replace('Thị', 'Th\ufffd')), 'error').error.code).toBe('GARBLED');
    expect(expectKind(classify(SYNTHETIC_CCCD.replace('096190012345', '0961900123')), 'error').error.code).toBe(
      'CCCD_BAD_ID',
    );
  });

  it('knows all 63 pre-2025 provinces, which map onto the 34 provinces of 2025', () => {
    expect(PROVINCES.size).toBe(63);
    expect(new Set([...PROVINCES.values()].map((p) => p.since2025)).size).toBe(34);
  });
});

describe('MRZ (ICAO 9303 TD1)', () => {
  it('computes check digits as in the ICAO 9303 specimen', () => {
    expect(mrzCheckDigit('D23145890')).toBe('7');
    expect(mrzCheckDigit('740812')).toBe('2');
    expect(mrzCheckDigit('120415')).toBe('9');
  });

  it('reads the back of a Vietnamese card with the full ID and the century from it', () => {
    const r = expectKind(classify(SYNTHETIC_MRZ.join('\n')), 'mrz');
    expect(r.mrz).toMatchObject({
      documentCode: 'ID',
      issuingState: 'VNM',
      documentNumber: '190012345',
      personalId: '096190012345',
      birthDate: '1990-03-15',
      sex: 'female',
      expiryDate: '2030-03-15',
      surname: 'NGUYEN',
      givenNames: 'THI ANH TUYET',
    });
    expect(r.warnings).toEqual([]);
  });

  it('reads a card that never expires and a 2000s birth from one 90-character line', () => {
    const lines = syntheticMrz({
      id: '001203000999',
      birth: '030101',
      sex: 'M',
      expiry: '991231',
      surname: 'TRAN',
      given: 'VAN BINH',
    });
    const r = expectKind(classify(lines.join('')), 'mrz');
    expect(r.mrz.expiryDate).toBeNull();
    expect(r.mrz.birthDate).toBe('2003-01-01');
  });

  it('rejects any single wrong check digit', () => {
    const positions: Array<[line: number, col: number]> = [
      [0, 14],
      [0, 29],
      [1, 6],
      [1, 14],
      [1, 29],
    ];
    for (const [line, col] of positions) {
      const lines = [...SYNTHETIC_MRZ];
      const c = lines[line]![col]!;
      lines[line] = lines[line]!.slice(0, col) + String((Number(c) + 1) % 10) + lines[line]!.slice(col + 1);
      const r = expectKind(classify(lines.join('\n')), 'error');
      expect(r.error.code, `line ${line} col ${col}`).toBe('MRZ_CHECK_DIGIT');
    }
  });

  it('rejects a changed birth date even when its own line still looks fine', () => {
    const lines = [...SYNTHETIC_MRZ];
    lines[1] = '900316' + lines[1]!.slice(6);
    expect(expectKind(classify(lines.join('\n')), 'error').error.code).toBe('MRZ_CHECK_DIGIT');
  });

  it('calls two lines or a short line a malformed read', () => {
    expect(expectKind(classify(SYNTHETIC_MRZ.slice(0, 2).join('\n')), 'error').error.code).toBe('MRZ_MALFORMED');
    expect(
      expectKind(classify([SYNTHETIC_MRZ[0], SYNTHETIC_MRZ[1]!.slice(0, 25), SYNTHETIC_MRZ[2]].join('\n')), 'error')
        .error.code,
    ).toBe('MRZ_MALFORMED');
  });
});

describe('dossier receipt QR', () => {
  it('reads a bare dossier code', () => {
    const r = expectKind(classify('000.00.12.H12-250315-0001'), 'dossier');
    expect(r.dossier).toEqual({
      code: '000.00.12.H12-250315-0001',
      agencyId: '000.00.12.H12',
      receivedOn: '2025-03-15',
      sequence: '0001',
      via: 'bare',
    });
  });

  it('reads the code from a lookup URL path or query, percent-encoded or not', () => {
    expect(
      expectKind(classify('https://dichvucong.camau.gov.vn/tra-cuu/000.00.12.H12-250315-12345'), 'dossier').dossier,
    ).toMatchObject({ via: 'url', sequence: '12345' });
    const q = expectKind(classify('https://example.gov.vn/hs?ma=000.00.12.H12%2D250315%2D0002&x=1'), 'dossier');
    expect(q.dossier.code).toBe('000.00.12.H12-250315-0002');
  });

  it('reads structured receipt content as label lines or JSON', () => {
    const lines = [
      'Mã hồ sơ: 000.00.12.H12-250315-0003',
      'Thủ tục: 1.001193',
      'Người nộp: Lê Thị Hoa',
      'Ngày hẹn trả: 20/03/2025',
    ].join('\n');
    expect(expectKind(classify(lines), 'dossier').dossier).toMatchObject({
      via: 'structured',
      code: '000.00.12.H12-250315-0003',
      procedureCode: '1.001193',
      applicant: 'Lê Thị Hoa',
      appointmentDate: '20/03/2025',
    });
    const json = JSON.stringify({ maHoSo: '000.00.12.H12-250315-0004', maTTHC: '1.001193', ngayHenTra: '2025-03-20' });
    expect(expectKind(classify(json), 'dossier').dossier).toMatchObject({
      code: '000.00.12.H12-250315-0004',
      procedureCode: '1.001193',
      appointmentDate: '2025-03-20',
    });
  });

  it('refuses an impossible date and a QR carrying two different codes', () => {
    expect(expectKind(classify('000.00.12.H12-251315-0001'), 'error').error.code).toBe('DOSSIER_BAD_DATE');
    expect(expectKind(classify('a: 000.00.12.H12-250315-0001\nb: 000.00.12.H12-250315-0002'), 'error').error.code).toBe(
      'DOSSIER_AMBIGUOUS',
    );
  });
});

describe('VietQR', () => {
  it('computes CRC-16/CCITT-FALSE like the reference check value', () => {
    expect(crc16ccittFalse('123456789')).toBe('29B1');
  });

  it('reads a payload built by vietnam-qr-pay, amount and purpose included', () => {
    const payload =
      '00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811Chuyen tien630453E6';
    const r = expectKind(classify(payload), 'vietqr');
    expect(r.vietqr).toMatchObject({
      initMethod: 'dynamic',
      bin: '970416',
      account: '257678859',
      service: 'QRIBFTTA',
      amount: 10000,
      purpose: 'Chuyen tien',
      currency: '704',
      country: 'VN',
    });
  });

  it('builds payloads the library and our parser both accept, purpose folded to ASCII', () => {
    const payload = buildVietQr({
      bin: '970403',
      account: '0123456789',
      amount: 25000,
      purpose: 'Lệ phí 000.00.12.H12',
    });
    expect(new QRPay(payload).isValid).toBe(true);
    const r = expectKind(classify(payload), 'vietqr');
    expect(r.vietqr).toMatchObject({
      bin: '970403',
      account: '0123456789',
      amount: 25000,
      purpose: 'Le phi 000.00.12.H12',
      initMethod: 'dynamic',
    });
    expect(
      expectKind(classify(buildVietQr({ bin: '970403', account: '0123456789' })), 'vietqr').vietqr.amount,
    ).toBeNull();
    expect(() => buildVietQr({ bin: '97040', account: '1' })).toThrow(RangeError);
    expect(() => buildVietQr({ bin: '970403', account: '1', purpose: 'x'.repeat(26) })).toThrow(RangeError);
  });

  it('refuses a payload whose CRC does not match, or whose lengths do not add up', () => {
    const payload = buildVietQr({ bin: '970403', account: '0123456789', amount: 25000 });
    const tampered = payload.replace('25000', '95000');
    expect(expectKind(classify(tampered), 'error').error.code).toBe('VIETQR_CRC');
    expect(expectKind(classify(payload.slice(0, -10)), 'error').error.code).toBe('VIETQR_MALFORMED');
  });
});

describe('ticket QR and the rest', () => {
  it('round-trips our own ticket code', () => {
    const code = buildTicketQr('T-20251128-A012');
    expect(code).toBe('OSK1:T:T-20251128-A012');
    expect(expectKind(classify(code), 'ticket').ticket.ticketId).toBe('T-20251128-A012');
    expect(parseTicketQr('OSK1:T:')).toMatchObject({ ok: false, error: { code: 'TICKET_MALFORMED' } });
    expect(expectKind(classify('OSK2:T:abc'), 'error').error.code).toBe('TICKET_VERSION');
  });

  it('knows the live ticket page address as our ticket, by its token', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUv';
    expect(expectKind(classify(`https://motcua.camau.gov.vn/t/${token}`), 'ticket').ticket).toEqual({ token });
    expect(expectKind(classify(`http://127.0.0.1:8620/t/${token}`), 'ticket').ticket.token).toBe(token);
    // A token of the wrong length, or something after it, is not ours.
    expect(classify(`https://example.vn/t/${token}x`).kind).not.toBe('ticket');
    expect(classify(`https://example.vn/t/${token}?utm=1`).kind).not.toBe('ticket');
  });

  it('calls short printable codes plain, and control bytes or overlong input errors', () => {
    expect(expectKind(classify('8934567890123'), 'plain').text).toBe('8934567890123');
    expect(expectKind(classify('abc\u0001def'), 'error').error.code).toBe('GARBLED');
    expect(expectKind(classify('x'.repeat(1_000_000)), 'error').error.code).toBe('TOO_LONG');
    expect(expectKind(classify(' \r\n'), 'error').error.code).toBe('EMPTY');
    expect(classify('lorem ipsum '.repeat(20)).kind).toBe('unknown');
  });
});
