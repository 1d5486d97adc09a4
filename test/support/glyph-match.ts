import type { Bitmap } from '../../drivers/printer/bitmap.ts';
import { CELL } from '../../drivers/printer/cells.node.ts';
import { CODEPAGE_SCALE } from '../../drivers/printer/columns.ts';
import { alignX, measure, TEXT_PX } from '../../drivers/printer/raster.node.ts';
import type { ReceiptBlock } from '../../drivers/printer/receipt.ts';

/**
 * A glyph-level, OCR-free measure of how closely a text-mode paper matches the raster rendering
 * of the same one-line block. Each character is found in both images where its layout puts it
 * (text mode: its cell, the printer's fixed pitch; raster: the canvas's pen positions, Noto
 * Sans' own advances), cropped to its ink box within the line's rows, both crops scaled to one
 * 32×48 grid (the alignment: position and size differ by design, a 12×24 cell against a 26 px
 * proportional face), and compared: the share of inked grid cells of each that have ink within
 * one cell in the other. White-on-black lines are compared as their letters (the bar inverted).
 * The result is the ink-weighted mean over the line's characters (1 = every letter the same
 * shape, marks included); a missing mark, a wrong letter or a letter in the wrong place scores
 * low (the tests' control: each letter against the next letter of its line). It does not tell
 * an acute from a grave on one letter (a mirrored 3-dot stroke): the text-mode read-back (each
 * downloaded cell matched to its letter exactly) covers that.
 */
export interface GlyphScore {
  ch: string;
  score: number;
}

const GW = 32;
const GH = 48;

type Line = { text: string; font: 'A' | 'B'; scale: number };
type Placed = { ch: string; text: [number, number]; raster: [number, number] };

