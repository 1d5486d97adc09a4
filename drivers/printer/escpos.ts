/**
 * The ESC/POS commands we write ourselves (pure). node-thermal-printer builds the rest; these are
 * the ones it gets wrong or lacks: QR length for non-ASCII data, real-time status, raster bands.
 */
export const ESC = 0x1b;
export const GS = 0x1d;
export const DLE = 0x10;
export const EOT = 0x04;

/** DLE EOT n: real-time status request, answered with one byte even while the printer is busy. */
export const dleEot = (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(DLE, EOT, n);

/** ESC t n: select character code table. */
export const selectCodePage = (n: number): Uint8Array => Uint8Array.of(ESC, 0x74, n & 0xff);

/**
 * QR code, model 2, by GS ( k. The store command's length is the data's BYTE length + 3
 * (node-thermal-printer uses the string length, wrong for any non-ASCII character).
 */
export function qrCode(data: Uint8Array, cell: number, ec: 'L' | 'M' | 'Q' | 'H' = 'M'): Uint8Array {
  const storeLen = data.length + 3;
  const ecByte = { L: 48, M: 49, Q: 50, H: 51 }[ec];
  return concatBytes([
    Uint8Array.of(GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x43, Math.max(1, Math.min(16, cell))),
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x45, ecByte),
    Uint8Array.of(GS, 0x28, 0x6b, storeLen & 0xff, (storeLen >> 8) & 0xff, 0x31, 0x50, 0x30),
    data,
    Uint8Array.of(GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30),
  ]);
}

/** Raster rows above this are split into several GS v 0 commands: many printers cap yL+yH·256. */
export const RASTER_BAND_ROWS = 256;

/** GS v 0 for a packed 1-bit bitmap (MSB first, 1 = black), split into bands. */
export function rasterImage(bytesPerRow: number, height: number, data: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [];
  for (let y = 0; y < height; y += RASTER_BAND_ROWS) {
    const rows = Math.min(RASTER_BAND_ROWS, height - y);
    parts.push(
      Uint8Array.of(
        GS,
        0x76,
        0x30,
        0x00,
        bytesPerRow & 0xff,
        (bytesPerRow >> 8) & 0xff,
        rows & 0xff,
        (rows >> 8) & 0xff,
      ),
    );
    parts.push(data.subarray(y * bytesPerRow, (y + rows) * bytesPerRow));
  }
  return concatBytes(parts);
}

/** Blank runs at least this tall are fed (ESC J) instead of sent as white pixels. */
const MIN_FEED_RUN = 8;

/**
 * A bitmap as the printer gets it in raster mode: blank stretches become ESC J n (feed n dots),
 * inked stretches become GS v 0 bands cropped to their rightmost inked byte (the image is
 * anchored at the left margin, so cropping white on the right changes nothing on paper).
 * A receipt is mostly white: this roughly halves the bytes, which matters at 19200 baud.
 */
export function rasterPaper(bytesPerRow: number, height: number, data: Uint8Array): Uint8Array {
  const rowInk = (y: number): number => {
    for (let x = bytesPerRow - 1; x >= 0; x--) if (data[y * bytesPerRow + x] !== 0) return x + 1;
    return 0;
  };
  const ink = Array.from({ length: height }, (_, y) => rowInk(y));
  const parts: Uint8Array[] = [];
  let y = 0;
  while (y < height) {
    let end = y;
    while (end < height && ink[end] === 0) end++;
    if (end - y >= MIN_FEED_RUN || end === height) {
      for (let left = end - y; left > 0; left -= 255) parts.push(Uint8Array.of(ESC, 0x4a, Math.min(255, left)));
      y = end;
      continue;
    }
    // An inked stretch ends at the next blank run worth feeding (or the end).
    end = y;
    let blank = 0;
    while (end < height && blank < MIN_FEED_RUN) {
      blank = ink[end] === 0 ? blank + 1 : 0;
      end++;
    }
    if (blank >= MIN_FEED_RUN) end -= blank;
    for (let b = y; b < end; b += RASTER_BAND_ROWS) {
      const rows = Math.min(RASTER_BAND_ROWS, end - b);
      let w = 1;
      for (let r = b; r < b + rows; r++) w = Math.max(w, ink[r]!);
      parts.push(Uint8Array.of(GS, 0x76, 0x30, 0x00, w & 0xff, (w >> 8) & 0xff, rows & 0xff, (rows >> 8) & 0xff));
      const band = new Uint8Array(w * rows);
      for (let r = 0; r < rows; r++) band.set(data.subarray((b + r) * bytesPerRow, (b + r) * bytesPerRow + w), r * w);
      parts.push(band);
    }
    y = end;
  }
  return concatBytes(parts);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
