import { QRPay, VietQRService } from 'vietnam-qr-pay';
import { scanError } from './messages.ts';
import { fold } from './text.ts';
import type { Parsed, VietQrData } from './types.ts';

const encoder = new TextEncoder();

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over the UTF-8 bytes, as 4 uppercase hex digits. */
export function crc16ccittFalse(text: string): string {
  let crc = 0xffff;
  for (const byte of encoder.encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export interface Tlv {
  id: string;
  value: string;
}

/**
 * EMVCo TLV (`ID` 2 digits, `LEN` 2 digits, value), read in a loop rather than by recursion so
 * a megabyte of junk cannot exhaust the stack. Null when the lengths do not add up exactly.
 */
export function readTlv(text: string): Tlv[] | null {
  const out: Tlv[] = [];
  let i = 0;
  while (i < text.length) {
    if (i + 4 > text.length) return null;
    const id = text.slice(i, i + 2);
    const len = text.slice(i + 2, i + 4);
    if (!/^\d\d$/.test(id) || !/^\d\d$/.test(len)) return null;
    const end = i + 4 + Number(len);
    if (end > text.length) return null;
    out.push({ id, value: text.slice(i + 4, end) });
    i = end;
  }
  return out;
}

const field = (tlv: Tlv[], id: string): string | undefined => tlv.find((t) => t.id === id)?.value;

export const VIETQR_GUID = 'A000000727';

/** An EMVCo merchant-presented payload starts with the format indicator `000201`. */
export const looksLikeEmvQr = (text: string): boolean => text.startsWith('000201');

/**
 * A VietQR (NAPAS) transfer payload, CRC verified. `null` when the payload is a well-formed EMVCo
 * QR for some other scheme (VNPAY, a card network): readable, but not ours to act on.
 */
export function parseVietQr(text: string): Parsed<VietQrData> | null {
  const root = readTlv(text);
  if (!root || root.length < 3) return { ok: false, error: scanError('VIETQR_MALFORMED') };
  const last = root[root.length - 1]!;
  // The CRC must be the last field, and is computed over everything before its value.
  if (last.id !== '63' || last.value.length !== 4) return { ok: false, error: scanError('VIETQR_MALFORMED') };
  if (crc16ccittFalse(text.slice(0, -4)) !== last.value.toUpperCase())
    return { ok: false, error: scanError('VIETQR_CRC') };
  if (field(root, '00') !== '01') return { ok: false, error: scanError('VIETQR_MALFORMED') };

  const merchant = field(root, '38');
  if (merchant === undefined) return null;
  const m = readTlv(merchant);
  if (!m) return { ok: false, error: scanError('VIETQR_MALFORMED') };
  if (field(m, '00') !== VIETQR_GUID) return null;
  const beneficiary = readTlv(field(m, '01') ?? '');
  const bin = beneficiary && field(beneficiary, '00');
  const account = beneficiary && field(beneficiary, '01');
  if (!bin || !/^\d{6}$/.test(bin) || !account) return { ok: false, error: scanError('VIETQR_MALFORMED') };

  const init = field(root, '01');
  if (init !== '11' && init !== '12') return { ok: false, error: scanError('VIETQR_MALFORMED') };
  const amountRaw = field(root, '54');
  if (amountRaw !== undefined && !/^\d{1,13}(\.\d{1,2})?$/.test(amountRaw))
    return { ok: false, error: scanError('VIETQR_MALFORMED') };
  const additional = field(root, '62');
  const extra = additional === undefined ? [] : readTlv(additional);
  if (!extra) return { ok: false, error: scanError('VIETQR_MALFORMED') };
  return {
    ok: true,
    value: {
      initMethod: init === '12' ? 'dynamic' : 'static',
      bin,
      account,
      service: field(m, '02') ?? '',
      amount: amountRaw === undefined ? null : Math.round(Number(amountRaw)),
      currency: field(root, '53') ?? '',
      country: field(root, '58') ?? '',
      purpose: field(extra, '08') ?? null,
      merchantName: field(root, '59') ?? null,
      crc: last.value.toUpperCase(),
    },
    warnings: [],
  };
}

export interface VietQrInput {
  /** The bank's 6-digit NAPAS BIN (e.g. 970403). */
  bin: string;
  /** Account (or card) number. */
  account: string;
  /** Whole VND; omit for a static QR where the payer types the amount. */
  amount?: number;
  /**
   * Transfer note, e.g. the dossier code. Folded to ASCII (VietQR carries ASCII only) and at most
   * 25 characters (the EMVCo limit for this field): a dossier code with a 4-digit counter fits.
   */
  purpose?: string;
  /** `account` (QRIBFTTA, default) or `card` (QRIBFTTC). */
  to?: 'account' | 'card';
}

/**
 * Builds a VietQR transfer payload with its CRC, through `vietnam-qr-pay` (which field order
 * banks' apps accept). Throws RangeError on input no bank app would accept: that is a bug in the
 * caller, not something to print.
 */
export function buildVietQr(input: VietQrInput): string {
  if (!/^\d{6}$/.test(input.bin)) throw new RangeError('VietQR: bin must be 6 digits');
  if (!/^[A-Za-z0-9]{1,19}$/.test(input.account))
    throw new RangeError('VietQR: account must be 1–19 letters or digits');
  if (
    input.amount !== undefined &&
    (!Number.isSafeInteger(input.amount) || input.amount <= 0 || input.amount > 9_999_999_999_999)
  ) {
    throw new RangeError('VietQR: amount must be a positive whole number of VND');
  }
  let purpose: string | undefined;
  if (input.purpose !== undefined && input.purpose.trim() !== '') {
    purpose = fold(input.purpose).replace(/\s+/g, ' ').trim();
    if (!/^[\x20-\x7e]+$/.test(purpose)) throw new RangeError('VietQR: purpose must fold to printable ASCII');
    if (purpose.length > 25) throw new RangeError('VietQR: purpose must be at most 25 characters');
  }
  const qr = QRPay.initVietQR({
    bankBin: input.bin,
    bankNumber: input.account,
    ...(input.amount !== undefined ? { amount: String(input.amount) } : {}),
    ...(purpose !== undefined ? { purpose } : {}),
    service: input.to === 'card' ? VietQRService.BY_CARD_NUMBER : VietQRService.BY_ACCOUNT_NUMBER,
  });
  return qr.build();
}
