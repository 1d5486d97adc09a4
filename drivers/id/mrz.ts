import { parse as parseMrzLines } from 'mrz';
import { cccdIdFacts } from './cccd.ts';
import { scanError, scanWarning } from './messages.ts';
import { isoDate } from './text.ts';
import type { MrzData, Parsed, ScanWarning } from './types.ts';

/** ICAO 9303 check digit: `<`=0, digits as is, A–Z = 10–35, weights 7,3,1, sum mod 10. */
export function mrzCheckDigit(s: string): string {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const v = c === 60 ? 0 : c >= 48 && c <= 57 ? c - 48 : c >= 65 && c <= 90 ? c - 55 : 0;
    sum += v * weights[i % 3]!;
  }
  return String(sum % 10);
}

const MRZ_LINE = /^[A-Z0-9<]+$/;

/**
 * Splits what a document reader sent into MRZ lines: three lines, or one 90-character run.
 * Returns null when the text is not MRZ-like at all, and the raw lines otherwise (maybe of the
 * wrong length: that is a malformed MRZ, reported as such).
 */
export function mrzLines(text: string): string[] | null {
  const compact = text.replace(/[ \t]/g, '');
  let lines = compact.split(/\r\n|\r|\n/).filter((l) => l.length > 0);
  if (lines.length === 1 && lines[0]!.length === 90)
    lines = [lines[0]!.slice(0, 30), lines[0]!.slice(30, 60), lines[0]!.slice(60)];
  if (lines.length < 2 || lines.length > 3) return null;
  if (!lines.every((l) => MRZ_LINE.test(l))) return null;
  if (!lines[0]!.startsWith('I') && !lines[0]!.startsWith('A') && !lines[0]!.startsWith('C')) return null;
  if (!lines.some((l) => l.includes('<<'))) return null;
  return lines;
}

/** YYMMDD of a birth date: the century comes from the personal ID when we have one. */
function birthIso(yymmdd: string, centuryBase: number | null): string | null {
  const yy = Number(yymmdd.slice(0, 2));
  const year = centuryBase ?? (yy > 50 ? 1900 : 2000);
  return isoDate(year + yy, Number(yymmdd.slice(2, 4)), Number(yymmdd.slice(4, 6)));
}

/**
 * The three lines on the back of the CCCD (TD1). Structure and the four standard check digits
 * come from the `mrz` package; the Vietnamese optional data (the full 12-digit ID followed by
 * its own check digit) is checked here. Any failed check digit is an error, never a warning.
 */
export function parseMrz(lines: string[]): Parsed<MrzData> {
  if (lines.length !== 3 || lines.some((l) => l.length !== 30)) return { ok: false, error: scanError('MRZ_MALFORMED') };
  const [l1, l2] = lines as [string, string, string];
  // Every check digit ICAO 9303 defines for TD1: document number, birth, expiry, composite.
  const checks: Array<[data: string, digit: string]> = [
    [l1.slice(5, 14), l1[14]!],
    [l2.slice(0, 6), l2[6]!],
    [l2.slice(8, 14), l2[14]!],
    [l1.slice(5, 30) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29), l2[29]!],
  ];
  if (checks.some(([data, digit]) => mrzCheckDigit(data) !== digit))
    return { ok: false, error: scanError('MRZ_CHECK_DIGIT') };
  let result: ReturnType<typeof parseMrzLines>;
  try {
    result = parseMrzLines(lines);
  } catch {
    return { ok: false, error: scanError('MRZ_MALFORMED') };
  }
  if (result.format !== 'TD1' || !result.valid) return { ok: false, error: scanError('MRZ_MALFORMED') };
  const f = result.fields;
  const warnings: ScanWarning[] = [];
  let personalId: string | null = null;
  if (f.issuingState === 'VNM') {
    // Vietnamese cards: document number = last 9 digits of the ID; optional data = 12-digit ID, `<<`, its check digit.
    const optional = l1.slice(15, 30);
    const id = optional.slice(0, 12);
    if (/^\d{12}$/.test(id)) {
      const cd = optional[14]!;
      if (cd !== '<' && cd !== mrzCheckDigit(id)) return { ok: false, error: scanError('MRZ_CHECK_DIGIT') };
      personalId = id;
      if (id.slice(3) !== f.documentNumber) warnings.push(scanWarning('MRZ_ID_MISMATCH'));
    }
  } else {
    warnings.push(scanWarning('MRZ_NOT_VIETNAMESE'));
  }
  const facts = personalId ? cccdIdFacts(personalId) : null;
  const rawBirth = l2.slice(0, 6);
  const birthDate = birthIso(rawBirth, facts ? Math.floor(facts.birthYear / 100) * 100 : null);
  if (!birthDate) return { ok: false, error: scanError('MRZ_MALFORMED') };
  const rawExpiry = l2.slice(8, 14);
  const expiryDate =
    rawExpiry === '991231'
      ? null
      : isoDate(2000 + Number(rawExpiry.slice(0, 2)), Number(rawExpiry.slice(2, 4)), Number(rawExpiry.slice(4, 6)));
  if (rawExpiry !== '991231' && !expiryDate) return { ok: false, error: scanError('MRZ_MALFORMED') };
  const sexChar = l2[7];
  const sex = sexChar === 'M' ? 'male' : sexChar === 'F' ? 'female' : null;
  if (facts && sex && facts.sex !== sex) warnings.push(scanWarning('MRZ_SEX_MISMATCH'));
  return {
    ok: true,
    value: {
      documentCode: f.documentCode ?? '',
      issuingState: f.issuingState ?? '',
      documentNumber: f.documentNumber ?? '',
      personalId,
      birthDate,
      sex,
      expiryDate,
      nationality: f.nationality ?? '',
      surname: f.lastName ?? '',
      givenNames: f.firstName ?? '',
      lines: [...lines],
    },
    warnings,
  };
}
