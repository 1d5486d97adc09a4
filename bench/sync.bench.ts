/**
 * Outbox durability and drain speed. Run: npx tsx bench/sync.bench.ts
 * - durable enqueue: one transaction per submission (domain row + outbox entry), WAL + FULL;
 * - the same loop with synchronous=OFF (the no-durability bound) and the disk's raw
 *   write+fsync rate, measured in the same run on the same disk;
 * - draining 10,000 queued entries to a central over loopback.
 * Targets (issue 5): durable ≥ 4,000/s and within 1.5× of raw fsync; drain 10,000 ≤ 2 s.
 */
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startCentral } from '../central/server.node.ts';
import { enrolTestDevice, probeCounts, PROBE_KIND, routesWithProbe } from '../central/testing.node.ts';
import { openDatabase, type Db } from '../kiosk/store/db.node.ts';
import { CentralClient } from '../kiosk/sync/central-client.node.ts';
import { SyncEngine } from '../kiosk/sync/engine.node.ts';
import { enqueue, Outbox } from '../kiosk/sync/outbox.node.ts';

// Bench dirs go under .tmp in the repository by default: /tmp is often tmpfs, whose fsync is free.
const base = process.env.BENCH_DIR ?? join(process.cwd(), '.tmp');
const dir = mkdtempSync(join(base.startsWith('/') ? base : join(process.cwd(), base), 'sync-bench-').replace(/^$/, tmpdir()));
const N = 4_000;
// A realistic size (~200 bytes) inside the probe kind's schema.
const payload = { n: 0, citizen: 'Nguyễn Thị Ánh Tuyết — 096190012345 — Khóm 5, phường An Xuyên, tỉnh Cà Mau — Đăng ký khai sinh 1.001193' };

function enqueueRate(db: Db): number {
  db.exec('CREATE TABLE IF NOT EXISTS bench_submission (id INTEGER PRIMARY KEY, outbox_key TEXT NOT NULL, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO bench_submission (outbox_key, body) VALUES (?, ?)');
  const submit = db.transaction((n: number) => {
    const { key } = enqueue(db, PROBE_KIND, { ...payload, n });
    insert.run(key, 'x');
  });
  for (let i = 0; i < 200; i++) submit(i); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < N; i++) submit(i);
  return N / ((performance.now() - t0) / 1000);
}

function rawFsyncRate(): number {
  const fd = openSync(join(dir, 'raw.bin'), 'w');
  const chunk = Buffer.alloc(4096, 7);
  for (let i = 0; i < 200; i++) {
    writeSync(fd, chunk);
    fsyncSync(fd);
  }
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    writeSync(fd, chunk);
    fsyncSync(fd);
  }
  const rate = N / ((performance.now() - t0) / 1000);
  closeSync(fd);
  return rate;
}

async function main() {
  console.log(`sync bench — ${cpus().length} cores, dir ${dir}`);

  const durableDb = openDatabase(join(dir, 'durable.db'));
  const durable = enqueueRate(durableDb);
  durableDb.close();
  const offDb = openDatabase(join(dir, 'off.db'));
  offDb.pragma('synchronous = OFF');
  const off = enqueueRate(offDb);
  offDb.close();
  const raw = rawFsyncRate();

  const line = (label: string, value: string, target = '') => console.log(`  ${label.padEnd(44)} ${value.padStart(14)}   ${target}`);
  console.log('enqueue (one transaction per submission):');
  line('durable, WAL + synchronous=FULL', `${durable.toFixed(0)} /s`, `target ≥ 4,000/s  ${durable >= 4000 ? 'OK' : 'BELOW'}`);
  line('synchronous=OFF (no-durability bound)', `${off.toFixed(0)} /s`, `OFF/durable = ${(off / durable).toFixed(2)}×`);
  line('raw write(4 KiB)+fsync', `${raw.toFixed(0)} /s`, `raw/durable = ${(raw / durable).toFixed(2)}× (target ≤ 1.5×)  ${raw / durable <= 1.5 ? 'OK' : 'ABOVE'}`);

  // Drain 10,000 to central over loopback.
  const central = await startCentral({ db: join(dir, 'central.sqlite'), routes: routesWithProbe });
  const e = await enrolTestDevice(central.store);
  const kioskDb = openDatabase(join(dir, 'drain.db'));
  const outbox = new Outbox(kioskDb);
  const creds = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
  for (const batchSize of [500, 100]) {
    kioskDb.transaction(() => {
      for (let i = 0; i < 10_000; i++) enqueue(kioskDb, PROBE_KIND, { ...payload, n: i });
    })();
    const engine = new SyncEngine({ outbox, client: new CentralClient({ baseUrl: central.url, credentials: () => creds }), log: pino({ level: 'silent' }), batchSize });
    const t0 = performance.now();
    engine.start();
    await engine.waitForIdle(60_000);
    const seconds = (performance.now() - t0) / 1000;
    await engine.stop();
    const parked = outbox.counts().parked;
    if (parked) throw new Error(`${parked} entries parked: ${outbox.list({ status: 'parked', limit: 1 })[0]?.lastError}`);
    line(`drain 10,000 to central, ${batchSize} per request`, `${seconds.toFixed(2)} s`, `${(10_000 / seconds).toFixed(0)} records/s${batchSize === 500 ? `  target ≤ 2 s  ${seconds <= 2 ? 'OK' : 'ABOVE'}` : ''}`);
  }
  const counts = await probeCounts(central.store);
  line('central holds (distinct / rows)', `${counts.distinct} / ${counts.rows}`, counts.rows === 20_000 && counts.distinct === 20_000 ? 'OK' : 'MISMATCH');
  kioskDb.close();
  await central.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
