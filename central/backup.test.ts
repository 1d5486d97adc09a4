import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../kiosk/store/db.node.ts';
import { CentralClient } from '../kiosk/sync/central-client.node.ts';
import type { Credentials } from '../kiosk/sync/credentials.node.ts';
import { SyncEngine } from '../kiosk/sync/engine.node.ts';
import { enqueue, Outbox } from '../kiosk/sync/outbox.node.ts';
import { centralCli } from './cli.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import {
  enrolTestDevice,
  makeTestDb,
  PROBE_KIND,
  probeCounts,
  routesWithProbe,
  testDialects,
  type TestDb,
} from './testing.node.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `npm run central -- backup|restore …` as an operator types it; answers the exit code and output. */
async function cli(args: string[]) {
  const lines: string[] = [];
  const code = await centralCli(args, { out: (l) => lines.push(l), err: (l) => lines.push(l), env: {} });
  return { code, output: lines.join('\n') };
}

/**
 * Issue 18: central's backup (pg_dump for PostgreSQL) and a tested restore. A kiosk's items
 * acknowledged after the backup are lost by the restore; the kiosk finds them with its
 * reconcile and sends them again, each exactly once (docs/sync.md "Central lost data").
 */
describe.each(testDialects())('central backup and restore on %s', (dialect) => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let db: Db;
  let engine: SyncEngine | undefined;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'central-backup-'));
    cdb = await makeTestDb(dialect);
    central = await startCentral({ db: cdb.url, routes: routesWithProbe });
    db = openDatabase(join(dir, 'kiosk.db'));
  });
  afterEach(async () => {
    await engine?.stop();
    engine = undefined;
    db.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores a backup, and the kiosk resends what the restored central lost, once', async () => {
    const e = await enrolTestDevice(central.store);
    const creds: Credentials = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
    const outbox = new Outbox(db);
    engine = new SyncEngine({
      outbox,
      client: new CentralClient({ baseUrl: central.url, credentials: () => creds, timeoutMs: 2_000 }),
      log: pino({ level: 'silent' }),
      batchSize: 40,
      backoffBaseMs: 30,
      backoffMaxMs: 500,
      probeIntervalMs: 50,
      confirmAfterMs: 3_000,
      reconcileIntervalMs: 200,
    });
    engine.start();
    for (let n = 0; n < 30; n++) enqueue(db, PROBE_KIND, { n, citizen: 'Lê Văn C' });
    await engine.waitForIdle(10_000);

    const file = join(dir, 'central.backup');
    const backup = await cli(['backup', '--db', cdb.url, '--file', file]);
    expect(backup.code, backup.output).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    for (let n = 30; n < 50; n++) enqueue(db, PROBE_KIND, { n, citizen: 'Lê Văn C' });
    await engine.waitForIdle(10_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 50, distinct: 50 });

    // Central stopped, restored from the backup, started again on the same port.
    const port = central.port;
    await central.close();
    const restore = await cli(['restore', '--db', cdb.url, '--file', file]);
    expect(restore.code, restore.output).toBe(0);
    central = await startCentral({ db: cdb.url, routes: routesWithProbe, port });
    expect(await probeCounts(central.store)).toEqual({ rows: 30, distinct: 30 });

    const deadline = Date.now() + 20_000;
    while ((await probeCounts(central.store)).rows < 50 && Date.now() < deadline) await sleep(100);
    await engine.waitForIdle(10_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 50, distinct: 50 });
    expect(engine.stats.resent).toBeGreaterThanOrEqual(20);
  }, 60_000);

  it('says what is wrong instead of crashing on a missing backup', async () => {
    const r = await cli(['restore', '--db', cdb.url, '--file', join(dir, 'nothing-here')]);
    expect(r.code).toBe(1);
    expect(r.output).toMatch(/no backup at/);
    expect((await cli(['backup', '--db', cdb.url])).code).toBe(2);
  });
});
