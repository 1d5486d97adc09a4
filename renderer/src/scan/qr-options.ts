import type { ReaderOptions } from 'zxing-wasm/reader';

/**
 * How the camera worker asks zxing-wasm to read a frame; `bench/scanner.bench.ts` measures with
 * exactly these. QR only; try harder (a few binarizer passes) and downscale big frames; no
 * rotation/inversion passes: QR finder patterns are rotation-invariant and receipts are dark-on-light.
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: true,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};
