import { execFile } from 'node:child_process';
import { BaseDocScanner } from './device.node.ts';
import { DocScannerError } from './types.ts';
import type { SaneOptions } from './uri.ts';

/** PNG signature: what `scanimage --format=png` must write. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface SaneScannerOptions {
  uri: string;
  device: string | null;
  options: SaneOptions;
  /** The `scanimage` binary (Debian `sane-utils`). */
  scanimage?: string;
  /** One page may take this long (a real flatbed at 150 dpi: ~10 s). */
  timeoutMs?: number;
  recheckMs?: number;
}

function run(bin: string, args: string[], timeoutMs: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      bin,
      args,
      { encoding: 'buffer', maxBuffer: 200 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          const why =
            (err as NodeJS.ErrnoException).code === 'ENOENT'
              ? `${bin} not installed`
              : stderr.toString('utf8').trim() || err.message;
          reject(new DocScannerError('DOCSCANNER_OFFLINE', why.split('\n').slice(-2).join(' ').slice(0, 300)));
        } else resolve(stdout);
      },
    );
  });
}

/** A flatbed or feeder scanner through SANE's `scanimage` (one process per page: SANE has no daemon to keep). */
export class SaneDocScanner extends BaseDocScanner {
  readonly #bin: string;
  readonly #device: string | null;
  readonly #options: SaneOptions;
  readonly #timeoutMs: number;

  constructor(o: SaneScannerOptions) {
    super(o.uri, 'sane', o.device, o.recheckMs ?? 10_000);
    this.#bin = o.scanimage ?? 'scanimage';
    this.#device = o.device;
    this.#options = o.options;
    this.#timeoutMs = o.timeoutMs ?? 60_000;
  }

  #deviceArgs(): string[] {
    return this.#device ? ['-d', this.#device] : [];
  }

  protected async probe(): Promise<void> {
    // `-A` opens the device and lists its options: fails when it is unplugged or busy elsewhere.
    await run(this.#bin, [...this.#deviceArgs(), '-A'], 15_000);
  }

  protected async acquire(): Promise<Buffer> {
    const o = this.#options;
    const args = [
      ...this.#deviceArgs(),
      '--format=png',
      `--mode=${o.mode}`,
      `--resolution=${o.resolution}`,
      ...(o.source ? [`--source=${o.source}`] : []),
      ...(o['test-picture'] ? [`--test-picture=${o['test-picture']}`] : []),
    ];
    const png = await run(this.#bin, args, this.#timeoutMs);
    if (png.length < 64 || !png.subarray(0, 8).equals(PNG))
      throw new DocScannerError('DOCSCANNER_ERROR', `scanimage answered ${png.length} bytes that are not a PNG`);
    return png;
  }
}
