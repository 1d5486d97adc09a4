import { describe, expect, it } from 'vitest';
import { SYNTHETIC_CCCD, SYNTHETIC_CCCD_2024, SYNTHETIC_MRZ } from './fixtures.ts';
import { classifyScanUnguarded } from './classify.ts';
import { buildTicketQr, buildVietQr, classifyScan, ScanKind, ScanResult, type ScanSource } from './index.ts';
import { seededRandom } from '../../test/support/rng.ts';

const SEEDS = [
  SYNTHETIC_CCCD,
  SYNTHETIC_CCCD_2024,
  SYNTHETIC_MRZ.join('\n'),
  SYNTHETIC_MRZ.join(''),
  '000.00.12.H12-250315-0001',
  'https://dichvucong.camau.gov.vn/tra-cuu?ma=000.00.12.H12-250315-0001',
  'Mã hồ sơ: 000.00.12.H12-250315-0003\nThủ tục: 1.001193\nNgười nộp: Lê Thị Hoa',
  JSON.stringify({ maHoSo: '000.00.12.H12-250315-0004', maTTHC: '1.001193' }),
  buildVietQr({ bin: '970403', account: '0123456789', amount: 25000, purpose: 'HS 000.00.12.H12' }),
  buildVietQr({ bin: '970416', account: '257678859' }),
  buildTicketQr('T-20251128-A012'),
  '8934567890123',
];
const SOURCES: ScanSource[] = ['serial', 'hid', 'camera', 'sim', 'manual'];
const latin1 = (s: string) => String.fromCharCode(...new TextEncoder().encode(s));
const lossyUtf8 = new TextDecoder('utf-8');

function mutate(next: () => number, base: string): string {
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]) => xs[int(xs.length)]!;
  switch (int(12)) {
    case 0: // truncated
      return base.slice(0, int(base.length));
    case 1: {
      // one digit changed (wrong check digit, wrong CRC, bad date…)
      const digits = [...base.matchAll(/\d/g)].map((m) => m.index);
      if (digits.length === 0) return base;
      const i = pick(digits);
      return base.slice(0, i) + String((Number(base[i]) + 1 + int(9)) % 10) + base.slice(i + 1);
    }
    case 2: {
      // random bytes, decoded the way a serial line would (invalid UTF-8 → U+FFFD)
      const bytes = new Uint8Array(1 + int(300));
      for (let i = 0; i < bytes.length; i++) bytes[i] = int(256);
      return lossyUtf8.decode(bytes);
    }
    case 3: {
      // control characters sprinkled in
      const chars = [...base];
      for (let n = 0; n < 1 + int(4); n++) chars.splice(int(chars.length + 1), 0, String.fromCharCode(int(32)));
      return chars.join('');
    }
    case 4:
      return latin1(base); // mojibake
    case 5:
      return latin1(base).slice(0, int(base.length * 2)); // mojibake cut mid-sequence
    case 6: {
      // a field dropped or duplicated
      const parts = base.split('|');
      const i = int(parts.length);
      if (next() < 0.5) parts.splice(i, 1);
      else parts.splice(i, 0, parts[i] ?? '');
      return parts.join('|');
    }
    case 7: {
      // random code units, lone surrogates included
      let s = '';
      for (let n = 0; n < int(200); n++) s += String.fromCharCode(int(0x10000));
      return s;
    }
    case 8:
      return base + base.slice(0, int(base.length)); // doubled read
    case 9: {
      // spliced with another payload
      const other = pick(SEEDS);
      return base.slice(0, int(base.length)) + other.slice(int(other.length));
    }
    case 10:
      return base.replace(/[|:\-.<]/g, (c) => (next() < 0.2 ? pick(['|', ':', '-', '.', '<', '', '%', '\n']) : c));
    default:
      return pick(['\r\n', '\n', '\r', ' ', '\t', '\u0000']) + base + pick(['\r\n', '\r', '', '\u001d', '|']);
  }
}

describe('classification fuzz', () => {
  // ~4 s on an idle machine; the generous limit is for a loaded CI runner, not a target.
  it(
    'answers a typed value for 100,000 random and mutated payloads without one exception escaping',
    { timeout: 120_000 },
    () => {
      const next = seededRandom(20251128);
      const counts = new Map<string, number>();
      let checked = 0;
      for (let n = 0; n < 100_000; n++) {
        const base = SEEDS[n % SEEDS.length]!;
        const input = n % 2 === 0 ? mutate(next, base) : mutate(next, mutate(next, base));
        // Unguarded: an exception inside any parser fails the test instead of being caught by classifyScan's net.
        const result = classifyScanUnguarded(input, SOURCES[n % SOURCES.length]!);
        counts.set(result.kind, (counts.get(result.kind) ?? 0) + 1);
        // A full schema check is the expensive part: every 10th result, and every result that claims a document.
        if (n % 10 === 0 || result.kind === 'cccd' || result.kind === 'mrz') {
          const parsed = ScanResult.safeParse(result);
          if (!parsed.success)
            throw new Error(`result breaks the schema for input ${JSON.stringify(input).slice(0, 200)}`);
          checked++;
        }
      }
      // 1 MB lines, and lines just over the limit.
      for (const size of [1_000_000, 1_048_576, 8193]) {
        for (const fill of ['9', '|', '<', 'á»', '\u0000']) {
          const result = classifyScanUnguarded(fill.repeat(Math.ceil(size / fill.length)), 'serial');
          expect(result.kind).toBe('error');
          expect(result.text.length).toBeLessThan(300);
        }
      }
      expect(checked).toBeGreaterThan(10_000);
      // The mutations reach every kind, errors included.
      for (const kind of ScanKind.options)
        expect(counts.get(kind) ?? 0, `${kind} in ${JSON.stringify([...counts])}`).toBeGreaterThan(0);
    },
  );

  it('never presents a truncated CCCD, or an MRZ with a changed digit under a check digit, as a document', () => {
    const next = seededRandom(7);
    for (let n = 0; n < 5_000; n++) {
      const cut = SYNTHETIC_CCCD.slice(0, Math.floor(next() * SYNTHETIC_CCCD.length));
      expect(classifyScan(cut, 'serial').kind).not.toBe('cccd');
    }
    // Positions covered by a check digit: line 1 cols 5–29, line 2 cols 0–14 and 18–29.
    const covered: Array<[number, number]> = [];
    for (let c = 5; c < 30; c++) covered.push([0, c]);
    for (let c = 0; c < 30; c++) if (c < 7 || (c > 7 && c < 15) || c >= 18) covered.push([1, c]);
    for (const [line, col] of covered) {
      const original = SYNTHETIC_MRZ[line]![col]!;
      if (!/\d/.test(original)) continue;
      for (let d = 0; d < 10; d++) {
        if (String(d) === original) continue;
        const lines = [...SYNTHETIC_MRZ];
        lines[line] = lines[line]!.slice(0, col) + String(d) + lines[line]!.slice(col + 1);
        expect(classifyScan(lines.join('\n'), 'serial').kind, `line ${line} col ${col} → ${d}`).toBe('error');
      }
    }
  });
});
