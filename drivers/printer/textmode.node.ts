import { dotsForWidth, DOTS_PER_MM, type Bitmap } from './bitmap.ts';
import { cellGlyph, CELL, type CellFont } from './cells.node.ts';
import { CODEPAGE_SCALE, columnsFor, wrapColumns } from './columns.ts';
import { code128Modules, code39Modules } from './barcode.ts';
import { ESC, GS, concatBytes, qrCode } from './escpos.ts';
import { scaledRaster } from './glyphs.node.ts';
import type { PrinterProfile } from './profiles.ts';
import {
  renderBarcodeBars,
  renderBlock,
  renderQr,
  renderSeparator,
  type Block,
  type TextBlock,
} from './raster.node.ts';

/**
 * Text mode (the default): the printer's own font for ASCII, one byte a character, and a
 * downloaded character (ESC & y=3, drawn from Noto Sans in the font's cell) for every other
 * letter a line uses: Vietnamese letters with marks, dashes. No code page is needed: the
 * Vietnamese letters are the printer's user-defined characters under codes the line does not
 * use as ASCII (ESC % 1 prints a defined code as its download and any other as ASCII).
 * Sizes are the printer's GS ! (the ticket number ×4), bold ESC E, white on black GS B.
 * Rules and QR codes are raster, halved with GS v 0 m=1..3 where exact; barcode bars (every
 * column one colour from top to bottom) are ESC * 8-dot bit images, one byte a column for 24 rows.
 *
 * Definitions are made with the line buffer empty (before a line), kept for the connection
 * (the cache), replaced least recently used first, and a code a line prints as ASCII is first
 * cancelled (ESC ?) if it holds a download.
 */
const LINE_DOTS = 34;
const CUT_FEED_LINES = 4;
/** Codes handed to downloads first: the ASCII a receipt line least often prints itself. */
const PREFERRED_CODES = [...'{|}~[\\]^_`!"#$%&*;<=>?@QZXJqzxjKVWFYBGPkvwfybgp'].map((c) => c.charCodeAt(0));
const ALL_CODES = [
  ...PREFERRED_CODES,
  ...Array.from({ length: 95 }, (_, i) => 0x20 + i).filter((c) => !PREFERRED_CODES.includes(c)),
];

/**
 * Codes a Vietnamese receipt line does not print as ASCII (punctuation it has no use for, and the
 * letters Vietnamese does not have): the warm-up puts the most frequent letters here, so they
 * stay until a line prints the code itself.
 */
const WARM_CODES = [...'{|}~[\\]^_`!"#$%&*;<=>?@FJWZfjwz'].map((c) => c.charCodeAt(0));

/**
 * The letters with marks receipts print most, most frequent first: counted over the procedure
 * catalogue and the demo data (central/demo, contract/), the text receipts and tickets carry.
 */
export const FREQUENT_LETTERS = [...'đưấộôàệịáờậếăốýíảứãâạĐủụềơêợớổửóựúồặởầểỉ'];

/** The downloads on the printer, per font: code → character. */
export class TextCache {
  private fonts: Record<CellFont, Map<number, { ch: string; used: number }>> = { A: new Map(), B: new Map() };
  private clock = 0;
  warm = false;
  /** The ASCII codes the job being encoded prints anywhere (set by encodeText). */
  jobAscii = new Set<number>();

  clone(): TextCache {
    const c = new TextCache();
    c.fonts = {
      A: new Map([...this.fonts.A].map(([k, v]) => [k, { ...v }])),
      B: new Map([...this.fonts.B].map(([k, v]) => [k, { ...v }])),
    };
    c.clock = this.clock;
    c.warm = this.warm;
    return c;
  }

  /**
   * The warm-up sent when a printer connects, before any job (ESC @, then the most frequent
   * letters downloaded in both fonts to codes receipts do not print as ASCII): the first citizen's
   * job then carries only the letters it has beyond these. Marks the cache warm (no ESC @ next).
   */
  warmUp(letters: readonly string[] = FREQUENT_LETTERS): Uint8Array {
    const parts: Uint8Array[] = [Uint8Array.of(ESC, 0x40)];
    this.fonts = { A: new Map(), B: new Map() };
    for (const font of ['A', 'B'] as const) {
      parts.push(Uint8Array.of(ESC, 0x4d, font === 'B' ? 1 : 0));
      const n = Math.min(letters.length, WARM_CODES.length);
      // Lowest use stamp: a line's own letters push these out first when codes run short.
      letters.slice(0, n).forEach((ch, i) => this.fonts[font].set(WARM_CODES[i]!, { ch, used: 0 }));
      parts.push(
        ...defineRuns(
          letters.slice(0, n).map((ch, i) => ({ code: WARM_CODES[i]!, data: cellGlyph(ch, font) })),
          font,
        ),
      );
    }
    parts.push(Uint8Array.of(ESC, 0x4d, 0));
    this.warm = true;
    return concatBytes(parts);
  }

