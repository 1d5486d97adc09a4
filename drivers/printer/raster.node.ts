import { fileURLToPath } from 'node:url';
import { createCanvas, GlobalFonts, type SKRSContext2D } from '@napi-rs/canvas';
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { code128Modules, code39Modules } from './barcode.ts';
import { createBitmap, fillRect, setPixel, stackBitmaps, type Bitmap } from './bitmap.ts';
import type { ReceiptBlock } from './receipt.ts';
import type { z } from 'zod';

/**
 * Raster rendering: a receipt's blocks drawn into 1-bit bitmaps with the bundled Noto Sans, so
 * Vietnamese comes out right whatever code pages the printer has. The same bitmaps are the print
 * (GS v 0) and the on-screen preview.
 */
export type Block = z.output<typeof ReceiptBlock>;
export type TextBlock = Extract<Block, { kind: 'text' }>;

export const FAMILY = 'OneStopReceiptSans';
const fontFile = (name: string) => fileURLToPath(new URL(`./fonts/${name}`, import.meta.url));
GlobalFonts.registerFromPath(fontFile('NotoSans-Regular.ttf'), FAMILY);
GlobalFonts.registerFromPath(fontFile('NotoSans-Bold.ttf'), FAMILY);

/** Font size in dots (8 dots = 1 mm). `normal` is close to the printers' own 24-dot font A. */
export const TEXT_PX: Record<TextBlock['size'], number> = { small: 20, normal: 26, large: 34, xlarge: 46, huge: 84 };
const PAIR_GAP = 16;
/** Alpha at or above which an anti-aliased pixel prints black: a little under half keeps thin strokes. */
const INK_THRESHOLD = 110;

const scratch = createCanvas(8, 8).getContext('2d');
export const fontCss = (px: number, bold: boolean) => `${bold ? 'bold ' : ''}${px}px ${FAMILY}`;

export interface Metrics {
  ascent: number;
  lineHeight: number;
}
const metricsCache = new Map<string, Metrics>();
export function metrics(px: number, bold: boolean): Metrics {
  const key = fontCss(px, bold);
  let m = metricsCache.get(key);
  if (!m) {
    scratch.font = key;
    // Font ascent, not cap height: "Ễ" stacks a circumflex and a tilde above the capital.
    const t = scratch.measureText('ỄÁỶg');
    const ascent = Math.ceil(t.fontBoundingBoxAscent || px * 1.07);
    const descent = Math.ceil(t.fontBoundingBoxDescent || px * 0.3);
    m = { ascent, lineHeight: ascent + descent };
    metricsCache.set(key, m);
  }
  return m;
}

export const measure = (text: string, px: number, bold: boolean): number => {
  scratch.font = fontCss(px, bold);
  return scratch.measureText(text).width;
};

/** Greedy word wrap by measured width; words longer than a line are broken by character. */
export function wrapText(text: string, maxWidth: number, px: number, bold: boolean): string[] {
  const out: string[] = [];
  for (const para of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const candidate = line ? `${line} ${word}` : word;
      if (measure(candidate, px, bold) <= maxWidth) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      line = '';
      let rest = word;
      while (measure(rest, px, bold) > maxWidth && rest.length > 1) {
        let n = rest.length - 1;
        while (n > 1 && measure(rest.slice(0, n), px, bold) > maxWidth) n--;
        out.push(rest.slice(0, n));
        rest = rest.slice(n);
      }
      line = rest;
    }
    out.push(line);
  }
  return out;
}

/** Canvas alpha → packed 1-bit rows. */
export function canvasToBitmap(ctx: SKRSContext2D, width: number, height: number): Bitmap {
  const bmp = createBitmap(width, height);
  if (height === 0) return bmp;
  const px = ctx.getImageData(0, 0, width, height).data;
  for (let y = 0; y < height; y++) {
    const row = y * bmp.bytesPerRow;
    for (let x = 0; x < width; x++) {
      if (px[(y * width + x) * 4 + 3]! >= INK_THRESHOLD)
        bmp.data[row + (x >> 3)] = bmp.data[row + (x >> 3)]! | (0x80 >> (x & 7));
    }
  }
  return bmp;
}

