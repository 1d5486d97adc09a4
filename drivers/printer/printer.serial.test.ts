import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos, inkCount, paperBitmap } from '../../test/support/escpos-decode.ts';
import { FakePrinter } from '../../test/support/fake-printer.ts';
import { createPtyPair, type PtyPair } from '../../test/support/pty.ts';
import { createPrinter, type Printer } from './printer.node.ts';
import type { ReceiptDoc } from './receipt.ts';
import type { PrinterStatus } from './status.ts';

const ticket: ReceiptDoc = {
  kind: 'ticket',
  blocks: [
    { kind: 'text', text: 'NGUYỄN VĂN TÚ', align: 'center', size: 'large' },
    { kind: 'text', text: 'A012', size: 'huge', align: 'center' },
    { kind: 'cut' },
  ],
};

/** Opens the far end of the pty pair as the "printer" and wires it to a FakePrinter. */
async function farEnd(path: string, fake?: FakePrinter): Promise<{ port: SerialPort; fake: FakePrinter }> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const link = { write: (b: Uint8Array) => port.write(Buffer.from(b)) };
  const f = fake ?? new FakePrinter(link);
  f.attach(link);
  port.on('data', (d: Buffer) => f.feed(d));
  port.on('error', () => undefined);
  return { port, fake: f };
}

const closePort = (p: SerialPort) => new Promise<void>((r) => (p.isOpen ? p.close(() => r()) : r()));

function waitForStatus(
  printer: Printer,
  pred: (s: PrinterStatus) => boolean,
  timeoutMs = 8000,
): Promise<PrinterStatus> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => {
      off();
      void printer.status().then((s) => reject(new Error(`status never matched: ${JSON.stringify(s)}`)));
    }, timeoutMs);
    const off = printer.on('status', (s) => {
      if (pred(s)) {
        clearTimeout(t);
        off();
        resolve(s);
      }
    });
    void printer.status().then((s) => {
      if (pred(s)) {
        clearTimeout(t);
        off();
        resolve(s);
      }
    });
  });
}

describe('serial printer over a socat pseudo-terminal pair', () => {
  let dir: string;
  let pair: PtyPair;
  let far: { port: SerialPort; fake: FakePrinter };
  let printer: Printer;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'printer-serial-'));
    pair = await createPtyPair({ dir });
    far = await farEnd(pair.b);
    printer = createPrinter({
      uri: `serial:${pair.a}?baud=115200`,
      mode: 'raster',
      pollMs: 0,
      reconnectMinMs: 50,
      reconnectMaxMs: 200,
      statusTimeoutMs: 300,
    });
  });

  afterEach(async () => {
    await printer.close();
    await closePort(far.port);
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the status, prints a raster ticket and the far end decodes init, image and cut', async () => {
    const opened = await printer.open();
    expect(opened).toMatchObject({
      transport: 'serial',
      state: 'ready',
      online: true,
      source: 'realtime',
      paperOut: false,
    });
    const result = await printer.print(ticket);
    await far.fake.waitForBytes(result.bytes);
    const ops = decodeEscPos(far.fake.received());
    expect(ops[0]).toEqual({ op: 'init' });
    const img = paperBitmap(ops, 576);
    expect(img.height).toBeGreaterThan(150);
    expect(inkCount(img.data)).toBeGreaterThan(2000);
    expect(ops.filter((o) => o.op === 'cut')).toEqual([{ op: 'cut', partial: true }]);
    expect(result.status.printedMm).toBeCloseTo(result.lengthMm, 1);
  });

  it("asks an unconfigured printer for its model and prints for its family (the printer's own QR on a TM-T88)", async () => {
    far.fake.modelName = 'TM-T88V';
    const probed = createPrinter({ uri: `serial:${pair.a}?baud=115200`, pollMs: 0, statusTimeoutMs: 300 });
    try {
      await probed.open();
      expect(probed.model).toBe('TM-T88V');
      expect(probed.profile.id).toBe('epson-tm-t88');
      const r = await probed.print({ kind: 'ticket', blocks: [{ kind: 'qr', data: 'OSK1:T:A012' }] });
      await far.fake.waitForBytes(r.bytes);
      expect(decodeEscPos(far.fake.received()).some((o) => o.op === 'qr')).toBe(true);
    } finally {
      await probed.close();
    }
  });

  it('keeps the universal profile for a printer that does not tell its model, and does not ask when one is configured', async () => {
    const silent = createPrinter({ uri: `serial:${pair.a}?baud=115200`, pollMs: 0, statusTimeoutMs: 300 });
    try {
      await silent.open();
      expect(silent.profile.id).toBe('unknown');
      expect(silent.model).toBe('');
    } finally {
      await silent.close();
    }
    far.fake.modelName = 'TM-T88V';
    const named = createPrinter({
      uri: `serial:${pair.a}?baud=115200&profile=xprinter`,
      pollMs: 0,
      statusTimeoutMs: 300,
    });
    try {
      await named.open();
      expect(named.profile.id).toBe('xprinter');
      expect(named.model).toBeUndefined();
    } finally {
      await named.close();
    }
  });

  it('refuses to print into paper-out with PRINTER_PAPER_OUT and sends the printer nothing', async () => {
    await printer.open();
    far.fake.state = { paperOut: true };
    await expect(printer.print(ticket)).rejects.toMatchObject({ name: 'PrinterError', code: 'PRINTER_PAPER_OUT' });
    expect(far.fake.received()).toHaveLength(0);
    const s = await printer.status();
    expect(s).toMatchObject({ paperOut: true, online: false });
  });

  it('answers PRINTER_COVER_OPEN for an open cover and reports paper near end without refusing', async () => {
    await printer.open();
    far.fake.state = { coverOpen: true };
    await expect(printer.print(ticket)).rejects.toMatchObject({ code: 'PRINTER_COVER_OPEN' });
    far.fake.state = { paperNearEnd: true };
    const nearEnd = new Promise<PrinterStatus>((r) => printer.on('paperNearEnd', r));
    const result = await printer.print(ticket);
    expect(result.status.paperNearEnd).toBe(true);
    expect((await nearEnd).paperNearEnd).toBe(true);
  });

  it('treats a printer that stops answering as offline', async () => {
    await printer.open();
    far.fake.state = { mute: true };
    await expect(printer.print(ticket)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    far.fake.state = {};
    await expect(printer.print(ticket)).resolves.toMatchObject({ status: { online: true } });
  });

  it('answers PRINTER_BUSY to a second print while the first holds the device', async () => {
    await printer.close();
    printer = createPrinter({
      uri: `serial:${pair.a}?baud=115200`,
      pollMs: 0,
      statusTimeoutMs: 1000,
      lockTimeoutMs: 50,
    });
    await printer.open();
    far.fake.replyDelayMs = 150;
    const first = printer.print(ticket);
    await new Promise((r) => setTimeout(r, 20));
    const started = Date.now();
    await expect(printer.print(ticket)).rejects.toMatchObject({ code: 'PRINTER_BUSY' });
    expect(Date.now() - started).toBeLessThan(500);
    await expect(first).resolves.toMatchObject({ status: { online: true } });
  });

  it('recovers when the serial device disappears and comes back (socat killed and restarted)', async () => {
    await printer.open();
    await printer.print(ticket);
    await closePort(far.port);
    await pair.close();
    // The port is gone: the next print fails as offline, and the driver starts reconnecting.
    await expect(printer.print(ticket)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    expect((await printer.status()).state).toBe('error');
    pair = await createPtyPair({ dir });
    far = await farEnd(pair.b, far.fake);
    far.fake.clear();
    await waitForStatus(printer, (s) => s.state === 'ready' && s.online);
    const result = await printer.print(ticket);
    await far.fake.waitForBytes(result.bytes);
    expect(decodeEscPos(far.fake.received()).some((o) => o.op === 'raster')).toBe(true);
  });
});