  /** Bytes to send before printing `line` in `font`, and the line's bytes. */
  prepare(line: string, font: CellFont): { before: Uint8Array[]; text: Uint8Array } {
    const map = this.fonts[font];
    const chars = [...line];
    const ascii = new Set(chars.filter((c) => c >= ' ' && c <= '~').map((c) => c.charCodeAt(0)));
    const before: Uint8Array[] = [];
    const tick = ++this.clock;
    for (const code of ascii) {
      if (!map.has(code)) continue;
      before.push(Uint8Array.of(ESC, 0x3f, code));
      map.delete(code);
    }
    const codeOf = new Map<string, number>();
    for (const [code, v] of map) codeOf.set(v.ch, code);
    const taken = new Set<number>(ascii);
    const wanted = [...new Set(chars.filter((c) => !(c >= ' ' && c <= '~')))];
    const defs: { code: number; data: Uint8Array }[] = [];
    for (const ch of wanted) {
      const have = codeOf.get(ch);
      if (have !== undefined) taken.add(have);
    }
    for (const ch of wanted) {
      let code = codeOf.get(ch);
      if (code === undefined) {
        // A free code the job never prints as ASCII first (no cancel, no second download later).
        code =
          ALL_CODES.find((c) => !taken.has(c) && !map.has(c) && !this.jobAscii.has(c)) ??
          ALL_CODES.find((c) => !taken.has(c) && !map.has(c));
        if (code === undefined) {
          let oldest = Infinity;
          for (const [c, v] of map) if (!taken.has(c) && v.used < oldest) [code, oldest] = [c, v.used];
        }
        if (code === undefined) throw new Error(`line needs more than ${ALL_CODES.length} distinct characters`);
        defs.push({ code, data: cellGlyph(ch, font) });
        codeOf.set(ch, code);
      }
      map.set(code, { ch, used: tick });
      taken.add(code);
    }
    before.push(...defineRuns(defs, font));
    return {
      before,
      text: Uint8Array.from(chars.map((c) => (c >= ' ' && c <= '~' ? c.charCodeAt(0) : codeOf.get(c)!))),
    };
  }
}

/** One ESC & per run of consecutive codes (its header once, then width + columns per character). */
function defineRuns(input: readonly { code: number; data: Uint8Array }[], font: CellFont): Uint8Array[] {
  const defs = [...input].sort((a, b) => a.code - b.code);
  const out: Uint8Array[] = [];
  for (let i = 0; i < defs.length;) {
    let j = i + 1;
    while (j < defs.length && defs[j]!.code === defs[j - 1]!.code + 1) j++;
    out.push(Uint8Array.of(ESC, 0x26, 3, defs[i]!.code, defs[j - 1]!.code));
    for (const d of defs.slice(i, j)) out.push(Uint8Array.of(CELL[font].width), d.data);
    i = j;
  }
  return out;
}