export function alignX(align: 'left' | 'center' | 'right', width: number, contentWidth: number): number {
  if (align === 'center') return Math.max(0, Math.floor((width - contentWidth) / 2));
  if (align === 'right') return Math.max(0, Math.floor(width - contentWidth));
  return 0;
}

function drawLines(
  width: number,
  lines: readonly {
    text: string;
    align: 'left' | 'center' | 'right';
    px: number;
    bold: boolean;
    invert?: boolean;
    x0?: number;
    maxWidth?: number;
  }[],
): Bitmap {
  const heights = lines.map((l) => metrics(l.px, l.bold).lineHeight);
  const height = heights.reduce((a, b) => a + b, 0);
  const canvas = createCanvas(width, Math.max(1, height));
  const ctx = canvas.getContext('2d');
  let y = 0;
  lines.forEach((l, i) => {
    const m = metrics(l.px, l.bold);
    ctx.font = fontCss(l.px, l.bold);
    const x0 = l.x0 ?? 0;
    const area = l.maxWidth ?? width - x0;
    const w = ctx.measureText(l.text).width;
    const x = x0 + alignX(l.align, area, w);
    if (l.invert) {
      ctx.globalCompositeOperation = 'source-over';
      ctx.fillStyle = '#000';
      ctx.fillRect(x0, y, area, heights[i]!);
      ctx.globalCompositeOperation = 'destination-out';
    }
    ctx.fillStyle = '#000';
    ctx.fillText(l.text, x, y + m.ascent);
    ctx.globalCompositeOperation = 'source-over';
    y += heights[i]!;
  });
  return canvasToBitmap(ctx, width, height);
}

export function renderText(b: TextBlock, width: number): Bitmap {
  const px = TEXT_PX[b.size];
  const pad = b.invert ? 8 : 0;
  const lines = wrapText(b.text, width - 2 * pad, px, b.bold).map((text) => ({
    text,
    align: b.align,
    px,
    bold: b.bold,
    invert: b.invert,
    x0: 0,
    maxWidth: width,
  }));
  return drawLines(width, lines);
}

export function renderPair(b: Extract<Block, { kind: 'pair' }>, width: number): Bitmap {
  const px = TEXT_PX.normal;
  const lw = measure(b.left, px, b.bold);
  const rw = measure(b.right, px, b.bold);
  if (lw + PAIR_GAP + rw <= width) {
    // One line: draw both on the same canvas row.
    const m = metrics(px, b.bold);
    const canvas = createCanvas(width, m.lineHeight);
    const ctx = canvas.getContext('2d');
    ctx.font = fontCss(px, b.bold);
    ctx.fillStyle = '#000';
    ctx.fillText(b.left, 0, m.ascent);
    ctx.fillText(b.right, width - rw, m.ascent);
    return canvasToBitmap(ctx, width, m.lineHeight);
  }
  const left = wrapText(b.left, width, px, b.bold).map((text) => ({ text, align: 'left' as const, px, bold: b.bold }));
  const right = wrapText(b.right, width, px, b.bold).map((text) => ({
    text,
    align: 'right' as const,
    px,
    bold: b.bold,
  }));
  return drawLines(width, [...left, ...right]);
}

export function renderSeparator(style: Extract<Block, { kind: 'separator' }>['style'], width: number): Bitmap {
  const bmp = createBitmap(width, 16);
  if (style === 'line') fillRect(bmp, 0, 7, width, 2);
  if (style === 'double') {
    fillRect(bmp, 0, 5, width, 2);
    fillRect(bmp, 0, 9, width, 2);
  }
  if (style === 'dashed') for (let x = 0; x < width; x += 14) fillRect(bmp, x, 7, 8, 2);
  return bmp;
}

export function renderFeed(lines: number, width: number): Bitmap {
  return createBitmap(width, lines * metrics(TEXT_PX.normal, false).lineHeight);
}

