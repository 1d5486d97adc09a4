import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { EventBus } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { decodedLines, decodeEscPos } from '../../test/support/escpos-decode.ts';

const PIN = '135790';
import { writeFileSync } from 'node:fs';
import { openKioskPrinter, type KioskPrinter } from './printer.node.ts';

const doc = { kind: 'ticket' as const, blocks: [{ kind: 'text' as const, text: 'Số thứ tự A012' }] };
const silent = pino({ level: 'silent' });

describe('kiosk printer', () => {
  const dirs: string[] = [];
  const open: Array<KioskPrinter | Appliance> = [];
  const dataDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'kiosk-printer-'));
    dirs.push(d);
    return d;
  };
  afterEach(async () => {
    for (const o of open.splice(0)) await o.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('pushes every status change as device.printer and turns refusals into KioskError codes', async () => {
    const events = new EventBus();
    const pushed: unknown[] = [];
    events.subscribe((name, payload) => name === 'device.printer' && pushed.push(payload));
    const printer = await openKioskPrinter(loadConfig({ KIOSK_DATA_DIR: dataDir(), KIOSK_PRINTER: 'sim' }), {
      events,
      log: silent,
    });
    open.push(printer);
    expect(pushed.at(-1)).toMatchObject({ transport: 'sim', state: 'ready', online: true });
    printer.device.sim!.set({ paperOut: true });
    const err = await printer.print(doc).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KioskError);
    expect(err).toMatchObject({ code: 'PRINTER_PAPER_OUT' });
    expect(pushed.at(-1)).toMatchObject({ paperOut: true, online: false });
  });

  it('prints the test page with the office time in the Vietnamese order, not UTC ISO', async () => {
    const dir = dataDir();
    // Code-page mode prints text (not a raster image), so the paper can be read back.
    writeFileSync(join(dir, 'kiosk.json'), JSON.stringify({ printerMode: 'codepage', printerCodePage: 52 }));
    const printer = await openKioskPrinter(loadConfig({ KIOSK_DATA_DIR: dir, KIOSK_PRINTER: 'sim' }), {
      events: new EventBus(),
      log: silent,
    });
    open.push(printer);
    await printer.testPage();
    const lines = decodedLines(decodeEscPos(printer.device.sim!.jobs().at(-1)!.bytes));
    const time = lines.find((l) => /time/.test(l));
    expect(time).toMatch(/\d\d:\d\d:\d\d \d\d\/\d\d\/\d{4}/);
    expect(lines.join('\n')).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('answers the preview as a PNG data URL when the printer cannot print', async () => {
    const printer = await openKioskPrinter(loadConfig({ KIOSK_DATA_DIR: dataDir(), KIOSK_PRINTER: 'sim' }), {
      events: new EventBus(),
      log: silent,
    });
    open.push(printer);
    printer.device.sim!.set({ coverOpen: true });
    const r = await printer.printOrPreview(doc);
    expect(r.printed).toBe(false);
    if (r.printed) return;
    expect(r.error.code).toBe('PRINTER_COVER_OPEN');
    expect(r.preview).toMatch(/^data:image\/png;base64,/);
    printer.device.sim!.set({ coverOpen: false });
    expect(await printer.printOrPreview(doc)).toMatchObject({ printed: true });
  });

  it('keeps the kiosk running with a printer URI it cannot read, answering PRINTER_OFFLINE', async () => {
    const printer = await openKioskPrinter(loadConfig({ KIOSK_DATA_DIR: dataDir(), KIOSK_PRINTER: 'lpt1' }), {
      events: new EventBus(),
      log: silent,
    });
    open.push(printer);
    expect(await printer.status()).toMatchObject({ transport: 'none', state: 'error', online: false });
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    expect(await printer.preview(doc)).toMatch(/^data:image\/png;base64,/);
  });

  it('serves devices.printerStatus and devices.printTest through the appliance dispatcher', async () => {
    process.env.KIOSK_TECH_PIN = PIN;
    onTestFinished(() => {
      delete process.env.KIOSK_TECH_PIN;
    });
    const appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir(), KIOSK_PRINTER: 'sim', KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
      { log: silent },
    );
    open.push(appliance);
    const status = await appliance.dispatch('devices.printerStatus', { refresh: true }, { carrier: 'test' });
    expect(status).toMatchObject({ ok: true, value: { transport: 'sim', online: true, source: 'realtime' } });
    // A test page is paper: technician mode only.
    expect(await appliance.dispatch('devices.printTest', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(appliance.ctx.printer.device.sim!.jobs()).toHaveLength(0);
    expect(await appliance.dispatch('tech.unlock', { pin: PIN }, { carrier: 'test' })).toMatchObject({ ok: true });
    const printed = await appliance.dispatch('devices.printTest', {}, { carrier: 'test' });
    expect(printed).toMatchObject({ ok: true, value: { ok: true } });
    expect(appliance.ctx.printer.device.sim!.jobs()).toHaveLength(1);
    appliance.ctx.printer.device.sim!.set({ paperOut: true });
    expect(await appliance.dispatch('devices.printTest', {}, { carrier: 'test' })).toMatchObject({
      ok: false,
      error: { code: 'PRINTER_PAPER_OUT' },
    });
  });
});
