import iconv from 'iconv-lite';

/**
 * A small ESC/POS decoder for tests: turns the bytes that reached a "printer" into operations,
 * so tests assert on what a printer would do (no usable decoder exists on npm: see stack.md).
 * Covers what our driver and node-thermal-printer emit; unknown ESC/GS sequences become
 * `{ op: 'unknown' }` with their bytes rather than throwing.
 */
export type EscPosOp =
  | { op: 'init' }
  | { op: 'codepage'; n: number }
  | { op: 'text'; bytes: Uint8Array; text: string; codePage: number }
  | { op: 'lf' }
  | { op: 'feed'; lines: number }
  | { op: 'feed-dots'; dots: number }
  | { op: 'align'; align: 'left' | 'center' | 'right' }
  | { op: 'bold'; on: boolean }
  | { op: 'invert'; on: boolean }
  | { op: 'size'; width: number; height: number }
  | { op: 'mode'; n: number }
  | { op: 'font'; n: number }
  | {
      op: 'raster';
      width: number;
      height: number;
      bytesPerRow: number;
      data: Uint8Array;
      /** GS v 0 m: 1 double width, 2 double height, 3 both */ m: number;
    }
  | {
      op: 'bit-image';
      /** ESC * m: 0 8-dot single density (a byte covers 2 dots across), 1 8-dot double, 32/33 24-dot */ m: number;
      columns: number;
      data: Uint8Array;
    }
  | { op: 'position'; dots: number }
  | { op: 'define-chars'; y: number; chars: { code: number; width: number; data: Uint8Array }[] }
  | { op: 'cancel-char'; code: number }
  | { op: 'user-set'; on: boolean }
  | { op: 'line-spacing'; dots: number | 'default' }
  | { op: 'left-margin'; dots: number }
  | { op: 'qr'; model?: number; cell?: number; ec?: number; data: Uint8Array; text: string }
  | { op: 'qr-print' }
  | { op: 'barcode'; system: number; data: string }
  | { op: 'barcode-setting'; cmd: 'H' | 'f' | 'w' | 'h'; n: number }
  | { op: 'cut'; partial: boolean }
  | { op: 'status-request'; command: 'DLE EOT' | 'GS r'; n: number }
  | { op: 'unknown'; bytes: Uint8Array };

/** Code page numbers → iconv encodings, for decoding text bytes. */
const CODE_PAGES: Record<number, string> = {
  0: 'cp437',
  16: 'cp1252',
  27: 'cp1258',
  52: 'cp1258',
  30: 'tcvn',
  31: 'tcvn',
};

