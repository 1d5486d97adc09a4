import type { Logger } from 'pino';
import { openDatabase } from '../store/db.node.ts';

/** What the watchdog did, for the log and the audit trail. Never personal data. */
export type WatchdogIncident =
  | { kind: 'core-started'; attempt: number }
  | { kind: 'core-failed'; error: string; recentFailures: number }
  | { kind: 'core-restart-scheduled'; delayMs: number; recentFailures: number }
  | { kind: 'app-relaunch'; recentFailures: number };

export interface BackOff {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export interface WatchdogOptions<T> {
  /** Builds the core (in the shell: `createAppliance(config)`). */
  start(): Promise<T>;
  /** Tears a failed core down; errors here are recorded and otherwise ignored. */
  stop(core: T): Promise<void>;
  /** A stop that takes longer is given up on (recorded), so a hung core cannot block recovery. */
  stopTimeoutMs?: number;
  /** Last resort after repeated failures: restart the whole app (Electron `app.relaunch()`). */
  relaunch(): void;
  record(incident: WatchdogIncident): void;
  /** Called with the new core after each (re)start and with null while it is down. */
  onCore?(core: T | null): void;
  /** Optional liveness probe, run every `healthIntervalMs`; a throw counts as a failure. */
  check?(core: T): Promise<void> | void;
  healthIntervalMs?: number;
  backOff?: BackOff;
  /** This many failures within `windowMs` relaunch the app instead of restarting the core. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Watchdog<T> {
  /** First start; a failure here already goes through restart and back-off. */
  start(): Promise<void>;
  /** Reports a core failure (uncaught error, failed probe). Resolves when recovery ended. */
  fail(error: unknown): Promise<void>;
  /** Runs the liveness probe now. */
  checkNow(): Promise<void>;
  current(): T | null;
  close(): Promise<void>;
}

export const DEFAULT_BACK_OFF: BackOff = { initialMs: 1_000, maxMs: 30_000, factor: 2 };

/** The delay before restart number `n` (1-based): initial × factor^(n−1), capped. */
export const backOffDelay = (b: BackOff, n: number): number =>
  Math.min(b.maxMs, Math.round(b.initialMs * b.factor ** Math.max(0, n - 1)));

const describe = (err: unknown): string =>
  (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).slice(0, 300);

/**
 * Keeps the kiosk core alive: a failure stops the core and starts it again after a growing
 * delay; too many failures in a short window relaunch the app, because by then the process
 * itself is suspect. Failures arriving while a restart is under way are folded into it.
 */
export function createWatchdog<T>(options: WatchdogOptions<T>): Watchdog<T> {
  const backOff = options.backOff ?? DEFAULT_BACK_OFF;
  const maxFailures = options.maxFailures ?? 5;
  const windowMs = options.windowMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let core: T | null = null;
  let failures: number[] = [];
  let attempts = 0;
  let recovering: Promise<void> | null = null;
  let closed = false;
  let relaunched = false;
  let timer: ReturnType<typeof setInterval> | null = null;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;

  /** Stops a core, but never waits longer than stopTimeoutMs (real time: it guards real hangs). */
  const stopBounded = (c: T): Promise<void> => {
    let timeout: ReturnType<typeof setTimeout> | undefined;
    return Promise.race([
      options.stop(c),
      new Promise<void>((_, reject) => {
        timeout = setTimeout(() => reject(new Error(`stop did not finish within ${stopTimeoutMs} ms`)), stopTimeoutMs);
        timeout.unref?.();
      }),
    ]).finally(() => clearTimeout(timeout));
  };

  const setCore = (next: T | null) => {
    core = next;
    options.onCore?.(next);
  };

  const tryStart = async (): Promise<unknown> => {
    attempts += 1;
    try {
      const started = await options.start();
      if (closed) {
        await stopBounded(started).catch(() => undefined);
        return null;
      }
      setCore(started);
      options.record({ kind: 'core-started', attempt: attempts });
      return null;
    } catch (err) {
      return err ?? new Error('core failed to start');
    }
  };

  const recover = async (error: unknown): Promise<void> => {
    let err: unknown = error;
    while (err !== null && !closed && !relaunched) {
      const at = now();
      failures = [...failures.filter((t) => at - t < windowMs), at];
      options.record({ kind: 'core-failed', error: describe(err), recentFailures: failures.length });
      const failed = core;
      setCore(null);
      if (failed !== null) {
        await stopBounded(failed).catch((stopErr: unknown) =>
          options.record({ kind: 'core-failed', error: `stop: ${describe(stopErr)}`, recentFailures: failures.length }),
        );
      }
      if (failures.length >= maxFailures) {
        relaunched = true;
        options.record({ kind: 'app-relaunch', recentFailures: failures.length });
        options.relaunch();
        return;
      }
      const delayMs = backOffDelay(backOff, failures.length);
      options.record({ kind: 'core-restart-scheduled', delayMs, recentFailures: failures.length });
      await sleep(delayMs);
      if (closed) return;
      err = await tryStart();
    }
  };

  const fail = (error: unknown): Promise<void> => {
    if (closed || relaunched) return Promise.resolve();
    if (recovering) return recovering;
    recovering = recover(error).finally(() => {
      recovering = null;
    });
    return recovering;
  };

  const checkNow = async (): Promise<void> => {
    const c = core;
    if (c === null || !options.check || recovering) return;
    try {
      await options.check(c);
    } catch (err) {
      await fail(err);
    }
  };

  return {
    async start() {
      const err = await tryStart();
      if (err !== null) await fail(err);
      if (options.check && options.healthIntervalMs && !closed) {
        timer = setInterval(() => void checkNow(), options.healthIntervalMs);
        timer.unref?.();
      }
    },
    fail,
    checkNow,
    current: () => core,
    async close() {
      closed = true;
      if (timer) clearInterval(timer);
      const c = core;
      setCore(null);
      if (c !== null) await stopBounded(c);
    },
  };
}

/**
 * Appends one row to the kiosk database's audit_log through its own short-lived connection:
 * the core's connection may be the thing that failed.
 */
export function appendAudit(dbFile: string, action: string, detail: unknown): void {
  const db = openDatabase(dbFile);
  try {
    db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(
      new Date().toISOString(),
      'system',
      action,
      JSON.stringify(detail),
    );
  } finally {
    db.close();
  }
}

/**
 * Records watchdog incidents in the structured log and in the audit_log. A failing audit write
 * is logged, never thrown: recording must not take the recovery down with it.
 */
export function watchdogRecorder(log: Logger, dbFile: string): (incident: WatchdogIncident) => void {
  return (incident) => {
    const level =
      incident.kind === 'core-started' ? 'info' : incident.kind === 'core-restart-scheduled' ? 'warn' : 'error';
    log[level]({ watchdog: incident }, `watchdog: ${incident.kind}`);
    try {
      appendAudit(dbFile, `watchdog.${incident.kind}`, incident);
    } catch (err) {
      log.error({ err: describe(err) }, 'watchdog: could not write the audit log');
    }
  };
}
