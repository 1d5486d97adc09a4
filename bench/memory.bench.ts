/**
 * Memory over a long day: a kiosk serves thousands of citizens between restarts, so nothing may
 * grow per session. Run: `npx tsx bench/memory.bench.ts`.
 *
 * - Core: the real kiosk process (web host, enrolled with a real central on loopback, sim
 *   printer) driven through its HTTP API the way the renderer drives it for one citizen: a
 *   ticket (issued by central, rendered and "printed"), a catalog search, a dossier status
 *   look-up, the end of the session. Resident memory (VmRSS) is sampled after a warm-up and then
 *   every 100 sessions; its floor over the first and the last quarter of the run (RSS swings
 *   with each major GC) gives the growth. Target: ≤ 10 MiB per 1,000 sessions.
 * - Renderer: the kiosk page in Chromium through whole citizen sessions on screen (procedure
 *   search typed on the keyboard, a procedure opened, the ticket screens, back home: the session
 *   ends and every screen remounts). The JS heap after a forced GC and the DOM node count, after
 *   a warm-up and after 60 more sessions. Target: heap within 1.2× and nodes within 1.1×.
 */
import { chromium, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { DEMO_DOSSIERS } from '../central/demo/catalog-seed.node.ts';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
import { fetchKioskPage } from '../test/support/appliance.ts';
import { startOnlineKiosk } from '../test/support/screens.ts';

const CORE_WARMUP = 300;
const CORE_SESSIONS = Number(process.env.BENCH_SESSIONS ?? 2_000);
const UI_WARMUP = 10;
const UI_SESSIONS = 60;
const CORE_TARGET_MIB_PER_1000 = 10;

const rssMiB = (pid: number): number => {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return kb ? Number(kb[1]) / 1024 : NaN;
};

/** The web host as the page sees it: its per-launch token, its own origin. */
async function apiOf(url: string) {
  const html = await fetchKioskPage(url);
  const token = /name="kiosk-token" content="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no kiosk token in the page');
  const origin = new URL(url).origin;
  return async (name: string, input: unknown) => {
    const res = await fetch(`${origin}/api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token, origin },
      body: JSON.stringify({ input }),
    });
    const body = (await res.json()) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };
    if (!body.ok) throw new Error(`${name}: ${body.error?.code} ${body.error?.message}`);
    return body.value;
  };
}

async function core(url: string, pid: number) {
  const call = await apiOf(url);
  const dossier = DEMO_DOSSIERS[0]!.code;
  const queries = ['khai sinh', 'dang ky ket hon', 'chứng thực', 'ho kinh doanh', 'đất đai', 'trich luc'];
  const session = async (i: number) => {
    await call('tickets.issue', { serviceId: 'chung-thuc' });
    await call('catalog.search', { query: queries[i % queries.length] });
    await call('dossier.status', { text: dossier });
    await call('session.end', { reason: 'done' });
  };
  for (let i = 0; i < CORE_WARMUP; i++) await session(i);
  // RSS swings with each major GC; its floor over a window of samples is what the process keeps.
  const samples: Array<{ sessions: number; rss: number }> = [{ sessions: 0, rss: rssMiB(pid) }];
  const t0 = performance.now();
  for (let i = 1; i <= CORE_SESSIONS; i++) {
    await session(i);
    if (i % 100 === 0) samples.push({ sessions: i, rss: rssMiB(pid) });
  }
  const perSession = (performance.now() - t0) / CORE_SESSIONS;
  const window = Math.max(2, Math.floor(samples.length / 4));
  const first = samples.slice(0, window);
  const last = samples.slice(-window);
  const floor = (xs: typeof samples) => Math.min(...xs.map((x) => x.rss));
  const span = (last[0]!.sessions + last.at(-1)!.sessions) / 2 - (first[0]!.sessions + first.at(-1)!.sessions) / 2;
  const per1000 = ((floor(last) - floor(first)) / span) * 1000;
  console.log(
    `  RSS floor over sessions ${first[0]!.sessions}–${first.at(-1)!.sessions}: ${floor(first).toFixed(1)} MiB; over ${last[0]!.sessions}–${last.at(-1)!.sessions}: ${floor(last).toFixed(1)} MiB (peak ${Math.max(...samples.map((x) => x.rss)).toFixed(1)} MiB)`,
  );
  console.log(
    `core: ${CORE_SESSIONS} sessions (ticket + search + status + end) at ${perSession.toFixed(1)} ms each; RSS growth ${per1000.toFixed(2)} MiB per 1,000 sessions  target ≤ ${CORE_TARGET_MIB_PER_1000}  ${per1000 <= CORE_TARGET_MIB_PER_1000 ? 'MET' : 'ABOVE'} (ratio ${(Math.max(0, per1000) / CORE_TARGET_MIB_PER_1000).toFixed(2)})`,
  );
}

async function uiSession(page: Page) {
  await page.getByTestId('tile-procedures').click();
  await page.getByTestId('procedure-search').fill('khai sinh');
  await page.getByTestId('procedure-results').getByRole('button').first().click();
  await page.getByTestId('procedure-detail').waitFor();
  await page.getByTestId('nav-home').click();
  await page.getByTestId('tile-ticket').click();
  await page.getByTestId('ticket-areas').waitFor();
  await page.getByTestId('nav-home').click();
  await page.getByTestId('home').waitFor();
}

async function renderer(url: string) {
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const measure = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? NaN;
      return { heapMiB: usedSize / 2 ** 20, nodes: metric('Nodes'), listeners: metric('JSEventListeners') };
    };
    await page.goto(url);
    await page.getByTestId('home').waitFor();
    for (let i = 0; i < UI_WARMUP; i++) await uiSession(page);
    const before = await measure();
    const t0 = performance.now();
    for (let i = 0; i < UI_SESSIONS; i++) await uiSession(page);
    const perSession = (performance.now() - t0) / UI_SESSIONS;
    const after = await measure();
    const heapRatio = after.heapMiB / before.heapMiB;
    const nodeRatio = after.nodes / before.nodes;
    console.log(
      `  after warm-up           JS heap ${before.heapMiB.toFixed(2)} MiB  DOM nodes ${before.nodes}  listeners ${before.listeners}`,
    );
    console.log(
      `  after ${UI_SESSIONS} more sessions  JS heap ${after.heapMiB.toFixed(2)} MiB  DOM nodes ${after.nodes}  listeners ${after.listeners}`,
    );
    console.log(
      `renderer: ${UI_SESSIONS} sessions on screen at ${(perSession / 1000).toFixed(2)} s each; heap ×${heapRatio.toFixed(2)} (target ≤ 1.2: ${heapRatio <= 1.2 ? 'MET' : 'ABOVE'}), DOM nodes ×${nodeRatio.toFixed(2)} (target ≤ 1.1: ${nodeRatio <= 1.1 ? 'MET' : 'ABOVE'})`,
    );
  } finally {
    await browser.close();
  }
}

async function main() {
  console.log(`memory bench — ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}`);
  const kiosk = await startOnlineKiosk();
  try {
    await core(kiosk.url, kiosk.pid);
    await renderer(kiosk.url);
  } finally {
    await kiosk.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
