import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { pushKioskConfig } from '../../central/routes/fleet.node.ts';
import { startCentral } from '../../central/server.node.ts';
import { makeTestDb } from '../../central/testing.node.ts';
import { ConfigError, KioskConfig, loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { recentAudit } from './audit.node.ts';
import { enrolKiosk } from './enrol.node.ts';

// The test sends each heartbeat itself (tech.heartbeat), not the minute timer.
process.env.KIOSK_HEARTBEAT_MS = '0';
const PIN = '135790';
/** A name that never resolves (RFC 2606): nothing leaves this machine even without the rule. */
const REMOTE_HTTP = 'http://central.kiosk.invalid:8620';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  delete process.env.KIOSK_TECH_PIN;
});

describe('settings central pushes (19.4)', () => {
  it('applies safe keys but never the central address, device paths or the transport policy', async () => {
    const db = await makeTestDb('sqlite');
    const central = await startCentral({ db: db.url });
    cleanups.push(
      () => db.dispose(),
      () => central.close(),
    );
    await seedDemo(central.store);
    const dataDir = mkdtempSync(join(tmpdir(), 'push-kiosk-'));
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const { credentials } = await enrolKiosk({ centralUrl: central.url, code, dataDir, kioskName: 'Kiosk sảnh' });
    process.env.KIOSK_TECH_PIN = PIN;
    const kiosk: Appliance = await createAppliance(
      KioskConfig.parse({
        ...JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8')),
        dataDir,
        printer: 'sim',
        scanner: 'sim',
      }),
      { log: pino({ level: 'silent' }) },
    );
    cleanups.push(() => kiosk.close());
    expect(await kiosk.dispatch('tech.unlock', { pin: PIN }, { carrier: 'test' })).toMatchObject({ ok: true });

    await pushKioskConfig(central.store, credentials.deviceId, {
      centralUrl: 'http://127.0.0.2:9',
      printer: `file:${join(dataDir, 'stolen.bin')}`,
      scanner: 'serial:/dev/ttyS9',
      allowInsecureCentral: true,
      textSize: 'large',
    });
    expect(await kiosk.dispatch('tech.heartbeat', {}, { carrier: 'test' })).toMatchObject({
      ok: true,
      value: { ok: true },
    });

    expect(kiosk.ctx.config).toMatchObject({
      centralUrl: central.url,
      printer: 'sim',
      scanner: 'sim',
      allowInsecureCentral: false,
      textSize: 'large',
    });
    const file = JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8'));
    expect(file).toMatchObject({ centralUrl: central.url, textSize: 'large' });
    expect(file).not.toHaveProperty('printer');
    expect(file).not.toHaveProperty('allowInsecureCentral');
    const audit = recentAudit(kiosk.ctx.db);
    expect(audit.find((r) => r.action === 'config.pushRefused')?.detail).toBe(
      JSON.stringify({ keys: ['centralUrl', 'printer', 'scanner', 'allowInsecureCentral'] }),
    );
    expect(audit.find((r) => r.action === 'config.pushed')?.detail).toBe(JSON.stringify({ keys: ['textSize'] }));
  });
});

describe('plain http:// to another machine (19.5)', () => {
  it('stops start-up with a message in Vietnamese and English naming the setting', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'transport-'));
    let error: unknown;
    try {
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: REMOTE_HTTP });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/KIOSK_CENTRAL_URL \(centralUrl\).*không mã hóa.*unencrypted http:\/\//);
    // https://, loopback http:// and an explicit technician choice are accepted.
    expect(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'https://central.kiosk.invalid' }).centralUrl).toBe(
      'https://central.kiosk.invalid',
    );
    for (const url of ['http://127.0.0.1:8620', 'http://localhost:8620', 'http://[::1]:8620'])
      expect(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: url }).centralUrl).toBe(url);
    writeFileSync(join(dataDir, 'kiosk.json'), JSON.stringify({ allowInsecureCentral: true }));
    expect(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: REMOTE_HTTP }).centralUrl).toBe(REMOTE_HTTP);
  });

  it('is refused by the setup wizard and by enrolment before any code is sent', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'transport-'));
    const kiosk = await createAppliance(KioskConfig.parse({ dataDir, printer: 'sim', scanner: 'sim' }), {
      log: pino({ level: 'silent' }),
    });
    cleanups.push(() => kiosk.close());
    for (const [name, input] of [
      ['tech.setupOffices', { centralUrl: REMOTE_HTTP }],
      [
        'tech.setupEnrol',
        { centralUrl: REMOTE_HTTP, code: 'ABCD-EFGH', kioskName: 'Kiosk 1', officeId: DEMO_OFFICE_ID },
      ],
    ] as const) {
      expect(await kiosk.dispatch(name, input, { carrier: 'test' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT', message: expect.stringContaining('https://') },
      });
    }
    await expect(enrolKiosk({ centralUrl: REMOTE_HTTP, code: 'ABCD-EFGH', dataDir })).rejects.toThrow(
      /unencrypted http:\/\//,
    );
  });
});