export function decodeEscPos(input: Uint8Array, opts: { codePageEncodings?: Record<number, string> } = {}): EscPosOp[] {
  const pages = { ...CODE_PAGES, ...opts.codePageEncodings };
  const b = input;
  const ops: EscPosOp[] = [];
  let codePage = 0;
  let text: number[] = [];
  let qr: { model?: number; cell?: number; ec?: number } = {};
  const flushText = () => {
    if (!text.length) return;
    const bytes = Uint8Array.from(text);
    const enc = pages[codePage] ?? 'cp437';
    ops.push({ op: 'text', bytes, text: iconv.decode(bytes, enc).normalize('NFC'), codePage });
    text = [];
  };
  const need = (i: number, n: number) => {
    if (i + n > b.length)
      throw new Error(`truncated ESC/POS command at byte ${i} (need ${n} bytes, have ${b.length - i})`);
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x1b) {
      flushText();
      need(i, 2);
      const k = b[i + 1]!;
      const n = b[i + 2];
      switch (k) {
        case 0x40:
          ops.push({ op: 'init' });
          codePage = 0;
          i += 2;
          continue;
        case 0x32:
          ops.push({ op: 'line-spacing', dots: 'default' });
          i += 2;
          continue;
        case 0x33:
          need(i, 3);
          ops.push({ op: 'line-spacing', dots: n! });
          i += 3;
          continue;
        case 0x25:
          need(i, 3);
          ops.push({ op: 'user-set', on: (n! & 1) === 1 });
          i += 3;
          continue;
        case 0x3f:
          need(i, 3);
          ops.push({ op: 'cancel-char', code: n! });
          i += 3;
          continue;
        case 0x26: {
          // ESC & y c1 c2 [x d1 … d(y×x)] × (c2 − c1 + 1)
          need(i, 5);
          const y = b[i + 2]!;
          const chars: { code: number; width: number; data: Uint8Array }[] = [];
          let j = i + 5;
          for (let code = b[i + 3]!; code <= b[i + 4]!; code++) {
            need(j, 1);
            const x = b[j]!;
            need(j + 1, x * y);
            chars.push({ code, width: x, data: b.slice(j + 1, j + 1 + x * y) });
            j += 1 + x * y;
          }
          ops.push({ op: 'define-chars', y, chars });
          i = j;
          continue;
        }
        case 0x2a: {
          // ESC * m nL nH d1 … dk: k = columns × (1 for the 8-dot modes, 3 for the 24-dot ones)
          need(i, 5);
          const columns = b[i + 3]! | (b[i + 4]! << 8);
          const k = columns * (n! >= 32 ? 3 : 1);
          need(i + 5, k);
          ops.push({ op: 'bit-image', m: n!, columns, data: b.slice(i + 5, i + 5 + k) });
          i += 5 + k;
          continue;
        }
        case 0x24:
          need(i, 4);
          ops.push({ op: 'position', dots: n! | (b[i + 3]! << 8) });
          i += 4;
          continue;
        case 0x74:
          need(i, 3);
          codePage = n!;
          ops.push({ op: 'codepage', n: n! });
          i += 3;
          continue;
        case 0x61:
          need(i, 3);
          ops.push({ op: 'align', align: (['left', 'center', 'right'] as const)[n! % 48] ?? 'left' });
          i += 3;
          continue;
        case 0x45:
          need(i, 3);
          ops.push({ op: 'bold', on: (n! & 1) === 1 });
          i += 3;
          continue;
        case 0x64:
          need(i, 3);
          ops.push({ op: 'feed', lines: n! });
          i += 3;
          continue;
        case 0x4a:
          need(i, 3);
          ops.push({ op: 'feed-dots', dots: n! });
          i += 3;
          continue;
        case 0x21:
          need(i, 3);
          ops.push({ op: 'mode', n: n! });
          i += 3;
          continue;
        case 0x4d:
          need(i, 3);
          ops.push({ op: 'font', n: n! });
          i += 3;
          continue;
        default:
          need(i, 3);
          ops.push({ op: 'unknown', bytes: b.slice(i, i + 3) });
          i += 3;
          continue;
      }
    }
    if (c === 0x1d) {
      flushText();
      need(i, 2);
      const k = b[i + 1]!;
      if (k === 0x76 && b[i + 2] === 0x30) {
        need(i, 8);
        const bytesPerRow = b[i + 4]! | (b[i + 5]! << 8);
        const height = b[i + 6]! | (b[i + 7]! << 8);
        need(i + 8, bytesPerRow * height);
        ops.push({
          op: 'raster',
          width: bytesPerRow * 8,
          height,
          bytesPerRow,
          data: b.slice(i + 8, i + 8 + bytesPerRow * height),
          m: b[i + 3]! % 48,
        });
        i += 8 + bytesPerRow * height;
        continue;
      }
      if (k === 0x28 && b[i + 2] === 0x6b) {
        need(i, 8);
        const len = b[i + 3]! | (b[i + 4]! << 8);
        const cn = b[i + 5]!;
        const fn = b[i + 6]!;
        need(i + 5, len);
        const params = b.slice(i + 7, i + 5 + len);
        if (cn === 0x31 && fn === 0x41) qr.model = params[0]! - 48;
        else if (cn === 0x31 && fn === 0x43) qr.cell = params[0];
        else if (cn === 0x31 && fn === 0x45) qr.ec = params[0];
        else if (cn === 0x31 && fn === 0x50) {
          const data = params.slice(1);
          ops.push({ op: 'qr', ...qr, data, text: new TextDecoder().decode(data) });
          qr = {};
        } else if (cn === 0x31 && fn === 0x51) ops.push({ op: 'qr-print' });
        else ops.push({ op: 'unknown', bytes: b.slice(i, i + 5 + len) });
        i += 5 + len;
        continue;
      }
      if (k === 0x6b) {
        need(i, 4);
        const m = b[i + 2]!;
        if (m >= 65) {
          const len = b[i + 3]!;
          need(i + 4, len);
          ops.push({ op: 'barcode', system: m, data: new TextDecoder('latin1').decode(b.slice(i + 4, i + 4 + len)) });
          i += 4 + len;
        } else {
          let j = i + 3;
          while (j < b.length && b[j] !== 0) j++;
          ops.push({ op: 'barcode', system: m, data: new TextDecoder('latin1').decode(b.slice(i + 3, j)) });
          i = j + 1;
        }
        continue;
      }
      if (k === 0x4c) {
        need(i, 4);
        ops.push({ op: 'left-margin', dots: b[i + 2]! | (b[i + 3]! << 8) });
        i += 4;
        continue;
      }
      need(i, 3);
      const n = b[i + 2]!;
      switch (k) {
        case 0x56:
          ops.push({ op: 'cut', partial: n === 1 || n === 49 || n === 66 });
          i += n >= 65 ? 4 : 3;
          continue;
        case 0x21:
          ops.push({ op: 'size', width: ((n >> 4) & 7) + 1, height: (n & 7) + 1 });
          i += 3;
          continue;
        case 0x42:
          ops.push({ op: 'invert', on: (n & 1) === 1 });
          i += 3;
          continue;
        case 0x72:
          ops.push({ op: 'status-request', command: 'GS r', n });
          i += 3;
          continue;
        case 0x48:
          ops.push({ op: 'barcode-setting', cmd: 'H', n });
          i += 3;
          continue;
        case 0x66:
          ops.push({ op: 'barcode-setting', cmd: 'f', n });
          i += 3;
          continue;
        case 0x77:
          ops.push({ op: 'barcode-setting', cmd: 'w', n });
          i += 3;
          continue;
        case 0x68:
          ops.push({ op: 'barcode-setting', cmd: 'h', n });
          i += 3;
          continue;
        default:
          ops.push({ op: 'unknown', bytes: b.slice(i, i + 3) });
          i += 3;
          continue;
      }
    }
    if (c === 0x10 && b[i + 1] === 0x04) {
      flushText();
      need(i, 3);
      ops.push({ op: 'status-request', command: 'DLE EOT', n: b[i + 2]! });
      i += 3;
      continue;
    }
    if (c === 0x0a) {
      flushText();
      ops.push({ op: 'lf' });
      i++;
      continue;
    }
    text.push(c);
    i++;
  }
  flushText();
  return ops;
}

