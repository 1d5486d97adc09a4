/**
 * Folding for search (vietnam.md §8): NFD, drop the combining marks U+0300–U+036F, then
 * đ→d, Đ→D (Unicode does not decompose đ), lower-case. "Đăng ký" and "dang ky" fold alike,
 * and so do "hoà" and "hòa" (tone placement no longer matters once tones are gone).
 */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase();
}

/**
 * Folded text as search words: anything not a letter or digit separates words (except the dot
 * inside a procedure code like 1.001193), single spaces, no ends.
 */
export function foldWords(text: string): string {
  return fold(text)
    .replace(/(\d)\.(\d)/g, '$1\u0000$2')
    .replace(/[^a-z0-9\u0000]+/g, ' ')
    .replace(/\u0000/g, '.')
    .trim();
}
