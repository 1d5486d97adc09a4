/**
 * The live ticket page on a cheap Android phone over 3G. Run: npx tsx bench/phone.bench.ts
 * A real central process (demo office, all-day hours), one ticket with a few waiting ahead;
 * Debian's Chromium with a phone's screen, the network throttled through the DevTools protocol
 * to Chrome's "3G" profile (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up) and the CPU
 * slowed 4× (`BENCH_CPU_SLOWDOWN`). For each of RUNS cold loads (a new browser context each): first contentful paint
 * after navigation start (the target holds for the median; the worst is printed beside it, since
 * the machine's own load moves it), and every byte received on the wire (headers included, the event
 * stream's first push included) until 3 s after load. Targets (issue 15): ≤ 50 KB transferred,
 * first paint ≤ 1 s.
 */
import { chromium, devices } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { v4 as uuidv4 } from 'uuid';
import { enrolDevice, issueEnrolCode } from '../central/admin.node.ts';
import { openCentralStore } from '../central/store/store.node.ts';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
import { OFFICE, startOfficeCentral } from '../test/support/office.ts';

const RUNS = 5;
/** Chrome's CPU throttling: a cheap phone is several times slower than this machine. */
const CPU_SLOWDOWN = Number(process.env.BENCH_CPU_SLOWDOWN ?? 4);
const TARGET_BYTES = 50 * 1024;
const TARGET_FCP_MS = 1_000;
const THREE_G = {
  offline: false,
  latency: 562.5,
  downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8,
  uploadThroughput: (750 * 1024 * 0.9) / 8,
};

const central = await startOfficeCentral();
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const store = await openCentralStore(central.db);
  const { code } = await issueEnrolCode(store, { officeId: OFFICE });
  const device = (await store.tx((q) => enrolDevice(q, { code, kioskName: 'phone-bench' }))).token;
  await store.close();
  let url = '';
  for (let i = 0; i < 6; i++) {
    const token = randomBytes(16).toString('base64url');
    const res = await fetch(`${central.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ticketId: uuidv4(),
        serviceId: 'ho-tich',
        priorityGroupId: null,
        source: 'kiosk',
        issuedAt: new Date().toISOString(),
        publicToken: token,
      }),
    });
    if (res.status !== 200) throw new Error(`issue: ${res.status}`);
    url = `${central.url}/t/${token}`;
  }

  const { defaultBrowserType: _, ...phone } = devices['Pixel 5'];
  const fcps: number[] = [];
  const bytes: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const context = await browser.newContext({ ...phone, locale: 'vi-VN' });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', THREE_G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    // A finished request's wire size (headers and body) comes with loadingFinished; the event
    // stream never finishes, so its chunks are summed as they arrive.
    const streaming = new Map<string, number>();
    const finished = new Map<string, number>();
    cdp.on('Network.dataReceived', (e: { requestId: string; encodedDataLength: number }) =>
      streaming.set(e.requestId, (streaming.get(e.requestId) ?? 0) + e.encodedDataLength),
    );
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) =>
      finished.set(e.requestId, e.encodedDataLength),
    );
    const received = () => {
      let sum = 0;
      for (const n of finished.values()) sum += n;
      for (const [id, n] of streaming) if (!finished.has(id)) sum += n;
      return sum;
    };
    await page.goto(url, { waitUntil: 'load' });
    const fcp = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const hit = performance.getEntriesByName('first-contentful-paint')[0];
          if (hit) return resolve(hit.startTime);
          new PerformanceObserver((list) => resolve(list.getEntries()[0]!.startTime)).observe({
            type: 'paint',
            buffered: true,
          });
        }),
    );
    await page.waitForTimeout(3_000);
    fcps.push(fcp);
    bytes.push(received());
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const medianFcp = median(fcps);
  const worstFcp = Math.max(...fcps);
  const worstBytes = Math.max(...bytes);
  console.log(`phone page on 3G (${RUNS} cold loads, CPU ${CPU_SLOWDOWN}× slower)`);
  console.log(
    `  first contentful paint: median ${medianFcp.toFixed(0)} ms (target ≤ ${TARGET_FCP_MS} ms, ratio ${(medianFcp / TARGET_FCP_MS).toFixed(2)}), worst ${worstFcp.toFixed(0)} ms`,
  );
  console.log(
    `  transferred: median ${median(bytes)} B, worst ${worstBytes} B (target ≤ ${TARGET_BYTES} B, ratio ${(worstBytes / TARGET_BYTES).toFixed(3)})`,
  );
  console.log(`  load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`);
  if (medianFcp > TARGET_FCP_MS || worstBytes > TARGET_BYTES) process.exitCode = 1;
} finally {
  await browser.close();
  await central.stop();
}