export function encodeText(
  blocks: readonly Block[],
  widthMm: 58 | 80,
  profile: PrinterProfile,
  cache: TextCache,
): { bytes: Uint8Array; lengthMm: number } {
  const width = dotsForWidth(widthMm);
  const cols = columnsFor(width, 'normal');
  const parts: Uint8Array[] = [];
  let dots = 0;
  cache.jobAscii = jobAscii(blocks);
  // ESC @ clears downloads: only the first job on a connection starts with it.
  if (!cache.warm) parts.push(Uint8Array.of(ESC, 0x40));
  cache.warm = true;
  parts.push(
    Uint8Array.of(ESC, 0x25, 1, ESC, 0x32, ESC, 0x61, 0, ESC, 0x45, 0, GS, 0x21, 0, GS, 0x42, 0, ESC, 0x4d, 0),
  );
  // Print modes as the printer has them after the header below; a command is sent only when a value changes.
  const mode = { font: 0, size: 0, bold: 0, invert: 0, align: 0 };
  const set = (next: Partial<typeof mode>) => {
    const cmd = {
      font: [ESC, 0x4d],
      size: [GS, 0x21],
      bold: [ESC, 0x45],
      invert: [GS, 0x42],
      align: [ESC, 0x61],
    } as const;
    for (const k of Object.keys(next) as (keyof typeof mode)[]) {
      if (next[k] === mode[k]) continue;
      mode[k] = next[k]!;
      parts.push(Uint8Array.of(...cmd[k], mode[k]));
    }
  };
  const align = (a: 'left' | 'center' | 'right') => set({ align: { left: 0, center: 1, right: 2 }[a] });
  const line = (text: string, font: CellFont, scale = 1) => {
    const { before, text: bytes } = cache.prepare(text, font);
    parts.push(...before, bytes, Uint8Array.of(0x0a));
    dots += Math.max(LINE_DOTS, CELL[font].height * scale);
  };
  const raster = (bmp: ReturnType<typeof renderSeparator>) => {
    align('left');
    parts.push(scaledRaster(bmp, profile));
    dots += bmp.height;
  };
  const text = (b: TextBlock) => {
    const font: CellFont = b.size === 'small' ? 'B' : 'A';
    const s = CODEPAGE_SCALE[b.size];
    const n = columnsFor(width, b.size);
    set({ font: font === 'B' ? 1 : 0, size: ((s - 1) << 4) | (s - 1), bold: b.bold ? 1 : 0, invert: b.invert ? 1 : 0 });
    align(b.invert ? 'left' : b.align);
    for (const l of wrapColumns(b.text, n)) {
      // White on black across the paper, like the raster bar: pad with (inverted) spaces.
      const len = [...l].length;
      const padded = b.invert
        ? ' '.repeat(Math.floor((n - len) / 2)) + l + ' '.repeat(n - len - Math.floor((n - len) / 2))
        : l;
      line(padded, font, s);
    }
    set({ font: 0, size: 0, bold: 0, invert: 0 });
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'text':
        text(b);
        break;
      case 'pair': {
        align('left');
        set({ bold: b.bold ? 1 : 0 });
        const l = [...b.left.normalize('NFC')];
        const r = [...b.right.normalize('NFC')];
        if (l.length + 1 + r.length <= cols)
          line(l.join('') + ' '.repeat(cols - l.length - r.length) + r.join(''), 'A');
        else {
          for (const x of wrapColumns(b.left, cols)) line(x, 'A');
          for (const x of wrapColumns(b.right, cols)) line(' '.repeat(Math.max(0, cols - [...x].length)) + x, 'A');
        }
        set({ bold: 0 });
        break;
      }
      case 'separator':
        raster(renderSeparator(b.style, width));
        break;
      case 'qr':
        if (profile.qr) {
          align(b.align);
          parts.push(qrCode(new TextEncoder().encode(b.data), b.cell), Uint8Array.of(0x0a));
          dots += 40 * b.cell;
        } else raster(renderQr({ ...b, cell: b.cell + (b.cell & 1), caption: undefined }, width));
        for (const c of b.caption ?? [])
          text({ kind: 'text', text: c, align: b.align, size: 'normal', bold: false, invert: false });
        break;
      case 'barcode': {
        const printed = profile.barcode128 ? printerBarcode(b, width) : undefined;
        if (printed) {
          align(b.align);
          parts.push(printed.bytes);
          dots += printed.height;
        } else {
          align('left');
          const bars = columnBars(renderBarcodeBars(b, width));
          parts.push(bars.bytes);
          dots += bars.height;
        }
        text({ kind: 'text', text: b.data, align: b.align, size: 'small', bold: false, invert: false });
        break;
      }
      case 'image':
        raster(renderBlock(b, width)!);
        break;
      case 'feed':
        parts.push(Uint8Array.of(ESC, 0x64, b.lines));
        dots += b.lines * LINE_DOTS;
        break;
      case 'cut':
        parts.push(Uint8Array.of(ESC, 0x64, CUT_FEED_LINES, GS, 0x56, b.partial ? 1 : 0));
        dots += CUT_FEED_LINES * LINE_DOTS;
        break;
    }
  }
  return { bytes: concatBytes(parts), lengthMm: dots / DOTS_PER_MM };
}