/** QR drawn module by module (`cell` dots each) with a 2-module quiet zone; caption beside it. */
export function renderQr(b: Extract<Block, { kind: 'qr' }>, width: number): Bitmap {
  const qr = QRCode.create(b.data, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const quiet = 2;
  let cell = b.cell;
  while (cell > 1 && (n + 2 * quiet) * cell > width) cell--;
  const side = (n + 2 * quiet) * cell;
  const captionLines = b.caption ?? [];
  const captionX = side + 8;
  const captionWidth = width - captionX;
  const caption =
    captionLines.length && captionWidth > 80
      ? drawLines(
          captionWidth,
          captionLines
            .flatMap((t) => wrapText(t, captionWidth, TEXT_PX.normal, false))
            .map((text) => ({ text, align: 'left' as const, px: TEXT_PX.normal, bold: false })),
        )
      : undefined;
  const height = Math.max(side, caption?.height ?? 0);
  const bmp = createBitmap(width, height);
  const x0 = caption ? 0 : alignX(b.align, width, side);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < n; c++)
      if (qr.modules.get(r, c)) fillRect(bmp, x0 + (c + quiet) * cell, (r + quiet) * cell, cell, cell);
  if (caption) blit(bmp, caption, captionX, Math.max(0, Math.floor((height - caption.height) / 2)));
  // Caption too wide to sit beside (58 mm paper): print it under the code.
  if (captionLines.length && !caption) {
    const under = drawLines(
      width,
      captionLines
        .flatMap((t) => wrapText(t, width, TEXT_PX.normal, false))
        .map((text) => ({ text, align: b.align, px: TEXT_PX.normal, bold: false })),
    );
    return stackBitmaps(width, [bmp, under]);
  }
  return bmp;
}

/** Barcode bars (2 dots per module, 80 dots tall) with the human-readable text under it. */
export function renderBarcode(b: Extract<Block, { kind: 'barcode' }>, width: number): Bitmap {
  const hri = drawLines(width, [{ text: b.data, align: b.align, px: TEXT_PX.small, bold: false }]);
  return stackBitmaps(width, [renderBarcodeBars(b, width), hri]);
}

/** The bars alone, with the 4 blank rows that separate them from the human-readable text. */
export function renderBarcodeBars(b: Extract<Block, { kind: 'barcode' }>, width: number): Bitmap {
  const modules = b.symbology === 'CODE39' ? code39Modules(b.data) : code128Modules(b.data);
  const total = modules.reduce((a, m) => a + m, 0) + 20;
  const unit = Math.max(1, Math.min(3, Math.floor(width / total)));
  const barsWidth = total * unit;
  const height = 80;
  const bars = createBitmap(width, height + 4);
  let x = alignX(b.align, width, barsWidth) + 10 * unit;
  modules.forEach((m, i) => {
    if (i % 2 === 0) fillRect(bars, x, 0, m * unit, height);
    x += m * unit;
  });
  return bars;
}

/** A PNG made 1-bit (alpha and luminance thresholded), scaled down to the paper if wider. */
export function renderImage(b: Extract<Block, { kind: 'image' }>, width: number): Bitmap {
  const png = PNG.sync.read(Buffer.from(b.png, 'base64'));
  const scale = png.width > width ? width / png.width : 1;
  const w = Math.max(1, Math.floor(png.width * scale));
  const h = Math.max(1, Math.floor(png.height * scale));
  const bmp = createBitmap(width, h);
  const x0 = alignX(b.align, width, w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const sx = Math.min(png.width - 1, Math.floor(x / scale));
      const sy = Math.min(png.height - 1, Math.floor(y / scale));
      const i = (sy * png.width + sx) * 4;
      const lum = 0.2126 * png.data[i]! + 0.7152 * png.data[i + 1]! + 0.0722 * png.data[i + 2]!;
      if (png.data[i + 3]! > 127 && lum < 128) setPixel(bmp, x0 + x, y);
    }
  return bmp;
}

function blit(dst: Bitmap, src: Bitmap, x0: number, y0: number): void {
  for (let y = 0; y < src.height; y++)
    for (let x = 0; x < src.width; x++)
      if ((src.data[y * src.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) setPixel(dst, x0 + x, y0 + y);
}

/** One block as a bitmap (feed and cut excluded: the caller decides what they become). */
export function renderBlock(b: Block, width: number): Bitmap | undefined {
  switch (b.kind) {
    case 'text':
      return renderText(b, width);
    case 'pair':
      return renderPair(b, width);
    case 'separator':
      return renderSeparator(b.style, width);
    case 'qr':
      return renderQr(b, width);
    case 'barcode':
      return renderBarcode(b, width);
    case 'image':
      return renderImage(b, width);
    case 'feed':
    case 'cut':
      return undefined;
  }
}
