/**
 * Catalog search latency. Run: npx tsx bench/search.bench.ts
 * - core: the kiosk's index (kiosk/catalog/search.ts) over 10,000 procedures, every prefix of
 *   realistic queries as a citizen types them (what search-as-you-type asks), p50/p95 per call;
 *   beside it, SQLite FTS5 over the same pre-folded names (prefix queries, bm25) and a naive
 *   scan of folded names, to show why the index is what it is;
 * - Chromium: a key pressed on the on-screen keyboard → the results for that text painted,
 *   through the real kiosk web host and a real central (2,000+ procedures), p50/p95.
 * Targets (issue 6): core p95 ≤ 5 ms at 10,000 procedures; keystroke → paint p95 ≤ 100 ms.
 */
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { loadavg, cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrolDevice, issueEnrolCode } from '../central/admin.node.ts';
import { demoCatalog } from '../central/demo/catalog-generate.ts';
import { openCentralStore } from '../central/store/store.node.ts';
import { fold, foldWords } from '../kiosk/catalog/fold.ts';
import { CatalogIndex } from '../kiosk/catalog/search.ts';
import { spawnReady, startKiosk, tmpDir } from '../test/support/appliance.ts';
import { chromiumLaunchOptions } from '../test/support/browser.ts';

const N = 10_000;
const CORE_P95_MS = 5;
const PAINT_P95_MS = 100;

const QUERIES = [
  'dang ky khai sinh',
  'Đăng ký kết hôn',
  'chứng thực bản sao',
  'tam tru',
  'so do',
  'giay phep xay dung',
  'hộ kinh doanh',
  'cấp lại giấy chứng nhận',
  'trợ cấp người cao tuổi',
  'ly lich tu phap',
  'xác nhận tình trạng hôn nhân',
  'dat dai',
  'giấy phép kinh doanh karaoke',
  'thuong tru',
  '1.001193',
];
/** Every prefix, as typed one key at a time (from 2 characters: one letter is not a search). */
const typed = QUERIES.flatMap((q) => Array.from({ length: q.length - 1 }, (_, i) => q.slice(0, i + 2)));

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(3)} ms`;
/**
 * Each query `rounds` times: the per-query best is its cost without preemption (this machine
 * is shared: a descheduled call takes 10× longer for reasons not its own); p50/p95 are over
 * those bests. The raw p95 of every call is printed too.
 */
function time(
  run: (q: string) => unknown,
  rounds = 5,
  queries = typed,
): { p50: number; p95: number; rawP95: number; cpuPerCall: number } {
  for (const q of queries) run(q); // warm-up
  const best = new Map<string, number>();
  const all: number[] = [];
  const cpu0 = process.cpuUsage();
  for (let r = 0; r < rounds; r++)
    for (const q of queries) {
      const t0 = performance.now();
      run(q);
      const took = performance.now() - t0;
      all.push(took);
      best.set(q, Math.min(best.get(q) ?? Infinity, took));
    }
  const cpu = process.cpuUsage(cpu0);
  const bests = [...best.values()];
  return {
    p50: pct(bests, 50),
    p95: pct(bests, 95),
    rawP95: pct(all, 95),
    cpuPerCall: (cpu.user + cpu.system) / 1000 / all.length,
  };
}

console.log(
  `machine: ${cpus().length} cores, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (wall times include contention; CPU time per call is the steadier number)`,
);
const catalog = demoCatalog(N - 38);
const entries = catalog.procedures.map((p, ord) => ({
  code: p.code,
  name: p.name,
  keywords: p.keywords,
  fieldId: p.fieldId,
  level: p.level,
  ord,
}));
console.log(
  `catalog: ${catalog.procedures.length} procedures, ${typed.length} keystroke queries × 5 rounds; p50/p95 over each query's best round`,
);

let t0 = performance.now();
const index = new CatalogIndex(entries);
console.log(`index build: ${ms(performance.now() - t0)}`);
const core = time((q) => index.search(q, { limit: 30 }));
const checkFirst = index.search('dang ky khai sinh').hits[0]?.code;
// The first key alone matches most of the catalog: reported apart, it is the worst case.
const oneLetter = time((q) => index.search(q, { limit: 30 }), 5, [...'dctgxhbkq']);

// Naive: fold every name on the fly? No — the fairest naive is a scan of pre-folded names.
const folded = entries.map((e) => ` ${foldWords(e.name)} ${e.keywords.map(foldWords).join(' ')} `);
const naive = time((q) => {
  const tokens = foldWords(q).split(' ');
  const out: number[] = [];
  folded.forEach((f, i) => tokens.every((t) => f.includes(` ${t}`)) && out.push(i));
  return out.slice(0, 30);
});

