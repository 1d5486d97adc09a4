import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodedLines, decodeEscPos } from '../../test/support/escpos-decode.ts';
import { pngDataUrl } from './preview.node.ts';
import { createPrinter, type Printer, type PrinterEvent } from './printer.node.ts';
import type { ReceiptDoc } from './receipt.ts';
import { isPrinterError } from './status.ts';
import { parsePrinterUri } from './transports/uri.ts';

const doc: ReceiptDoc = { kind: 'ticket', blocks: [{ kind: 'text', text: 'Số thứ tự A012' }, { kind: 'cut' }] };

describe('sim printer', () => {
  let printer: Printer;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'printer-sim-'));
    printer = createPrinter({
      uri: 'sim',
      mode: 'raster',
      pollMs: 0,
      reconnectMinMs: 20,
      reconnectMaxMs: 40,
      counterFile: join(dir, 'counter.json'),
    });
  });
  afterEach(async () => {
    await printer.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each job as the bytes a printer would receive', async () => {
    await printer.open();
    await printer.print(doc);
    await printer.print(doc);
    const jobs = printer.sim!.jobs();
    expect(jobs).toHaveLength(2);
    const ops = decodeEscPos(jobs[0]!.bytes);
    expect(ops[0]).toEqual({ op: 'init' });
    expect(ops.some((o) => o.op === 'raster')).toBe(true);
  });

  it('emits paperOut, refuses with a typed error, and prints again once paper is back', async () => {
    await printer.open();
    const seen: PrinterEvent[] = [];
    for (const e of ['paperOut', 'offline', 'online', 'coverOpen', 'paperNearEnd', 'error'] as const)
      printer.on(e, () => seen.push(e));
    printer.sim!.set({ paperOut: true });
    const err = await printer.print(doc).catch((e: unknown) => e);
    expect(isPrinterError(err) && err.code).toBe('PRINTER_PAPER_OUT');
    // A printer out of paper also reports its near-end sensor and itself offline, as real ones do.
    expect(seen).toEqual(['paperNearEnd', 'paperOut', 'offline']);
    expect(printer.sim!.jobs()).toHaveLength(0);
    printer.sim!.set({ paperOut: false });
    await expect(printer.print(doc)).resolves.toMatchObject({ status: { paperOut: false, online: true } });
    expect(seen).toEqual(['paperNearEnd', 'paperOut', 'offline', 'online']);
  });

  it.each([
    [{ coverOpen: true }, 'PRINTER_COVER_OPEN'],
    [{ error: true }, 'PRINTER_ERROR'],
    [{ offline: true }, 'PRINTER_OFFLINE'],
  ] as const)('refuses %o with %s', async (patch, code) => {
    await printer.open();
    printer.sim!.set(patch);
    await expect(printer.print(doc)).rejects.toMatchObject({ code });
  });

  it('answers PRINTER_ERROR for a receipt that cannot be encoded and sends nothing', async () => {
    await printer.open();
    await expect(printer.print({ kind: 'ticket', blocks: [{ kind: 'barcode', data: 'Số 1' }] })).rejects.toMatchObject({
      code: 'PRINTER_ERROR',
      message: /CODE128/,
    });
    expect(printer.sim!.jobs()).toHaveLength(0);
  });

  it('prints on a printer without a back channel, and stops waiting for its replies after two silent tries', async () => {
    await printer.close();
    printer = createPrinter({ uri: 'sim', pollMs: 0, statusTimeoutMs: 300 });
    printer.sim!.set({ mute: true });
    expect(await printer.open()).toMatchObject({ source: 'none', online: true });
    await printer.print(doc);
    const t0 = Date.now();
    const r = await printer.print(doc);
    expect(Date.now() - t0).toBeLessThan(250);
    expect(r.status).toMatchObject({ source: 'none', online: true });
    expect(printer.sim!.jobs()).toHaveLength(2);
  });

  it('reports PRINTER_PAPER_OUT for the job during which the roll ran out, and refuses the next', async () => {
    await printer.open();
    printer.sim!.set({ paperOutAfterJobs: 2 });
    await expect(printer.print(doc)).resolves.toBeTruthy();
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT', message: /during the job/ });
    expect(printer.sim!.jobs()).toHaveLength(2);
    expect((await printer.status()).printedMm).toBeGreaterThan(0);
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT' });
    expect(printer.sim!.jobs()).toHaveLength(2);
  });

  it('comes back after going offline without being reopened', async () => {
    await printer.open();
    printer.sim!.set({ offline: true });
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    printer.sim!.set({ offline: false });
    await new Promise((r) => setTimeout(r, 100));
    expect(await printer.status()).toMatchObject({ state: 'ready', online: true });
    await expect(printer.print(doc)).resolves.toBeTruthy();
  });

  it('answers PRINTER_BUSY quickly while another job holds the printer, and is free afterwards', async () => {
    await printer.open();
    printer.sim!.set({ busyMs: 600 });
    const first = printer.print(doc);
    await new Promise((r) => setTimeout(r, 50));
    expect((await printer.status()).busy).toBe(true);
    const t0 = Date.now();
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_BUSY' });
    expect(Date.now() - t0).toBeLessThan(450);
    await first;
    printer.sim!.set({ busyMs: 0 });
    expect((await printer.status()).busy).toBe(false);
    await expect(printer.print(doc)).resolves.toBeTruthy();
  });

  it('shares the lock between two driver objects on the same device', async () => {
    const other = createPrinter({ uri: 'sim', pollMs: 0, lockTimeoutMs: 50 });
    await printer.open();
    await other.open();
    printer.sim!.set({ busyMs: 300 });
    const first = printer.print(doc);
    await new Promise((r) => setTimeout(r, 30));
    await expect(other.print(doc)).rejects.toMatchObject({ code: 'PRINTER_BUSY' });
    await first;
    await other.close();
  });

  it('counts printed paper, keeps the count across restarts and restarts it when a new roll goes in', async () => {
    await printer.open();
    const r = await printer.print(doc);
    expect(r.status.printedMm).toBeGreaterThan(10);
    await printer.close();
    expect(JSON.parse(readFileSync(join(dir, 'counter.json'), 'utf8')).printedMm).toBeCloseTo(r.lengthMm, 3);
    printer = createPrinter({ uri: 'sim', pollMs: 0, counterFile: join(dir, 'counter.json') });
    await printer.open();
    expect((await printer.status()).printedMm).toBeCloseTo(r.lengthMm, 1);
    printer.sim!.set({ paperOut: true });
    await printer.status({ refresh: true });
    printer.sim!.set({ paperOut: false });
    expect((await printer.status({ refresh: true })).printedMm).toBe(0);
  });

  it('prints a test page with the alphabet in both cases, the QR and the status (code-page mode)', async () => {
    await printer.close();
    printer = createPrinter({ uri: 'sim', pollMs: 0, mode: 'codepage', codePage: 30 });
    await printer.open();
    await printer.testPage({ kioskName: 'Kiosk Bến Nghé' });
    const ops = decodeEscPos(printer.sim!.jobs()[0]!.bytes, { codePageEncodings: { 30: 'cp1258' } });
    const text = decodedLines(ops).join('\n');
    expect(text).toContain('Kiosk Bến Nghé');
    expect(text).toContain('NGUYỄN VĂN TÚ');
    expect(text).toContain('Ẫ Ậ');
    expect(text).toContain('ỹ ỵ');
    expect(ops.find((o) => o.op === 'qr')).toMatchObject({ text: 'Kiểm tra mã QR tiếng Việt: Ủy ban nhân dân' });
  });

  it('previews as PNG bytes that make a data URL', async () => {
    const png = await printer.preview(doc);
    expect(PNG.sync.read(png).width).toBe(576 + 24);
    expect(pngDataUrl(png)).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
  });
});

