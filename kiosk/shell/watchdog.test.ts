import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../store/db.node.ts';
import { backOffDelay, createWatchdog, watchdogRecorder, type WatchdogIncident } from './watchdog.node.ts';

interface Core {
  id: number;
  stopped: boolean;
}

let dir: string;
let incidents: WatchdogIncident[];
let sleeps: number[];
let clock: number;
let relaunches: number;
let started: Core[];
let failStarts: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'watchdog-'));
  incidents = [];
  sleeps = [];
  clock = 1_000_000;
  relaunches = 0;
  started = [];
  failStarts = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function watchdog(
  extra: { check?: (c: Core) => void; maxFailures?: number; record?: (i: WatchdogIncident) => void } = {},
) {
  return createWatchdog<Core>({
    start: async () => {
      if (failStarts > 0) {
        failStarts -= 1;
        throw new Error('database is locked');
      }
      const core = { id: started.length + 1, stopped: false };
      started.push(core);
      return core;
    },
    stop: async (core) => {
      core.stopped = true;
    },
    relaunch: () => void (relaunches += 1),
    record: extra.record ?? ((i) => incidents.push(i)),
    check: extra.check,
    backOff: { initialMs: 100, maxMs: 1_000, factor: 2 },
    maxFailures: extra.maxFailures ?? 4,
    windowMs: 60_000,
    now: () => clock,
    sleep: async (ms) => {
      sleeps.push(ms);
      clock += ms;
    },
  });
}

describe('the watchdog', () => {
  it('starts the core and records it', async () => {
    const w = watchdog();
    await w.start();
    expect(w.current()).toEqual({ id: 1, stopped: false });
    expect(incidents).toEqual([{ kind: 'core-started', attempt: 1 }]);
  });

  it('stops a failed core and starts a new one after a back-off', async () => {
    const w = watchdog();
    await w.start();
    const first = w.current()!;
    await w.fail(new Error('boom'));
    expect(first.stopped).toBe(true);
    expect(w.current()?.id).toBe(2);
    expect(sleeps).toEqual([100]);
    expect(incidents.map((i) => i.kind)).toEqual([
      'core-started',
      'core-failed',
      'core-restart-scheduled',
      'core-started',
    ]);
    expect(incidents[1]).toMatchObject({ error: 'Error: boom', recentFailures: 1 });
  });

  it('waits longer after each failure in a row, up to the cap', async () => {
    failStarts = 3;
    const w = watchdog({ maxFailures: 10 });
    await w.start();
    expect(sleeps).toEqual([100, 200, 400]);
    expect(w.current()?.id).toBe(1);
    expect(backOffDelay({ initialMs: 100, maxMs: 1_000, factor: 2 }, 9)).toBe(1_000);
  });

  it('relaunches the app after repeated failures instead of restarting again', async () => {
    failStarts = 100;
    const w = watchdog({ maxFailures: 4 });
    await w.start();
    expect(relaunches).toBe(1);
    expect(sleeps).toEqual([100, 200, 400]);
    expect(incidents.at(-1)).toEqual({ kind: 'app-relaunch', recentFailures: 4 });
    await w.fail(new Error('again'));
    expect(relaunches).toBe(1);
  });

  it('forgets failures older than the window', async () => {
    const w = watchdog({ maxFailures: 2 });
    await w.start();
    await w.fail(new Error('one'));
    clock += 61_000;
    await w.fail(new Error('two'));
    expect(relaunches).toBe(0);
    expect(w.current()?.id).toBe(3);
  });

  it('folds failures reported during a restart into that restart', async () => {
    const w = watchdog();
    await w.start();
    await Promise.all([w.fail(new Error('a')), w.fail(new Error('b')), w.fail(new Error('c'))]);
    expect(incidents.filter((i) => i.kind === 'core-failed')).toHaveLength(1);
    expect(w.current()?.id).toBe(2);
  });

  it('treats a failing liveness check as a core failure', async () => {
    let healthy = false;
    const w = watchdog({
      check: () => {
        if (!healthy) throw new Error('app.info failed');
      },
    });
    await w.start();
    healthy = true;
    await w.checkNow();
    expect(w.current()?.id).toBe(1);
    healthy = false;
    const pending = w.checkNow();
    healthy = true;
    await pending;
    expect(w.current()?.id).toBe(2);
  });

  it('gives up on a core whose stop hangs, records it, and starts a new one', async () => {
    const hung = createWatchdog<Core>({
      start: async () => {
        const core = { id: started.length + 1, stopped: false };
        started.push(core);
        return core;
      },
      stop: () => new Promise<void>(() => undefined),
      stopTimeoutMs: 50,
      relaunch: () => void (relaunches += 1),
      record: (i) => incidents.push(i),
      backOff: { initialMs: 100, maxMs: 1_000, factor: 2 },
      now: () => clock,
      sleep: async (ms) => void sleeps.push(ms),
    });
    await hung.start();
    await hung.fail(new Error('wedged'));
    expect(hung.current()?.id).toBe(2);
    expect(incidents).toContainEqual({
      kind: 'core-failed',
      error: 'stop: Error: stop did not finish within 50 ms',
      recentFailures: 1,
    });
    await expect(hung.close()).rejects.toThrow(/did not finish/);
  });

  it('stops the core on close and restarts nothing afterwards', async () => {
    const w = watchdog();
    await w.start();
    const core = w.current()!;
    await w.close();
    expect(core.stopped).toBe(true);
    await w.fail(new Error('late'));
    expect(started).toHaveLength(1);
  });

  it('records every incident in the log and in the audit_log of the kiosk database', async () => {
    const dbFile = join(dir, 'kiosk.db');
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    failStarts = 1;
    const w = watchdog({ record: watchdogRecorder(log, dbFile) });
    await w.start();
    await w.fail(new Error('disk full'));
    const db = openDatabase(dbFile);
    const rows = db.prepare('SELECT actor, action, detail FROM audit_log ORDER BY id').all() as Array<{
      actor: string;
      action: string;
      detail: string;
    }>;
    db.close();
    expect(rows.map((r) => r.action)).toEqual([
      'watchdog.core-failed',
      'watchdog.core-restart-scheduled',
      'watchdog.core-started',
      'watchdog.core-failed',
      'watchdog.core-restart-scheduled',
      'watchdog.core-started',
    ]);
    expect(rows.every((r) => r.actor === 'system')).toBe(true);
    expect(JSON.parse(rows[3]!.detail)).toMatchObject({ error: 'Error: disk full' });
    expect(lines.map((l) => JSON.parse(l).msg)).toContain('watchdog: core-failed');
  });

  it('keeps recovering when the audit database cannot be written', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const w = watchdog({ record: watchdogRecorder(log, join(dir, 'no', '\0bad')) });
    await w.start();
    await w.fail(new Error('boom'));
    expect(w.current()?.id).toBe(2);
    expect(lines.some((l) => l.includes('could not write the audit log'))).toBe(true);
  });
});
