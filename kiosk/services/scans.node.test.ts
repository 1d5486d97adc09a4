import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair } from '../../test/support/pty.ts';
import { SYNTHETIC_CCCD } from '../../drivers/id/fixtures.ts';
import type { ScanReceived, ScannerStatus } from '../../contract/domains/scans.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function kiosk(scanner: string) {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-scans-'));
  const appliance: Appliance = await createAppliance(
    loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9', KIOSK_SCANNER: scanner }),
  );
  cleanups.push(() => appliance.close());
  const received: ScanReceived[] = [];
  const statuses: ScannerStatus[] = [];
  appliance.events.subscribe((name, payload) => {
    if (name === 'scan.received') received.push(payload as ScanReceived);
    if (name === 'scanner.status') statuses.push(payload as ScannerStatus);
  });
  const call = (name: string, input: unknown) => appliance.dispatch(name, input, { carrier: 'test' });
  return { appliance, received, statuses, call };
}

async function until(check: () => boolean, what: string) {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the kiosk scan stream', () => {
  it('pushes a simulated scan to the renderer, classified, with its source', async () => {
    const { received, call } = await kiosk('sim');
    expect(await call('scans.simulate', { text: '000.00.12.H12-250315-0001' })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      source: 'sim',
      result: { kind: 'dossier', dossier: { code: '000.00.12.H12-250315-0001' } },
    });
  });

  it('classifies what the renderer submits, answers it and pushes it into the same stream', async () => {
    const { received, call } = await kiosk('hid');
    const answer = await call('scans.submit', { text: SYNTHETIC_CCCD, source: 'hid' });
    expect(answer).toMatchObject({
      ok: true,
      value: { kind: 'cccd', source: 'hid', cccd: { fullName: 'Nguyễn Thị Ánh Tuyết' } },
    });
    expect(received.map((r) => r.result.kind)).toEqual(['cccd']);
  });

  it('classifies without pushing when only asked what a text means', async () => {
    const { received, call } = await kiosk('sim');
    expect(await call('scans.classify', { text: 'OSK1:T:abc' })).toMatchObject({
      ok: true,
      value: { kind: 'ticket', ticket: { ticketId: 'abc' } },
    });
    expect(received).toEqual([]);
  });

  it('refuses to simulate a scan on a kiosk with a real scanner', async () => {
    const { call } = await kiosk('hid');
    expect(await call('scans.simulate', { text: 'x' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('keeps running with a scanner URI it cannot understand, and says why', async () => {
    const { call } = await kiosk('serial:relative/path');
    expect(await call('scans.status', {})).toMatchObject({ ok: true, value: { kind: 'invalid', state: 'error' } });
  });

  it('reads a CCCD from a serial scanner on a pseudo-terminal into the stream', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const { received, call } = await kiosk(`serial:${pair.a}?baud=9600&terminator=CR`);
    expect(await call('scans.status', {})).toMatchObject({ ok: true, value: { kind: 'serial', state: 'ready' } });
    const device = new SerialPort({ path: pair.b, baudRate: 9600 });
    cleanups.push(() => new Promise((resolve) => device.close(() => resolve())));
    device.write(`${SYNTHETIC_CCCD}\r`);
    await until(() => received.length === 1, 'the serial scan');
    expect(received[0]).toMatchObject({
      source: 'serial',
      result: { kind: 'cccd', cccd: { id: '096190012345', birthDate: '1990-03-15' } },
    });
  });
});
