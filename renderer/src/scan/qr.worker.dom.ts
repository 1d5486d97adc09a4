/// <reference lib="webworker" />
/**
 * The camera QR decoder, off the UI thread. zxing-wasm (zxing-cpp) won the benchmark
 * (bench/scanner.bench.ts, docs/scanner.md). Its .wasm is the file shipped in the package,
 * bundled by Vite and located here: never the CDN the module would fetch by default.
 */
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { QR_READER_OPTIONS } from './qr-options.ts';

export interface DecodeRequest {
  id: number;
  width: number;
  height: number;
  /** RGBA pixels, transferred (not copied) from the page. */
  pixels: ArrayBuffer;
}
export type DecodeReply = { id: number; text: string | null; ms: number } | { id: number; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

const ready = prepareZXingModule({
  overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
  fireImmediately: true,
});

scope.onmessage = async (event: MessageEvent<DecodeRequest>) => {
  const { id, width, height, pixels } = event.data;
  const started = performance.now();
  try {
    await ready;
    const results = await readBarcodes(
      { data: new Uint8ClampedArray(pixels), width, height, colorSpace: 'srgb' } as ImageData,
      QR_READER_OPTIONS,
    );
    const text = results.find((r) => r.isValid)?.text ?? null;
    scope.postMessage({ id, text, ms: performance.now() - started } satisfies DecodeReply);
  } catch (err) {
    scope.postMessage({ id, error: String((err as Error)?.message ?? err) } satisfies DecodeReply);
  }
};
