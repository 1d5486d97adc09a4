import { cccdConsistency } from '../../../../drivers/id/cccd.ts';
import type { ScanWarning } from '../../../../drivers/id/types.ts';
import { parseDmy } from '../../../../contract/forms/index.ts';

/**
 * What the form checks itself, live, from the ID number, birth date and sex on screen (so a
 * correction by hand clears it): the scan's note leaves these out, and each is said once.
 */
const CHECKED_BY_FORM = new Set([
  'CCCD_UNKNOWN_PROVINCE',
  'CCCD_SEX_MISMATCH',
  'CCCD_BIRTH_YEAR_MISMATCH',
  'MRZ_SEX_MISMATCH',
]);

/** The scan's own warnings to show after filling the form (the ones the form does not recheck). */
export function scanNoteWarnings(warnings: readonly ScanWarning[]): ScanWarning[] {
  return warnings.filter((w) => !CHECKED_BY_FORM.has(w.code));
}

/** The ID number and the birth date/sex on the form should agree; what does not, in words. */
export function formIdWarnings(values: Record<string, string | undefined>): ScanWarning[] {
  const birth = parseDmy(values.applicantBirthDate ?? '');
  const sex = values.applicantSex;
  if (!/^\d{12}$/.test(values.applicantId ?? '') || !birth || (sex !== 'male' && sex !== 'female')) return [];
  return cccdConsistency(values.applicantId!, birth, sex).filter((w) => CHECKED_BY_FORM.has(w.code));
}
