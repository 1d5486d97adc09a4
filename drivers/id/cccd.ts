import { scanError, scanWarning } from './messages.ts';
import { provinceByCode } from './provinces.ts';
import { ddmmyyyy, fold, hasDamage } from './text.ts';
import type { CccdData, Parsed, ProvinceInfo, ScanWarning, Sex } from './types.ts';

/** What the 12-digit personal ID says by itself: `PPP G YY NNNNNN`. */
export interface CccdIdFacts {
  province: ProvinceInfo | null;
  provinceCode: string;
  sex: Sex;
  /** Full birth year from the century digit and YY. */
  birthYear: number;
}

export function cccdIdFacts(id: string): CccdIdFacts | null {
  if (!/^\d{12}$/.test(id)) return null;
  const g = Number(id[3]);
  return {
    provinceCode: id.slice(0, 3),
    province: provinceByCode(id.slice(0, 3)),
    sex: g % 2 === 0 ? 'male' : 'female',
    birthYear: 1900 + Math.floor(g / 2) * 100 + Number(id.slice(4, 6)),
  };
}

/** Does this look like a CCCD QR at all (so a failure is a CCCD error, not "unknown")? */
export const looksLikeCccd = (text: string): boolean => /^\d{9,12}\|/.test(text);

function parseSex(raw: string): Sex | null {
  const s = fold(raw.trim()).toLowerCase();
  if (s === 'nam') return 'male';
  if (s === 'nu') return 'female';
  return null;
}

/** Warnings from comparing what the ID number says with what the card's fields say. */
export function cccdConsistency(id: string, birthDate: string, sex: Sex): ScanWarning[] {
  const facts = cccdIdFacts(id);
  if (!facts) return [];
  const warnings: ScanWarning[] = [];
  if (!facts.province) warnings.push(scanWarning('CCCD_UNKNOWN_PROVINCE'));
  else if (facts.province.since2025 !== facts.province.name) warnings.push(scanWarning('CCCD_PROVINCE_MERGED'));
  if (facts.sex !== sex) warnings.push(scanWarning('CCCD_SEX_MISMATCH'));
  if (facts.birthYear !== Number(birthDate.slice(0, 4))) warnings.push(scanWarning('CCCD_BIRTH_YEAR_MISMATCH'));
  return warnings;
}

/**
 * The QR on the front of the chip ID card: `id|oldId|name|ddmmyyyy|Nam/Nữ|address|ddmmyyyy`
 * and, on cards from mid-2024, four more empty fields. Fewer than 7 fields is a truncated read.
 * Every field is checked; a field that fails makes the whole scan an error, so a form is
 * never filled from half a card.
 */
export function parseCccdQr(text: string): Parsed<CccdData> {
  const fields = text.split('|');
  if (fields.length < 7) return { ok: false, error: scanError('CCCD_TRUNCATED') };
  if (hasDamage(text)) return { ok: false, error: scanError('GARBLED') };
  const [id, oldIdRaw, nameRaw, birthRaw, sexRaw, addressRaw, issueRaw] = fields.map((f) => f.trim()) as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (!/^\d{12}$/.test(id)) return { ok: false, error: scanError('CCCD_BAD_ID') };
  const fullName = nameRaw.replace(/\s+/g, ' ');
  // A name is letters (any script, with marks), spaces, and the odd apostrophe or hyphen.
  if (!fullName || !/^[\p{L}\p{M}][\p{L}\p{M} '’.-]*$/u.test(fullName))
    return { ok: false, error: scanError('CCCD_BAD_NAME') };
  const birthDate = ddmmyyyy(birthRaw);
  // The issue date is the last field a truncated read loses: 8 digits or the read is short.
  if (!/^\d{8}$/.test(issueRaw))
    return {
      ok: false,
      error: scanError(issueRaw.length < 8 && /^\d*$/.test(issueRaw) ? 'CCCD_TRUNCATED' : 'CCCD_BAD_DATE'),
    };
  const issueDate = ddmmyyyy(issueRaw);
  if (!birthDate || !issueDate) return { ok: false, error: scanError('CCCD_BAD_DATE') };
  const sex = parseSex(sexRaw);
  if (!sex) return { ok: false, error: scanError('CCCD_BAD_SEX') };

  const warnings = cccdConsistency(id, birthDate, sex);
  const oldId: string | null = oldIdRaw || null;
  if (oldId && !/^\d{9}$/.test(oldId)) warnings.push(scanWarning('CCCD_OLD_ID_FORMAT'));
  if (issueDate < birthDate) warnings.push(scanWarning('CCCD_ISSUED_BEFORE_BIRTH'));
  // Vietnamese names and addresses nearly always carry marks; none at all means a keyboard-wedge
  // scanner (US layout) dropped them, and the form must ask the citizen to check.
  if (!/[^\x00-\x7f]/.test(nameRaw + addressRaw)) warnings.push(scanWarning('CCCD_NO_DIACRITICS'));
  return {
    ok: true,
    value: {
      id,
      oldId,
      fullName,
      birthDate,
      sex,
      address: addressRaw.replace(/\s+/g, ' '),
      issueDate,
      province: cccdIdFacts(id)!.province,
    },
    warnings,
  };
}
