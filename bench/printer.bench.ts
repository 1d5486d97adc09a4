/**
 * 1. Bytes and time to the last byte at the printer, per mode, over serial links at 9600, 19200
 *    and 115200 baud and a USB-like link, measured through a pseudo-terminal whose far end reads
 *    at the line rate (test/support/serial-peer.ts), beside the print mechanism's own time at
 *    200 mm/s and the goal of issue 17.
 * 2. Receipt render + ESC/POS encode time per mode.
 * Run: npm run bench -- printer
 */
import { cpus, loadavg } from 'node:os';
import ntp from 'node-thermal-printer';
import { PNG } from 'pngjs';
import { encodeReceipt, PRINTER_MODES, type PrinterMode } from '../drivers/printer/encode.node.ts';
import { createPrinter } from '../drivers/printer/printer.node.ts';
import { getProfile, type PrinterProfileId } from '../drivers/printer/profiles.ts';
import { TextCache } from '../drivers/printer/textmode.node.ts';
import { testPageDoc } from '../drivers/printer/testpage.ts';
import { FakePrinter } from '../test/support/fake-printer.ts';
import { createPtyPair } from '../test/support/pty.ts';
import { SerialPeer } from '../test/support/serial-peer.ts';
import { renderReceiptBitmap } from '../drivers/printer/preview.node.ts';
import { rasterPaper } from '../drivers/printer/escpos.ts';
import type { ReceiptDoc } from '../drivers/printer/receipt.ts';
import { receipt, ticket } from '../test/support/receipts.ts';

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function measure(fn: () => unknown, runs: number): { p50: number; p95: number } {
  for (let i = 0; i < 3; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/** node-thermal-printer's own raster path (PNG in, a JS object per pixel), for comparison. */
function ntpRaster(doc: ReceiptDoc): number {
  const bmp = renderReceiptBitmap(doc, 80);
  const png = new PNG({ width: bmp.width, height: bmp.height });
  for (let y = 0; y < bmp.height; y++)
    for (let x = 0; x < bmp.width; x++) {
      const i = (y * bmp.width + x) * 4;
      const ink = (bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = ink ? 0 : 255;
      png.data[i + 3] = 255;
    }
  const tp = new ntp.ThermalPrinter({ type: ntp.PrinterTypes.EPSON });
  // printImageBuffer is async only in name: it appends synchronously.
  void tp.printImageBuffer(PNG.sync.write(png));
  return tp.getBuffer()?.length ?? 0;
}

const testPage: ReceiptDoc = testPageDoc(
  { uri: 'serial:/dev/ttyUSB0?baud=19200', mode: 'text', widthMm: 80, at: '2026-11-28T01:15:00.000Z' },
  {
    transport: 'serial',
    state: 'ready',
    online: true,
    coverOpen: false,
    paperNearEnd: false,
    paperOut: false,
    error: false,
    busy: false,
    source: 'realtime',
    printedMm: 1234,
    estimatedRemainingMm: 48766,
    lastError: null,
    checkedAt: '2026-11-28T01:15:00.000Z',
  },
);

/** The ticket with another number and time, as the next citizen gets it. */
const nextTicket: ReceiptDoc = {
  ...ticket,
  blocks: ticket.blocks.map((b) =>
    b.kind === 'text' && b.text === 'A012'
      ? { ...b, text: 'A013' }
      : b.kind === 'qr'
        ? { ...b, data: 'OSK1:T:A013:20261128:H29' }
        : b,
  ),
};

/** Mechanism: a thermal head at 200 mm/s. */
const HEAD_MM_PER_S = 200;
/** Issue 17's goal for a ticket; a receipt's is in proportion to its paper length. */
const TICKET_GOAL_S: Record<string, number> = { '19200': 1.5, '115200': 0.5 };
const LINKS = [
  { name: '9600', baud: 9600 },
  { name: '19200', baud: 19200 },
  { name: '115200', baud: 115200 },
  { name: 'usb', baud: 0 },
] as const;
/** Longer runs are computed from the bytes (10 bits a byte) rather than waited for. */
const MEASURE_UP_TO_S = 6;

async function timeToLastByte(
  doc: ReceiptDoc,
  mode: PrinterMode,
  profile: PrinterProfileId,
  baud: number,
  warmWith?: ReceiptDoc,
  warmUp = false,
): Promise<{ bytes: number; s: number }> {
  const pair = await createPtyPair();
  const peer = new SerialPeer(pair.b, baud);
  const fake = new FakePrinter(peer);
  peer.onBytes = (c) => fake.feed(c);
  // The far end runs in this process, between encodes: on a loaded machine a status reply can
  // take longer than the 500 ms a real printer gets.
  const printer = createPrinter({
    uri: `serial:${pair.a}?baud=${baud || 115200}&profile=${profile}`,
    mode,
    pollMs: 0,
    statusTimeoutMs: 5000,
    // The confirming status request queues behind the job's tail in the line's buffer (4 kB is
    // 4.3 s at 9600 baud); the bench measures the last byte, not the confirmation.
    jobStatusMs: 30_000,
    warmUp,
  });
  try {
    await printer.open();
    // The warm-up goes out while the kiosk is idle: the job starts once it is at the printer.
    if (warmUp) {
      await fake.waitForBytes(new TextCache().warmUp().length, 120_000);
      fake.clear();
    }
    if (warmWith) {
      const w = await printer.print(warmWith);
      await fake.waitForBytes(w.bytes);
      fake.clear();
    }
    const t0 = performance.now();
    const r = await printer.print(doc);
    await fake.waitForBytes(r.bytes, 120_000);
    return { bytes: r.bytes, s: (peer.lastByteAt - t0) / 1000 };
  } finally {
    await printer.close();
    peer.close();
    await pair.close();
  }
}

async function linkTable() {
  const ticketMm = encodeReceipt(ticket, { mode: 'raster', widthMm: 80 }).lengthMm;
  console.log(
    'time to the last byte at the printer (80 mm), far end reading at the line rate; "≈" computed from the bytes',
  );
  console.log(
    "cold: first job on a connection; warm: after the job named (its downloads already on the printer); text+w: text mode with the warm-up at connect (frequent letters downloaded while idle; the kiosk's setting), job timed after it; ·t20: profile epson-tm-t20 (printer QR, barcodes)\n",
  );
  console.log(
    'doc       mode      job             bytes    9600 s   19200 s  115200 s   usb s   head s  goal 19200 / 115200',
  );
  for (const [name, doc, warm, after] of [
    ['ticket', ticket, undefined, ''],
    ['ticket', nextTicket, ticket, 'ticket'],
    ['receipt', receipt, undefined, ''],
    ['receipt', receipt, ticket, 'ticket'],
    ['testpage', testPage, undefined, ''],
  ] as const) {
    // Every mode on an `unknown` printer; text mode also on a profiled one (printer QR and barcodes).
    const variants: { mode: PrinterMode; profile: PrinterProfileId; warmUp?: boolean }[] = warm
      ? [
          { mode: 'text', profile: 'unknown' },
          { mode: 'text', profile: 'unknown', warmUp: true },
          ...(name === 'ticket' ? [{ mode: 'glyphs' as const, profile: 'unknown' as const }] : []),
        ]
      : [
          ...PRINTER_MODES.map((mode) => ({ mode, profile: 'unknown' as const })),
          { mode: 'text', profile: 'unknown', warmUp: true },
          { mode: 'text', profile: 'epson-tm-t20' },
        ];
    for (const { mode, profile, warmUp } of variants) {
      let cache: TextCache | undefined;
      if (warmUp) {
        cache = new TextCache();
        cache.warmUp();
      }
      if (warm && mode === 'text')
        cache = encodeReceipt(warm, { mode, widthMm: 80, profile: getProfile(profile), textCache: cache }).textCache;
      const enc = encodeReceipt(doc, { mode, widthMm: 80, profile: getProfile(profile), textCache: cache });
      const headS = enc.lengthMm / HEAD_MM_PER_S;
      const scale = name === 'ticket' ? 1 : enc.lengthMm / ticketMm;
      const cells: string[] = [];
      const times: Record<string, number> = {};
      let bytes = enc.bytes.length;
      for (const link of LINKS) {
        const computed = link.baud > 0 ? (bytes * 10) / link.baud : 0;
        if (link.baud > 0 && computed > MEASURE_UP_TO_S) {
          times[link.name] = computed;
          cells.push(`≈${computed.toFixed(2)}`.padStart(9));
          continue;
        }
        const r = await timeToLastByte(doc, mode, profile, link.baud, warm, warmUp);
        bytes = r.bytes;
        times[link.name] = r.s;
        cells.push(r.s.toFixed(2).padStart(9));
      }
      const goal = (k: string) => {
        const g = TICKET_GOAL_S[k]! * scale;
        const t = times[k]!;
        return `${(t / g).toFixed(2)}× ${t <= g ? 'MET' : 'MISSED'}`;
      };
      const label = profile === 'unknown' ? (warmUp ? 'text+w' : mode) : `${mode}·t20`;
      const job = warm ? `after ${after}` : 'cold';
      console.log(
        `${name.padEnd(9)} ${label.padEnd(9)} ${job.padEnd(14)} ${String(bytes).padStart(6)} ${cells.join('')} ${headS.toFixed(2).padStart(8)}  ${goal('19200')} / ${goal('115200')}`,
      );
    }
  }
  console.log(
    `\ngoal: ticket ≤ 1.5 s at 19200 and ≤ 0.5 s at 115200; receipt and test page in proportion to their paper length (×length / ticket length). Ratio = time / goal.\n`,
  );
}

await linkTable();

const RUNS = 40;
const TARGET_MS: Record<string, number> = { ticket: 100, receipt: 300 };
console.log('receipt render + ESC/POS encode (80 mm, 576 dots)');
console.log(
  `load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores (times inflate when it exceeds the core count; ratios hold)\n`,
);
console.log('doc       mode       p50 ms   p95 ms   bytes   at 19200 baud   at 115200 baud   target p95');
const results: Record<string, Record<PrinterMode, { p50: number; p95: number; bytes: number }>> = {};
for (const [name, doc] of [
  ['ticket', ticket],
  ['receipt', receipt],
] as const) {
  results[name] = {} as Record<PrinterMode, { p50: number; p95: number; bytes: number }>;
  for (const mode of PRINTER_MODES) {
    const bytes = encodeReceipt(doc, { mode, widthMm: 80 }).bytes.length;
    const t = measure(() => encodeReceipt(doc, { mode, widthMm: 80 }), RUNS);
    results[name]![mode] = { ...t, bytes };
    const target = TARGET_MS[name]!;
    console.log(
      `${name.padEnd(9)} ${mode.padEnd(9)} ${t.p50.toFixed(1).padStart(7)}  ${t.p95.toFixed(1).padStart(7)}  ${String(bytes).padStart(6)}  ${`${(bytes / 1920).toFixed(1)} s`.padStart(14)}  ${`${(bytes / 11520).toFixed(1)} s`.padStart(15)}   ≤ ${target} ms ${t.p95 <= target ? 'MET' : 'MISSED'}`,
    );
  }
}
console.log('');
for (const name of Object.keys(results)) {
  const r = results[name]!;
  console.log(
    `${name}: raster / text — bytes ×${(r.raster.bytes / r.text.bytes).toFixed(1)}; raster / code page — time ×${(r.raster.p50 / r.codepage.p50).toFixed(1)}, bytes ×${(r.raster.bytes / r.codepage.bytes).toFixed(1)}`,
  );
}

const bmp = renderReceiptBitmap(receipt, 80);
const own = measure(() => rasterPaper(bmp.bytesPerRow, bmp.height, bmp.data), RUNS);
const viaNtp = measure(() => ntpRaster(receipt), 10);
console.log(
  `\nraster packing of the full receipt (${bmp.width}×${bmp.height}): our GS v 0 + ESC J writer p50 ${own.p50.toFixed(2)} ms vs node-thermal-printer printImageBuffer (PNG round trip) p50 ${viaNtp.p50.toFixed(1)} ms — ×${(viaNtp.p50 / Math.max(own.p50, 0.01)).toFixed(0)}`,
);
