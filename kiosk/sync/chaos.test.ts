import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import {
  enrolTestDevice,
  makeTestDb,
  probeCounts,
  PROBE_KIND,
  routesWithProbe,
  testDialects,
  type TestDb,
} from '../../central/testing.node.ts';
import { startChaosProxy, type ChaosProxy } from '../../test/support/chaos-proxy.ts';
import { mountSmallDisk } from '../../test/support/full-disk.ts';
import { isDiskFull } from '../api/disk-full.ts';
import type { SyncState } from '../../contract/api.ts';
import { openDatabase, type Db } from '../store/db.node.ts';
import { CentralClient } from './central-client.node.ts';
import type { Credentials } from './credentials.node.ts';
import { SyncEngine } from './engine.node.ts';
import { enqueue, Outbox } from './outbox.node.ts';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function reliabilitySuite(dialect: 'sqlite' | 'postgres', withSnapshotLoss: boolean) {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let proxy: ChaosProxy | undefined;
  let db: Db;
  let outbox: Outbox;
  let creds: Credentials;
  let engine: SyncEngine | undefined;

  const makeEngine = (baseUrl: string, extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) =>
    new SyncEngine({
      outbox,
      client: new CentralClient({ baseUrl, credentials: () => creds, timeoutMs: 1_000 }),
      log,
      batchSize: 40,
      backoffBaseMs: 30,
      backoffMaxMs: 500,
      probeIntervalMs: 50,
      ...extra,
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-chaos-'));
    cdb = await makeTestDb(dialect);
    central = await startCentral({ db: cdb.url, routes: routesWithProbe });
    const e = await enrolTestDevice(central.store);
    creds = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
    db = openDatabase(join(dir, 'kiosk.db'));
    outbox = new Outbox(db);
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    await proxy?.close();
    proxy = undefined;
    db.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers 1,000 submissions exactly once through drops, delays, 500/503 and cuts after central committed', async () => {
    proxy = await startChaosProxy({
      upstreamPort: central.port,
      faults: { drop: 0.08, delay: 0.1, status503: 0.06, status500: 0.06, cutAfterCommit: 0.15 },
      delayMs: [20, 1_400],
      retryAfterSeconds: 1,
      seed: 20261128,
    });
    engine = makeEngine(proxy.url);
    engine.start();
    // Submissions keep arriving while the network misbehaves.
    for (let n = 0; n < 1_000; n++) {
      db.transaction(() => enqueue(db, PROBE_KIND, { n }))();
      if (n % 50 === 49) await sleep(15);
    }
    await engine.waitForIdle(90_000);

    expect(await probeCounts(central.store)).toEqual({ rows: 1_000, distinct: 1_000 });
    const ns = await central.store.all<{ n: number }>('SELECT n FROM probe_submissions ORDER BY n');
    expect(ns.map((r) => Number(r.n))).toEqual(Array.from({ length: 1_000 }, (_, i) => i));
    expect(outbox.counts({ withDone: true })).toMatchObject({ pending: 0, inflight: 0, parked: 0, done: 1_000 });
    // The faults really happened, and the lost answers came back as duplicates.
    for (const fault of ['drop', 'delay', 'status503', 'status500', 'cutAfterCommit'] as const)
      expect(proxy.counts[fault], fault).toBeGreaterThan(0);
    expect(engine.stats.duplicate).toBeGreaterThan(0);
  }, 120_000);

  it('survives a central restart in the middle of the stream', async () => {
    engine = makeEngine(central.url);
    engine.start();
    const port = central.port;
    for (let n = 0; n < 300; n++) {
      enqueue(db, PROBE_KIND, { n });
      if (n === 150) {
        await central.close();
        await sleep(200);
        central = await startCentral({ db: cdb.url, routes: routesWithProbe, port });
      }
      if (n % 25 === 0) await sleep(5);
    }
    await engine.waitForIdle(30_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 300, distinct: 300 });
  }, 60_000);
  it('survives the kiosk’s disk filling up mid-stream: sync pauses and says why, then delivers every acknowledged submission exactly once', async () => {
    // The kiosk database on a real 16 MiB filesystem that fills up.
    const disk = mountSmallDisk(16 * 1024 * 1024);
    try {
      db.close();
      db = openDatabase(join(disk.dir, 'kiosk.db'));
      outbox = new Outbox(db);
      engine = makeEngine(central.url, { batchSize: 20 });
      const states: SyncState[] = [];
      engine.onState((st) => states.push(st));
      const acked: number[] = [];
      let refused = 0;
      const submit = (n: number) => {
        try {
          db.transaction(() => enqueue(db, PROBE_KIND, { n, citizen: 'Trần Thị B' }))();
          acked.push(n);
        } catch (err) {
          if (!isDiskFull(err)) throw err;
          refused++;
        }
      };
      for (let n = 0; n < 150; n++) {
        submit(n);
        if (n % 10 === 9) await sleep(5);
      }
      disk.fill();
      // Sending starts with the disk already full and 150 entries waiting, so the loop surely
      // meets the full disk (a warm central could otherwise drain everything before the fill).
      engine.start();
      for (let n = 150; n < 250; n++) {
        submit(n);
        if (n % 10 === 9) await sleep(5);
      }
      await sleep(500);
      expect(states.some((st) => st.lastErrorKind === 'disk_full' && !st.online)).toBe(true);
      disk.free();
      for (let n = 250; n < 300; n++) submit(n);
      await engine.waitForIdle(30_000);

      expect(refused).toBeGreaterThan(0);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const ns = await central.store.all<{ n: number }>('SELECT n FROM probe_submissions ORDER BY n');
      expect(ns.map((r) => Number(r.n))).toEqual(acked);
      expect(engine.state()).toMatchObject({ online: true, lastErrorKind: null });
    } finally {
      await engine?.stop();
      engine = undefined;
      db.close();
      db = openDatabase(join(dir, 'kiosk.db'));
      disk.unmount();
    }
  }, 60_000);

  if (withSnapshotLoss)
    it('survives central losing its last seconds (restored from an older copy)', async () => {
      // Central's acknowledgements are trusted only after 3 s; the loss happens inside that window.
      engine = makeEngine(central.url, { confirmAfterMs: 3_000, reconcileIntervalMs: 200 });
      engine.start();
      for (let n = 0; n < 100; n++) enqueue(db, PROBE_KIND, { n, citizen: 'Trần Thị B' });
      await engine.waitForIdle(10_000);
      const snapshot = join(dir, 'central-snapshot.sqlite');
      await central.store.run('VACUUM INTO ?', [snapshot]);
      for (let n = 100; n < 200; n++) enqueue(db, PROBE_KIND, { n, citizen: 'Trần Thị B' });
      await engine.waitForIdle(10_000);
      expect(await probeCounts(central.store)).toEqual({ rows: 200, distinct: 200 });

      // Disk failure: central comes back from the snapshot, missing the last 100.
      const port = central.port;
      await central.close();
      rmSync(cdb.url, { force: true });
      rmSync(`${cdb.url}-wal`, { force: true });
      rmSync(`${cdb.url}-shm`, { force: true });
      const { copyFileSync } = await import('node:fs');
      copyFileSync(snapshot, cdb.url);
      central = await startCentral({ db: cdb.url, routes: routesWithProbe, port });
      expect((await probeCounts(central.store)).rows).toBe(100);

      const deadline = Date.now() + 20_000;
      while ((await probeCounts(central.store)).rows < 200 && Date.now() < deadline) await sleep(100);
      await engine.waitForIdle(10_000);
      expect(await probeCounts(central.store)).toEqual({ rows: 200, distinct: 200 });
      expect(engine.stats.resent).toBeGreaterThanOrEqual(100);
      // Once central confirmed holding them, the personal data leaves the kiosk.
      await sleep(3_200);
      await engine.reconcileNow();
      expect(db.prepare('SELECT COUNT(*) FROM outbox WHERE payload IS NOT NULL').pluck().get()).toBe(0);
    }, 60_000);
}

for (const dialect of testDialects()) {
  // Restoring an older copy is done on the SQLite file; PostgreSQL shares every other case.
  describe(`sync reliability on ${dialect}`, () => reliabilitySuite(dialect, dialect === 'sqlite'));
}
