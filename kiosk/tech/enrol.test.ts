import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { issueEnrolCode, revokeDevice } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { makeTestDb, testDialects, type TestDb } from '../../central/testing.node.ts';
import { KioskConfig, loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { CentralClientError } from '../sync/central-client.node.ts';
import { enrolKiosk } from './enrol.node.ts';

// Heartbeats are sent by the test itself.
process.env.KIOSK_HEARTBEAT_MS = '0';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function central(dialect: 'sqlite' | 'postgres'): Promise<RunningCentral> {
  const db: TestDb = await makeTestDb(dialect);
  const c = await startCentral({ db: db.url });
  cleanups.push(
    () => db.dispose(),
    () => c.close(),
  );
  await seedDemo(c.store);
  return c;
}

async function appliance(centralUrl: string): Promise<Appliance> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tech-enrol-'));
  const a = await createAppliance(
    KioskConfig.parse({ dataDir, centralUrl, printer: 'sim', scanner: 'sim', hostPort: 0 }),
    { log: pino({ level: 'silent' }) },
  );
  cleanups.push(() => a.close());
  return a;
}

describe.each(testDialects())('enrolment against a real central (%s)', (dialect) => {
  it('gives the kiosk its device id and a credential readable only by its owner', async () => {
    const c = await central(dialect);
    const { code } = await issueEnrolCode(c.store, { officeId: DEMO_OFFICE_ID });
    const dataDir = mkdtempSync(join(tmpdir(), 'tech-enrol-'));
    const { credentials } = await enrolKiosk({
      centralUrl: c.url,
      code: code.toLowerCase(),
      dataDir,
      kioskName: 'Kiosk sảnh A',
    });
    expect(credentials.deviceId).toMatch(/^dev_/);
    expect(statSync(join(dataDir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'kiosk.json'), 'utf8')).not.toContain(credentials.token);
    const config = loadConfig({ KIOSK_DATA_DIR: dataDir });
    expect(config).toMatchObject({
      kioskId: credentials.deviceId,
      kioskName: 'Kiosk sảnh A',
      officeId: DEMO_OFFICE_ID,
      centralUrl: c.url,
    });
    const devices = await c.store.all<{ id: string; name: string }>('SELECT id, name FROM devices');
    expect(devices).toEqual([{ id: credentials.deviceId, name: 'Kiosk sảnh A' }]);
  });

  it('refuses a code that was already used, and a code that was never issued', async () => {
    const c = await central(dialect);
    const { code } = await issueEnrolCode(c.store, { officeId: DEMO_OFFICE_ID });
    await enrolKiosk({ centralUrl: c.url, code, dataDir: mkdtempSync(join(tmpdir(), 'tech-enrol-')) });
    const second = mkdtempSync(join(tmpdir(), 'tech-enrol-'));
    const reused = await enrolKiosk({ centralUrl: c.url, code, dataDir: second }).catch((e: unknown) => e);
    expect(reused).toBeInstanceOf(CentralClientError);
    expect(reused).toMatchObject({ kind: 'UNAUTHORIZED', code: 'ENROL_CODE_INVALID' });
    const wrong = await enrolKiosk({ centralUrl: c.url, code: 'ABCD-EFGH', dataDir: second }).catch((e: unknown) => e);
    expect(wrong).toMatchObject({ kind: 'UNAUTHORIZED', code: 'ENROL_CODE_INVALID' });
    // Nothing half-written for the refused kiosk.
    expect(() => statSync(join(second, 'credentials.json'))).toThrow();
    expect(await c.store.all('SELECT id FROM devices')).toHaveLength(1);
  });

  it('runs the setup wizard calls: offices, enrol, test print and scan, PIN; then the kiosk is provisioned', async () => {
    const c = await central(dialect);
    const a = await appliance(c.url);
    const call = (name: string, input: unknown = {}) => a.dispatch(name, input, { carrier: 'test' });
    expect(await call('tech.provisioningState')).toMatchObject({
      ok: true,
      value: { provisioned: false, enrolled: false },
    });
    const offices = await call('tech.setupOffices', { centralUrl: c.url });
    expect(offices).toMatchObject({
      ok: true,
      value: { offices: expect.arrayContaining([expect.objectContaining({ id: DEMO_OFFICE_ID })]) },
    });

    expect(
      await call('tech.setupEnrol', {
        centralUrl: c.url,
        code: 'ZZZZ-ZZZZ',
        kioskName: 'Kiosk 1',
        officeId: DEMO_OFFICE_ID,
      }),
    ).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
    const { code } = await issueEnrolCode(c.store, { officeId: DEMO_OFFICE_ID });
    const enrolled = await call('tech.setupEnrol', {
      centralUrl: c.url,
      code,
      kioskName: 'Kiosk 1',
      officeId: DEMO_OFFICE_ID,
    });
    expect(enrolled).toMatchObject({ ok: true, value: { officeId: DEMO_OFFICE_ID, officeMatches: true } });
    expect(await call('tech.provisioningState')).toMatchObject({
      value: { provisioned: false, enrolled: true, setupPending: true },
    });

    expect(await call('tech.setupFinish', { pin: '246810' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await call('tech.setupTestPrint')).toMatchObject({ ok: true });
    expect(await call('scans.simulate', { text: 'HELLO-123' })).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 50));
    const done = await call('tech.setupFinish', { pin: '246810' });
    expect(done).toMatchObject({ ok: true, value: { provisioned: true, pinSet: true } });

    // Provisioned: the setup calls are closed to anyone without the technician PIN.
    expect(await call('tech.setupDevices')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('tech.unlock', { pin: '246810' })).toMatchObject({ ok: true });
    expect(await call('tech.setupDevices')).toMatchObject({ ok: true });
    const audit = a.ctx.db.prepare("SELECT action FROM audit_log WHERE actor = 'technician' ORDER BY id").pluck().all();
    expect(audit).toEqual(['tech.enrol.failed', 'tech.enrolled', 'tech.setupFinished', 'tech.opened']);
  });

  it('notices a revoked device: central answers DEVICE_REVOKED to its heartbeat', async () => {
    const c = await central(dialect);
    const a = await appliance(c.url);
    const { code } = await issueEnrolCode(c.store, { officeId: DEMO_OFFICE_ID });
    const enrolled = await a.dispatch(
      'tech.setupEnrol',
      { centralUrl: c.url, code, kioskName: 'Kiosk 2', officeId: DEMO_OFFICE_ID },
      { carrier: 'test' },
    );
    expect(enrolled.ok).toBe(true);
    const { sendHeartbeat } = await import('./heartbeat.node.ts');
    expect(await sendHeartbeat(a.ctx, { applyConfig: async () => undefined })).toMatchObject({ ok: true });
    await revokeDevice(c.store, (enrolled as { value: { deviceId: string } }).value.deviceId);
    const refused = await sendHeartbeat(a.ctx, { applyConfig: async () => undefined });
    expect(refused).toMatchObject({ ok: false, kind: 'UNAUTHORIZED' });
    expect(refused.ok === false && refused.message).toMatch(/revoked/);
  });
});