// SQLite FTS5 over the pre-folded column (unicode61 would fold marks but not đ: vietnam.md §8).
const db = new Database(':memory:');
db.exec(
  "CREATE VIRTUAL TABLE fts USING fts5(code UNINDEXED, name_folded, keywords_folded, tokenize = 'unicode61 remove_diacritics 0')",
);
const ins = db.prepare('INSERT INTO fts (code, name_folded, keywords_folded) VALUES (?, ?, ?)');
t0 = performance.now();
db.transaction(() => entries.forEach((e) => ins.run(e.code, foldWords(e.name), e.keywords.map(foldWords).join(' '))))();
const ftsBuild = performance.now() - t0;
const ftsQuery = db.prepare('SELECT code FROM fts WHERE fts MATCH ? ORDER BY bm25(fts, 0, 10, 1) LIMIT 30');
const fts = time((q) => {
  const tokens = foldWords(q)
    .split(' ')
    .filter((t) => /^[a-z0-9]+$/.test(t));
  if (!tokens.length) return [];
  return ftsQuery.all(tokens.map((t) => `"${t}"*`).join(' '));
});

const row = (name: string, r: ReturnType<typeof time>, note = '') =>
  console.log(
    `${name.padEnd(34)} p50 ${ms(r.p50).padStart(10)}  p95 ${ms(r.p95).padStart(10)}  (raw p95 ${ms(r.rawP95).padStart(10)})  cpu/call ${ms(r.cpuPerCall).padStart(10)} ${note}`,
  );
row(
  'kiosk index (vocabulary + rank)',
  core,
  `target p95 ≤ ${CORE_P95_MS} ms: ${core.p95 <= CORE_P95_MS ? 'MET' : 'NOT MET'} (ratio ${(core.p95 / CORE_P95_MS).toFixed(2)})`,
);
row('kiosk index, first letter only', oneLetter, '(worst case: one letter matches thousands)');
row('naive scan of folded names', naive, `(${(naive.p95 / core.p95).toFixed(1)}× the index p95; no ranking)`);
row('SQLite FTS5 prefix + bm25', fts, `(${(fts.p95 / core.p95).toFixed(1)}× the index p95; build ${ms(ftsBuild)})`);
console.log(`sanity: "dang ky khai sinh" → ${checkFirst} (expect 1.001193); fold("Đăng ký") = "${fold('Đăng ký')}"`);

// Chromium: keystroke on the on-screen keyboard → results for that text painted.
async function paint() {
  const db = join(tmpDir('search-bench-central-'), 'central.sqlite');
  const central = await spawnReady(
    'central/main.node.ts',
    ['--port', '0', '--db', db, '--seed'],
    {},
    /central listening on (http:\/\/\S+)/,
    90_000,
  );
  const dataDir = tmpDir('search-bench-kiosk-');
  const store = await openCentralStore(db);
  const { code } = await issueEnrolCode(store, { officeId: 'ca-mau-an-xuyen' });
  const e = await store.tx((q) => enrolDevice(q, { code, kioskName: 'Bench' }));
  await store.close();
  writeFileSync(
    join(dataDir, 'credentials.json'),
    JSON.stringify({ ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({
      officeId: 'ca-mau-an-xuyen',
      timeouts: { idleWarningMs: 3_600_000, warningMs: 30_000, attractMs: 3_600_000 },
    }),
  );
  const kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url } });
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(kiosk.url);
    await page.getByTestId('tile-procedures').click();
    await page.getByTestId('field-ho-tich').waitFor({ timeout: 60_000 });
    const samples: number[] = [];
    const words = ['ddawng kys khai sinh', 'chuwngs thuwcj banr sao', 'giaays pheps xaay duwngj', 'tamj truss'];
    for (let round = 0; round < 3; round++)
      for (const keys of words) {
        await page.locator('.osk [data-skbtn="{clear}"]').click();
        for (const k of keys) {
          const name = k === ' ' ? '{space}' : k;
          // In the page: press the key, then wait until the list shows the answer for the
          // field's new text and two frames have been painted.
          // A string, not a function: tsx would wrap a function's source in helpers the page lacks.
          const took = (await page.evaluate(`(async (btn) => {
            const field = document.querySelector('[data-testid="procedure-search"]');
            const key = document.querySelector('.osk [data-skbtn="' + btn + '"]');
            const t0 = performance.now();
            key.click();
            const want = () => field.value.trim();
            const shown = () => document.querySelector('[data-testid="procedure-count"]')?.getAttribute('data-query') ?? '';
            const deadline = t0 + 5000;
            while (performance.now() < deadline && want() !== '' && shown() !== want()) await new Promise((r) => requestAnimationFrame(r));
            await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
            return performance.now() - t0;
          })(${JSON.stringify(name)})`)) as number;
          samples.push(took);
        }
      }
    return samples;
  } finally {
    await browser.close();
    await kiosk.stop();
    await central.stop();
  }
}

try {
  const samples = await paint();
  const p50 = pct(samples, 50);
  const p95 = pct(samples, 95);
  console.log(
    `${'Chromium keystroke → results painted'.padEnd(34)} p50 ${ms(p50).padStart(10)}  p95 ${ms(p95).padStart(10)}  (${samples.length} keys) target p95 ≤ ${PAINT_P95_MS} ms: ${p95 <= PAINT_P95_MS ? 'MET' : 'NOT MET'} (ratio ${(p95 / PAINT_P95_MS).toFixed(2)})`,
  );
} catch (err) {
  console.log(`Chromium keystroke → paint: not measured (${(err as Error).message.split('\n')[0]})`);
  process.exitCode = 1;
}
