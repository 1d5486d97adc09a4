import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { SerialPort } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeReceipt } from '../../drivers/printer/encode.node.ts';
import type { ReceiptDoc } from '../../drivers/printer/receipt.ts';
import { decodeEscPos } from '../../test/support/escpos-decode.ts';
import { FakePrinter } from '../../test/support/fake-printer.ts';
import { seededRandom } from '../../test/support/rng.ts';
import { createPtyPair, type PtyPair } from '../../test/support/pty.ts';
import { EventBus } from '../api/dispatch.ts';
import { KioskConfig } from '../config/config.node.ts';
import { openKioskPrinter, type KioskPrinter } from './printer.node.ts';

/** A ticket of about 31 kB in raster mode, like the one of the fault campaign (or larger). */
function bigTicket(minBytes = 31_000): ReceiptDoc {
  const blocks: ReceiptDoc['blocks'] = [{ kind: 'text', text: 'UBND PHƯỜNG AN XUYÊN', align: 'center', size: 'large' }];
  let n = 0;
  while (
    encodeReceipt({ kind: 'ticket', blocks: [...blocks, { kind: 'cut' }] }, { mode: 'raster', widthMm: 80 }).bytes
      .length < minBytes
  ) {
    blocks.push({ kind: 'text', text: n++ % 2 ? 'A012' : 'Quầy 3 — Hộ tịch', align: 'center', size: 'huge' });
  }
  return { kind: 'ticket', blocks: [...blocks, { kind: 'cut' }] };
}

/**
 * The kiosk's printer (as services use it) on a real serial line: a socat pseudo-terminal
 * pair, the far end opened with serialport and answered by a FakePrinter.
 */
describe('printer faults through real serial I/O', () => {
  let dir: string;
  let pair: PtyPair;
  let port: SerialPort;
  let fake: FakePrinter;
  let printer: KioskPrinter;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'printer-faults-'));
    pair = await createPtyPair({ dir });
    port = new SerialPort({ path: pair.b, baudRate: 19200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    fake = new FakePrinter({ write: (b) => port.write(Buffer.from(b)) });
    port.on('data', (d: Buffer) => fake.feed(d));
    port.on('error', () => undefined);
    // The field's setting: 19200 baud, so the old whole-job write deadline was 5 s + 2 × 31 kB / 1.92 kB/s ≈ 37 s.
    const config = KioskConfig.parse({ dataDir: dir, printer: `serial:${pair.a}?baud=19200`, printerMode: 'raster' });
    printer = await openKioskPrinter(config, { events: new EventBus(), log: pino({ level: 'silent' }) });
    expect(await printer.status({ refresh: true })).toMatchObject({ online: true, source: 'realtime' });
  });
  afterEach(async () => {
    await printer.close();
    await new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r()));
    await pair.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a ticket the printer confirms after the job', async () => {
    const doc = bigTicket();
    const r = await printer.printOrPreview(doc);
    expect(r.printed).toBe(true);
    expect(decodeEscPos(fake.received()).some((o) => o.op === 'cut')).toBe(true);
  });

  it('does not call a job printed when the printer lost power mid-job (10 kB of 31 kB, no cut): the ticket is shown on screen', async () => {
    fake.powerOffAfterBytes = 10_240;
    const r = await printer.printOrPreview(bigTicket());
    // The paper stops in the middle of the image: no cut.
    expect(fake.received().length).toBe(10_240);
    expect(() => decodeEscPos(fake.received())).toThrow(/truncated/);
    expect(r).toMatchObject({ printed: false, error: { code: 'PRINTER_OFFLINE' } });
    expect(r.printed === false && r.preview).toMatch(/^data:image\/png;base64,/);
  }, 20_000);

  it('never calls a job printed when the power goes at a random point of it, and always when it stays on (fuzz)', async () => {
    const random = seededRandom(1917);
    const doc = bigTicket();
    const total = encodeReceipt(doc, { mode: 'raster', widthMm: 80 }).bytes.length;
    for (let run = 0; run < 4; run++) {
      fake.powerOn();
      const cut = 1 + Math.floor(random() * (total - 2));
      fake.powerOffAfterBytes = cut;
      const lost = await printer.printOrPreview(doc);
      expect(lost.printed, `power lost after ${cut} of ${total} bytes`).toBe(false);
      fake.powerOn();
      const kept = await printer.printOrPreview(doc);
      expect(kept.printed, `run ${run} with power kept`).toBe(true);
      expect(fake.received().length).toBe(total);
    }
  }, 60_000);

  it('gives up on a printer that stops reading mid-job within a few seconds and shows the ticket on screen', async () => {
    fake.stopReadingAfterBytes = 4_096;
    fake.onStopReading = () => port.pause();
    const doc = bigTicket();
    const started = Date.now();
    const r = await printer.printOrPreview(doc);
    const waited = Date.now() - started;
    expect(r).toMatchObject({ printed: false, error: { code: 'PRINTER_OFFLINE' } });
    expect(r.printed === false && r.preview).toMatch(/^data:image\/png;base64,/);
    expect(waited, `waited ${waited} ms`).toBeLessThan(8_000);
  }, 60_000);

  it('bounds the wait the same way when the stalled job is larger than every buffer on the line (the write itself blocks)', async () => {
    fake.stopReadingAfterBytes = 4_096;
    fake.onStopReading = () => port.pause();
    const doc = bigTicket(200_000);
    const started = Date.now();
    const r = await printer.printOrPreview(doc);
    const waited = Date.now() - started;
    expect(r).toMatchObject({ printed: false, error: { code: 'PRINTER_OFFLINE' } });
    expect(r.printed === false && r.error.message).toMatch(/timed out/);
    expect(waited, `waited ${waited} ms`).toBeLessThan(8_000);
  }, 60_000);
});
