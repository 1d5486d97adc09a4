import { EventEmitter } from 'node:events';
import { DocScannerError, type DocScanner, type DocScannerStatus, type ScannedImage } from './types.ts';

/**
 * What every document scanner shares: one scan at a time, status with change events, and
 * recovery — a device that failed is re-checked every `recheckMs` in the background and a scan
 * on an offline device checks it once more before refusing.
 */
export abstract class BaseDocScanner implements DocScanner {
  readonly #events = new EventEmitter();
  #status: DocScannerStatus;
  #busy = false;
  #timer: NodeJS.Timeout | null = null;

  constructor(
    readonly uri: string,
    kind: DocScannerStatus['kind'],
    device: string | null,
    private readonly recheckMs: number,
  ) {
    this.#status = {
      kind,
      state: kind === 'none' ? 'none' : 'offline',
      online: false,
      device,
      lastError: null,
      checkedAt: new Date().toISOString(),
    };
  }

  /** Answers whether the device is there (throws with the reason when not). */
  protected abstract probe(): Promise<void>;
  protected abstract acquire(): Promise<Buffer>;

  #set(patch: Partial<DocScannerStatus>): void {
    const next = { ...this.#status, ...patch, checkedAt: new Date().toISOString() };
    const changed = next.state !== this.#status.state || next.lastError !== this.#status.lastError;
    this.#status = next;
    if (changed) this.#events.emit('status', next);
  }

  #scheduleRecheck(): void {
    if (this.#timer || this.recheckMs <= 0 || this.#status.kind === 'none') return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#check();
    }, this.recheckMs);
    this.#timer.unref();
  }

  async #check(): Promise<DocScannerStatus> {
    if (this.#status.kind === 'none') return this.#status;
    if (this.#busy) return this.#status;
    try {
      await this.probe();
      this.#set({ state: 'ready', online: true, lastError: null });
    } catch (e) {
      this.#set({ state: 'offline', online: false, lastError: (e as Error).message.slice(0, 300) });
      this.#scheduleRecheck();
    }
    return this.#status;
  }

  open(): Promise<DocScannerStatus> {
    return this.#check();
  }

  async status(opts: { refresh?: boolean } = {}): Promise<DocScannerStatus> {
    return opts.refresh ? this.#check() : this.#status;
  }

  async scan(): Promise<ScannedImage> {
    if (this.#status.kind === 'none') throw new DocScannerError('DOCSCANNER_NONE', 'no document scanner configured');
    if (this.#busy) throw new DocScannerError('DOCSCANNER_BUSY', 'the scanner is scanning another page');
    if (!this.#status.online) {
      await this.#check();
      if (!this.#status.online)
        throw new DocScannerError('DOCSCANNER_OFFLINE', `scanner offline: ${this.#status.lastError ?? 'no answer'}`);
    }
    this.#busy = true;
    this.#set({ state: 'busy' });
    const started = performance.now();
    try {
      const bytes = await this.acquire();
      this.#busy = false;
      this.#set({ state: 'ready', online: true, lastError: null });
      return { bytes, ms: performance.now() - started };
    } catch (e) {
      this.#busy = false;
      const message = (e as Error).message.slice(0, 300);
      this.#set({ state: 'offline', online: false, lastError: message });
      this.#scheduleRecheck();
      throw e instanceof DocScannerError ? e : new DocScannerError('DOCSCANNER_ERROR', message);
    }
  }

  on(event: 'status', fn: (s: DocScannerStatus) => void): () => void {
    this.#events.on(event, fn);
    return () => this.#events.off(event, fn);
  }

  async close(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#events.removeAllListeners();
  }
}
