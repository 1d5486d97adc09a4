import sharp from 'sharp';

/**
 * Turns a raw page (scanner PNG, camera frame) into the page that goes into the dossier:
 * grayscale, straightened (deskew), cut to the paper (crop away the table or the scanner lid),
 * contrast stretched, at most A4 at ~150 dpi, JPEG. sharp (libvips) does the pixel work; the
 * two measurements it has no operation for — the skew angle and the paper's bounds — are small
 * loops over a 400-pixel-wide copy below.
 */
export interface CleanOptions {
  /** Longest side of the result in pixels (A4 at 150 dpi: 1754). */
  maxSide?: number;
  /** JPEG quality (mozjpeg). 55 keeps 11-pt print legible for OCR at ~100–200 KB a page. */
  quality?: number;
  /** Largest skew looked for, degrees. */
  maxSkewDeg?: number;
}

export interface CleanedPage {
  jpeg: Buffer;
  width: number;
  height: number;
  /** The skew found and undone, degrees (positive: the page was turned clockwise). */
  skewDeg: number;
  /** Whether a table/lid margin was cut away. */
  cropped: boolean;
  ms: number;
}

const PROBE_W = 400;

/** Grey levels of paper and ink: the 90th and 5th percentiles. */
function levels(px: Uint8Array): { paper: number; ink: number } {
  const hist = new Uint32Array(256);
  for (const v of px) hist[v]!++;
  const at = (q: number) => {
    let n = 0;
    for (let v = 0; v < 256; v++) if ((n += hist[v]!) >= q * px.length) return v;
    return 255;
  };
  return { paper: at(0.7), ink: at(0.02) };
}

/**
 * Skew by projection profile: the angle at which the rows of ink pixels (those next to paper,
 * so a dark table does not count) line up best, i.e. the row sums vary most.
 */
export function estimateSkew(px: Uint8Array, w: number, h: number, maxDeg: number): number {
  const { paper, ink } = levels(px);
  const bright = (paper + ink) / 2 + (paper - ink) / 4;
  const dark = (paper + ink) / 2 - (paper - ink) / 6;
  const pts: number[] = [];
  const r = 3;
  for (let y = r; y < h - r; y++)
    for (let x = r; x < w - r; x++) {
      if (px[y * w + x]! > dark) continue;
      // Ink is surrounded by paper: a bright pixel within r above and below.
      if (px[(y - r) * w + x]! < bright && px[(y + r) * w + x]! < bright) continue;
      pts.push(x, y);
    }
  if (pts.length < 50) return 0;
  let best = 0;
  let bestScore = -1;
  const bins = new Float64Array(h * 2 + 4);
  for (let deg = -maxDeg; deg <= maxDeg + 1e-9; deg += 0.25) {
    const t = (deg * Math.PI) / 180;
    const s = Math.sin(t);
    const c = Math.cos(t);
    bins.fill(0);
    for (let i = 0; i < pts.length; i += 2) {
      const yy = Math.round(-pts[i]! * s + pts[i + 1]! * c) + h;
      if (yy >= 0 && yy < bins.length) bins[yy]!++;
    }
    let score = 0;
    for (const b of bins) score += b * b;
    if (score > bestScore) {
      bestScore = score;
      best = deg;
    }
  }
  return best;
}

/** The paper's rows/columns: where most pixels are paper-bright. Null when no clear margin exists. */
export function paperBounds(
  px: Uint8Array,
  w: number,
  h: number,
): { left: number; top: number; right: number; bottom: number } | null {
  const { paper, ink } = levels(px);
  const bright = paper - (paper - ink) * 0.25;
  const rowOk = (y: number) => {
    let n = 0;
    for (let x = 0; x < w; x++) if (px[y * w + x]! >= bright) n++;
    return n / w > 0.6;
  };
  const colOk = (x: number) => {
    let n = 0;
    for (let y = 0; y < h; y++) if (px[y * w + x]! >= bright) n++;
    return n / h > 0.6;
  };
  let top = 0;
  while (top < h && !rowOk(top)) top++;
  let bottom = h - 1;
  while (bottom > top && !rowOk(bottom)) bottom--;
  let left = 0;
  while (left < w && !colOk(left)) left++;
  let right = w - 1;
  while (right > left && !colOk(right)) right--;
  // A page that is mostly not paper-bright (a photo, a dark form, SANE's grid) is left whole.
  if (bottom - top < h * 0.4 || right - left < w * 0.4) return null;
  if (top === 0 && left === 0 && bottom === h - 1 && right === w - 1) return null;
  return { left, top, right, bottom };
}