describe('usb printer device file (a pty standing in for /dev/usb/lp0)', () => {
  it('writes the job and reads status replies through the non-blocking device file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-usb-'));
    const pair = await createPtyPair({ dir });
    const far = await farEnd(pair.b);
    const printer = createPrinter({
      uri: `usb:${pair.a}`,
      pollMs: 0,
      statusTimeoutMs: 500,
      mode: 'codepage',
      codePage: 27,
    });
    try {
      expect(await printer.open()).toMatchObject({ transport: 'usb', state: 'ready', source: 'realtime' });
      const result = await printer.print({ kind: 'ticket', blocks: [{ kind: 'text', text: 'NGUYỄN VĂN TÚ' }] });
      await far.fake.waitForBytes(result.bytes);
      const text = decodeEscPos(far.fake.received()).find((o) => o.op === 'text');
      expect(text).toMatchObject({ text: 'NGUYỄN VĂN TÚ', codePage: 27 });
      far.fake.state = { paperOut: true };
      await expect(printer.print({ kind: 'ticket', blocks: [{ kind: 'text', text: 'x' }] })).rejects.toMatchObject({
        code: 'PRINTER_PAPER_OUT',
      });
    } finally {
      await printer.close();
      await closePort(far.port);
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('notices the device file going away on its own and reopens it when it comes back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'printer-usb-'));
    let pair = await createPtyPair({ dir });
    let far = await farEnd(pair.b);
    const printer = createPrinter({
      uri: `usb:${pair.a}`,
      pollMs: 0,
      statusTimeoutMs: 500,
      reconnectMinMs: 50,
      reconnectMaxMs: 150,
    });
    try {
      await printer.open();
      const lost = waitForStatus(printer, (s) => s.state === 'error');
      await closePort(far.port);
      await pair.close();
      // No print needed: the back-channel poll reads EIO when the device disappears.
      expect((await lost).online).toBe(false);
      pair = await createPtyPair({ dir });
      far = await farEnd(pair.b, far.fake);
      await waitForStatus(printer, (s) => s.state === 'ready' && s.online);
      const r = await printer.print({ kind: 'ticket', blocks: [{ kind: 'text', text: 'Tú' }] });
      await far.fake.waitForBytes(r.bytes);
    } finally {
      await printer.close();
      await closePort(far.port);
      await pair.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
