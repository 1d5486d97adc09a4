import iconv from 'iconv-lite';

/**
 * Vietnamese text → Windows-1258 bytes for printers' code-page mode.
 *
 * CP1258 has the vowels with their shape marks (Â Ê Ô Ă Ơ Ư Đ …) and a few letters with tones
 * (À Á É Í Ó Ú …), but most toned letters (Ễ, Ộ, Ặ …) only as base letter + a combining tone
 * byte. iconv-lite's table encodes single characters only, so "Ễ" (precomposed) and "Ê"+"̃"
 * (fully decomposed, where Ê itself becomes E + ̂) both come out with a "?". We decompose each
 * character, recompose the base with its shape marks, and keep the tone separate unless the
 * code page has the toned letter as one byte.
 */
const TONES = new Set(['\u0300', '\u0301', '\u0303', '\u0309', '\u0323']);
const ENC = 'cp1258';

const single = (ch: string): number | undefined => {
  const b = iconv.encode(ch, ENC);
  return b.length === 1 && !(b[0] === 0x3f && ch !== '?') ? b[0] : undefined;
};

const cache = new Map<string, number[]>();

function encodeChar(ch: string): number[] {
  const hit = cache.get(ch);
  if (hit) return hit;
  let out: number[];
  const direct = single(ch);
  if (direct !== undefined) out = [direct];
  else {
    const parts = [...ch.normalize('NFD')];
    const tone = parts.find((p) => TONES.has(p));
    const base = parts
      .filter((p) => !TONES.has(p))
      .join('')
      .normalize('NFC');
    const baseByte = [...base].length === 1 ? single(base) : undefined;
    const toneByte = tone ? single(tone) : undefined;
    if (baseByte !== undefined && (tone === undefined || toneByte !== undefined))
      out = toneByte === undefined ? [baseByte] : [baseByte, toneByte];
    else out = [0x3f];
  }
  cache.set(ch, out);
  return out;
}

/**
 * Encodes text to CP1258 with Vietnamese tone marks as combining bytes where needed; unknown
 * characters become "?". Control characters become spaces: text comes from citizens and scans,
 * and an ESC or GS inside it would be a printer command.
 */
export function encodeCp1258(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text.normalize('NFC')) {
    if (/[\u0000-\u001f\u007f-\u009f]/.test(ch)) out.push(0x20);
    else for (const b of encodeChar(ch)) out.push(b);
  }
  return Uint8Array.from(out);
}

/** CP1258 bytes back to NFC text (for tests and the technician's byte dump). */
export const decodeCp1258 = (bytes: Uint8Array): string => iconv.decode(bytes, ENC).normalize('NFC');
