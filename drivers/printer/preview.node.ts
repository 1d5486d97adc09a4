import { PNG } from 'pngjs';
import { createBitmap, dotsForWidth, stackBitmaps, type Bitmap } from './bitmap.ts';
import { encodeReceipt, type PrinterMode } from './encode.node.ts';
import { paperFromEscPos } from './paper.node.ts';
import type { PrinterProfile } from './profiles.ts';
import { renderBlock, renderFeed } from './raster.node.ts';
import { ReceiptDoc } from './receipt.ts';

/** White paper margin around the preview, in dots. */
const MARGIN = 12;

/**
 * The receipt as the raster printer would print it, as one bitmap: feeds become blank space, a
 * cut becomes a dashed tear line.
 */
export function renderReceiptBitmap(input: ReceiptDoc, widthMm: 58 | 80): Bitmap {
  const doc = ReceiptDoc.parse(input);
  const width = dotsForWidth(widthMm);
  const parts: Bitmap[] = [];
  for (const b of doc.blocks) {
    if (b.kind === 'feed') parts.push(renderFeed(b.lines, width));
    else if (b.kind === 'cut') parts.push(tearLine(width));
    else parts.push(renderBlock(b, width)!);
  }
  return stackBitmaps(width, parts);
}

function tearLine(width: number): Bitmap {
  const b = createBitmap(width, 24);
  for (let x = 0; x < width; x += 12)
    for (let dx = 0; dx < 6; dx++)
      for (const y of [11, 12]) b.data[y * b.bytesPerRow + ((x + dx) >> 3)]! |= 0x80 >> ((x + dx) & 7);
  return b;
}

/** 1-bit bitmap → 8-bit greyscale PNG with a white margin. */
export function bitmapToPng(b: Bitmap, margin = MARGIN): Buffer {
  const w = b.width + 2 * margin;
  const h = b.height + 2 * margin;
  const grey = Buffer.alloc(w * h, 0xff);
  for (let y = 0; y < b.height; y++)
    for (let x = 0; x < b.width; x++)
      if ((b.data[y * b.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) grey[(y + margin) * w + x + margin] = 0;
  return PNG.sync.write(
    Object.assign(new PNG({ width: w, height: h, colorType: 0, inputColorType: 0, bitDepth: 8 }), { data: grey }),
    {
      colorType: 0,
      inputColorType: 0,
      bitDepth: 8,
    },
  );
}

/**
 * ReceiptDoc → PNG bytes of what the printer prints (the screen copy when printing fails). Text
 * and glyph jobs are drawn from their own ESC/POS bytes (as a fresh connection gets them), so the
 * screen shows the paper; raster is its own bitmap; code-page mode, whose letters come from the
 * printer's font, shows the raster rendering.
 */
export function previewPng(
  doc: ReceiptDoc,
  widthMm: 58 | 80,
  opts: { mode?: PrinterMode; profile?: PrinterProfile } = {},
): Buffer {
  if (opts.mode === 'text' || opts.mode === 'glyphs') {
    const { bytes } = encodeReceipt(doc, { mode: opts.mode, widthMm, profile: opts.profile });
    return bitmapToPng(paperFromEscPos(bytes, dotsForWidth(widthMm), { tearLines: true }));
  }
  return bitmapToPng(renderReceiptBitmap(doc, widthMm));
}

/** PNG bytes → `data:image/png;base64,…` for an `<img src>`. */
export const pngDataUrl = (png: Uint8Array): string => `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
