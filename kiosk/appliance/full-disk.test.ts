import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { signedInOfficer } from '../../central/testing.node.ts';
import { FleetResponse } from '../../protocol/fleet.ts';
import { mountSmallDisk, type FullDisk } from '../../test/support/full-disk.ts';
import type { StorageState } from '../../contract/api.ts';
import { KioskConfig } from '../config/config.node.ts';
import { SAMPLE_VALUES } from '../../contract/forms/samples.ts';
import { CredentialStore } from '../sync/credentials.node.ts';
import { enrolKiosk } from '../sync/enrol.node.ts';
import { diagnostics } from '../tech/diagnostics.node.ts';
import { sendHeartbeat } from '../tech/heartbeat.node.ts';
import { createAppliance, type Appliance } from './appliance.node.ts';

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/**
 * The kiosk's data directory on a real filesystem that fills up (a 24 MiB tmpfs), with the
 * real logger (pino-roll in its worker thread) writing there too.
 */
describe('a full disk', () => {
  let centralDir: string;
  let central: RunningCentral;
  let disk: FullDisk;
  let appliance: Appliance | undefined;

  beforeEach(async () => {
    centralDir = mkdtempSync(join(tmpdir(), 'fulldisk-central-'));
    central = await startCentral({ db: join(centralDir, 'central.sqlite') });
    await seedDemo(central.store);
    disk = mountSmallDisk(24 * 1024 * 1024);
  });
  afterEach(async () => {
    await appliance?.close();
    appliance = undefined;
    disk.unmount();
    await central.close();
    rmSync(centralDir, { recursive: true, force: true });
  });

  it('never takes the kiosk down: the citizen is told it paused taking dossiers, the technician and the fleet page see it, acknowledged dossiers stay, and it resumes once space is back', async () => {
    const dataDir = disk.dir;
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    await enrolKiosk({
      centralUrl: central.url,
      code,
      kioskName: 'Kiosk đầy đĩa',
      store: new CredentialStore(dataDir),
    });
    const config = KioskConfig.parse({
      dataDir,
      centralUrl: central.url,
      kioskId: 'kiosk-full',
      officeId: DEMO_OFFICE_ID,
      printer: 'sim',
    });
    // The real logger on the same disk (no `log` option).
    appliance = await createAppliance(config, {
      storage: { minFreeBytes: 512 * 1024, intervalMs: 100, fullIntervalMs: 100 },
    });
    const { ctx, dispatch } = appliance;
    const states: StorageState[] = [];
    appliance.events.subscribe((name, payload) => name === 'storage.state' && states.push(payload as StorageState));
    const submit = (applicantName: string) =>
      dispatch(
        'submission.submit',
        { procedureCode: '2.000635', values: { ...SAMPLE_VALUES['2.000635'], applicantName }, consent: true },
        { carrier: 'test' },
      );

    const before = await submit('Lê Văn Trước');
    expect(before).toMatchObject({ ok: true });
    expect(await dispatch('app.storageState', {}, { carrier: 'test' })).toMatchObject({
      ok: true,
      value: { full: false },
    });

    // Fill the disk, then make the logger hit ENOSPC in its worker thread.
    expect(disk.fill()).toBeGreaterThan(0);
    for (let i = 0; i < 3_000; i++) ctx.log.warn({ i, pad: 'x'.repeat(500) }, 'filling the log on a full disk');
    await until('the log to notice the full disk', () => !ctx.logHealth().ok);
    await until('the storage state to say full', () => states.some((s) => s.full));
    expect(ctx.logHealth().lastError).toMatch(/ENOSPC/);

    // The citizen: a clear state, not "internal error".
    expect(await dispatch('app.storageState', {}, { carrier: 'test' })).toMatchObject({
      ok: true,
      value: { full: true },
    });
    expect(await submit('Lê Văn Trong')).toMatchObject({ ok: false, error: { code: 'STORAGE_FULL' } });
    // The technician's diagnostics and the fleet page.
    const diag = await diagnostics(ctx);
    expect(diag.storage).toMatchObject({ full: true });
    expect(diag.log).toMatchObject({ ok: false });
    expect(await sendHeartbeat(ctx, { applyConfig: async () => {} })).toMatchObject({ ok: true });
    const cookie = await signedInOfficer(central, { username: 'quanly.test' });
    const fleet = FleetResponse.parse(await (await fetch(`${central.url}/v1/fleet`, { headers: { cookie } })).json());
    const me = fleet.kiosks.find((k) => k.name === 'Kiosk đầy đĩa');
    expect(me).toMatchObject({ health: 'red', heartbeat: { storage: { full: true } } });
    expect(me?.problems).toContainEqual({ code: 'diskFull' });

    // Everything acknowledged is still there, and the database is sound.
    expect(ctx.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(ctx.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(1);

    // Space comes back: the kiosk takes dossiers again and sends them.
    disk.free();
    await until('the storage state to clear', () => !ctx.storage.state().full);
    const after = await submit('Lê Văn Sau');
    expect(after).toMatchObject({ ok: true });
    await ctx.sync.waitForIdle(10_000);
    expect(ctx.db.prepare("SELECT COUNT(*) FROM dossiers WHERE status = 'accepted'").pluck().get()).toBe(2);
  }, 60_000);
});