/** The text lines a code-page job printed, in order (line feeds split them). */
export function decodedLines(ops: readonly EscPosOp[]): string[] {
  const lines: string[] = [];
  let cur = '';
  for (const o of ops) {
    if (o.op === 'text') cur += o.text;
    if (o.op === 'lf') {
      lines.push(cur);
      cur = '';
    }
  }
  if (cur) lines.push(cur);
  return lines;
}

/**
 * The paper a raster job prints, as one packed bitmap `widthDots` wide: GS v 0 images placed at
 * the left margin one under the other, ESC J n adding n blank rows (line feeds and cuts ignored).
 */
export function paperBitmap(
  ops: readonly EscPosOp[],
  widthDots: number,
): { width: number; height: number; bytesPerRow: number; data: Uint8Array } {
  const bytesPerRow = Math.ceil(widthDots / 8);
  let height = 0;
  for (const o of ops) height += o.op === 'raster' ? o.height : o.op === 'feed-dots' ? o.dots : 0;
  const data = new Uint8Array(bytesPerRow * height);
  let y = 0;
  for (const o of ops) {
    if (o.op === 'feed-dots') y += o.dots;
    if (o.op !== 'raster') continue;
    if (o.bytesPerRow > bytesPerRow) throw new Error(`raster image ${o.width} dots wide on ${widthDots}-dot paper`);
    for (let r = 0; r < o.height; r++)
      data.set(o.data.subarray(r * o.bytesPerRow, (r + 1) * o.bytesPerRow), (y + r) * bytesPerRow);
    y += o.height;
  }
  return { width: widthDots, height, bytesPerRow, data };
}

/** Black pixels in a packed bitmap. */
export function inkCount(data: Uint8Array): number {
  let n = 0;
  for (const byte of data) for (let v = byte; v; v >>= 1) n += v & 1;
  return n;
}
