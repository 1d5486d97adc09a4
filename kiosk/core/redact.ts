/**
 * Text from the renderer (a screen's error message and stack) may carry what was on screen: a
 * citizen's name, ID number, phone, address. Before it is logged it is redacted (issue 19.10):
 * runs of digits (ID, phone, dates), e-mail addresses, quoted text with letters outside ASCII or
 * several words, and Vietnamese-looking names (capitalised words with diacritics, or after a
 * common family name). What is left (the error's kind, code locations) is what a technician needs.
 */
const SURNAMES =
  'Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Đinh|Trương|Lâm|Mai|Trịnh|Đào|Cao|Lương|Tạ|Hà|Tô|Châu|Quách|Nguyen|Tran|Le|Pham|Hoang|Huynh|Vu|Vo|Dang|Bui|Do|Ho|Ngo|Duong|Ly|Dinh|Truong';
const CAP = '[A-ZÀ-ỸĐ][\\p{Ll}\\p{M}]*';
const NAME_AFTER_SURNAME = new RegExp(`\\b(?:${SURNAMES})(?:\\s+${CAP})+`, 'gu');
/** Two or more capitalised words, at least one with a Vietnamese diacritic. */
const DIACRITIC_WORDS = new RegExp(`${CAP}(?:\\s+${CAP})+`, 'gu');
const HAS_DIACRITIC = /[À-ỹĐđ]/u;

export function redactPersonal(text: string): string {
  return text
    .replace(/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[email]')
    .replace(/(["'“‘«])([^"'”’»\n]{1,200})(["'”’»])/gu, (m, open: string, inner: string, close: string) =>
      /[^\x20-\x7e]/.test(inner) || /\S\s+\S/.test(inner) ? `${open}[…]${close}` : m,
    )
    .replace(NAME_AFTER_SURNAME, '[tên]')
    .replace(DIACRITIC_WORDS, (m) => (HAS_DIACRITIC.test(m) ? '[tên]' : m))
    .replace(/\d[\d .\-/]{4,}\d/g, (m) => (m.replace(/\D/g, '').length >= 6 ? '[số]' : m));
}