export async function cleanPage(input: Buffer, o: CleanOptions = {}): Promise<CleanedPage> {
  const started = performance.now();
  const maxSide = o.maxSide ?? 1754;
  const maxSkew = o.maxSkewDeg ?? 8;
  // Decoding is bounded: a 60-megapixel input is refused, not allowed to exhaust memory.
  const grey = sharp(input, { limitInputPixels: 60_000_000, failOn: 'error' })
    .rotate() // camera EXIF orientation
    .flatten({ background: '#ffffff' })
    .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
    .toColourspace('b-w');
  const full = await grey.raw().toBuffer({ resolveWithObject: true });
  if (full.info.channels !== 1) throw new Error(`grey page has ${full.info.channels} channels`);
  const fw = full.info.width;
  const fh = full.info.height;
  const probe = await sharp(full.data, { raw: { width: fw, height: fh, channels: 1 } })
    .resize({ width: Math.min(PROBE_W, fw) })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const skewDeg = estimateSkew(probe.data, probe.info.width, probe.info.height, maxSkew);
  // The table's grey fills the corners the turn uncovers, so the crop below sees them as table.
  const edge = probe.data[0]!;
  const straight =
    Math.abs(skewDeg) >= 0.25
      ? await sharp(full.data, { raw: { width: fw, height: fh, channels: 1 } })
          .rotate(-skewDeg, { background: { r: edge, g: edge, b: edge } })
          .toColourspace('b-w')
          .raw()
          .toBuffer({ resolveWithObject: true })
      : full;
  const sw = straight.info.width;
  const sh = straight.info.height;
  const probe2 = await sharp(straight.data, { raw: { width: sw, height: sh, channels: 1 } })
    .resize({ width: Math.min(PROBE_W, sw) })
    .toColourspace('b-w')
    .raw()
    .toBuffer({ resolveWithObject: true });
  const b = paperBounds(probe2.data, probe2.info.width, probe2.info.height);
  let img = sharp(straight.data, { raw: { width: sw, height: sh, channels: 1 } });
  let width = sw;
  let height = sh;
  if (b) {
    const k = sw / probe2.info.width;
    const inset = Math.ceil(k * 2); // past the paper's edge shadow
    const left = Math.min(sw - 1, Math.round(b.left * k) + inset);
    const top = Math.min(sh - 1, Math.round(b.top * k) + inset);
    width = Math.max(1, Math.min(sw - left, Math.round((b.right - b.left + 1) * k) - 2 * inset));
    height = Math.max(1, Math.min(sh - top, Math.round((b.bottom - b.top + 1) * k) - 2 * inset));
    img = sharp(await img.extract({ left, top, width, height }).toColourspace('b-w').raw().toBuffer(), {
      raw: { width, height, channels: 1 },
    });
  }
  // Contrast: the paper's grey to white, the ink's to near black (levels measured on the paper only).
  const pw = probe2.info.width;
  const inside: number[] = [];
  const box = b ?? { left: 0, top: 0, right: pw - 1, bottom: probe2.info.height - 1 };
  for (let y = box.top; y <= box.bottom; y += 2)
    for (let x = box.left; x <= box.right; x += 2) inside.push(probe2.data[y * pw + x]!);
  const lv = levels(Uint8Array.from(inside));
  const ink = Math.min(lv.ink, 60);
  const span = Math.max(40, lv.paper - ink);
  const jpeg = await img
    .linear(255 / span, (-ink * 255) / span)
    .toColourspace('b-w')
    .jpeg({ quality: o.quality ?? 55, mozjpeg: true })
    .toBuffer();
  return { jpeg, width, height, skewDeg, cropped: b !== null, ms: performance.now() - started };
}
