import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../../test/support/pty.ts';
import { SYNTHETIC_CCCD, SYNTHETIC_MRZ } from '../../../drivers/id/fixtures.ts';
import { main } from '../kioskctl.node.ts';

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    env: { KIOSK_DATA_DIR: mkdtempSync(join(tmpdir(), 'kioskctl-')), ...env },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const pairs: PtyPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

describe('kioskctl decode', () => {
  it('explains a CCCD QR field by field', async () => {
    const r = await run(['decode', SYNTHETIC_CCCD]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('CCCD QR');
    expect(r.out).toContain('Nguyễn Thị Ánh Tuyết');
    expect(r.out).toContain('096 Cà Mau');
  });

  it('prints the typed result as JSON with --json', async () => {
    const r = await run(['decode', '--json', SYNTHETIC_MRZ.join('\n')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ kind: 'mrz', mrz: { personalId: '096190012345' } });
  });

  it('shows a bad read in Vietnamese and English and exits 1', async () => {
    const r = await run(['decode', SYNTHETIC_CCCD.slice(0, 40)]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('CCCD_TRUNCATED');
    expect(r.out).toContain('Vui lòng quét lại');
    expect(r.out).toContain('Please scan again');
  });

  it('answers usage with exit 2 when the payload is missing', async () => {
    expect((await run(['decode'])).code).toBe(2);
  });
});

describe('kioskctl devices', () => {
  it('lists the configured scanner on a present serial path and the sim printer', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const r = await run(['devices', '--json'], {
      KIOSK_SCANNER: `serial:${pair.a}?terminator=CR`,
      KIOSK_PRINTER: 'sim',
    });
    const report = JSON.parse(r.out) as { serialPorts: unknown[]; devices: Array<{ role: string; status: string }> };
    expect(Array.isArray(report.serialPorts)).toBe(true);
    expect(report.devices).toEqual([
      expect.objectContaining({ role: 'printer', status: 'simulated' }),
      expect.objectContaining({ role: 'scanner', status: 'present' }),
      expect.objectContaining({ role: 'idreader', status: 'none' }),
    ]);
    expect(r.code).toBe(0);
  });

  it('opens the scanner with --probe and reports a missing device with exit 1', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const ok = await run(['devices', '--probe'], { KIOSK_SCANNER: `serial:${pair.a}`, KIOSK_PRINTER: 'sim' });
    expect(ok.out).toMatch(/scanner\s+serial:\S+\s+ready/);
    await pair.close();
    const missing = await run(['devices'], { KIOSK_SCANNER: `serial:${pair.a}`, KIOSK_PRINTER: 'sim' });
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/scanner\s+serial:\S+\s+missing/);
  });
});
