import type { ReaderOptions } from 'zxing-wasm/reader';

/**
 * How the camera worker asks zxing-wasm to read a frame; `bench/scanner.bench.ts` measures with
 * exactly these. QR only. Downscaling is what reads the noisy and dim frames (92 % → 100 %
 * without/with). `tryHarder` read no more frames here and costs time, most of it on frames
 * with no code, which are most camera frames: a missed frame is retried 120 ms later anyway.
 * No rotation/inversion passes: QR finder patterns are rotation-invariant and receipts are
 * dark on light.
 */
export const QR_READER_OPTIONS: ReaderOptions = {
  formats: ['QRCode'],
  tryHarder: false,
  tryRotate: false,
  tryInvert: false,
  tryDownscale: true,
  maxNumberOfSymbols: 1,
};
