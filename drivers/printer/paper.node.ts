import QRCode from 'qrcode';
import { code128Modules, code39Modules } from './barcode.ts';
import { createBitmap, type Bitmap } from './bitmap.ts';
import { cellGlyph, CELL, type CellFont } from './cells.node.ts';

/**
 * The paper an ESC/POS stream prints, as a bitmap: the on-screen copy of text and glyph jobs is
 * drawn from the very bytes sent, so the screen and the paper cannot drift. Understands what our
 * encoders write: ESC @, ESC & / ESC ? / ESC % (downloaded characters, per font), ESC M, ESC E,
 * ESC !, GS !, GS B, ESC a, ESC 2 / ESC 3, LF, ESC J, ESC d, GS L, GS v 0 (m = 0..3), ESC * (bit
 * images, 8- and 24-dot), ESC $ (absolute position),
 * GS ( k QR, GS k barcodes (GS w, GS h), GS V (drawn as a tear line). The printer's own ASCII characters, which no stream
 * carries, are drawn with the same Noto Sans cells text mode downloads: same place, same size.
 */
interface Cell {
  width: number;
  height: number;
  /** Column-major, 3 bytes a column, top row in the high bit (ESC & layout). */
  data: Uint8Array;
  sx: number;
  sy: number;
  bold: boolean;
  invert: boolean;
}

const DEFAULT_SPACING = 34;

