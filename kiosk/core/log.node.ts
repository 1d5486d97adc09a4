import { join } from 'node:path';
import pino, { type DestinationStream, type Logger } from 'pino';
import { makePrivateDir } from './private-fs.node.ts';

/** Where the logs live: `<dataDir>/logs/kiosk.<n>.log`, rotated by pino-roll. */
export const logDir = (dataDir: string) => join(dataDir, 'logs');

/** Rotation: a new file each day or at 5 MB, the newest 10 kept (≤ 50 MB on a small SSD). */
export const LOG_ROTATION = { size: '5m', frequency: 'daily', limit: { count: 10 } } as const;

/** After the log destination failed (full disk), how long lines are dropped before it is reopened. */
export const LOG_REOPEN_MS = 10_000;

type Transport = DestinationStream &
  NodeJS.EventEmitter & { flush?(cb: (err?: Error | null) => void): void; end?(): void };

export interface LogHealth {
  /** False while lines are being dropped because the destination failed. */
  readonly ok: boolean;
  readonly dropped: number;
  readonly lastError: string | null;
}

/**
 * A log destination that never takes the kiosk down. pino-roll writes in a worker thread; when
 * a write fails (ENOSPC on a full disk, EFBIG) the worker ends and its stream emits 'error',
 * which unhandled exits the process. Here the error is caught, lines are dropped (and counted)
 * while the destination is down, and a fresh worker is tried again every `reopenMs`.
 */
export class ResilientDestination implements DestinationStream {
  #stream: Transport | null = null;
  #failedAt = 0;
  #dropped = 0;
  #lastError: string | null = null;
  readonly #listeners = new Set<(h: LogHealth) => void>();

  constructor(
    private readonly open: () => Transport,
    private readonly reopenMs = LOG_REOPEN_MS,
  ) {
    this.#connect();
  }

  health(): LogHealth {
    return {
      ok: this.#stream !== null && this.#lastError === null,
      dropped: this.#dropped,
      lastError: this.#lastError,
    };
  }

  onHealth(fn: (h: LogHealth) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  write(line: string): boolean {
    if (!this.#stream && Date.now() - this.#failedAt >= this.reopenMs) this.#connect();
    const stream = this.#stream;
    if (!stream) {
      this.#dropped++;
      return true;
    }
    try {
      stream.write(line);
    } catch (err) {
      this.#fail(stream, err);
    }
    return true;
  }

  flush(cb: (err?: Error | null) => void = () => {}): void {
    if (!this.#stream?.flush) return void cb();
    this.#stream.flush(() => cb());
  }

  end(): void {
    const stream = this.#stream;
    this.#stream = null;
    this.#failedAt = Number.MAX_SAFE_INTEGER;
    stream?.end?.();
  }

  #connect() {
    let stream: Transport;
    try {
      stream = this.open();
    } catch (err) {
      this.#fail(null, err);
      return;
    }
    this.#stream = stream;
    stream.on('error', (err: unknown) => this.#fail(stream, err));
    if (this.#lastError !== null) {
      // Healthy again only once a line was really written; until then keep the error visible.
      stream.once('ready', () => {
        if (this.#stream !== stream) return;
        this.#lastError = null;
        this.#notify();
      });
    }
  }

  #fail(stream: Transport | null, err: unknown) {
    if (stream && this.#stream !== stream) return;
    this.#stream = null;
    this.#failedAt = Date.now();
    const message =
      err instanceof Error ? `${(err as NodeJS.ErrnoException).code ?? err.name}: ${err.message}` : String(err);
    const changed = this.#lastError !== message;
    this.#lastError = message;
    if (changed) this.#notify();
  }

  #notify() {
    const h = this.health();
    for (const fn of this.#listeners) {
      try {
        fn(h);
      } catch {
        // A listener must not break logging.
      }
    }
  }
}

/** Keys whose values never reach a log line, at the top and one or two levels down. */
export const REDACT = {
  paths: [
    'token',
    'credential',
    'pin',
    'authorization',
    'enrolCode',
    '*.token',
    '*.credential',
    '*.pin',
    '*.authorization',
    '*.enrolCode',
    '*.fullName',
    '*.idNumber',
    '*.address',
    // Citizens' mobile numbers (the "báo cho tôi" and dossier opt-ins: `notify.phone`, `payload.notify.phone`).
    'phone',
    '*.phone',
    '*.*.phone',
  ],
  censor: '[redacted]',
};

export type KioskLogger = Logger & { readonly destination?: ResilientDestination };

/**
 * Structured logs with rotation in the data directory. Never log personal data or secrets:
 * log ids, kinds and codes. `redact` is the safety net for the keys most likely to carry them.
 */
export function createLogger(dataDir: string, level: string, reopenMs = LOG_REOPEN_MS): KioskLogger {
  const dir = logDir(dataDir);
  // Log lines are for technicians only: the directory 0700, every (rotated) file 0600.
  makePrivateDir(dataDir);
  makePrivateDir(dir);
  // pino-roll runs in pino's worker thread: the kiosk never waits on the disk to log.
  const destination = new ResilientDestination(
    () =>
      pino.transport({
        target: 'pino-roll',
        options: { file: join(dir, 'kiosk'), extension: '.log', mkdir: true, mode: 0o600, ...LOG_ROTATION },
      }) as Transport,
    reopenMs,
  );
  return Object.assign(pino({ level, redact: REDACT }, destination), { destination });
}
