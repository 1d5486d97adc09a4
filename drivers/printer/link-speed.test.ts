import { closeSync, openSync, writeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakePrinter } from '../../test/support/fake-printer.ts';
import { createPtyPair, type PtyPair } from '../../test/support/pty.ts';
import { SerialPeer } from '../../test/support/serial-peer.ts';
import { decodeEscPos } from '../../test/support/escpos-decode.ts';
import { receipt } from '../../test/support/receipts.ts';
import { encodeReceipt } from './encode.node.ts';
import { createPrinter, type Printer } from './printer.node.ts';
import { TextCache } from './textmode.node.ts';
import type { ReceiptDoc } from './receipt.ts';

const ticket = (n: string): ReceiptDoc => ({
  kind: 'ticket',
  blocks: [
    { kind: 'text', text: 'UBND PHƯỜNG BẾN NGHÉ', align: 'center', bold: true },
    { kind: 'text', text: 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ', align: 'center', size: 'small' },
    { kind: 'separator', style: 'line' },
    { kind: 'text', text: 'SỐ THỨ TỰ CỦA BẠN', align: 'center' },
    { kind: 'text', text: n, align: 'center', size: 'huge', bold: true },
    { kind: 'pair', left: 'Lĩnh vực', right: 'Hộ tịch' },
    { kind: 'pair', left: 'Đang chờ trước bạn', right: '4 người' },
    { kind: 'qr', data: `OSK1:T:${n}:20261128:H29`, cell: 5 },
    { kind: 'text', text: '28/11/2026 08:15 — Vui lòng giữ phiếu đến khi được gọi.', align: 'center', size: 'small' },
    { kind: 'cut' },
  ],
});

const pairs: PtyPair[] = [];
const peers: SerialPeer[] = [];
const printers: Printer[] = [];
afterEach(async () => {
  for (const p of printers.splice(0)) await p.close();
  for (const p of peers.splice(0)) p.close();
  for (const p of pairs.splice(0)) await p.close();
});

async function link(baud: number, mode: 'text' | 'raster') {
  const pair = await createPtyPair();
  pairs.push(pair);
  const peer = new SerialPeer(pair.b, baud);
  peers.push(peer);
  const fake = new FakePrinter(peer);
  peer.onBytes = (c) => fake.feed(c);
  // The far end runs in this process, between encodes: on a loaded machine a status reply can
  // take longer than the 500 ms a real printer gets.
  const printer = createPrinter({
    uri: `serial:${pair.a}?baud=${baud}&profile=unknown`,
    mode,
    pollMs: 0,
    statusTimeoutMs: 5000,
  });
  printers.push(printer);
  await printer.open();
  /** Seconds from print() to the last byte read by the far end. */
  const timed = async (doc: ReceiptDoc) => {
    const t0 = performance.now();
    const r = await printer.print(doc);
    await fake.waitForBytes(r.bytes, 30_000);
    return { bytes: r.bytes, s: (peer.lastByteAt - t0) / 1000 };
  };
  return { timed, fake: fake };
}

describe('time to the last byte at the printer, the far end reading at the line rate', () => {
  it('takes 3,840 bytes in about 2 s at 19,200 baud (a bare pseudo-terminal takes them at once)', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const peer = new SerialPeer(pair.b, 19_200);
    peers.push(peer);
    const fd = openSync(pair.a, 'w');
    const t0 = performance.now();
    writeSync(fd, new Uint8Array(3840).fill(0x41));
    await peer.waitFor(3840, 10_000);
    closeSync(fd);
    const s = (peer.lastByteAt - t0) / 1000;
    expect(s).toBeGreaterThan(1.9);
    expect(s).toBeLessThan(3);
  });

  it('brings the next text-mode ticket to the printer within 1.5 s at 19,200 baud, where raster needs over 1.5 s even at 115,200', async () => {
    const text = await link(19_200, 'text');
    await text.timed(ticket('A012'));
    const next = await text.timed(ticket('A013'));
    expect(next.s).toBeLessThanOrEqual(1.5);
    const raster = await link(115_200, 'raster');
    const r = await raster.timed(ticket('A013'));
    expect(r.s).toBeGreaterThan(1.5);
  }, 30_000);
});

