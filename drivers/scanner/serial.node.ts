import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import type { Transform } from 'node:stream';
import { BaseScanner, type ScanSourceKind } from './types.ts';
import type { SerialScannerConfig } from './uri.ts';

const TERMINATORS = { CR: '\r', LF: '\n', CRLF: '\r\n' } as const;
/** A scanner that never sends its terminator must not grow a buffer forever. */
const MAX_FRAME_BYTES = 64 * 1024;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 2_000;

export interface SerialScannerOptions {
  /** Back-off bounds for reopening a port that vanished (tests shorten them). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

/**
 * A serial (or USB CDC-ACM) scanner. Frames are cut by the configured terminator
 * (@serialport/parser-readline) or by silence (@serialport/parser-inter-byte-timeout). When the
 * port disappears (unplugged, socat killed) it reports `error`, then keeps trying to reopen the
 * same path with back-off, and is `ready` again as soon as the device is back.
 */
export class SerialScanner extends BaseScanner {
  readonly kind: ScanSourceKind = 'serial';
  #port: SerialPort | null = null;
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #idleTimer: ReturnType<typeof setTimeout> | null = null;
  #retryMs: number;
  #closing = false;
  readonly #decoder = new TextDecoder('utf-8');

  constructor(
    uri: string,
    readonly config: SerialScannerConfig,
    private readonly options: SerialScannerOptions = {},
  ) {
    super(uri);
    this.#retryMs = options.retryMinMs ?? RETRY_MIN_MS;
  }

  async start(): Promise<void> {
    this.#closing = false;
    await this.#open();
  }

  async close(): Promise<void> {
    this.#closing = true;
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    if (this.#idleTimer) clearTimeout(this.#idleTimer);
    this.#retryTimer = this.#idleTimer = null;
    const port = this.#port;
    this.#port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.setStatus('closed');
  }

  #open(): Promise<void> {
    if (this.#closing) return Promise.resolve();
    const reopening = this.status().state === 'error' || this.status().state === 'reconnecting';
    this.setStatus(reopening ? 'reconnecting' : 'opening', reopening ? this.status().detail : null);
    const port = new SerialPort({ path: this.config.path, baudRate: this.config.baudRate, autoOpen: false });
    return new Promise<void>((resolve) => {
      port.open((err) => {
        if (err) {
          this.#fail(`cannot open ${this.config.path}: ${err.message}`);
          return resolve();
        }
        if (this.#closing) {
          port.close();
          return resolve();
        }
        this.#port = port;
        this.#retryMs = this.options.retryMinMs ?? RETRY_MIN_MS;
        this.#attach(port);
        this.setStatus('ready');
        resolve();
      });
    });
  }

  #attach(port: SerialPort): void {
    const { terminator, interByteMs } = this.config;
    const lost = (why: string) => {
      if (this.#port !== port) return;
      this.#port = null;
      if (port.isOpen) port.close(() => undefined);
      this.#fail(why);
    };
    port.on('error', (err: Error) => lost(`${this.config.path}: ${err.message}`));
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) =>
      lost(`${this.config.path} closed${err ? `: ${err.message}` : ''}`),
    );

    if (terminator === 'none') {
      const parser: Transform = port.pipe(
        new InterByteTimeoutParser({ interval: interByteMs ?? 50, maxBufferSize: MAX_FRAME_BYTES }),
      );
      parser.on('data', (frame: Buffer) => this.#frame(this.#decoder.decode(frame)));
      return;
    }
    const parser = port.pipe(new ReadlineParser({ delimiter: TERMINATORS[terminator], encoding: 'utf8' }));
    parser.on('data', (line: string) => this.#frame(line));
    port.on('data', () => {
      // The Readline parser keeps an unterminated tail in `buffer`: bound it, and flush it after
      // `interByteMs` of silence so a scanner without a suffix still gets through.
      const pending = (parser as unknown as { buffer: Buffer }).buffer;
      if (pending.length > MAX_FRAME_BYTES) {
        (parser as unknown as { buffer: Buffer }).buffer = Buffer.alloc(0);
        this.#frame(this.#decoder.decode(pending));
        return;
      }
      if (interByteMs === null) return;
      if (this.#idleTimer) clearTimeout(this.#idleTimer);
      this.#idleTimer = setTimeout(() => {
        this.#idleTimer = null;
        const tail = (parser as unknown as { buffer: Buffer }).buffer;
        if (tail.length === 0) return;
        (parser as unknown as { buffer: Buffer }).buffer = Buffer.alloc(0);
        this.#frame(this.#decoder.decode(tail));
      }, interByteMs);
    });
  }

  /** CRLF cut at CR leaves a leading LF on the next frame; blank frames are not scans. */
  #frame(text: string): void {
    const clean = text.replace(/^[\r\n]+|[\r\n]+$/g, '');
    if (clean.length > 0) this.emitScan(clean);
  }

  #fail(detail: string): void {
    if (this.#closing) return;
    this.setStatus('error', detail);
    if (this.#retryTimer) return;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, this.options.retryMaxMs ?? RETRY_MAX_MS);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      void this.#open();
    }, delay);
  }
}
