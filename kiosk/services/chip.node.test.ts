import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeAuthority } from '../../drivers/chip/cardimage.node.ts';
import type { ChipRead, IdReaderStatus } from '../../contract/domains/chip.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance } from '../appliance/appliance.node.ts';
import { devicesCommand } from '../cli/commands/devices.node.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function kiosk(env: Record<string, string>) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-chip-'));
  const appliance = await createAppliance(
    loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9', ...env }),
  );
  cleanups.push(() => appliance.close());
  const statuses: IdReaderStatus[] = [];
  appliance.events.subscribe((name, payload) => {
    if (name === 'chip.status') statuses.push(payload as IdReaderStatus);
  });
  const call = (name: string, input: unknown) => appliance.dispatch(name, input, { carrier: 'test' });
  return { appliance, statuses, call, dataDir };
}

const keyOf = (mrz: string[]) => ({
  documentNumber: mrz[0]!.slice(5, 14).replace(/<+$/, ''),
  birthDate: mrz[1]!.slice(0, 6),
  expiryDate: mrz[1]!.slice(8, 14),
});

describe('the kiosk chip reader (sim) through the kiosk API', () => {
  it('a placed card is read, verified, and its presence pushed; a tampered one is refused', async () => {
    const k = await kiosk({ KIOSK_IDREADER: 'sim' });
    const none = (await k.call('chip.read', {
      documentNumber: '190012345',
      birthDate: '900315',
      expiryDate: '300315',
    })) as { ok: true; value: ChipRead };
    expect(none.value).toMatchObject({ ok: false, code: 'NO_CARD' });

    const placed = (await k.call('chip.simulate', { action: 'insert' })) as { ok: true; value: { mrz: string[] } };
    expect(k.statuses.at(-1)).toMatchObject({ kind: 'sim', state: 'ready', card: true });
    const read = (await k.call('chip.read', keyOf(placed.value.mrz))) as { ok: true; value: ChipRead };
    expect(read.value).toMatchObject({ ok: true, verified: true, person: { id: '096190012345' } });

    const tampered = (await k.call('chip.simulate', { action: 'insert', tampered: true })) as {
      ok: true;
      value: { mrz: string[] };
    };
    const bad = (await k.call('chip.read', keyOf(tampered.value.mrz))) as { ok: true; value: ChipRead };
    expect(bad.value).toMatchObject({ ok: false, code: 'PA_HASH' });

    await k.call('chip.simulate', { action: 'remove' });
    expect(k.statuses.at(-1)).toMatchObject({ card: false });
  });

  it('refuses a malformed MRZ key at the boundary', async () => {
    const k = await kiosk({ KIOSK_IDREADER: 'sim' });
    const r = await k.call('chip.read', { documentNumber: 'abc;--', birthDate: '9003', expiryDate: '300315' });
    expect(r).toMatchObject({ ok: false });
  });

  it('chip.simulate is forbidden for a real reader; a bad CSCA file is reported, the kiosk runs on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-csca-'));
    writeFileSync(join(dir, 'bad.pem'), 'not a certificate');
    const k = await kiosk({ KIOSK_IDREADER: 'none', KIOSK_CSCA_FILE: join(dir, 'bad.pem') });
    expect(await k.call('chip.simulate', { action: 'remove' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const s = (await k.call('chip.status', {})) as { ok: true; value: IdReaderStatus };
    expect(s.value).toMatchObject({ kind: 'none', cscaCount: 0 });
    expect(s.value.detail).toContain('CSCA');
  });

  it('kioskctl devices lists the chip reader and its CSCA list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kiosk-csca-'));
    const authority = await makeAuthority();
    writeFileSync(join(dir, 'csca.pem'), authority.cscaPem);
    const out: string[] = [];
    const code = await devicesCommand.run(['--json'], {
      env: {
        KIOSK_DATA_DIR: dir,
        KIOSK_IDREADER: 'sim',
        KIOSK_CSCA_FILE: join(dir, 'csca.pem'),
        KIOSK_PRINTER: 'sim',
        KIOSK_SCANNER: 'sim',
      },
      out: (s: string) => out.push(s),
      err: (s: string) => out.push(s),
    });
    expect(code).toBe(0);
    const parsed = JSON.parse(out.join('\n')) as { devices: Array<{ role: string; status: string; detail?: string }> };
    expect(parsed.devices.find((d) => d.role === 'idreader')).toMatchObject({
      status: 'simulated',
      detail: expect.stringContaining('csca.pem'),
    });
  });
});
