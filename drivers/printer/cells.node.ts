import { createCanvas } from '@napi-rs/canvas';
import { fontCss } from './raster.node.ts';

/**
 * Character cells the size of the printer's own fonts (A: 12×24, B: 9×17 dots), drawn from the
 * bundled Noto Sans. Text mode downloads these for the letters a printer has no glyph for
 * (Vietnamese letters with marks, dashes): ESC & wants them column by column, 3 bytes a column,
 * top row in the high bit. The preview uses the same drawing for the printer's ASCII, so it
 * shows every character where and how large the printer puts it.
 */
export type CellFont = 'A' | 'B';
export const CELL: Record<CellFont, { width: number; height: number; px: number; baseline: number }> = {
  A: { width: 12, height: 24, px: 21, baseline: 19 },
  B: { width: 9, height: 17, px: 15, baseline: 13 },
};

const cache = new Map<string, Uint8Array>();

/** ESC & column data (width × 3 bytes) for one character in a font's cell; bold is drawn bold. */
export function cellGlyph(ch: string, font: CellFont, bold = false): Uint8Array {
  const key = `${font}${bold ? 'b' : ''}${ch}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const c = CELL[font];
  // Drawn large, then squeezed into the cell: stacked marks (Ễ, Ậ) need the full height, wide capitals (M, W) the full width.
  const big = 4;
  const canvas = createCanvas(c.width * big, c.height * big);
  const ctx = canvas.getContext('2d');
  ctx.font = fontCss(c.px * big, bold);
  const m = ctx.measureText(ch);
  const inkTop = m.actualBoundingBoxAscent;
  const inkBottom = m.actualBoundingBoxDescent;
  const inkW = m.actualBoundingBoxLeft + m.actualBoundingBoxRight;
  const base = c.baseline * big;
  const sy = Math.min(1, base / Math.max(1, inkTop), (c.height * big - base) / Math.max(1, inkBottom));
  const sx = Math.min(1, ((c.width - 1) * big) / Math.max(1, inkW));
  ctx.setTransform(sx, 0, 0, sy, 0, base * (1 - sy));
  const x = ((c.width * big) / sx - inkW) / 2 + m.actualBoundingBoxLeft;
  ctx.fillStyle = '#000';
  ctx.fillText(ch, x, base);
  const px = ctx.getImageData(0, 0, c.width * big, c.height * big).data;
  const out = new Uint8Array(c.width * 3);
  for (let col = 0; col < c.width; col++)
    for (let row = 0; row < c.height; row++) {
      let a = 0;
      for (let dy = 0; dy < big; dy++)
        for (let dx = 0; dx < big; dx++) a += px[((row * big + dy) * c.width * big + col * big + dx) * 4 + 3]!;
      if (a / (big * big) >= 100) out[col * 3 + (row >> 3)]! |= 0x80 >> (row & 7);
    }
  cache.set(key, out);
  return out;
}
