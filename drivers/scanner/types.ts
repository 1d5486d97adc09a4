/**
 * One interface for every scanner: a stream of raw scans with their source, and status events.
 * Pure (no Node): the sim scanner and these types also run in the browser.
 */

export type ScanSourceKind = 'serial' | 'hid' | 'camera' | 'sim';

export interface RawScan {
  text: string;
  source: ScanSourceKind;
  at: Date;
}

/** open → ready → error → reconnecting → ready …; `closed` before start and after close. */
export type ScannerState = 'closed' | 'opening' | 'ready' | 'error' | 'reconnecting';

export interface ScannerStatus {
  state: ScannerState;
  /** Why it is in error / what it is waiting for, for a technician. */
  detail: string | null;
  since: Date;
}

export interface Scanner {
  readonly kind: ScanSourceKind;
  /** The configured URI, for `kioskctl devices` and health. */
  readonly uri: string;
  /** Starts reading. Never rejects for a missing device: it reports `error` and keeps retrying. */
  start(): Promise<void>;
  close(): Promise<void>;
  status(): ScannerStatus;
  onScan(listener: (scan: RawScan) => void): () => void;
  onStatus(listener: (status: ScannerStatus) => void): () => void;
}

/** A small typed listener set (Node's EventEmitter is not available in the browser). */
export class Listeners<T> {
  readonly #set = new Set<(value: T) => void>();
  add(listener: (value: T) => void): () => void {
    this.#set.add(listener);
    return () => this.#set.delete(listener);
  }
  emit(value: T): void {
    for (const listener of this.#set) {
      try {
        listener(value);
      } catch {
        // One faulty listener must not stop the others from getting the scan.
      }
    }
  }
}

/** Shared status bookkeeping for scanner implementations. */
export abstract class BaseScanner implements Scanner {
  abstract readonly kind: ScanSourceKind;
  readonly #scans = new Listeners<RawScan>();
  readonly #statuses = new Listeners<ScannerStatus>();
  #status: ScannerStatus = { state: 'closed', detail: null, since: new Date() };

  constructor(readonly uri: string) {}

  abstract start(): Promise<void>;
  abstract close(): Promise<void>;

  status(): ScannerStatus {
    return this.#status;
  }
  onScan(listener: (scan: RawScan) => void): () => void {
    return this.#scans.add(listener);
  }
  onStatus(listener: (status: ScannerStatus) => void): () => void {
    return this.#statuses.add(listener);
  }

  protected setStatus(state: ScannerState, detail: string | null = null): void {
    if (state === this.#status.state && detail === this.#status.detail) return;
    this.#status = { state, detail, since: new Date() };
    this.#statuses.emit(this.#status);
  }
  protected emitScan(text: string): void {
    this.#scans.emit({ text, source: this.kind, at: new Date() });
  }
}
