import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import {
  enrolTestDevice,
  makeTestDb,
  probeCounts,
  PROBE_KIND,
  routesWithProbe,
  type TestDb,
} from '../../central/testing.node.ts';
import { openDatabase, type Db } from '../store/db.node.ts';
import { CentralClient } from './central-client.node.ts';
import type { Credentials } from './credentials.node.ts';
import { SyncEngine } from './engine.node.ts';
import { enqueue, Outbox } from './outbox.node.ts';
import { revokeDevice } from '../../central/admin.node.ts';
import { startChaosProxy } from '../../test/support/chaos-proxy.ts';

const log = pino({ level: 'silent' });

describe('sync engine against a real central', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let db: Db;
  let outbox: Outbox;
  let creds: Credentials;
  let engine: SyncEngine;
  let baseUrl: string;

  const makeEngine = (extra: Partial<ConstructorParameters<typeof SyncEngine>[0]> = {}) => {
    const client = new CentralClient({ baseUrl: () => baseUrl, credentials: () => creds, timeoutMs: 2_000 });
    return new SyncEngine({ outbox, client, log, backoffBaseMs: 20, backoffMaxMs: 200, probeIntervalMs: 50, ...extra });
  };

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sync-engine-'));
    cdb = await makeTestDb('sqlite');
    central = await startCentral({ db: cdb.url, routes: routesWithProbe });
    baseUrl = central.url;
    const e = await enrolTestDevice(central.store);
    creds = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
    db = openDatabase(join(dir, 'kiosk.db'));
    outbox = new Outbox(db);
  });
  afterEach(async () => {
    await engine?.stop();
    db.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers entries enqueued in a domain transaction and records central’s answer', async () => {
    db.exec('CREATE TABLE IF NOT EXISTS t_domain (id INTEGER PRIMARY KEY, outbox_key TEXT, code TEXT)');
    outbox.registerHandler(PROBE_KIND, {
      onAccepted: (d, entry, result) =>
        void d.prepare('UPDATE t_domain SET code = ? WHERE outbox_key = ?').run(JSON.stringify(result), entry.key),
    });
    for (let n = 0; n < 30; n++) {
      db.transaction(() => {
        const { key } = enqueue(db, PROBE_KIND, { n });
        db.prepare('INSERT INTO t_domain (outbox_key) VALUES (?)').run(key);
      })();
    }
    engine = makeEngine({ batchSize: 7 });
    engine.start();
    await engine.waitForIdle(5_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 30, distinct: 30 });
    expect(outbox.counts({ withDone: true })).toMatchObject({ pending: 0, parked: 0, done: 30 });
    expect(db.prepare('SELECT code FROM t_domain ORDER BY id LIMIT 1').pluck().get()).toBe('{"receivedN":0}');
    const seqs = await central.store.all<{ client_seq: number }>(
      'SELECT client_seq FROM probe_submissions ORDER BY received_at, client_seq',
    );
    expect(seqs.map((r) => Number(r.client_seq))).toEqual(
      [...seqs.map((r) => Number(r.client_seq))].sort((a, b) => a - b),
    );
    expect(engine.state()).toMatchObject({ online: true, pending: 0, parked: 0, lastErrorKind: null });
  });

  it('parks what central rejects, with the reason, and never deletes it', async () => {
    enqueue(db, 'nobody.handles', { x: 1 });
    enqueue(db, PROBE_KIND, { n: 'not a number' });
    enqueue(db, PROBE_KIND, { n: 3 });
    engine = makeEngine();
    engine.start();
    await engine.waitForIdle(5_000);
    const parked = outbox.list({ status: 'parked' });
    expect(parked.map((e) => e.lastError?.split(':')[0])).toEqual(['UNKNOWN_KIND', 'INVALID_PAYLOAD']);
    expect(engine.state().parked).toBe(2);
    expect(outbox.retry(parked[0]!.id)).toBe(1);
    await engine.waitForIdle(5_000);
    expect(outbox.counts().parked).toBe(2);
    expect(outbox.list().length).toBe(3);
  });

  it('recovers from a full disk in any step of its loop: the state says so meanwhile, and everything arrives once space is back', async () => {
    for (let n = 0; n < 12; n++) enqueue(db, PROBE_KIND, { n });
    // The lowest layer answers as SQLite does on a full disk: claiming, then recording central's answers.
    const full = () => new Database.SqliteError('database or disk is full', 'SQLITE_FULL');
    let failClaims = 3;
    let failApply = 1;
    const claim = outbox.claim.bind(outbox);
    outbox.claim = (limit, now) => {
      if (failClaims > 0) {
        failClaims--;
        throw full();
      }
      return claim(limit, now);
    };
    const markDone = outbox.markDone.bind(outbox);
    outbox.markDone = (...args) => {
      if (failApply > 0) {
        failApply--;
        throw full();
      }
      markDone(...args);
    };
    engine = makeEngine({ batchSize: 5 });
    const states: Array<{ online: boolean; lastErrorKind: string | null }> = [];
    engine.onState((s) => states.push(s));
    engine.start();
    await engine.waitForIdle(5_000);
    expect(states).toContainEqual(expect.objectContaining({ online: false, lastErrorKind: 'disk_full' }));
    expect(failClaims).toBe(0);
    expect(failApply).toBe(0);
    expect(await probeCounts(central.store)).toEqual({ rows: 12, distinct: 12 });
    expect(outbox.counts({ withDone: true })).toMatchObject({ pending: 0, inflight: 0, parked: 0, done: 12 });
    expect(engine.state()).toMatchObject({ online: true, lastErrorKind: null });
    expect(engine.stats.duplicate).toBeGreaterThan(0); // the batch whose answers were lost was sent again
  });

  it('queues while central is down and resumes on its own when it comes back', async () => {
    const port = central.port;
    await central.close();
    engine = makeEngine();
    const states: boolean[] = [];
    engine.onState((s) => states.push(s.online));
    engine.start();
    for (let n = 0; n < 5; n++) enqueue(db, PROBE_KIND, { n });
    const deadline = Date.now() + 5_000;
    while (engine.state().lastErrorKind !== 'offline' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(engine.state()).toMatchObject({ online: false, pending: 5, lastErrorKind: 'offline' });
    central = await startCentral({ db: cdb.url, routes: routesWithProbe, port });
    await engine.waitForIdle(5_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 5, distinct: 5 });
    expect(engine.state().online).toBe(true);
    expect(states).toContain(false);
  });

  it('returns inflight entries to pending when the kiosk restarts', async () => {
    enqueue(db, PROBE_KIND, { n: 1 });
    outbox.claim(10, new Date());
    expect(outbox.counts().inflight).toBe(1);
    const reopened = new Outbox(db);
    expect(reopened.counts()).toMatchObject({ pending: 1, inflight: 0 });
  });

  it('re-sends acknowledged entries that central later lost, then wipes the payload once confirmed', async () => {
    for (let n = 0; n < 4; n++) enqueue(db, PROBE_KIND, { n, citizen: 'Nguyễn Văn A' });
    engine = makeEngine({ confirmAfterMs: 0, reconcileIntervalMs: 3_600_000 });
    engine.start();
    await engine.waitForIdle(5_000);
    // Central "restored from a backup" taken before the last two arrived.
    await central.store.run('DELETE FROM probe_submissions WHERE n >= 2');
    await central.store.run('DELETE FROM batch_items WHERE client_seq >= 3');
    expect(await engine.reconcileNow()).toEqual({ confirmed: 2, resent: 2 });
    engine.kick();
    await engine.waitForIdle(5_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 4, distinct: 4 });
    expect(await engine.reconcileNow()).toEqual({ confirmed: 2, resent: 0 });
    expect(outbox.list().map((e) => e.payload)).toEqual([null, null, null, null]);
    expect(outbox.list().every((e) => e.status === 'done' && e.confirmedAt)).toBe(true);
  });

  it('waits at least as long as Retry-After before sending again', async () => {
    const proxy = await startChaosProxy({ upstreamPort: central.port, faults: { status503: 1 }, retryAfterSeconds: 1 });
    try {
      baseUrl = proxy.url;
      enqueue(db, PROBE_KIND, { n: 1 });
      engine = makeEngine();
      const t0 = Date.now();
      engine.start();
      while (proxy.counts.status503 === 0) await new Promise((r) => setTimeout(r, 5));
      proxy.setFaults({});
      await engine.waitForIdle(5_000);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_000);
      expect(proxy.counts.status503).toBe(1);
      expect(await probeCounts(central.store)).toEqual({ rows: 1, distinct: 1 });
    } finally {
      await proxy.close();
    }
  });

  it('parks an entry too large for central alone and delivers the rest of its batch', async () => {
    enqueue(db, PROBE_KIND, { n: 1 });
    enqueue(db, PROBE_KIND, { n: 2, citizen: 'x'.repeat(33 * 1024 * 1024) });
    enqueue(db, PROBE_KIND, { n: 3 });
    engine = makeEngine();
    engine.start();
    await engine.waitForIdle(20_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 2, distinct: 2 });
    expect(outbox.list({ status: 'parked' }).map((e) => [e.id, e.lastError?.split(':')[0]])).toEqual([
      [2, 'PAYLOAD_TOO_LARGE'],
    ]);
  });

  it('keeps entries pending (not parked) when central refuses the credential', async () => {
    await revokeDevice(central.store, creds.deviceId);
    enqueue(db, PROBE_KIND, { n: 1 });
    engine = makeEngine();
    engine.start();
    const deadline = Date.now() + 3_000;
    while (engine.state().lastErrorKind !== 'unauthorized' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    expect(engine.state()).toMatchObject({ pending: 1, parked: 0, lastErrorKind: 'unauthorized' });
    expect(engine.detail().lastError).toContain('revoked');
  });

  it('tells a waiting caller when central answered for its entry, or null after the timeout', async () => {
    engine = makeEngine();
    engine.start();
    const { key } = enqueue(db, PROBE_KIND, { n: 7 });
    const entry = await engine.waitForEntry(key, 5_000);
    expect(entry).toMatchObject({ status: 'done', result: { receivedN: 7 } });
    await central.close();
    const offline = enqueue(db, PROBE_KIND, { n: 8 });
    const t0 = Date.now();
    expect(await engine.waitForEntry(offline.key, 300)).toBeNull();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
  });

  it('shows online with nothing to send, and notices central going away', async () => {
    engine = makeEngine({ idleProbeMs: 100 });
    engine.start();
    const until = async (want: boolean) => {
      const deadline = Date.now() + 3_000;
      while (engine.state().online !== want && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return engine.state();
    };
    expect(await until(true)).toMatchObject({ online: true, pending: 0 });
    await central.close();
    expect(await until(false)).toMatchObject({ online: false, lastErrorKind: 'offline' });
  });

  it('parks nothing when the configured URL is not a central (404): it backs off and says why', async () => {
    const other = await startCentral({ db: cdb.url, routes: [] });
    try {
      baseUrl = other.url;
      enqueue(db, PROBE_KIND, { n: 1 });
      enqueue(db, PROBE_KIND, { n: 2 });
      engine = makeEngine();
      engine.start();
      const deadline = Date.now() + 3_000;
      while (engine.state().lastErrorKind !== 'rejected_404' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(engine.state()).toMatchObject({ pending: 2, parked: 0, lastErrorKind: 'rejected_404' });
    } finally {
      await engine.stop();
      await other.close();
    }
  });
});
