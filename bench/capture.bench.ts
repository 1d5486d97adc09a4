/**
 * Digitising papers (issue 16). Run: npx tsx bench/capture.bench.ts (or npm run bench -- capture)
 * - capture → cleaned page: the simulator's page (A4 photographed tilted on a table) and SANE's
 *   test backend through scanimage, each cleaned (grey, deskew, crop, contrast, JPEG);
 * - bytes per page: the cleaned JPEG and the 3-page PDF per page;
 * - upload throughput on loopback: 2 MiB PDFs in 256 KiB chunks to a central, sealed files read back;
 * - chaos: 50 submissions with papers under kill -9 and network faults.
 * Targets: cleaned page ≤ 1 s (p95); ≤ 250 KB a page; every acknowledged paper at central once.
 */
import { randomBytes, createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { enrolDevice, issueEnrolCode } from '../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../central/demo/seed.node.ts';
import { startCentral } from '../central/server.node.ts';
import { cleanPage, createDocScanner, pagesToPdf, renderSamplePage } from '../drivers/docscanner/index.node.ts';
import { openDatabase } from '../kiosk/store/db.node.ts';
import { loadOrMakeKey, SealedFiles } from '../kiosk/store/sealed.node.ts';
import { AttachmentUploader } from '../kiosk/sync/attachments.node.ts';
import { CentralClient } from '../kiosk/sync/central-client.node.ts';
import { runCaptureChaos } from '../test/support/capture-chaos.ts';

const base = process.env.BENCH_DIR ?? join(process.cwd(), '.tmp');
mkdirSync(base, { recursive: true });
const dir = mkdtempSync(join(base, 'capture-bench-'));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;
let failed = false;
const check = (ok: boolean, what: string) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed = true;
};
console.log(
  `machine: ${cpus().length} × ${cpus()[0]?.model}; load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

// 1. Capture → cleaned page.
const sim = createDocScanner('sim:', { recheckMs: 0 });
await sim.open();
const simMs: number[] = [];
const simBytes: number[] = [];
const jpegs: Buffer[] = [];
for (let i = 0; i < 9; i++) {
  const t = performance.now();
  const page = await cleanPage((await sim.scan()).bytes);
  simMs.push(performance.now() - t);
  simBytes.push(page.jpeg.length);
  if (jpegs.length < 3) jpegs.push(page.jpeg);
}
console.log(
  `simulator page (render + clean): p50 ${pct(simMs, 0.5).toFixed(0)} ms, p95 ${pct(simMs, 0.95).toFixed(0)} ms`,
);
const raw = await renderSamplePage({ page: 1, pages: 3, tiltDeg: 3 });
const cleanMs: number[] = [];
for (let i = 0; i < 9; i++) {
  const t = performance.now();
  await cleanPage(raw);
  cleanMs.push(performance.now() - t);
}
console.log(
  `cleaning alone (1527×2024 photo): p50 ${pct(cleanMs, 0.5).toFixed(0)} ms, p95 ${pct(cleanMs, 0.95).toFixed(0)} ms`,
);
check(pct(cleanMs, 0.95) <= 1_000, 'capture → cleaned page ≤ 1 s (p95)');
const sane = createDocScanner('sane:test?resolution=150&test-picture=Grid', { recheckMs: 0 });
await sane.open();
const saneMs: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  await cleanPage((await sane.scan()).bytes);
  saneMs.push(performance.now() - t);
}
console.log(`SANE test backend 150 dpi scan + clean: p50 ${pct(saneMs, 0.5).toFixed(0)} ms`);

// 2. Bytes per page.
const pdf = await pagesToPdf(jpegs, { title: 'bench' });
console.log(
  `bytes per page: cleaned JPEG p50 ${(pct(simBytes, 0.5) / 1024).toFixed(0)} KiB (max ${(Math.max(...simBytes) / 1024).toFixed(0)} KiB); 3-page PDF ${(pdf.length / 1024).toFixed(0)} KiB = ${(pdf.length / 3 / 1024).toFixed(0)} KiB a page`,
);
check(pdf.length / 3 <= 250 * 1024, 'PDF ≤ 250 KB a page');

// 3. Upload throughput on loopback.
const central = await startCentral({ db: join(dir, 'central.sqlite'), port: 0 });
await seedDemo(central.store);
const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
const e = await central.store.tx((q) => enrolDevice(q, { code, kioskName: 'Bench' }));
const creds = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
const kdir = join(dir, 'kiosk');
mkdirSync(kdir, { recursive: true });
const db = openDatabase(join(kdir, 'kiosk.db'));
const outgoing = new SealedFiles(join(kdir, 'outgoing'), loadOrMakeKey(join(kdir, 'attachment.key')));
const FILES = 16;
const SIZE = 2 * 1024 * 1024;
for (let i = 0; i < FILES; i++) {
  const bytes = randomBytes(SIZE);
  const sha = createHash('sha256').update(bytes).digest('hex');
  outgoing.write(sha, bytes);
  db.prepare(
    "INSERT INTO attachments (outbox_key, doc_id, sha256, bytes, pages, status, created_at) VALUES (?, 'doc', ?, ?, 1, 'pending', ?)",
  ).run(`k${i}`, sha, SIZE, new Date().toISOString());
}
const uploader = new AttachmentUploader({
  db,
  client: new CentralClient({ baseUrl: central.url, credentials: () => creds }),
  outgoing,
  log: pino({ level: 'silent' }),
  clock: { now: () => new Date() },
});
const t0 = performance.now();
uploader.start();
await uploader.waitForIdle();
const secs = (performance.now() - t0) / 1000;
await uploader.stop();
console.log(
  `upload on loopback: ${FILES} × 2 MiB in ${secs.toFixed(2)} s = ${((FILES * SIZE) / 1024 / 1024 / secs).toFixed(1)} MiB/s (${uploader.stats.chunks} chunks of 256 KiB, decrypt + SHA-256 + fsync per chunk)`,
);
db.close();
await central.close();

// 4. Chaos, 50 submissions.
const r = await runCaptureChaos({ submissions: 50, kills: 8, seed: 50 });
const once = r.acknowledged.every((no) => r.centralDossiers.filter((d) => d === no).length === 1);
console.log(
  `chaos: ${r.submissions} submissions, ${r.kills} × kill -9, faults ${JSON.stringify(r.faults)}, ${(r.bytesUploaded / 1024 / 1024).toFixed(1)} MiB of papers, ${(r.ms / 1000).toFixed(0)} s`,
);
check(
  once &&
    r.acknowledged.length === 50 &&
    r.centralAttachments.length === r.centralDossiers.length &&
    r.centralAttachments.every((a) => a.intact) &&
    r.kioskOutgoing.length === 0 &&
    r.kioskRows.every((row) => row.status === 'uploaded'),
  'chaos: every acknowledged paper at central once, byte-identical, none left on the kiosk',
);
await sim.close();
await sane.close();
rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
