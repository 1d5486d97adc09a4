/** Text clean-up shared by the parsers. Pure: no Buffer, so it runs in the browser too. */

/** Windows-1252 puts printable characters where latin-1 has C1 controls; map them back to bytes. */
const CP1252_BYTES: ReadonlyMap<number, number> = new Map([
  [0x20ac, 0x80],
  [0x201a, 0x82],
  [0x0192, 0x83],
  [0x201e, 0x84],
  [0x2026, 0x85],
  [0x2020, 0x86],
  [0x2021, 0x87],
  [0x02c6, 0x88],
  [0x2030, 0x89],
  [0x0160, 0x8a],
  [0x2039, 0x8b],
  [0x0152, 0x8c],
  [0x017d, 0x8e],
  [0x2018, 0x91],
  [0x2019, 0x92],
  [0x201c, 0x93],
  [0x201d, 0x94],
  [0x2022, 0x95],
  [0x2013, 0x96],
  [0x2014, 0x97],
  [0x02dc, 0x98],
  [0x2122, 0x99],
  [0x0161, 0x9a],
  [0x203a, 0x9b],
  [0x0153, 0x9c],
  [0x017e, 0x9e],
  [0x0178, 0x9f],
]);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * UTF-8 bytes that were read as latin-1 (or Windows-1252) come out as `Nguyá»…n`. When every
 * character fits in one byte and those bytes are valid UTF-8 with at least one multi-byte
 * sequence, decoding them again restores the original exactly. Correct Vietnamese text never
 * passes that test (its latin-1 letters are not followed by continuation bytes).
 */
export function repairMojibake(text: string): string | null {
  if (!/[\u00c2-\u00f4][\u0080-\u00bf\u0152-\u2122]/.test(text)) return null;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const b = c <= 0xff ? c : CP1252_BYTES.get(c);
    if (b === undefined) return null;
    bytes[i] = b;
  }
  try {
    const repaired = utf8.decode(bytes);
    return repaired === text ? null : repaired;
  } catch {
    return null;
  }
}

/** C0/C1 control characters other than tab, CR, LF; and U+FFFD, left by undecodable bytes. */
export const hasDamage = (text: string): boolean =>
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffd]/.test(text);

/** Scanners end a read with CR, LF or both; some pad with spaces. */
export const trimScan = (text: string): string => text.replace(/^[\r\n]+|[\s]+$/g, '');

/** Diacritics folded away (đ/Đ too, which Unicode does not decompose): for matching labels. */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');

/** A ddmmyyyy or yyMMdd that names a real calendar day, as an ISO date; null otherwise. */
export function isoDate(year: number, month: number, day: number): string | null {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1) return null;
  const dim = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > dim) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export const ddmmyyyy = (s: string): string | null =>
  /^\d{8}$/.test(s) ? isoDate(Number(s.slice(4, 8)), Number(s.slice(2, 4)), Number(s.slice(0, 2))) : null;
