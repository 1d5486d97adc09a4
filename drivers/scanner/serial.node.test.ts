import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { createPtyPair, type PtyPair } from '../../test/support/pty.ts';
import { SerialScanner } from './serial.node.ts';
import type { RawScan, ScannerState } from './types.ts';
import { parseScannerUri, type SerialScannerConfig } from './uri.ts';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

function config(path: string, query: string): SerialScannerConfig {
  const parsed = parseScannerUri(`serial:${path}?${query}`);
  if (!parsed.ok || parsed.config.kind !== 'serial') throw new Error('bad uri in test');
  return parsed.config;
}

/** The "device" end: a real serial port opened on the other side of the pty pair. */
async function device(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  cleanups.push(() => new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())));
  return port;
}
const send = (port: SerialPort, data: string | Buffer) =>
  new Promise<void>((resolve, reject) => port.write(data, (err) => (err ? reject(err) : port.drain(() => resolve()))));

async function start(pair: PtyPair, query: string) {
  const scanner = new SerialScanner(`serial:${pair.a}?${query}`, config(pair.a, query), {
    retryMinMs: 50,
    retryMaxMs: 200,
  });
  const scans: RawScan[] = [];
  const states: ScannerState[] = [];
  scanner.onScan((s) => scans.push(s));
  scanner.onStatus((s) => states.push(s.state));
  await scanner.start();
  cleanups.push(() => scanner.close());
  return { scanner, scans, states };
}

async function until(check: () => boolean, what: string, ms = 5_000) {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('serial scanner over a socat pseudo-terminal', () => {
  it('turns CR-terminated bytes into scans with their source, UTF-8 intact', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const { scanner, scans } = await start(pair, 'baud=9600&terminator=CR');
    expect(scanner.status().state).toBe('ready');
    const dev = await device(pair.b);
    await send(
      dev,
      '000.00.12.H12-250315-0001\r096190012345|381234567|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Cà Mau|20042021\r',
    );
    await until(() => scans.length === 2, 'two scans');
    expect(scans.map((s) => s.text)).toEqual([
      '000.00.12.H12-250315-0001',
      '096190012345|381234567|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Cà Mau|20042021',
    ]);
    expect(scans[0]!.source).toBe('serial');
  });

  it('cuts frames at CRLF without leaving stray line feeds', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const { scans } = await start(pair, 'terminator=CRLF');
    const dev = await device(pair.b);
    await send(dev, 'ABC123\r\nDEF456\r\n');
    await until(() => scans.length === 2, 'two scans');
    expect(scans.map((s) => s.text)).toEqual(['ABC123', 'DEF456']);
  });

  it('ends a frame after the inter-byte silence when the scanner sends no terminator', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const { scans } = await start(pair, 'terminator=none&interByteMs=40');
    const dev = await device(pair.b);
    await send(dev, 'OSK1:T:abc');
    await until(() => scans.length === 1, 'one scan');
    await new Promise((r) => setTimeout(r, 100));
    await send(dev, 'PLAIN-42');
    await until(() => scans.length === 2, 'second scan');
    expect(scans.map((s) => s.text)).toEqual(['OSK1:T:abc', 'PLAIN-42']);
  });

  it('flushes an unterminated tail after the silence even when a terminator is configured', async () => {
    const pair = await createPtyPair();
    cleanups.push(() => pair.close());
    const { scans } = await start(pair, 'terminator=CR&interByteMs=40');
    const dev = await device(pair.b);
    await send(dev, 'FIRST\rSECOND');
    await until(() => scans.length === 2, 'both frames');
    expect(scans.map((s) => s.text)).toEqual(['FIRST', 'SECOND']);
  });

  it('reports an error when the port vanishes and reads again once the same path is back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pty-replug-'));
    let pair = await createPtyPair({ dir });
    cleanups.push(() => pair.close());
    const { scanner, scans, states } = await start(pair, 'terminator=CR');
    let dev = await device(pair.b);
    await send(dev, 'BEFORE\r');
    await until(() => scans.length === 1, 'scan before unplug');

    await pair.close(); // unplug
    await until(
      () => scanner.status().state === 'error' || scanner.status().state === 'reconnecting',
      'error after unplug',
    );
    await new Promise((r) => setTimeout(r, 300)); // a few failed reopen attempts
    expect(scanner.status().state).not.toBe('ready');

    pair = await createPtyPair({ dir }); // replug
    await until(() => scanner.status().state === 'ready', 'ready after replug');
    dev = await device(pair.b);
    await send(dev, 'AFTER\r');
    await until(() => scans.length === 2, 'scan after replug');
    expect(scans.map((s) => s.text)).toEqual(['BEFORE', 'AFTER']);
    expect(states).toEqual(expect.arrayContaining(['opening', 'ready', 'error', 'reconnecting']));
    expect(states.at(-1)).toBe('ready');
  });

  it('starts in error, without throwing, when the device is not plugged in yet', async () => {
    const missing = '/nonexistent-dir/ttyACM9';
    const scanner = new SerialScanner(`serial:${missing}`, config(missing, 'terminator=CR'), {
      retryMinMs: 50,
      retryMaxMs: 100,
    });
    cleanups.push(() => scanner.close());
    await scanner.start();
    expect(scanner.status().state).toBe('error');
    expect(scanner.status().detail).toContain(missing);
  });
});
