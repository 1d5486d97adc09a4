import ntp from 'node-thermal-printer';
import { code128Modules, code39Modules } from './barcode.ts';
import { DOTS_PER_MM, dotsForWidth, stackBitmaps, type Bitmap } from './bitmap.ts';
import { encodeCp1258 } from './cp1258.ts';
import { qrCode, rasterImage, rasterPaper, selectCodePage } from './escpos.ts';
import { encodeGlyphs, GlyphCache } from './glyphs.node.ts';
import { getProfile, type PrinterProfile } from './profiles.ts';
import { CODEPAGE_SCALE, columnsFor, wrapColumns } from './columns.ts';
import { encodeText, TextCache } from './textmode.node.ts';
import { renderBlock, type Block, type TextBlock } from './raster.node.ts';
import { ReceiptDoc } from './receipt.ts';

const { ThermalPrinter, PrinterTypes } = ntp;

/**
 * `text`: the printer's font for ASCII, downloaded characters for Vietnamese letters (fast, the
 * default); `glyphs`: the raster mode's Noto Sans lines sent as downloaded pieces; `raster`: every
 * line as GS v 0 (the technician's fallback); `codepage`: the printer's CP1258 table.
 */
export type PrinterMode = 'text' | 'glyphs' | 'raster' | 'codepage';
export const PRINTER_MODES = ['text', 'glyphs', 'raster', 'codepage'] as const satisfies readonly PrinterMode[];

export interface EncodeOptions {
  mode: PrinterMode;
  widthMm: 58 | 80;
  /** ESC t n for code-page mode; the page must be the printer's Windows-1258. Default 52 (Epson WPC1258). */
  codePage?: number;
  /** What the printer understands (text and glyph modes); `unknown` when absent. */
  profile?: PrinterProfile;
  /**
   * Glyph mode: the pieces already on the printer (this connection). Not modified: the result
   * carries the cache as it is once this job has printed.
   */
  glyphCache?: GlyphCache;
  /** Text mode: the downloads already on the printer (this connection); not modified. */
  textCache?: TextCache;
}

export interface EncodedReceipt {
  bytes: Uint8Array;
  /** Paper this job uses, for the fallback paper estimate. */
  lengthMm: number;
  /** Glyph mode: the printer's downloaded pieces after this job. */
  glyphCache?: GlyphCache;
  /** Text mode: the printer's downloads after this job. */
  textCache?: TextCache;
}

export const DEFAULT_CODE_PAGE = 52;
/** ESC d 4 before the cut: brings the last line past the cutter (~17 mm at the default line spacing). */
const CUT_FEED_LINES = 4;
/** Default line spacing 1/6 inch = 34 dots. */
const LINE_DOTS = 34;

/**
 * ReceiptDoc → ESC/POS. Raster mode sends text, QR and barcodes as GS v 0 images (nothing but
 * init, images, feeds and cut, so every ESC/POS printer prints it the same); code-page mode sends
 * CP1258 text with the printer's own fonts, QR (GS ( k) and barcodes (GS k).
 * A receipt that does not end with a cut gets one: an uncut ticket blocks the next citizen's.
 */
export function encodeReceipt(input: ReceiptDoc, opts: EncodeOptions): EncodedReceipt {
  const doc = ReceiptDoc.parse(input);
  const blocks: Block[] = [...doc.blocks];
  if (blocks.at(-1)?.kind !== 'cut') blocks.push({ kind: 'cut', partial: true });
  if (opts.mode === 'glyphs') {
    const cache = opts.glyphCache?.clone() ?? new GlyphCache();
    const r = encodeGlyphs(blocks, opts.widthMm, opts.profile ?? getProfile('unknown'), cache);
    return { bytes: r.bytes, lengthMm: r.lengthMm, glyphCache: cache };
  }
  if (opts.mode === 'text') {
    const cache = opts.textCache?.clone() ?? new TextCache();
    const r = encodeText(blocks, opts.widthMm, opts.profile ?? getProfile('unknown'), cache);
    return { ...r, textCache: cache };
  }
  return opts.mode === 'codepage' ? encodeCodePage(blocks, opts) : encodeRaster(blocks, opts);
}

function newPrinter(columns: number) {
  const tp = new ThermalPrinter({ type: PrinterTypes.EPSON, width: columns });
  tp.initHardware();
  return tp;
}

const bytesOf = (tp: InstanceType<typeof ThermalPrinter>): Uint8Array =>
  new Uint8Array(tp.getBuffer() ?? new Uint8Array());

