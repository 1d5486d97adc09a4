/**
 * Outbox durability and drain speed. Run: npx tsx bench/sync.bench.ts
 * - durable enqueue: one transaction per submission (domain row + outbox entry), WAL + FULL;
 * - the same loop with synchronous=OFF (the no-durability bound) and the disk's raw
 *   write+fsync rate, measured in the same run on the same disk;
 * - draining 10,000 queued entries to a central over loopback.
 * Targets (issue 5): durable ≥ 4,000/s and within 1.5× of raw fsync; drain 10,000 ≤ 2 s.
 */
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { issueEnrolCode } from '../central/admin.node.ts';
import { DEMO_OFFICE_ID } from '../central/demo/seed.node.ts';
import { openCentralStore } from '../central/store/store.node.ts';
import { probeCounts, PROBE_KIND } from '../central/testing.node.ts';
import { openDatabase, type Db } from '../kiosk/store/db.node.ts';
import { CentralClient } from '../kiosk/sync/central-client.node.ts';
import { SyncEngine } from '../kiosk/sync/engine.node.ts';
import { enqueue, Outbox } from '../kiosk/sync/outbox.node.ts';

// Bench dirs go under .tmp in the repository by default: /tmp is often tmpfs, whose fsync is free.
const base = process.env.BENCH_DIR ?? join(process.cwd(), '.tmp');
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, 'sync-bench-'));
const N = 4_000;
// A realistic size (~200 bytes) inside the probe kind's schema.
const payload = {
  n: 0,
  citizen: 'Nguyễn Thị Ánh Tuyết — 096190012345 — Khóm 5, phường An Xuyên, tỉnh Cà Mau — Đăng ký khai sinh 1.001193',
};

function enqueueRate(db: Db): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS bench_submission (id INTEGER PRIMARY KEY, outbox_key TEXT NOT NULL, body TEXT NOT NULL)',
  );
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
  // Rates below depend on the disk's fsync and on idle cores: a loaded machine reads low.
  console.log(`sync bench — ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}, dir ${dir}`);

  const durableDb = openDatabase(join(dir, 'durable.db'));
  const durable = enqueueRate(durableDb);
  durableDb.close();
  const offDb = openDatabase(join(dir, 'off.db'));
  offDb.pragma('synchronous = OFF');
  const off = enqueueRate(offDb);
  offDb.close();
  const raw = rawFsyncRate();

  const line = (label: string, value: string, target = '') =>
    console.log(`  ${label.padEnd(44)} ${value.padStart(14)}   ${target}`);
  console.log('enqueue (one transaction per submission):');
  line(
    'durable, WAL + synchronous=FULL',
    `${durable.toFixed(0)} /s`,
    `target ≥ 4,000/s  ${durable >= 4000 ? 'OK' : 'BELOW'}`,
  );
  line('synchronous=OFF (no-durability bound)', `${off.toFixed(0)} /s`, `OFF/durable = ${(off / durable).toFixed(2)}×`);
  line(
    'raw write(4 KiB)+fsync',
    `${raw.toFixed(0)} /s`,
    `raw/durable = ${(raw / durable).toFixed(2)}× (target ≤ 1.5×)  ${raw / durable <= 1.5 ? 'OK' : 'ABOVE'}`,
  );

  // Drain 10,000 to central over loopback; central in its own process, as in the field.
  const centralDb = join(dir, 'central.sqlite');
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('../central/main.node.ts', import.meta.url)),
      '--port',
      '0',
      '--db',
      centralDb,
      '--seed',
      '--probe',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /central listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code) => reject(new Error(`central exited (${code})`)));
  });
  const store = await openCentralStore(centralDb);
  const { code } = await issueEnrolCode(store, { officeId: DEMO_OFFICE_ID });
  const creds = {
    ...(await new CentralClient({ baseUrl: url, credentials: () => null }).enrol({ code, kioskName: 'bench' })),
    centralUrl: url,
    enrolledAt: new Date().toISOString(),
  };
  const kioskDb = openDatabase(join(dir, 'drain.db'));
  const outbox = new Outbox(kioskDb);
  for (const batchSize of [500, 100]) {
    kioskDb.transaction(() => {
      for (let i = 0; i < 10_000; i++) enqueue(kioskDb, PROBE_KIND, { ...payload, n: i });
    })();
    const engine = new SyncEngine({
      outbox,
      client: new CentralClient({ baseUrl: url, credentials: () => creds }),
      log: pino({ level: 'silent' }),
      batchSize,
    });
    const t0 = performance.now();
    engine.start();
    await engine.waitForIdle(60_000);
    const seconds = (performance.now() - t0) / 1000;
    await engine.stop();
    const parked = outbox.counts().parked;
    if (parked)
      throw new Error(`${parked} entries parked: ${outbox.list({ status: 'parked', limit: 1 })[0]?.lastError}`);
    line(
      `drain 10,000 to central, ${batchSize} per request`,
      `${seconds.toFixed(2)} s`,
      `${(10_000 / seconds).toFixed(0)} records/s${batchSize === 500 ? `  target ≤ 2 s  ${seconds <= 2 ? 'OK' : 'ABOVE'}` : ''}`,
    );
  }
  const counts = await probeCounts(store);
  line(
    'central holds (distinct / rows)',
    `${counts.distinct} / ${counts.rows}`,
    counts.rows === 20_000 && counts.distinct === 20_000 ? 'OK' : 'MISMATCH',
  );
  kioskDb.close();
  await store.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}

main().catch((err: unknown) => {
  console.error(err);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
