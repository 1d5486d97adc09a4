import { createCanvas } from '@napi-rs/canvas';
import { DOTS_PER_MM, createBitmap, dotsForWidth, type Bitmap } from './bitmap.ts';
import { ESC, GS, concatBytes, qrCode, rasterPaper } from './escpos.ts';
import type { PrinterProfile } from './profiles.ts';
import {
  TEXT_PX,
  alignX,
  canvasToBitmap,
  fontCss,
  measure,
  metrics,
  renderBarcodeBars,
  renderBlock,
  renderQr,
  renderSeparator,
  wrapText,
  type Block,
  type TextBlock,
} from './raster.node.ts';

/**
 * Glyph mode: the same Noto Sans lines raster mode draws, sent as downloaded characters.
 *
 * Each text line is drawn once, one character at a time at whole-dot pen positions (kerning
 * kept: a character sits where the line's own measurement puts it), then cut at those positions
 * into pieces at most 12 dots wide and 24 rows tall, the size of a font A user-defined character.
 * Identical pieces (the same letter in the same font, blank and black runs) share one character
 * code: a piece is downloaded once (ESC & 3 c c x d…) and each later use costs one byte. A line
 * taller than 24 rows prints as stacked 24-row strips with the line spacing set to 24 (ESC 3),
 * so the strips abut and the paper shows the drawn line. The ticket number is drawn at a third
 * of its size and printed with GS ! ×3 (printer font scaling applies to downloaded characters).
 * Rules, QR codes and barcode bars stay raster, at half resolution with GS v 0 m=1..3 when the
 * bitmap is made of 2×2 blocks (or the printer's own QR where the profile has GS ( k).
 *
 * Codes 0x20–0x7E are the 95 slots. Before each strip the pieces it needs are defined, replacing
 * the least recently used ones, always with the line buffer empty. The cache lives as long as the
 * connection: jobs after the first send only pieces not yet on the printer.
 */
export const CELL_ROWS = 24;
const FIRST_CODE = 0x20;
const LAST_CODE = 0x7e;
/** Default line spacing (1/6 inch) that raster mode's ESC d feeds use; glyph mode feeds the same dots. */
const LINE_DOTS = 34;
const CUT_FEED_DOTS = 4 * LINE_DOTS;
/** Text sizes printed with GS ! instead of drawn at full size (ASCII ticket numbers). */
const FONT_SCALE: Record<TextBlock['size'], number> = { small: 1, normal: 1, large: 1, xlarge: 1, huge: 3 };

/** Which pieces are defined on the printer, under which code (one per connection). */
export class GlyphCache {
  private byKey = new Map<string, number>();
  private keyOf = new Map<number, string>();
  private used = new Map<number, number>();
  private clock = 0;
  /** Whether the printer has had ESC @ and the glyph set selected since the connection opened. */
  warm = false;

  clone(): GlyphCache {
    const c = new GlyphCache();
    c.byKey = new Map(this.byKey);
    c.keyOf = new Map(this.keyOf);
    c.used = new Map(this.used);
    c.clock = this.clock;
    c.warm = this.warm;
    return c;
  }

  get size(): number {
    return this.byKey.size;
  }

  /** Codes for `keys` (at most 95 distinct), and the definitions to send first for those not on the printer. */
  assign(keys: readonly string[]): { codes: number[]; define: { code: number; key: string }[] } {
    const need = new Set(keys);
    if (need.size > LAST_CODE - FIRST_CODE + 1)
      throw new Error(`a strip needs ${need.size} distinct glyph pieces (at most ${LAST_CODE - FIRST_CODE + 1})`);
    const define: { code: number; key: string }[] = [];
    const tick = ++this.clock;
    for (const key of need) {
      const have = this.byKey.get(key);
      if (have !== undefined) {
        this.used.set(have, tick);
        continue;
      }
      const code = this.freeCode(tick);
      const old = this.keyOf.get(code);
      if (old !== undefined) this.byKey.delete(old);
      this.byKey.set(key, code);
      this.keyOf.set(code, key);
      this.used.set(code, tick);
      define.push({ code, key });
    }
    return { codes: keys.map((k) => this.byKey.get(k)!), define };
  }

