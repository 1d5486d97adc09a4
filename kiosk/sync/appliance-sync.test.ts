import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { makeTestDb, probeCounts, PROBE_KIND, routesWithProbe, type TestDb } from '../../central/testing.node.ts';
import type { SyncState } from '../../contract/api.ts';
import { KioskConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { credentialsFile, CredentialStore } from './credentials.node.ts';
import { enrolKiosk } from './enrol.node.ts';

describe('the appliance’s sync wiring', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let appliance: Appliance | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'appliance-sync-'));
    process.env.KIOSK_TECH_PIN = '135790';
    cdb = await makeTestDb('sqlite');
    central = await startCentral({ db: cdb.url, routes: routesWithProbe });
    await seedDemo(central.store);
  });
  afterEach(async () => {
    await appliance?.close();
    appliance = undefined;
    delete process.env.KIOSK_TECH_PIN;
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols with a code, stores the credential privately, syncs the outbox and pushes sync.state', async () => {
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const creds = await enrolKiosk({
      centralUrl: central.url,
      code,
      kioskName: 'Kiosk sảnh A',
      store: new CredentialStore(dir),
    });
    expect(creds.officeId).toBe(DEMO_OFFICE_ID);
    expect(statSync(credentialsFile(dir)).mode & 0o777).toBe(0o600);

    const config = KioskConfig.parse({
      dataDir: dir,
      centralUrl: central.url,
      kioskId: 'kiosk-a',
      officeId: DEMO_OFFICE_ID,
    });
    appliance = await createAppliance(config, { log: pino({ level: 'silent' }) });
    const states: SyncState[] = [];
    appliance.events.subscribe((name, payload) => name === 'sync.state' && states.push(payload as SyncState));

    const { ctx } = appliance;
    ctx.db.transaction(() => {
      for (let n = 0; n < 3; n++) ctx.outbox.enqueue(PROBE_KIND, { n });
    })();
    await ctx.sync.waitForIdle(10_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 3, distinct: 3 });

    const state = await appliance.dispatch('app.syncState', {}, { carrier: 'test' });
    expect(state).toMatchObject({ ok: true, value: { online: true, pending: 0, parked: 0 } });
    expect(states.at(-1)).toMatchObject({ online: true, pending: 0 });
    expect(await appliance.dispatch('sync.detail', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await appliance.dispatch('tech.unlock', { pin: '135790' }, { carrier: 'test' })).toMatchObject({ ok: true });
    const detail = await appliance.dispatch('sync.detail', {}, { carrier: 'test' });
    expect(detail).toMatchObject({
      ok: true,
      value: { enrolled: true, deviceId: creds.deviceId, officeId: DEMO_OFFICE_ID },
    });

    // The office configuration was pulled in the background and is there offline.
    await new Promise((r) => setTimeout(r, 200));
    expect(ctx.cache.list().map((p) => p.name)).toContain('office-config');
  });

  it('reports offline and queues when central is gone, then delivers when it returns', async () => {
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    await enrolKiosk({ centralUrl: central.url, code, kioskName: 'Kiosk B', store: new CredentialStore(dir) });
    const port = central.port;
    await central.close();
    const config = KioskConfig.parse({
      dataDir: dir,
      centralUrl: central.url,
      kioskId: 'kiosk-b',
      officeId: DEMO_OFFICE_ID,
    });
    appliance = await createAppliance(config, { log: pino({ level: 'silent' }) });
    const { ctx } = appliance;
    ctx.outbox.enqueue(PROBE_KIND, { n: 1 });
    const deadline = Date.now() + 5_000;
    while (ctx.sync.state().lastErrorKind !== 'offline' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(ctx.sync.state()).toMatchObject({ online: false, pending: 1, lastErrorKind: 'offline' });
    central = await startCentral({ db: cdb.url, routes: routesWithProbe, port });
    // The engine probes every 2 s by default.
    await ctx.sync.waitForIdle(10_000);
    expect(await probeCounts(central.store)).toEqual({ rows: 1, distinct: 1 });
    expect(ctx.sync.state().online).toBe(true);
  });
});
