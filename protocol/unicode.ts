/**
 * Well-formed Unicode at the boundary. JSON and JavaScript strings may carry lone surrogates
 * (`"\ud800"`), which no text encoder can turn into UTF-8: `encodeURIComponent` throws, a
 * database may store U+FFFD instead, a printer prints garbage. Both sides refuse them once,
 * where outside input enters (the kiosk's dispatcher, central's body parsing), not per field.
 */

// With the `u` flag a well-formed pair is one code point, so this matches lone surrogates only.
const LONE_SURROGATE = /\p{Surrogate}/u;

export const isWellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);

/**
 * The path of the first string (value or object key) that is not well-formed Unicode, or null.
 * Depth-limited like the JSON it walks; deeper input is refused by its schema anyway.
 */
export function illFormedPath(value: unknown, path: Array<string | number> = [], depth = 0): string | null {
  if (typeof value === 'string') return isWellFormed(value) ? null : path.join('.') || '(root)';
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  // Bytes (an attachment chunk's body) hold no text: walking a 256 KiB Buffer key by key cost ~0.3 s a chunk.
  if (ArrayBuffer.isView(value)) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = illFormedPath(value[i], [...path, i], depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, v] of Object.entries(value)) {
    if (!isWellFormed(key)) return [...path, '(key)'].join('.');
    const found = illFormedPath(v, [...path, key], depth + 1);
    if (found !== null) return found;
  }
  return null;
}
