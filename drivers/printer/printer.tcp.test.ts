import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../test/support/escpos-decode.ts';
import { FakePrinter } from '../../test/support/fake-printer.ts';
import { createPrinter, type Printer } from './printer.node.ts';
import type { PrinterStatus } from './status.ts';

/** A network printer on loopback: one FakePrinter that survives the server closing and reopening. */
class LoopbackPrinter {
  readonly fake = new FakePrinter({ write: () => undefined });
  private server: Server | undefined;
  private sockets = new Set<Socket>();
  port = 0;
  connections = 0;

  async listen(port = 0): Promise<void> {
    const server = createServer((sock) => {
      this.connections++;
      this.sockets.add(sock);
      this.fake.attach({ write: (b) => sock.write(b) });
      sock.on('data', (d) => this.fake.feed(d));
      sock.on('close', () => this.sockets.delete(sock));
      sock.on('error', () => undefined);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  /** The printer is switched off: connections dropped, new ones refused. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server = undefined;
  }
}

function waitForStatus(
  printer: Printer,
  pred: (s: PrinterStatus) => boolean,
  timeoutMs = 8000,
): Promise<PrinterStatus> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('status never matched')), timeoutMs);
    const off = printer.on('status', (s) => {
      if (pred(s)) {
        clearTimeout(t);
        off();
        resolve(s);
      }
    });
  });
}

const doc = {
  kind: 'dossier-receipt' as const,
  blocks: [
    { kind: 'qr' as const, data: 'Hồ sơ H29.240101.0001' },
    { kind: 'cut' as const, partial: false },
  ],
};

describe('network printer on raw TCP (loopback)', () => {
  let lp: LoopbackPrinter;
  let printer: Printer | undefined;

  afterEach(async () => {
    await printer?.close();
    await lp.stop();
  });

  it('prints in code-page mode and the server decodes the QR payload and a full cut', async () => {
    lp = new LoopbackPrinter();
    await lp.listen();
    printer = createPrinter({ uri: `tcp://127.0.0.1:${lp.port}`, mode: 'codepage', pollMs: 0 });
    expect(await printer.open()).toMatchObject({ transport: 'tcp', online: true, source: 'realtime' });
    const r = await printer.print(doc);
    await lp.fake.waitForBytes(r.bytes);
    const ops = decodeEscPos(lp.fake.received());
    expect(ops.find((o) => o.op === 'qr')).toMatchObject({ text: 'Hồ sơ H29.240101.0001' });
    expect(ops.filter((o) => o.op === 'cut')).toEqual([{ op: 'cut', partial: false }]);
  });

  it('refuses paper-out reported by the far end with PRINTER_PAPER_OUT', async () => {
    lp = new LoopbackPrinter();
    await lp.listen();
    printer = createPrinter({ uri: `tcp://127.0.0.1:${lp.port}`, pollMs: 0 });
    await printer.open();
    lp.fake.state = { paperOut: true };
    const paperOut = new Promise<PrinterStatus>((r) => printer!.on('paperOut', r));
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_PAPER_OUT' });
    expect((await paperOut).paperOut).toBe(true);
  });

  it('recovers when the printer refuses connections and then accepts them again', async () => {
    lp = new LoopbackPrinter();
    await lp.listen();
    printer = createPrinter({ uri: `tcp://127.0.0.1:${lp.port}`, pollMs: 0, reconnectMinMs: 50, reconnectMaxMs: 150 });
    await printer.open();
    const offline = waitForStatus(printer, (s) => !s.online);
    await lp.stop();
    expect((await offline).state).toBe('error');
    await expect(printer.print(doc)).rejects.toMatchObject({ code: 'PRINTER_OFFLINE' });
    // Refused for a while: the driver keeps retrying in the background.
    await new Promise((r) => setTimeout(r, 300));
    const online = waitForStatus(printer, (s) => s.online);
    await lp.listen(lp.port);
    await online;
    const r = await printer.print(doc);
    await lp.fake.waitForBytes(r.bytes);
    // Raster mode (the default): the QR travels inside the GS v 0 image.
    expect(decodeEscPos(lp.fake.received()).some((o) => o.op === 'raster')).toBe(true);
    expect(lp.connections).toBe(2);
  });

  it('starts without the printer and connects when it appears', async () => {
    lp = new LoopbackPrinter();
    await lp.listen();
    const port = lp.port;
    await lp.stop();
    printer = createPrinter({ uri: `tcp://127.0.0.1:${port}`, pollMs: 0, reconnectMinMs: 50, reconnectMaxMs: 100 });
    expect(await printer.open()).toMatchObject({ state: 'error', online: false });
    const online = waitForStatus(printer, (s) => s.online);
    await lp.listen(port);
    await online;
  });
});
