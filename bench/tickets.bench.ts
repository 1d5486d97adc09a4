/**
 * Touch → last ticket byte at the printer: `tickets.issue` through the kiosk API dispatcher, a
 * real central over loopback (online) or none (offline series), the shipped text mode, and a
 * serial printer on a socat pseudo-terminal whose far end reads at 115,200 baud (a bare pty
 * takes any amount at once) and waits for the cut command.
 * Run: `npx tsx bench/tickets.bench.ts`. Target (issue 17): p50 ≤ 500 ms online and offline.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { enrolTestDevice, makeTestDb } from '../central/testing.node.ts';
import { startCentral } from '../central/server.node.ts';
import { KioskConfig } from '../kiosk/config/config.node.ts';
import { createAppliance } from '../kiosk/appliance/appliance.node.ts';
import { saveCredentials } from '../kiosk/sync/credentials.node.ts';
import { FakePrinter } from '../test/support/fake-printer.ts';
import { createPtyPair } from '../test/support/pty.ts';
import { SerialPeer } from '../test/support/serial-peer.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const WARMUP = 5;
/** Issue 17: a ticket reaches the printer within 0.5 s at 115,200 baud. */
const TARGET_P50_MS = 500;

// Office hours matter: run at Monday 09:00 office time whatever the machine's date.
const offset = Date.parse('2026-11-30T09:00:00+07:00') - Date.now();
const clock = { now: () => new Date(Date.now() + offset) };

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * (s.length - 1)))]!;
};

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'tickets-bench-'));
  const cdb = await makeTestDb('sqlite');
  const central = await startCentral({ db: cdb.url, now: clock.now });
  const e = await enrolTestDevice(central.store);
  saveCredentials(dir, { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() });

  const pty = await createPtyPair();
  const port = new SerialPeer(pty.b, 115200);
  const printer = new FakePrinter(port);
  // The job ends with GS V (cut): the moment it arrives is "the last byte written".
  let waiter: ((at: number) => void) | null = null;
  let tail: number[] = [];
  port.onBytes = (d: Uint8Array) => {
    printer.feed(d);
    tail = [...tail, ...d].slice(-8);
    for (let i = 0; i + 1 < tail.length; i++) {
      if (tail[i] === 0x1d && tail[i + 1] === 0x56 && waiter) {
        const w = waiter;
        waiter = null;
        tail = [];
        w(performance.now());
        break;
      }
    }
  };

  const kiosk = await createAppliance(
    KioskConfig.parse({
      dataDir: dir,
      centralUrl: central.url,
      officeId: e.officeId,
      printer: `serial:${pty.a}?baud=115200`,
      printerMode: 'text',
    }),
    { clock, log: pino({ level: 'silent' }) },
  );
  await kiosk.ctx.cache.officeConfig();
  const bytes: number[] = [];

  async function once(): Promise<{ ms: number; number: string }> {
    printer.clear();
    const cut = new Promise<number>((resolve) => (waiter = resolve));
    const t0 = performance.now();
    const r = await kiosk.dispatch(
      'tickets.issue',
      { serviceId: 'chung-thuc', priorityGroupId: null },
      { carrier: 'test' },
    );
    if (!r.ok) throw new Error(`tickets.issue: ${r.error.code} ${r.error.message}`);
    const value = r.value as { print: { printed: boolean }; ticket: { number: string } };
    if (!value.print.printed) throw new Error('not printed');
    const t1 = await cut;
    bytes.push(printer.received().length);
    return { ms: t1 - t0, number: value.ticket.number };
  }

  async function series(label: string) {
    for (let i = 0; i < WARMUP; i++) await once();
    const ms: number[] = [];
    let last = '';
    for (let i = 0; i < RUNS; i++) {
      const r = await once();
      ms.push(r.ms);
      last = r.number;
    }
    const p50 = pct(ms, 0.5);
    const p95 = pct(ms, 0.95);
    console.log(
      `${label.padEnd(8)} touch → last byte  p50 ${p50.toFixed(1)} ms  p95 ${p95.toFixed(1)} ms  (n=${RUNS}, last ${last})  target p50 ≤ ${TARGET_P50_MS} ms  ratio ${(p50 / TARGET_P50_MS).toFixed(2)}  ${p50 <= TARGET_P50_MS ? 'OK' : 'OVER'}`,
    );
    return p50;
  }

  console.log(
    `tickets bench: text-mode ticket to a serial printer reading at 115200 baud, ${RUNS} runs after ${WARMUP} warm-ups`,
  );
  // Times scale with machine load: print it so numbers from a busy CI box are read as such.
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
  const online = await series('online');
  await central.close();
  const offline = await series('offline');
  console.log(`ticket size ${Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length)} bytes on average`);

  await kiosk.close();
  port.close();
  await pty.close();
  await cdb.dispose();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    online <= TARGET_P50_MS && offline <= TARGET_P50_MS ? 'tickets bench: within target' : 'tickets bench: OVER target',
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
