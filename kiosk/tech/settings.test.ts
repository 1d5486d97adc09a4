import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KioskError } from '../../contract/errors.ts';
import { KioskConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { applySettings } from './settings.node.ts';

process.env.KIOSK_HEARTBEAT_MS = '0';

let kiosk: Appliance | undefined;
afterEach(async () => {
  // Bounded: with central unreachable the sync engine's stop can wait on its loop (reported to its owner).
  if (kiosk) await Promise.race([kiosk.close(), new Promise((r) => setTimeout(r, 3_000))]);
  kiosk = undefined;
});

async function start() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tech-settings-'));
  kiosk = await createAppliance(KioskConfig.parse({ dataDir, printer: 'sim', scanner: 'sim' }), {
    log: pino({ level: 'silent' }),
  });
  return kiosk;
}

describe('technician settings', () => {
  it('apply to the running kiosk without a restart: config, app.info, the reopened printer and kiosk.json', async () => {
    const k = await start();
    const events: string[][] = [];
    k.events.subscribe(
      (name, payload) => name === 'tech.configChanged' && events.push((payload as { keys: string[] }).keys),
    );
    const before = k.ctx.printer;
    await applySettings(k.ctx, {
      printerWidthMm: 58,
      toneStyle: 'new',
      timeouts: { idleWarningMs: 45_000, warningMs: 25_000, attractMs: 90_000 },
    });
    expect(k.ctx.printer).not.toBe(before);
    expect(k.ctx.printer.device.widthMm).toBe(58);
    const info = await k.dispatch('app.info', {}, { carrier: 'test' });
    expect(info).toMatchObject({ ok: true, value: { toneStyle: 'new', timeouts: { idleWarningMs: 45_000 } } });
    expect(JSON.parse(readFileSync(join(k.ctx.dataDir, 'kiosk.json'), 'utf8'))).toMatchObject({ printerWidthMm: 58 });
    expect(events).toEqual([['printerWidthMm', 'toneStyle', 'timeouts']]);
    // The new printer prints.
    await expect(k.ctx.printer.testPage()).resolves.toMatchObject({ bytes: expect.any(Number) });
  });

  it('choose the printer family (profile) and clear it back to "ask the printer"', async () => {
    const k = await start();
    await applySettings(k.ctx, { printerProfile: 'epson-tm-t20' });
    expect(k.ctx.printer.device.profile.id).toBe('epson-tm-t20');
    expect(JSON.parse(readFileSync(join(k.ctx.dataDir, 'kiosk.json'), 'utf8'))).toMatchObject({
      printerProfile: 'epson-tm-t20',
    });
    const { settings } = await applySettings(k.ctx, { printerProfile: null });
    expect(settings.printerProfile).toBeNull();
    expect(k.ctx.config.printerProfile).toBeUndefined();
    expect(JSON.parse(readFileSync(join(k.ctx.dataDir, 'kiosk.json'), 'utf8'))).not.toHaveProperty('printerProfile');
    await expect(applySettings(k.ctx, { printerProfile: 'brother' })).rejects.toThrow(KioskError);
  });

  it('refuse a value the schema or the device drivers reject, and change nothing', async () => {
    const k = await start();
    const printer = k.ctx.printer;
    await expect(
      applySettings(k.ctx, { timeouts: { idleWarningMs: 1000, warningMs: 5_000, attractMs: 1000 } }),
    ).rejects.toThrow(KioskError);
    await expect(applySettings(k.ctx, { printer: 'lpt1' })).rejects.toThrow(/printer/);
    await expect(applySettings(k.ctx, { scanner: 'serial:ttyUSB0' })).rejects.toThrow(/scanner/);
    expect(k.ctx.printer).toBe(printer);
    expect(k.ctx.config.timeouts.warningMs).toBe(30_000);
    expect(() => readFileSync(join(k.ctx.dataDir, 'kiosk.json'))).toThrow();
  });

  it('are technician-only through the kiosk API', async () => {
    const k = await start();
    expect(await k.dispatch('tech.settingsSet', { kioskName: 'X' }, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await k.dispatch('tech.logs', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await k.dispatch('tech.diagnostics', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