describe('file printer', () => {
  it('appends each job to the file, has no status reply and never refuses for paper', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-file-'));
    const file = join(dir, 'sub', 'out.bin');
    const printer = createPrinter({ uri: `file:${file}`, mode: 'codepage', pollMs: 0 });
    try {
      expect(await printer.open()).toMatchObject({ transport: 'file', online: true, source: 'none' });
      const a = await printer.print({ kind: 'ticket', blocks: [{ kind: 'text', text: 'một' }] });
      const b = await printer.print({ kind: 'ticket', blocks: [{ kind: 'text', text: 'hai' }] });
      const bytes = readFileSync(file);
      expect(bytes.length).toBe(a.bytes + b.bytes);
      expect(decodedLines(decodeEscPos(bytes))).toEqual(expect.arrayContaining(['một', 'hai']));
    } finally {
      await printer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports paper near end from the printed-length estimate when the printer cannot tell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-file-'));
    const printer = createPrinter({
      uri: `file:${join(dir, 'out.bin')}`,
      pollMs: 0,
      paperRollMm: 100,
      paperNearEndMm: 60,
    });
    try {
      await printer.open();
      const near = new Promise((r) => printer.on('paperNearEnd', r));
      let s = (await printer.print(doc)).status;
      while (!s.paperNearEnd) s = (await printer.print(doc)).status;
      await near;
      expect(s.estimatedRemainingMm).toBeLessThanOrEqual(60);
      await printer.resetPaperCounter();
      expect(await printer.status()).toMatchObject({ paperNearEnd: false, printedMm: 0 });
    } finally {
      await printer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('printer URIs', () => {
  it.each([
    ['serial:/dev/ttyUSB0?baud=19200', { kind: 'serial', path: '/dev/ttyUSB0', baudRate: 19200, rtscts: false }],
    ['serial:/dev/ttyS0', { kind: 'serial', path: '/dev/ttyS0', baudRate: 19200, rtscts: false }],
    ['usb:/dev/usb/lp0', { kind: 'usb', path: '/dev/usb/lp0' }],
    ['tcp://10.0.0.5:9100', { kind: 'tcp', host: '10.0.0.5', port: 9100 }],
    ['tcp://printer.local', { kind: 'tcp', host: 'printer.local', port: 9100 }],
    ['file:/tmp/out.bin', { kind: 'file', path: '/tmp/out.bin' }],
    ['sim', { kind: 'sim' }],
  ])('reads %s', (uri, expected) => {
    expect(parsePrinterUri(uri)).toEqual(expected);
  });

  it.each(['lpt1', 'serial:ttyUSB0', 'tcp://host:99999', 'serial:/dev/ttyS0?baud=fast'])(
    'rejects %s with a message naming it',
    (uri) => {
      expect(() => parsePrinterUri(uri)).toThrow(uri);
    },
  );
});
