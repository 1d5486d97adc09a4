import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { enrolTestDevice, makeTestDb, probeCounts, routesWithProbe, type TestDb } from '../../central/testing.node.ts';
import { openDatabase } from '../store/db.node.ts';
import { CentralClient } from './central-client.node.ts';
import type { Credentials } from './credentials.node.ts';
import { SyncEngine } from './engine.node.ts';
import { Outbox } from './outbox.node.ts';

const CHILD = fileURLToPath(new URL('./powercut.child.node.ts', import.meta.url));
const RUNS = 20;

/** Runs the child until it has acknowledged a few submissions, then pulls the plug at a random moment. */
async function runAndKill(file: string, start: number, central?: { url: string; creds: Credentials }) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, file, String(start), ...(central ? [central.url, JSON.stringify(central.creds)] : [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const acked = new Map<number, string>();
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) {
        const m = /^ack (\d+) (\S+)$/.exec(line);
        if (m) acked.set(Number(m[1]), m[2]!);
        if (m && !killTimer) {
          // Somewhere in the next 5–150 ms of steady submitting (and syncing).
          killTimer = setTimeout(
            () => {
              child.kill('SIGKILL');
              resolve();
            },
            5 + Math.random() * 145,
          );
        }
      }
    });
    void exited.then(() => (killTimer ? resolve() : reject(new Error(`child exited before submitting: ${stderr}`))));
  });
  expect(await exited).toBe('SIGKILL');
  return acked;
}

describe('power cut (SIGKILL) while submitting and syncing', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let creds: Credentials;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'powercut-'));
    cdb = await makeTestDb('sqlite');
    central = await startCentral({ db: cdb.url, routes: routesWithProbe });
    const e = await enrolTestDevice(central.store);
    creds = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
  });
  afterAll(async () => {
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged submission across ${RUNS} kills, and central ends with each exactly once`, async () => {
    const file = join(dir, 'kiosk.db');
    const allAcked = new Map<number, string>();
    let next = 0;
    for (let run = 0; run < RUNS; run++) {
      // Every other run syncs while it submits, so kills also land mid-request.
      const acked = await runAndKill(file, next, run % 2 === 0 ? { url: central.url, creds } : undefined);
      expect(acked.size).toBeGreaterThan(0);
      for (const [n, key] of acked) allAcked.set(n, key);

      const db = openDatabase(file);
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL, on every open
        const rows = new Map(
          (
            db
              .prepare(
                'SELECT s.n, s.outbox_key AS key, o.key AS okey FROM t_submission s LEFT JOIN outbox o ON o.key = s.outbox_key',
              )
              .all() as Array<{ n: number; key: string; okey: string | null }>
          ).map((r) => [r.n, r]),
        );
        for (const [n, key] of allAcked) {
          expect(rows.get(n)?.key, `acknowledged submission ${n} after run ${run}`).toBe(key);
          expect(rows.get(n)?.okey, `its outbox entry ${n}`).toBe(key);
        }
        next = Math.max(...rows.keys()) + 1;
      } finally {
        db.close();
      }
    }

    // Power back: the kiosk restarts and syncs everything.
    const db = openDatabase(file);
    try {
      const outbox = new Outbox(db);
      const engine = new SyncEngine({
        outbox,
        client: new CentralClient({ baseUrl: central.url, credentials: () => creds }),
        log: pino({ level: 'silent' }),
        backoffBaseMs: 20,
        probeIntervalMs: 50,
      });
      engine.start();
      await engine.waitForIdle(30_000);
      await engine.stop();
      const total = db.prepare('SELECT COUNT(*) FROM outbox').pluck().get() as number;
      expect(total).toBeGreaterThanOrEqual(allAcked.size);
      expect(outbox.counts({ withDone: true })).toMatchObject({ pending: 0, inflight: 0, parked: 0, done: total });
      expect(await probeCounts(central.store)).toEqual({ rows: total, distinct: total });
      const atCentral = new Set(
        (await central.store.all<{ item_key: string }>('SELECT item_key FROM probe_submissions')).map(
          (r) => r.item_key,
        ),
      );
      for (const key of allAcked.values()) expect(atCentral.has(key)).toBe(true);
    } finally {
      db.close();
    }
  }, 300_000);
});
