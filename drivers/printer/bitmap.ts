/**
 * A 1-bit image in the printer's own layout: rows of `bytesPerRow` bytes, most significant bit
 * first, 1 = black. GS v 0 takes it as is; the PNG preview expands it.
 */
export interface Bitmap {
  readonly width: number;
  readonly height: number;
  readonly bytesPerRow: number;
  readonly data: Uint8Array;
}

export function createBitmap(width: number, height: number): Bitmap {
  const bytesPerRow = Math.ceil(width / 8);
  return { width, height, bytesPerRow, data: new Uint8Array(bytesPerRow * height) };
}

export const getPixel = (b: Bitmap, x: number, y: number): boolean =>
  x >= 0 &&
  y >= 0 &&
  x < b.width &&
  y < b.height &&
  ((b.data[y * b.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;

export function setPixel(b: Bitmap, x: number, y: number): void {
  if (x < 0 || y < 0 || x >= b.width || y >= b.height) return;
  const i = y * b.bytesPerRow + (x >> 3);
  b.data[i] = b.data[i]! | (0x80 >> (x & 7));
}

export function fillRect(b: Bitmap, x: number, y: number, w: number, h: number): void {
  for (let yy = Math.max(0, y); yy < Math.min(b.height, y + h); yy++)
    for (let xx = Math.max(0, x); xx < Math.min(b.width, x + w); xx++) setPixel(b, xx, yy);
}

/** Stacks bitmaps of the same width top to bottom. */
export function stackBitmaps(width: number, parts: readonly Bitmap[]): Bitmap {
  const height = parts.reduce((h, p) => h + p.height, 0);
  const out = createBitmap(width, height);
  let y = 0;
  for (const p of parts) {
    if (p.bytesPerRow === out.bytesPerRow) out.data.set(p.data, y * out.bytesPerRow);
    else
      for (let r = 0; r < p.height; r++)
        out.data.set(
          p.data.subarray(r * p.bytesPerRow, r * p.bytesPerRow + Math.min(p.bytesPerRow, out.bytesPerRow)),
          (y + r) * out.bytesPerRow,
        );
    y += p.height;
  }
  return out;
}

/** Number of black pixels (tests use it to tell an empty image from a printed one). */
export function countInk(b: Bitmap): number {
  let n = 0;
  for (const byte of b.data) {
    let v = byte;
    while (v) {
      n += v & 1;
      v >>= 1;
    }
  }
  return n;
}

/** 8 dots per mm at 203 dpi, the resolution of practically every receipt printer. */
export const DOTS_PER_MM = 8;
export const dotsForWidth = (widthMm: 58 | 80): number => (widthMm === 58 ? 384 : 576);
