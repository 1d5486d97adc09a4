import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { sendHeartbeat } from './heartbeat.node.ts';
import { applySettings } from './settings.node.ts';
import { enrolKiosk } from './enrol.node.ts';
import { FleetResponse } from '../../protocol/fleet.ts';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { makeTestDb, OfficerClient, signedInOfficer, testDialects } from '../../central/testing.node.ts';
import { createOfficer } from '../../central/officers.node.ts';
import { PUSHABLE_KEYS } from './settings.node.ts';
import { KIOSK_PUSH_KEYS } from '../../protocol/fleet.ts';
import { pushKioskConfig, SILENT_AFTER_MS } from '../../central/routes/fleet.node.ts';

// The test sends each heartbeat itself (the kiosk's own minute timer would race it).
process.env.KIOSK_HEARTBEAT_MS = '0';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A central whose clock the test can move, and a real kiosk core (sim printer) enrolled with it. */
async function setup(dialect: 'sqlite' | 'postgres') {
  const db = await makeTestDb(dialect);
  let offsetMs = 0;
  const central: RunningCentral = await startCentral({ db: db.url, now: () => new Date(Date.now() + offsetMs) });
  cleanups.push(
    () => db.dispose(),
    () => central.close(),
  );
  await seedDemo(central.store);
  const dataDir = mkdtempSync(join(tmpdir(), 'fleet-kiosk-'));
  const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
  const { credentials } = await enrolKiosk({ centralUrl: central.url, code, dataDir, kioskName: 'Kiosk sảnh' });
  const kiosk: Appliance = await createAppliance(
    KioskConfig.parse({
      ...JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8')),
      dataDir,
      printer: 'sim',
      scanner: 'sim',
    }),
    {
      log: pino({ level: 'silent' }),
    },
  );
  cleanups.push(() => kiosk.close());
  const cookie = await signedInOfficer(central, { username: 'quanly.test' });
  const fleet = async () =>
    FleetResponse.parse(await (await fetch(`${central.url}/v1/fleet`, { headers: { cookie } })).json()).kiosks.find(
      (k) => k.deviceId === credentials.deviceId,
    )!;
  const page = async () => (await fetch(`${central.url}/fleet`, { headers: { cookie } })).text();
  const beat = () =>
    sendHeartbeat(kiosk.ctx, { applyConfig: async (values) => void (await applySettings(kiosk.ctx, values)) });
  return {
    central,
    kiosk,
    deviceId: credentials.deviceId,
    fleet,
    page,
    beat,
    moveCentralClock: (ms: number) => void (offsetMs += ms),
  };
}

describe.each(testDialects())('fleet inventory (%s)', (dialect) => {
  it('lists a kiosk red until its first heartbeat, then green with what it reported', async () => {
    const s = await setup(dialect);
    expect(await s.fleet()).toMatchObject({ health: 'red', problems: [{ code: 'noHeartbeat' }] });
    expect(await s.beat()).toMatchObject({ ok: true });
    const k = await s.fleet();
    expect(k).toMatchObject({ health: 'green', problems: [], name: 'Kiosk sảnh', version: s.kiosk.ctx.version });
    expect(k.heartbeat).toMatchObject({
      printer: { online: true, paperOut: false },
      scanner: { kind: 'sim', missing: false },
      outbox: { pending: 0, parked: 0 },
    });
    expect(await s.page()).toMatch(new RegExp(`data-device="${s.deviceId}" data-health="green"`));
  });

  it('turns a kiosk amber on the fleet page when its printer runs out of paper', async () => {
    const s = await setup(dialect);
    await s.beat();
    s.kiosk.ctx.printer.device.sim!.set({ paperOut: true });
    await s.kiosk.ctx.printer.status({ refresh: true });
    await s.beat();
    const page = await s.page();
    expect(page).toMatch(new RegExp(`data-device="${s.deviceId}" data-health="amber"`));
    expect(page).toContain('máy in hết giấy / printer: paper out');
    expect(page).toContain('Cần xem / Attention');
  });

  it('turns a kiosk red when it stops sending heartbeats', async () => {
    const s = await setup(dialect);
    await s.beat();
    s.moveCentralClock(SILENT_AFTER_MS + 60_000);
    expect(await s.fleet()).toMatchObject({ health: 'red', problems: [{ code: 'silent', n: expect.any(Number) }] });
  });

  it('delivers configuration pushed by central with the next heartbeat, once', async () => {
    const s = await setup(dialect);
    await s.beat();
    await pushKioskConfig(s.central.store, s.deviceId, {
      timeouts: { idleWarningMs: 45_000, warningMs: 25_000, attractMs: 90_000 },
    });
    const applied = await s.beat();
    expect(applied).toMatchObject({ ok: true, applied: { revision: 1 } });
    expect(s.kiosk.ctx.config.timeouts.idleWarningMs).toBe(45_000);
    expect(JSON.parse(readFileSync(join(s.kiosk.ctx.dataDir, 'kiosk.json'), 'utf8')).timeouts.idleWarningMs).toBe(
      45_000,
    );
    expect(await s.beat()).toMatchObject({ ok: true, applied: null });
    expect((await s.fleet()).heartbeat?.configRevision).toBe(1);
  });

  it('an office admin pushes settings from the safe list; the kiosk takes them with its next heartbeat', async () => {
    const s = await setup(dialect);
    await s.beat();
    await createOfficer(s.central.store, {
      officeId: DEMO_OFFICE_ID,
      username: 'quantri.day',
      displayName: 'Quản trị',
      password: 'dung-mat-khau',
      roles: ['admin'],
    });
    const admin = new OfficerClient(s.central.url);
    expect((await admin.signIn('quantri.day', 'dung-mat-khau')).status).toBe(200);
    const A = `/v1/admin/offices/${DEMO_OFFICE_ID}`;
    const push = (values: unknown, deviceId = s.deviceId) =>
      admin.req('POST', `${A}/kiosks/settings`, { deviceId, values });
    // Only the safe list: no address, no device path, nothing empty, no other office's kiosk.
    expect((await push({ centralUrl: 'http://10.0.0.9' })).status).toBe(400);
    expect((await push({ printer: 'file:/etc/passwd' })).status).toBe(400);
    expect((await push({})).status).toBe(400);
    expect((await push({ textSize: 'large' }, 'not-a-kiosk-of-ours')).status).toBe(404);

    expect(await push({ textSize: 'large', printerMode: 'raster', officeName: 'UBND phường Tân Thành' })).toMatchObject(
      {
        status: 200,
        body: { revision: 1 },
      },
    );
    const waiting = (await admin.req('GET', `${A}/kiosks`)).body.kiosks[0];
    expect(waiting.pushed).toMatchObject({ revision: 1, applied: false, values: { textSize: 'large' } });
    expect(await s.beat()).toMatchObject({ ok: true, applied: { revision: 1 } });
    expect(s.kiosk.ctx.config).toMatchObject({
      textSize: 'large',
      printerMode: 'raster',
      officeName: 'UBND phường Tân Thành',
    });
    // The kiosk's next heartbeat reports the revision it now runs: the admin app says applied.
    await s.beat();
    expect((await admin.req('GET', `${A}/kiosks`)).body.kiosks[0].pushed).toMatchObject({ revision: 1, applied: true });
  });
});

describe('the safe list', () => {
  it('the kiosk accepts every setting the admin app may push', () => {
    for (const key of KIOSK_PUSH_KEYS) expect(PUSHABLE_KEYS).toContain(key);
  });
});
