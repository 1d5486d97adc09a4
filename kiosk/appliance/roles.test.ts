import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { calls, type CallName } from '../../contract/api.ts';
import { loadConfig } from '../config/config.node.ts';
import { saveCredentials } from '../sync/credentials.node.ts';
import { recentAudit } from '../tech/audit.node.ts';
import { createAppliance, type Appliance } from './appliance.node.ts';

const byRole = (role: string) => (Object.keys(calls) as CallName[]).filter((name) => calls[name].role === role);
const PIN = '135790';

describe('call roles, enforced by the dispatcher', () => {
  let appliance: Appliance | undefined;
  afterEach(async () => {
    await appliance?.close();
    appliance = undefined;
    delete process.env.KIOSK_TECH_PIN;
  });

  const provisioned = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-roles-'));
    saveCredentials(dataDir, {
      deviceId: 'dev_roles_test_01',
      token: 'x'.repeat(40),
      officeId: 'ca-mau-an-xuyen',
      officeName: 'UBND',
      centralUrl: 'http://127.0.0.1:9',
      enrolledAt: new Date().toISOString(),
    });
    process.env.KIOSK_TECH_PIN = PIN;
    appliance = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }));
    return appliance;
  };

  it('marks the outbox, settings, logs, PIN and demo-payment calls technician-only in the contract', () => {
    expect(byRole('technician')).toEqual(
      expect.arrayContaining([
        'sync.export',
        'sync.entries',
        'sync.detail',
        'sync.retry',
        'sync.now',
        'tech.settingsSet',
        'tech.logs',
        'tech.setPin',
        'payments.demoConfirm',
        'payments.recent',
        'devices.printTest',
      ]),
    );
    expect(byRole('setup')).toEqual(expect.arrayContaining(['tech.setupEnrol', 'tech.setupFinish']));
  });

  it('refuses every technician-only and setup call of a provisioned kiosk without technician mode, whatever the input', async () => {
    const a = await provisioned();
    const guarded = [...byRole('technician'), ...byRole('setup')];
    expect(guarded.length).toBeGreaterThan(15);
    for (const name of guarded) {
      for (const input of [{}, { all: true }, { id: 1 }]) {
        const r = await a.dispatch(name, input, { carrier: 'web' });
        expect({ name, r }).toMatchObject({ name, r: { ok: false, error: { code: 'FORBIDDEN' } } });
      }
    }
    // Nothing was retried, kicked or exported.
    expect(recentAudit(a.ctx.db).map((r) => r.action)).not.toContain('sync.export');
  });

  it('lets them through once technician mode is open, and audits the export of parked entries', async () => {
    const a = await provisioned();
    expect(await a.dispatch('tech.unlock', { pin: PIN }, { carrier: 'web' })).toMatchObject({ ok: true });
    const r = await a.dispatch('sync.export', {}, { carrier: 'web' });
    expect(r).toMatchObject({ ok: true, value: { count: 0 } });
    expect(recentAudit(a.ctx.db).find((row) => row.action === 'sync.export')).toMatchObject({ actor: 'technician' });
    expect(await a.dispatch('sync.detail', {}, { carrier: 'web' })).toMatchObject({ ok: true });
    expect(await a.dispatch('tech.lock', {}, { carrier: 'web' })).toMatchObject({ ok: true });
    expect(await a.dispatch('sync.export', {}, { carrier: 'web' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('keeps the setup calls open while the kiosk is not provisioned', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-roles-'));
    appliance = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }));
    expect(await appliance.dispatch('tech.setupDevices', {}, { carrier: 'web' })).toMatchObject({ ok: true });
    expect(await appliance.dispatch('sync.entries', {}, { carrier: 'web' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