  private freeCode(tick: number): number {
    for (let c = FIRST_CODE; c <= LAST_CODE; c++) if (!this.keyOf.has(c)) return c;
    let best = -1;
    let bestUse = Infinity;
    for (const [c, u] of this.used) if (u < tick && u < bestUse) [best, bestUse] = [c, u];
    return best;
  }
}

/** A piece of a strip: its width in dots and its ESC & column bytes (3 per column, top byte first). */
interface Piece {
  width: number;
  data: Uint8Array;
  key: string;
}

function piece(bmp: Bitmap, x0: number, width: number, y0: number): Piece {
  const data = new Uint8Array(width * 3);
  for (let c = 0; c < width; c++)
    for (let r = 0; r < CELL_ROWS; r++) {
      const y = y0 + r;
      const x = x0 + c;
      if (y < bmp.height && (bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1)
        data[c * 3 + (r >> 3)]! |= 0x80 >> (r & 7);
    }
  return { width, data, key: `${width}:${Buffer.from(data).toString('base64')}` };
}

interface GlyphLine {
  bmp: Bitmap;
  /** Cut positions (ascending, from 0): where pieces may start. */
  cuts: number[];
  /** Right edge of what is printed (last ink, or the end of an inverted bar). */
  end: number;
}

interface LineSpec {
  text: string;
  px: number;
  bold: boolean;
  align: 'left' | 'center' | 'right';
  invert?: boolean;
  /** Where the line's area starts and how wide it is (pairs put two texts on one line). */
  x0?: number;
  area?: number;
}

/** Draws texts on one line, each character at a whole-dot position, and returns where to cut. */
function drawGlyphLine(width: number, specs: readonly LineSpec[]): GlyphLine {
  const m = specs.reduce(
    (acc, s) => {
      const mm = metrics(s.px, s.bold);
      return { ascent: Math.max(acc.ascent, mm.ascent), lineHeight: Math.max(acc.lineHeight, mm.lineHeight) };
    },
    { ascent: 0, lineHeight: 0 },
  );
  const canvas = createCanvas(width, Math.max(1, m.lineHeight));
  const ctx = canvas.getContext('2d');
  const cuts = new Set<number>([0]);
  let end = 0;
  for (const s of specs) {
    const x0 = s.x0 ?? 0;
    const area = s.area ?? width - x0;
    const chars = [...s.text];
    const w = measure(s.text, s.px, s.bold);
    const left = x0 + alignX(s.align, area, w);
    if (s.invert) {
      ctx.globalCompositeOperation = 'source-over';
      ctx.fillStyle = '#000';
      ctx.fillRect(x0, 0, area, m.lineHeight);
      ctx.globalCompositeOperation = 'destination-out';
      cuts.add(x0);
      cuts.add(x0 + area);
      end = Math.max(end, x0 + area);
    }
    ctx.font = fontCss(s.px, s.bold);
    ctx.fillStyle = '#000';
    let prefix = '';
    for (const ch of chars) {
      const x = Math.round(left + (prefix ? measure(prefix, s.px, s.bold) : 0));
      cuts.add(x);
      ctx.fillText(ch, x, m.ascent);
      prefix += ch;
    }
    cuts.add(Math.round(left + w));
    ctx.globalCompositeOperation = 'source-over';
  }
  const bmp = canvasToBitmap(ctx, width, m.lineHeight);
  for (let y = 0; y < bmp.height; y++)
    for (let x = bmp.width - 1; x >= end; x--)
      if ((bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) end = x + 1;
  return { bmp, cuts: [...cuts].filter((c) => c >= 0 && c < width).sort((a, b) => a - b), end };
}

/** The pieces of rows [y0, y0+24) of a line, cut at its character positions, none wider than `maxW`. */
function stripPieces(line: GlyphLine, y0: number, maxW: number): Piece[] {
  const out: Piece[] = [];
  const stops = [...line.cuts.filter((c) => c < line.end), line.end];
  for (let i = 0; i + 1 < stops.length; i++) {
    for (let x = stops[i]!; x < stops[i + 1]!; x += maxW)
      out.push(piece(line.bmp, x, Math.min(maxW, stops[i + 1]! - x), y0));
  }
  return out;
}

function firstInkRow(b: Bitmap, from: number, step: 1 | -1): number {
  for (let y = from; y >= 0 && y < b.height; y += step)
    for (let i = 0; i < b.bytesPerRow; i++) if (b.data[y * b.bytesPerRow + i]) return y;
  return -1;
}

export interface GlyphEncodeResult {
  bytes: Uint8Array;
  lengthMm: number;
  /** Distinct pieces downloaded for this job (0 when every one was already on the printer). */
  defined: number;
}

/**
 * GS v 0 at the coarsest scale the bitmap allows (2×2, 2×1 or 1×2 blocks), cropped and fed like
 * raster mode. A bitmap whose blocks start one dot in (a centred QR) is moved by that dot.
 */
export function scaledRaster(full: Bitmap, profile: PrinterProfile): Uint8Array {
  // Blank rows above and below are fed, whatever their number.
  const top = firstInkRow(full, 0, 1);
  if (top < 0) return feedDots(full.height);
  const bottom = firstInkRow(full, full.height - 1, -1);
  const bmp: Bitmap = {
    ...full,
    height: bottom - top + 1,
    data: full.data.subarray(top * full.bytesPerRow, (bottom + 1) * full.bytesPerRow),
  };
  return concatBytes([feedDots(top), scaledInk(bmp, profile), feedDots(full.height - 1 - bottom)]);
}

/**
 * The blank bytes left of the ink are not sent: GS L moves the left margin instead (a printer
 * without GS L prints the image at the left edge, still whole). `scale` is the dots per bitmap
 * dot across; `shift` dots already dropped on the left.
 */
function withLeftMargin(b: Bitmap, shift: number, scale: number, send: (b: Bitmap) => Uint8Array): Uint8Array {
  let left = b.bytesPerRow;
  for (let y = 0; y < b.height; y++) for (let i = 0; i < left; i++) if (b.data[y * b.bytesPerRow + i]) left = i;
  if (left === 0 || left === b.bytesPerRow) return send(b);
  const bpr = b.bytesPerRow - left;
  const data = new Uint8Array(bpr * b.height);
  for (let y = 0; y < b.height; y++)
    data.set(b.data.subarray(y * b.bytesPerRow + left, (y + 1) * b.bytesPerRow), y * bpr);
  const margin = left * 8 * scale + shift;
  return concatBytes([
    Uint8Array.of(GS, 0x4c, margin & 0xff, margin >> 8),
    send({ width: bpr * 8, height: b.height, bytesPerRow: bpr, data }),
    Uint8Array.of(GS, 0x4c, 0, 0),
  ]);
}

function feedDots(n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let left = n; left > 0; left -= 255) parts.push(Uint8Array.of(ESC, 0x4a, Math.min(255, left)));
  return concatBytes(parts);
}

function scaledInk(bmp: Bitmap, profile: PrinterProfile): Uint8Array {
  const plain = () => rasterPaper(bmp.bytesPerRow, bmp.height, bmp.data);
  if (!profile.rasterScale || bmp.height < 2) return plain();
  const px = (x: number, y: number) =>
    x < bmp.width && y < bmp.height ? (bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1 : 0;
  let best = { sx: 1, sy: 1, ox: 0, oy: 0 };
  for (const [ox, oy] of [
    [0, 0],
    [1, 0],
    [0, 1],
    [1, 1],
  ] as const) {
    let sx = 2;
    let sy = 2;
    for (let y = 0; y < bmp.height && (sx > 1 || sy > 1); y++)
      for (let x = 0; x < bmp.width; x++) {
        const v = px(x, y);
        // A dot before the offset would be lost.
        if (v && (x < ox || y < oy)) sx = sy = 1;
        if (sx > 1 && ((x - ox) & 1) === 1 && x > ox && v !== px(x - 1, y)) sx = 1;
        if (sy > 1 && ((y - oy) & 1) === 1 && y > oy && v !== px(x, y - 1)) sy = 1;
      }
    if (sx * sy > best.sx * best.sy) best = { sx, sy, ox, oy };
  }
  const { sx, sy, ox, oy } = best;
  if (sx === 1 && sy === 1) return withLeftMargin(bmp, 0, 1, (b) => rasterPaper(b.bytesPerRow, b.height, b.data));
  const w = Math.ceil((bmp.width - ox) / sx);
  const h = Math.ceil((bmp.height - oy) / sy);
  const small = createBitmap(w, h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      if (px(ox + x * sx, oy + y * sy)) small.data[y * small.bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
  const m = (sx === 2 ? 1 : 0) + (sy === 2 ? 2 : 0);
  const bytes = withLeftMargin(small, ox, sx, (b) => rasterPaper(b.bytesPerRow, b.height, b.data));
  for (let i = 0; i < bytes.length;) {
    if (bytes[i] === GS && bytes[i + 1] === 0x76) {
      bytes[i + 3] = m;
      i += 8 + (bytes[i + 4]! | (bytes[i + 5]! << 8)) * (bytes[i + 6]! | (bytes[i + 7]! << 8));
    } else if (bytes[i] === ESC && bytes[i + 1] === 0x4a) {
      bytes[i + 2] = Math.min(255, bytes[i + 2]! * sy);
      i += 3;
    } else if (bytes[i] === GS && bytes[i + 1] === 0x4c) i += 4;
    else i++;
  }
  // The first row, blank, is fed rather than dropped.
  return oy ? concatBytes([Uint8Array.of(ESC, 0x4a, oy), bytes]) : bytes;
}

/**
 * ReceiptDoc blocks (with the final cut) → glyph-mode ESC/POS. `cache` is read and updated:
 * pass a clone of the connection's cache and keep it only when the job reached the printer.
 */
export function encodeGlyphs(
  blocks: readonly Block[],
  widthMm: 58 | 80,
  profile: PrinterProfile,
  cache: GlyphCache,
): GlyphEncodeResult {
  const width = dotsForWidth(widthMm);
  const parts: Uint8Array[] = [];
  let dots = 0;
  let defined = 0;
  // ESC @ clears downloaded characters: only a cold cache (new connection) starts with it.
  if (!cache.warm) parts.push(Uint8Array.of(ESC, 0x40));
  cache.warm = true;
  parts.push(Uint8Array.of(ESC, 0x4d, 0, GS, 0x21, 0, ESC, 0x61, 0, ESC, 0x33, CELL_ROWS, ESC, 0x25, 1));
  const feed = (n: number) => {
    for (let left = n; left > 0; left -= 255) parts.push(Uint8Array.of(ESC, 0x4a, Math.min(255, left)));
  };
  const emitLine = (line: GlyphLine, scale: number) => {
    const top = firstInkRow(line.bmp, 0, 1);
    const h = line.bmp.height;
    if (top < 0 && line.end === 0) {
      feed(h * scale);
      dots += h * scale;
      return;
    }
    const bottom = line.end > 0 && top < 0 ? h - 1 : firstInkRow(line.bmp, h - 1, -1);
    const strips = Math.ceil((bottom - Math.max(0, top) + 1) / CELL_ROWS);
    const start = Math.max(0, Math.min(top, h - strips * CELL_ROWS));
    if (start) feed(start * scale);
    if (scale > 1) parts.push(Uint8Array.of(GS, 0x21, ((scale - 1) << 4) | (scale - 1), ESC, 0x33, CELL_ROWS * scale));
    for (let s = 0; s < strips; s++) {
      const pieces = stripPieces(line, start + s * CELL_ROWS, profile.maxCharWidth);
      const { codes, define } = cache.assign(pieces.map((p) => p.key));
      defined += define.length;
      const byKey = new Map(pieces.map((p) => [p.key, p]));
      for (const d of define) {
        const p = byKey.get(d.key)!;
        parts.push(Uint8Array.of(ESC, 0x26, 3, d.code, d.code, p.width), p.data);
      }
      parts.push(Uint8Array.from(codes), Uint8Array.of(0x0a));
    }
    if (scale > 1) parts.push(Uint8Array.of(GS, 0x21, 0, ESC, 0x33, CELL_ROWS));
    const rest = h - start - strips * CELL_ROWS;
    if (rest > 0) feed(rest * scale);
    dots += Math.max(h, start + strips * CELL_ROWS) * scale;
  };
  const raster = (bmp: Bitmap) => {
    parts.push(scaledRaster(bmp, profile));
    dots += bmp.height;
  };
  const textLines = (b: TextBlock) => {
    const scale = FONT_SCALE[b.size];
    const px = Math.round(TEXT_PX[b.size] / scale);
    const w = Math.floor(width / scale);
    const pad = b.invert ? 8 : 0;
    for (const text of wrapText(b.text, w - 2 * pad, px, b.bold))
      emitLine(drawGlyphLine(w, [{ text, px, bold: b.bold, align: b.align, invert: b.invert }]), scale);
  };

  for (const b of blocks) {
    switch (b.kind) {
      case 'text':
        textLines(b);
        break;
      case 'pair': {
        const px = TEXT_PX.normal;
        const lw = measure(b.left, px, b.bold);
        const rw = measure(b.right, px, b.bold);
        if (lw + 16 + rw <= width)
          emitLine(
            drawGlyphLine(width, [
              { text: b.left, px, bold: b.bold, align: 'left' },
              { text: b.right, px, bold: b.bold, align: 'right' },
            ]),
            1,
          );
        else {
          for (const text of wrapText(b.left, width, px, b.bold))
            emitLine(drawGlyphLine(width, [{ text, px, bold: b.bold, align: 'left' }]), 1);
          for (const text of wrapText(b.right, width, px, b.bold))
            emitLine(drawGlyphLine(width, [{ text, px, bold: b.bold, align: 'right' }]), 1);
        }
        break;
      }
      case 'separator':
        raster(renderSeparator(b.style, width));
        break;
      case 'qr': {
        if (profile.qr) {
          const align = { left: 0, center: 1, right: 2 }[b.align];
          parts.push(
            Uint8Array.of(ESC, 0x61, align),
            qrCode(new TextEncoder().encode(b.data), b.cell),
            Uint8Array.of(0x0a, ESC, 0x61, 0),
          );
          dots += 40 * b.cell + CELL_ROWS;
        } else {
          // Modules of an even number of dots travel at half resolution (GS v 0 m=3): never smaller than asked.
          raster(renderQr({ ...b, cell: b.cell + (b.cell & 1), caption: undefined }, width));
        }
        // The caption goes under the code (as in code-page mode): beside it, it would have to be raster.
        for (const c of b.caption ?? [])
          textLines({ kind: 'text', text: c, align: b.align, size: 'normal', bold: false, invert: false });
        break;
      }
      case 'barcode':
        raster(renderBarcodeBars(b, width));
        textLines({ kind: 'text', text: b.data, align: b.align, size: 'small', bold: false, invert: false });
        break;
      case 'image':
        raster(renderBlock(b, width)!);
        break;
      case 'feed':
        feed(b.lines * LINE_DOTS);
        dots += b.lines * LINE_DOTS;
        break;
      case 'cut':
        feed(CUT_FEED_DOTS);
        parts.push(Uint8Array.of(GS, 0x56, b.partial ? 1 : 0));
        dots += CUT_FEED_DOTS;
        break;
    }
  }
  return { bytes: concatBytes(parts), lengthMm: dots / DOTS_PER_MM, defined };
}