describe('the warm-up at connect (the kiosk’s setting)', () => {
  it('downloads the frequent letters before any job, and the first job relies on them (no ESC @)', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const peer = new SerialPeer(pair.b, 115_200);
    peers.push(peer);
    const fake = new FakePrinter(peer);
    peer.onBytes = (c) => fake.feed(c);
    const printer = createPrinter({
      uri: `serial:${pair.a}?baud=115200&profile=unknown`,
      pollMs: 0,
      statusTimeoutMs: 5000,
      warmUp: true,
    });
    printers.push(printer);
    await printer.open();
    const warm = new TextCache().warmUp();
    await fake.waitForBytes(warm.length, 10_000);
    expect(Buffer.from(fake.received().subarray(0, warm.length)).equals(Buffer.from(warm))).toBe(true);
    fake.clear();
    const r = await printer.print(receipt);
    await fake.waitForBytes(r.bytes, 10_000);
    const job = fake.received();
    expect(decodeEscPos(job).some((o) => o.op === 'init')).toBe(false);
    // The job is the one encoded on top of the warm-up, not a cold one.
    const cache = new TextCache();
    cache.warmUp();
    expect(r.bytes).toBe(encodeReceipt(receipt, { mode: 'text', widthMm: 80, textCache: cache }).bytes.length);
  });

  it('prints a job asked for while the warm-up is still on the line after it, relying on it', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const peer = new SerialPeer(pair.b, 115_200);
    peers.push(peer);
    const fake = new FakePrinter(peer);
    peer.onBytes = (c) => fake.feed(c);
    const printer = createPrinter({
      uri: `serial:${pair.a}?baud=115200&profile=unknown`,
      pollMs: 0,
      statusTimeoutMs: 5000,
      warmUp: true,
    });
    printers.push(printer);
    await printer.open();
    // No wait: the job's status request and bytes queue behind the warm-up.
    const r = await printer.print(receipt);
    const warm = new TextCache().warmUp();
    await fake.waitForBytes(warm.length + r.bytes, 10_000);
    const all = fake.received();
    expect(Buffer.from(all.subarray(0, warm.length)).equals(Buffer.from(warm))).toBe(true);
    const ops = decodeEscPos(all);
    expect(ops.filter((o) => o.op === 'init')).toHaveLength(1);
    // The job is exactly the one encoded on top of the warm-up: its letters rely on it.
    const cache = new TextCache();
    cache.warmUp();
    const expected = encodeReceipt(receipt, { mode: 'text', widthMm: 80, textCache: cache }).bytes;
    expect(Buffer.from(all.subarray(warm.length)).equals(Buffer.from(expected))).toBe(true);
  });

  it('warms up again when the printer comes back after being seen offline (its downloads are gone)', async () => {
    const pair = await createPtyPair();
    pairs.push(pair);
    const peer = new SerialPeer(pair.b, 115_200);
    peers.push(peer);
    const fake = new FakePrinter(peer);
    peer.onBytes = (c) => fake.feed(c);
    const printer = createPrinter({
      uri: `serial:${pair.a}?baud=115200&profile=unknown`,
      pollMs: 100,
      statusTimeoutMs: 300,
      warmUp: true,
    });
    printers.push(printer);
    await printer.open();
    const warm = new TextCache().warmUp();
    await fake.waitForBytes(warm.length, 10_000);
    fake.clear();
    fake.state = { mute: true };
    const offline = new Promise((r) => printer.on('offline', r));
    await offline;
    fake.state = {};
    await fake.waitForBytes(warm.length, 10_000);
    expect(Buffer.from(fake.received()).equals(Buffer.from(warm))).toBe(true);
  });
});
