/**
 * Cold start to home, and what the renderer weighs. Cold start = spawning the kiosk process
 * (web host, no embedded central) until Chromium shows the home screen. Bundle size = the
 * built renderer's JavaScript and CSS, gzip-compressed (fonts listed apart).
 */
import { chromium } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { startKiosk } from '../test/support/appliance.ts';
import { chromiumLaunchOptions } from '../test/support/browser.ts';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(1);

const assets = join('renderer', 'dist', 'assets');
let code = 0;
let codeGz = 0;
let fonts = 0;
let wasm = 0;
for (const f of readdirSync(assets)) {
  const bytes = readFileSync(join(assets, f));
  if (/\.(js|css)$/.test(f)) {
    code += bytes.length;
    codeGz += gzipSync(bytes, { level: 9 }).length;
  } else if (/\.woff2?$/.test(f)) fonts += statSync(join(assets, f)).size;
  else if (f.endsWith('.wasm')) wasm += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `renderer bundle: ${kb(code)} JS+CSS, ${kb(codeGz)} gzip (target ≤ 400 KiB gzip: ${codeGz <= 400 * 1024 ? 'met' : 'MISSED'}); fonts ${kb(fonts)}; wasm ${kb(wasm)} gzip`,
);

const runs = 5;
const times: number[] = [];
const browser = await chromium.launch(chromiumLaunchOptions());
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const kiosk = await startKiosk();
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(kiosk.url);
  await page.getByTestId('home').waitFor();
  times.push(performance.now() - t0);
  await page.close();
  await kiosk.stop();
}
await browser.close();
times.sort((a, b) => a - b);
const p50 = times[Math.floor(runs / 2)]!;
console.log(
  `cold start → home: p50 ${p50.toFixed(0)} ms, min ${times[0]!.toFixed(0)} ms, max ${times.at(-1)!.toFixed(0)} ms over ${runs} runs (target ≤ 5000 ms: ${p50 <= 5000 ? 'met' : 'MISSED'})`,
);