const ink = (b: Bitmap, x: number, y: number) =>
  x >= 0 &&
  y >= 0 &&
  x < b.width &&
  y < b.height &&
  ((b.data[y * b.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;

/** The rows the line's ink spans (a glyph is looked for there only). */
function inkRows(b: Bitmap): [number, number] {
  let t = -1;
  let bot = -1;
  for (let y = 0; y < b.height; y++)
    for (let x = 0; x < b.width; x++)
      if (ink(b, x, y)) {
        if (t < 0) t = y;
        bot = y;
        break;
      }
  return [Math.max(0, t), Math.max(0, bot)];
}

/** The ink of columns [x0, x1) within the line's rows, cropped to its box and scaled to the grid. Undefined: no ink. */
function glyphGrid(b: Bitmap, x0: number, x1: number, rows: [number, number]): Uint8Array | undefined {
  let l = Infinity;
  let r = -1;
  let t = Infinity;
  let bot = -1;
  for (let y = rows[0]; y <= rows[1]; y++)
    for (let x = Math.max(0, x0); x < Math.min(b.width, x1); x++)
      if (ink(b, x, y)) {
        l = Math.min(l, x);
        r = Math.max(r, x);
        t = Math.min(t, y);
        bot = Math.max(bot, y);
      }
  if (r < 0) return undefined;
  const w = r - l + 1;
  const h = bot - t + 1;
  const g = new Uint8Array(GW * GH);
  for (let gy = 0; gy < GH; gy++)
    for (let gx = 0; gx < GW; gx++)
      g[gy * GW + gx] = ink(b, l + Math.floor(((gx + 0.5) * w) / GW), t + Math.floor(((gy + 0.5) * h) / GH)) ? 1 : 0;
  return g;
}

/** A white-on-black bar as black-on-white letters: the bar's rows (mostly ink) inverted, the rest blank. */
function whiteOnBlack(b: Bitmap): Bitmap {
  const out: Bitmap = { ...b, data: new Uint8Array(b.data.length) };
  for (let y = 0; y < b.height; y++) {
    let n = 0;
    for (let x = 0; x < b.width; x++) if (ink(b, x, y)) n++;
    if (n * 2 < b.width) continue;
    for (let x = 0; x < b.width; x++) if (!ink(b, x, y)) out.data[y * b.bytesPerRow + (x >> 3)]! |= 0x80 >> (x & 7);
  }
  return out;
}

/** Symmetric within-one-cell agreement of two grids, with the ink counted. */
function gridAgreement(a: Uint8Array, b: Uint8Array): { hit: number; ink: number } {
  let hit = 0;
  let total = 0;
  for (const [p, q] of [
    [a, b],
    [b, a],
  ] as const)
    for (let y = 0; y < GH; y++)
      for (let x = 0; x < GW; x++) {
        if (!p[y * GW + x]) continue;
        total++;
        let found = false;
        for (let dy = -1; dy <= 1 && !found; dy++)
          for (let dx = -1; dx <= 1 && !found; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            found = yy >= 0 && xx >= 0 && yy < GH && xx < GW && q[yy * GW + xx] === 1;
          }
        if (found) hit++;
      }
  return { hit, ink: total };
}

/** Where each character of the block's one line sits in text mode (cells) and in raster (pen positions). */
function layout(block: ReceiptBlock, width: number): Placed[] {
  const out: Placed[] = [];
  const place = (line: Line, textX: number, rasterX: number, px: number, bold: boolean) => {
    const cw = CELL[line.font].width * line.scale;
    let prefix = '';
    [...line.text].forEach((ch, i) => {
      const a = rasterX + measure(prefix, px, bold);
      prefix += ch;
      const b = rasterX + measure(prefix, px, bold);
      if (ch !== ' ')
        out.push({ ch, text: [textX + i * cw, textX + (i + 1) * cw], raster: [Math.round(a), Math.round(b)] });
    });
  };
  if (block.kind === 'text') {
    const size = block.size ?? 'normal';
    const align = block.align ?? 'left';
    const line: Line = {
      text: block.text.normalize('NFC'),
      font: size === 'small' ? 'B' : 'A',
      scale: CODEPAGE_SCALE[size],
    };
    const px = TEXT_PX[size];
    const bold = block.bold ?? false;
    const w = [...line.text].length * CELL[line.font].width * line.scale;
    const tx = align === 'center' ? Math.floor((width - w) / 2) : align === 'right' ? width - w : 0;
    place(line, tx, alignX(align, width, measure(line.text, px, bold)), px, bold);
  } else if (block.kind === 'pair') {
    const px = TEXT_PX.normal;
    const bold = block.bold ?? false;
    const cols = Math.floor(width / CELL.A.width);
    const left = block.left.normalize('NFC');
    const right = block.right.normalize('NFC');
    place({ text: left, font: 'A', scale: 1 }, 0, 0, px, bold);
    place(
      { text: right, font: 'A', scale: 1 },
      (cols - [...right].length) * CELL.A.width,
      width - measure(right, px, bold),
      px,
      bold,
    );
  } else throw new Error('glyphMatch: one-line text or pair blocks only');
  return out;
}

/** Per character and overall (ink-weighted) agreement of text-mode paper and raster paper of one block. */
export function glyphMatch(
  block: ReceiptBlock,
  textPaperIn: Bitmap,
  rasterPaperIn: Bitmap,
): { score: number; glyphs: GlyphScore[] } {
  const inverted = block.kind === 'text' && block.invert === true;
  const textPaper = inverted ? whiteOnBlack(textPaperIn) : textPaperIn;
  const rasterPaper = inverted ? whiteOnBlack(rasterPaperIn) : rasterPaperIn;
  const textRows = inkRows(textPaper);
  const rasterRows = inkRows(rasterPaper);
  let hit = 0;
  let total = 0;
  const glyphs: GlyphScore[] = [];
  for (const g of layout(block, textPaper.width)) {
    const a = glyphGrid(textPaper, g.text[0], g.text[1], textRows);
    const b = glyphGrid(rasterPaper, g.raster[0], g.raster[1], rasterRows);
    if (!a || !b) {
      glyphs.push({ ch: g.ch, score: 0 });
      total += 1;
      continue;
    }
    const r = gridAgreement(a, b);
    hit += r.hit;
    total += r.ink;
    glyphs.push({ ch: g.ch, score: r.ink ? r.hit / r.ink : 1 });
  }
  return { score: total ? hit / total : 1, glyphs };
}
