import { statfsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { EventBus } from '../api/dispatch.ts';
import type { StorageState } from '../../contract/domains/app.ts';
import { isDiskFull } from '../api/disk-full.ts';

export interface StorageMonitorOptions {
  /** Below this much free space the kiosk stops taking new dossiers (default 64 MiB). */
  minFreeBytes?: number;
  /** How often free space is read while all is well, and while full (to notice space coming back). */
  intervalMs?: number;
  fullIntervalMs?: number;
}

export const MIN_FREE_BYTES = 64 * 1024 * 1024;

/**
 * Whether the data directory's disk can take new work. Full when free space is under the
 * threshold, or when a write failed with "disk full" (SQLite, the log, any file) — until a
 * later reading finds the threshold free again. Changes are pushed as `storage.state`, so the
 * home screen says "Kiosk tạm ngưng nhận hồ sơ", and the technician and the fleet page see it.
 */
export class StorageMonitor {
  readonly #minFree: number;
  #full = false;
  #freeBytes: number | null = null;
  #reason: string | null = null;
  #since: string | null = null;
  #failureSeen = false;
  #timer: NodeJS.Timeout | null = null;
  readonly #listeners = new Set<(s: StorageState) => void>();

  constructor(
    private readonly dataDir: string,
    private readonly deps: { events?: EventBus; log: Logger; now?: () => Date },
    private readonly opts: StorageMonitorOptions = {},
  ) {
    this.#minFree = opts.minFreeBytes ?? MIN_FREE_BYTES;
  }

  state(): StorageState {
    return {
      full: this.#full,
      freeBytes: this.#freeBytes,
      minFreeBytes: this.#minFree,
      reason: this.#reason,
      since: this.#since,
    };
  }

  onState(fn: (s: StorageState) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  start(): () => void {
    this.check();
    this.#schedule();
    return () => {
      if (this.#timer) clearTimeout(this.#timer);
      this.#timer = null;
    };
  }

  /** Reads free space now; returns the state. */
  check(): StorageState {
    try {
      const s = statfsSync(this.dataDir);
      this.#freeBytes = Number(s.bavail) * Number(s.bsize);
    } catch (err) {
      this.#freeBytes = null;
      this.#safeLog('warn', { err: (err as Error).message }, 'cannot read free disk space');
    }
    const low = this.#freeBytes !== null && this.#freeBytes < this.#minFree;
    if (low) this.#set(true, `free ${this.#freeBytes} bytes < ${this.#minFree}`);
    else if (this.#freeBytes !== null) {
      this.#failureSeen = false;
      this.#set(false, null);
    } else if (!this.#failureSeen) this.#set(false, null);
    return this.state();
  }

  /** Something failed to write. A full disk makes the kiosk full at once; anything else is ignored. */
  reportFailure(err: unknown): boolean {
    if (!isDiskFull(err)) return false;
    this.#failureSeen = true;
    this.#set(true, `write failed: ${(err as Error)?.message ?? String(err)}`.slice(0, 200));
    this.#schedule();
    return true;
  }

  #schedule() {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.check();
        this.#schedule();
      },
      this.#full ? (this.opts.fullIntervalMs ?? 2_000) : (this.opts.intervalMs ?? 30_000),
    );
    this.#timer.unref();
  }

  #set(full: boolean, reason: string | null) {
    const changed = full !== this.#full;
    this.#full = full;
    this.#reason = reason;
    if (!changed) return;
    this.#since = (this.deps.now?.() ?? new Date()).toISOString();
    if (full)
      this.#safeLog('error', { reason, freeBytes: this.#freeBytes }, 'disk full: the kiosk stops taking new dossiers');
    else this.#safeLog('info', { freeBytes: this.#freeBytes }, 'disk has room again: the kiosk takes dossiers again');
    const s = this.state();
    try {
      this.deps.events?.emit('storage.state', s);
    } catch (err) {
      this.#safeLog('warn', { err: (err as Error).message }, 'storage state event failed');
    }
    for (const fn of this.#listeners) fn(s);
  }

  #safeLog(level: 'info' | 'warn' | 'error', obj: object, msg: string) {
    try {
      this.deps.log[level](obj, msg);
    } catch {
      // The log may sit on the very disk that is full.
    }
  }
}