function encodeRaster(blocks: Block[], opts: EncodeOptions): EncodedReceipt {
  const width = dotsForWidth(opts.widthMm);
  const tp = newPrinter(48);
  let dots = 0;
  let pending: Bitmap[] = [];
  const flush = () => {
    if (!pending.length) return;
    const img = stackBitmaps(width, pending);
    tp.add(Buffer.from(rasterPaper(img.bytesPerRow, img.height, img.data)));
    dots += img.height;
    pending = [];
  };
  for (const b of blocks) {
    if (b.kind === 'feed') {
      flush();
      tp.add(Buffer.from([0x1b, 0x64, b.lines]));
      dots += b.lines * LINE_DOTS;
    } else if (b.kind === 'cut') {
      flush();
      cut(tp, b.partial);
      dots += CUT_FEED_LINES * LINE_DOTS;
    } else {
      const bmp = renderBlock(b, width);
      if (bmp) pending.push(bmp);
    }
  }
  flush();
  return { bytes: bytesOf(tp), lengthMm: dots / DOTS_PER_MM };
}

function cut(tp: InstanceType<typeof ThermalPrinter>, partial: boolean) {
  if (partial) tp.partialCut({ verticalTabAmount: 1 });
  else tp.cut({ verticalTabAmount: 1 });
}

function encodeCodePage(blocks: Block[], opts: EncodeOptions): EncodedReceipt {
  const width = dotsForWidth(opts.widthMm);
  const cols = columnsFor(width, 'normal');
  const tp = newPrinter(cols);
  tp.add(Buffer.from(selectCodePage(opts.codePage ?? DEFAULT_CODE_PAGE)));
  let dots = 0;
  const align = (a: 'left' | 'center' | 'right') =>
    a === 'center' ? tp.alignCenter() : a === 'right' ? tp.alignRight() : tp.alignLeft();
  const line = (text: string, scale = 1) => {
    tp.add(Buffer.from(encodeCp1258(text)));
    tp.newLine();
    dots += LINE_DOTS * scale;
  };
  for (const b of blocks) {
    switch (b.kind) {
      case 'text': {
        align(b.align);
        const s = CODEPAGE_SCALE[b.size];
        if (b.size === 'small') tp.setTypeFontB();
        else tp.setTypeFontA();
        if (s > 1) tp.setTextSize(s - 1, s - 1);
        else tp.setTextNormal();
        tp.bold(b.bold);
        if (b.invert) tp.invert(true);
        for (const l of wrapColumns(b.text, columnsFor(width, b.size))) line(l, s);
        if (b.invert) tp.invert(false);
        tp.bold(false);
        tp.setTextNormal();
        tp.setTypeFontA();
        break;
      }
      case 'pair': {
        align('left');
        tp.bold(b.bold);
        const l = [...b.left.normalize('NFC')];
        const r = [...b.right.normalize('NFC')];
        if (l.length + 1 + r.length <= cols)
          line(b.left.normalize('NFC') + ' '.repeat(cols - l.length - r.length) + b.right.normalize('NFC'));
        else {
          for (const x of wrapColumns(b.left, cols)) line(x);
          for (const x of wrapColumns(b.right, cols)) line(' '.repeat(Math.max(0, cols - [...x].length)) + x);
        }
        tp.bold(false);
        break;
      }
      case 'separator':
        align('left');
        line(b.style === 'blank' ? '' : (b.style === 'double' ? '=' : '-').repeat(cols));
        break;
      case 'qr': {
        align(b.align);
        tp.add(Buffer.from(qrCode(new TextEncoder().encode(b.data), b.cell)));
        tp.newLine();
        dots += 40 * b.cell;
        for (const c of b.caption ?? []) for (const x of wrapColumns(c, cols)) line(x);
        break;
      }
      case 'barcode':
        // Throws for characters the symbology cannot carry, before any byte is built.
        if (b.symbology === 'CODE39') code39Modules(b.data);
        else code128Modules(b.data);
        align(b.align);
        if (b.symbology === 'CODE39') tp.printBarcode(b.data.toUpperCase(), 69, { hriPos: 2, width: 2, height: 80 });
        else tp.code128(b.data, { hriPos: 2, width: 2, height: 80 });
        tp.newLine();
        dots += 120;
        break;
      case 'image': {
        align('left');
        const bmp = renderBlock(b, width)!;
        tp.add(Buffer.from(rasterImage(bmp.bytesPerRow, bmp.height, bmp.data)));
        dots += bmp.height;
        break;
      }
      case 'feed':
        tp.add(Buffer.from([0x1b, 0x64, b.lines]));
        dots += b.lines * LINE_DOTS;
        break;
      case 'cut':
        cut(tp, b.partial);
        // ntp's cut re-initialises the printer (ESC @), which resets the code page.
        tp.add(Buffer.from(selectCodePage(opts.codePage ?? DEFAULT_CODE_PAGE)));
        dots += CUT_FEED_LINES * LINE_DOTS;
        break;
    }
  }
  return { bytes: bytesOf(tp), lengthMm: dots / DOTS_PER_MM };
}