/** Every ASCII code a job's text prints (what a download's code had better not be). */
function jobAscii(blocks: readonly Block[]): Set<number> {
  const out = new Set<number>();
  const add = (t: string) => {
    for (const ch of t) if (ch >= ' ' && ch <= '~') out.add(ch.charCodeAt(0));
  };
  for (const b of blocks) {
    if (b.kind === 'text') add(b.text);
    else if (b.kind === 'pair') add(b.left + b.right);
    else if (b.kind === 'qr') for (const c of b.caption ?? []) add(c);
    else if (b.kind === 'barcode') add(b.data);
  }
  return out;
}

const BAR_HEIGHT = 80;

/**
 * The printer's own barcode (GS k), no human-readable line (we print it as text): CODE128 in the
 * code set our raster drawing uses (C for an even number of digits, else B: same bars), CODE39.
 * Undefined when the bars would need modules under 2 dots (GS w's minimum): raster then.
 */
function printerBarcode(
  b: Extract<Block, { kind: 'barcode' }>,
  width: number,
): { bytes: Uint8Array; height: number } | undefined {
  const modules = b.symbology === 'CODE39' ? code39Modules(b.data) : code128Modules(b.data);
  const unit = Math.min(3, Math.floor(width / (modules.reduce((a, m) => a + m, 0) + 20)));
  if (unit < 2) return undefined;
  let data: number[];
  let m: number;
  if (b.symbology === 'CODE39') {
    m = 69;
    data = [...Buffer.from(b.data.toUpperCase(), 'latin1')];
  } else {
    m = 73;
    const setC = /^(\d\d)+$/.test(b.data);
    data = setC ? [0x7b, 0x43, ...b.data.match(/\d\d/g)!.map(Number)] : [0x7b, 0x42, ...Buffer.from(b.data, 'latin1')];
  }
  const bytes = Uint8Array.from([GS, 0x48, 0, GS, 0x77, unit, GS, 0x68, BAR_HEIGHT, GS, 0x6b, m, data.length, ...data]);
  return { bytes, height: BAR_HEIGHT + 4 };
}

/**
 * Barcode bars as ESC * 8-dot bit images, a command every ESC/POS printer has: in the 8-dot
 * modes each bit is 3 dots tall (67.7 dpi on a 203 dpi head), so a column of bars is one byte
 * for 24 rows where GS v 0 needs three (and m=2 still one and a half). Double density (m=1) is a
 * byte a dot across; single density (m=0, 2 dots a byte) when every bar edge falls on an even
 * dot. The bars start at their own dot with ESC $ (absolute position); strips are 24 rows
 * apart (ESC 3 24), as many whole strips as fit the bars' height, the rest of the block fed.
 */
export function columnBars(bmp: Bitmap): { bytes: Uint8Array; height: number } {
  const on = (x: number, y: number) => ((bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;
  let x0 = -1;
  let x1 = -1;
  let barRows = 0;
  for (let x = 0; x < bmp.width; x++)
    if (on(x, 0)) {
      if (x0 < 0) x0 = x;
      x1 = x + 1;
    }
  if (x0 < 0) return { bytes: feedDots(bmp.height), height: bmp.height };
  while (barRows < bmp.height && on(x0, barRows)) barRows++;
  for (let y = 0; y < barRows; y++)
    for (let x = x0; x < x1; x++)
      if (on(x, y) !== on(x, 0)) throw new Error('columnBars: not a bar pattern (a column changes colour)');
  let even = (x1 - x0) % 2 === 0;
  for (let x = x0; x < x1 && even; x += 2) even = on(x, 0) === on(x + 1, 0);
  const m = even ? 0 : 1;
  const cols: number[] = [];
  for (let x = x0; x < x1; x += even ? 2 : 1) cols.push(on(x, 0) ? 0xff : 0);
  const strips = Math.max(1, Math.floor(barRows / 24));
  const parts: Uint8Array[] = [Uint8Array.of(ESC, 0x33, 24)];
  for (let s = 0; s < strips; s++)
    parts.push(
      Uint8Array.of(ESC, 0x24, x0 & 0xff, x0 >> 8),
      Uint8Array.of(ESC, 0x2a, m, cols.length & 0xff, cols.length >> 8),
      Uint8Array.from(cols),
      Uint8Array.of(0x0a),
    );
  parts.push(Uint8Array.of(ESC, 0x32));
  const rest = bmp.height - strips * 24;
  if (rest > 0) parts.push(feedDots(rest));
  return { bytes: concatBytes(parts), height: Math.max(bmp.height, strips * 24) };
}

function feedDots(n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let left = n; left > 0; left -= 255) parts.push(Uint8Array.of(ESC, 0x4a, Math.min(255, left)));
  return concatBytes(parts);
}