export function paperFromEscPos(bytes: Uint8Array, widthDots: number, opts: { tearLines?: boolean } = {}): Bitmap {
  const bpr = Math.ceil(widthDots / 8);
  const rows: Uint8Array[] = [];
  const user: Record<CellFont, Map<number, { width: number; data: Uint8Array }>> = { A: new Map(), B: new Map() };
  let font: CellFont = 'A';
  let userSet = false;
  let bold = false;
  let invert = false;
  let sx = 1;
  let sy = 1;
  let align = 0;
  let spacing = DEFAULT_SPACING;
  let margin = 0;
  let line: Cell[] = [];
  let qr: { cell: number; data?: Uint8Array } = { cell: 3 };
  let bar = { unit: 3, height: 162 };

  const blank = (n: number) => {
    for (let i = 0; i < n; i++) rows.push(new Uint8Array(bpr));
  };
  const put = (row: Uint8Array, x: number) => {
    if (x >= 0 && x < widthDots) row[x >> 3]! |= 0x80 >> (x & 7);
  };
  const lineWidth = () => line.reduce((w, c) => w + c.width * c.sx, 0);
  const printLine = (advance: boolean) => {
    const h = line.reduce((m, c) => Math.max(m, c.height * c.sy), 0);
    const total = advance ? Math.max(spacing, h) : h;
    const band = Array.from({ length: total }, () => new Uint8Array(bpr));
    const w = lineWidth();
    const area = widthDots - margin;
    let x = margin + (align === 1 ? Math.floor((area - w) / 2) : align === 2 ? area - w : 0);
    for (const c of line) {
      const top = h - c.height * c.sy;
      for (let cx = 0; cx < c.width * c.sx; cx++)
        for (let cy = 0; cy < c.height * c.sy; cy++) {
          const gx = Math.floor(cx / c.sx);
          const gy = Math.floor(cy / c.sy);
          const ink = (g: number) => g >= 0 && ((c.data[g * 3 + (gy >> 3)]! >> (7 - (gy & 7))) & 1) === 1;
          let on = ink(gx) || (c.bold && ink(Math.floor((cx - 1) / c.sx)));
          if (c.invert) on = !on;
          if (on) put(band[top + cy]!, x + cx);
        }
      x += c.width * c.sx;
    }
    rows.push(...band);
    line = [];
  };
  const addChar = (code: number) => {
    const def = userSet ? user[font].get(code) : undefined;
    const cell = CELL[font];
    const data = def?.data ?? cellGlyph(String.fromCharCode(code), font);
    const c: Cell = { width: def?.width ?? cell.width, height: cell.height, data, sx, sy, bold, invert };
    if (lineWidth() + c.width * c.sx > widthDots - margin) printLine(true);
    line.push(c);
  };
  const raster = (m: number, bytesPerRow: number, height: number, data: Uint8Array) => {
    const kx = m & 1 ? 2 : 1;
    const ky = m & 2 ? 2 : 1;
    for (let y = 0; y < height; y++)
      for (let r = 0; r < ky; r++) {
        const row = new Uint8Array(bpr);
        for (let x = 0; x < bytesPerRow * 8; x++)
          if ((data[y * bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1)
            for (let k = 0; k < kx; k++) put(row, margin + x * kx + k);
        rows.push(row);
      }
  };
  const printQr = () => {
    if (!qr.data) return;
    const code = QRCode.create(new TextDecoder().decode(qr.data), { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    const side = n * qr.cell;
    const area = widthDots - margin;
    const x0 = margin + (align === 1 ? Math.floor((area - side) / 2) : align === 2 ? area - side : 0);
    for (let y = 0; y < side; y++) {
      const row = new Uint8Array(bpr);
      for (let x = 0; x < side; x++)
        if (code.modules.get(Math.floor(y / qr.cell), Math.floor(x / qr.cell))) put(row, x0 + x);
      rows.push(row);
    }
  };
  /** GS k: the bars of the data as our raster drawing makes them, then the 4-dot gap under them. */
  const printBarcode = (m: number, data: Uint8Array) => {
    let text: string;
    if (m === 73 && data[0] === 0x7b && data[1] === 0x43)
      text = [...data.subarray(2)].map((v) => String(v).padStart(2, '0')).join('');
    else text = String.fromCharCode(...(m === 73 ? data.subarray(2) : data));
    const modules = m === 69 || m === 4 ? code39Modules(text) : code128Modules(text);
    const w = modules.reduce((a, n) => a + n, 0) * bar.unit;
    const area = widthDots - margin;
    const row = new Uint8Array(bpr);
    let x = margin + (align === 1 ? Math.floor((area - w) / 2) : align === 2 ? area - w : 0);
    modules.forEach((n, i) => {
      if (i % 2 === 0) for (let k = 0; k < n * bar.unit; k++) put(row, x + k);
      x += n * bar.unit;
    });
    for (let y = 0; y < bar.height; y++) rows.push(row.slice());
    blank(4);
  };
  const reset = () => {
    user.A.clear();
    user.B.clear();
    font = 'A';
    userSet = bold = invert = false;
    sx = sy = 1;
    align = margin = 0;
    spacing = DEFAULT_SPACING;
    bar = { unit: 3, height: 162 };
    line = [];
  };

  const b = bytes;
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = b[i + 2] ?? 0;
    if (c === 0x1b) {
      const k = b[i + 1];
      if (k === 0x40) {
        reset();
        i += 2;
      } else if (k === 0x32) {
        spacing = DEFAULT_SPACING;
        i += 2;
      } else if (k === 0x26) {
        // ESC & y c1 c2 [x d1 … d(y×x)] × (c2 − c1 + 1)
        const y = b[i + 2]!;
        const c1 = b[i + 3]!;
        const c2 = b[i + 4]!;
        let j = i + 5;
        for (let code = c1; code <= c2; code++) {
          const x = b[j]!;
          const data = new Uint8Array(x * 3);
          for (let col = 0; col < x; col++)
            for (let r = 0; r < Math.min(3, y); r++) data[col * 3 + r] = b[j + 1 + col * y + r]!;
          user[font].set(code, { width: x, data });
          j += 1 + x * y;
        }
        i = j;
      } else if (k === 0x2a) {
        // ESC * m nL nH d…: a bit image in the line. 8-dot modes: a bit is 3 dots tall (and 2
        // wide at single density, m=0); 24-dot modes: 3 bytes a column, a bit a dot (m=32: 2 wide).
        const cols = b[i + 3]! | (b[i + 4]! << 8);
        const deep = n >= 32;
        const kx = n === 0 || n === 32 ? 2 : 1;
        const data = new Uint8Array(cols * kx * 3);
        for (let col = 0; col < cols; col++)
          for (let y = 0; y < 24; y++) {
            const bit = deep ? y : Math.floor(y / 3);
            const v = b[i + 5 + col * (deep ? 3 : 1) + (bit >> 3)]!;
            if ((v >> (7 - (bit & 7))) & 1)
              for (let d = 0; d < kx; d++) data[(col * kx + d) * 3 + (y >> 3)]! |= 0x80 >> (y & 7);
          }
        line.push({ width: cols * kx, height: 24, data, sx: 1, sy: 1, bold: false, invert: false });
        i += 5 + cols * (deep ? 3 : 1);
      } else if (k === 0x24) {
        // ESC $: the next character starts at this dot of the line (blank up to it).
        const at = n | (b[i + 3]! << 8);
        const w = lineWidth();
        if (at > w)
          line.push({
            width: at - w,
            height: 0,
            data: new Uint8Array((at - w) * 3),
            sx: 1,
            sy: 1,
            bold: false,
            invert: false,
          });
        i += 4;
      } else {
        switch (k) {
          case 0x3f:
            user[font].delete(n);
            break;
          case 0x25:
            userSet = (n & 1) === 1;
            break;
          case 0x4d:
            font = (n & 1) === 1 ? 'B' : 'A';
            break;
          case 0x45:
            bold = (n & 1) === 1;
            break;
          case 0x21:
            font = n & 1 ? 'B' : 'A';
            bold = (n & 8) !== 0;
            sy = n & 16 ? 2 : 1;
            sx = n & 32 ? 2 : 1;
            break;
          case 0x61:
            align = n % 48;
            break;
          case 0x33:
            spacing = n;
            break;
          case 0x4a:
            if (line.length) printLine(false);
            blank(n);
            break;
          case 0x64:
            if (line.length) printLine(true);
            else blank(spacing);
            blank(spacing * Math.max(0, n - 1));
            break;
          default:
            break;
        }
        i += 3;
      }
      continue;
    }
    if (c === 0x1d) {
      const k = b[i + 1];
      if (k === 0x76 && b[i + 2] === 0x30) {
        const bytesPerRow = b[i + 4]! | (b[i + 5]! << 8);
        const height = b[i + 6]! | (b[i + 7]! << 8);
        if (line.length) printLine(true);
        raster(b[i + 3]! % 48, bytesPerRow, height, b.subarray(i + 8, i + 8 + bytesPerRow * height));
        i += 8 + bytesPerRow * height;
      } else if (k === 0x28 && b[i + 2] === 0x6b) {
        const len = b[i + 3]! | (b[i + 4]! << 8);
        const fn = b[i + 6];
        if (fn === 0x43) qr.cell = b[i + 7]!;
        else if (fn === 0x50) qr.data = b.slice(i + 8, i + 5 + len);
        else if (fn === 0x51) {
          if (line.length) printLine(true);
          printQr();
          qr = { cell: qr.cell };
        }
        i += 5 + len;
      } else if (k === 0x4c) {
        margin = b[i + 2]! | (b[i + 3]! << 8);
        i += 4;
      } else if (k === 0x6b) {
        const m = b[i + 2]!;
        if (line.length) printLine(true);
        if (m >= 65) {
          const len = b[i + 3]!;
          printBarcode(m, b.subarray(i + 4, i + 4 + len));
          i += 4 + len;
        } else {
          let j = i + 3;
          while (j < b.length && b[j] !== 0) j++;
          printBarcode(m, b.subarray(i + 3, j));
          i = j + 1;
        }
      } else if (k === 0x56) {
        if (line.length) printLine(true);
        if (opts.tearLines) {
          const tear = Array.from({ length: 24 }, () => new Uint8Array(bpr));
          for (let x = 0; x < widthDots; x += 12)
            for (let dx = 0; dx < 6; dx++) for (const y of [11, 12]) put(tear[y]!, x + dx);
          rows.push(...tear);
        }
        i += n >= 65 ? 4 : 3;
      } else {
        if (k === 0x21) {
          sx = ((n >> 4) & 7) + 1;
          sy = (n & 7) + 1;
        } else if (k === 0x42) invert = (n & 1) === 1;
        else if (k === 0x77) bar.unit = n;
        else if (k === 0x68) bar.height = n;
        i += 3;
      }
      continue;
    }
    if (c === 0x10 && b[i + 1] === 0x04) {
      i += 3;
      continue;
    }
    if (c === 0x0a) {
      if (line.length) printLine(true);
      else blank(spacing);
      i++;
      continue;
    }
    if (c >= 0x20) addChar(c);
    i++;
  }
  if (line.length) printLine(true);
  const out = createBitmap(widthDots, rows.length);
  rows.forEach((r, y) => out.data.set(r, y * bpr));
  return out;
}
