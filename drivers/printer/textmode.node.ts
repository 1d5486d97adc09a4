import { dotsForWidth, DOTS_PER_MM } from './bitmap.ts';
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
 * Rules, barcode bars and QR codes are raster, halved with GS v 0 m=1..3 where exact.
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

/** The downloads on the printer, per font: code → character. */
export class TextCache {
  private fonts: Record<CellFont, Map<number, { ch: string; used: number }>> = { A: new Map(), B: new Map() };
  private clock = 0;
  warm = false;

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
        code = ALL_CODES.find((c) => !taken.has(c) && !map.has(c));
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
    // One ESC & per run of consecutive codes (its header once, then width + columns per character).
    defs.sort((a, b) => a.code - b.code);
    for (let i = 0; i < defs.length;) {
      let j = i + 1;
      while (j < defs.length && defs[j]!.code === defs[j - 1]!.code + 1) j++;
      before.push(Uint8Array.of(ESC, 0x26, 3, defs[i]!.code, defs[j - 1]!.code));
      for (const d of defs.slice(i, j)) before.push(Uint8Array.of(CELL[font].width), d.data);
      i = j;
    }
    return {
      before,
      text: Uint8Array.from(chars.map((c) => (c >= ' ' && c <= '~' ? c.charCodeAt(0) : codeOf.get(c)!))),
    };
  }
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
        } else raster(renderBarcodeBars(b, width));
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
