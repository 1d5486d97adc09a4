import { chromium, expect, test, type Browser } from '@playwright/test';
import { tap } from '../support/reach.ts';
import react from '@vitejs/plugin-react';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { build } from 'vite';
import { buildTicketQr } from '../../drivers/id/index.ts';
import { contentSecurityPolicy } from '../../kiosk/host/security.ts';
import { chromiumLaunchOptions } from '../support/browser.ts';

/**
 * The renderer's scan pieces in a real Chromium: the camera path (getUserMedia from Chromium's
 * fake camera playing a QR video → Worker → zxing-wasm with the bundled .wasm, under the
 * kiosk's CSP, with every non-loopback request refused) and the keyboard-wedge hook.
 */
const harnessRoot = fileURLToPath(new URL('./scan-harness', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'scan-e2e-'));
const outDir = join(work, 'dist');
const TICKET = buildTicketQr('CAM-TEST-0001');
const MIME: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
};

let server: Server;
let origin = '';
let browser: Browser;

test.beforeAll(async () => {
  await build({
    root: harnessRoot,
    configFile: false,
    logLevel: 'error',
    plugins: [react()],
    worker: { format: 'es' },
    build: { outDir, emptyOutDir: true, assetsInlineLimit: 0, target: 'es2022' },
  });
  // A 640×480 video of a QR code on white, as Chromium's fake camera (looped).
  const png = join(work, 'qr.png');
  await QRCode.toFile(png, TICKET, { width: 360, margin: 4 });
  const y4m = join(work, 'qr.y4m');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    png,
    '-vf',
    'pad=640:480:(ow-iw)/2:(oh-ih)/2:white,format=yuv420p',
    '-t',
    '2',
    '-r',
    '10',
    y4m,
  ]);

  server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(outDir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(outDir) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy(),
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  browser = await chromium.launch(
    chromiumLaunchOptions([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ]),
  );
});

test.afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

test('the build ships the zxing-wasm binary as its own asset', () => {
  const assets = readdirSync(join(outDir, 'assets'));
  expect(assets.some((f) => f.endsWith('.wasm'))).toBe(true);
});

test('the camera reads a QR code through the worker, with no request leaving the machine', async () => {
  const page = await browser.newPage();
  const outside: string[] = [];
  const cspViolations: string[] = [];
  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    outside.push(url.href);
    return route.abort();
  });
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
  });
  await page.goto(`${origin}/#camera`);
  await expect(page.getByTestId('camera-scanner')).toHaveAttribute('data-state', /scanning|read/);
  await expect.poll(() => page.evaluate(() => window.harness.camera.length), { timeout: 20_000 }).toBeGreaterThan(0);
  const first = await page.evaluate(() => window.harness.camera[0]);
  expect(first).toMatchObject({ kind: 'ticket', source: 'camera', ticket: { ticketId: 'CAM-TEST-0001' } });
  await expect(page.getByTestId('camera-scanner')).toHaveAttribute('data-state', 'read');
  // The same code held in front of the camera is one scan, not one per frame.
  await page.waitForTimeout(1_000);
  expect(await page.evaluate(() => window.harness.submits.filter((s) => s.source === 'camera').length)).toBe(1);
  expect(outside).toEqual([]);
  expect(cspViolations).toEqual([]);
  await page.close();
});

test('a scanner burst in a focused field becomes a scan and leaves the field as it was', async () => {
  const page = await browser.newPage();
  await page.goto(origin);
  const name = page.getByTestId('name');
  await tap(name);
  await name.pressSequentially('Lan', { delay: 120 });
  // Keystrokes stamped 4 ms apart, as a scanner's USB reports are: the page sees the hardware
  // time, so a loaded test machine delivering them late does not make them look typed.
  const cdp = await page.context().newCDPSession(page);
  const t0 = Date.now() / 1000;
  const burst = [...'000.00.12.H12-250315-0001'];
  for (const [i, ch] of burst.entries()) {
    const timestamp = t0 + i * 0.004;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: ch, text: ch, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: ch, timestamp: timestamp + 0.001 });
  }
  const enterAt = t0 + burst.length * 0.004;
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'rawKeyDown',
    key: 'Enter',
    code: 'Enter',
    windowsVirtualKeyCode: 13,
    timestamp: enterAt,
  });
  await cdp.send('Input.dispatchKeyEvent', { type: 'char', key: 'Enter', text: '\r', timestamp: enterAt });
  await cdp.send('Input.dispatchKeyEvent', {
    type: 'keyUp',
    key: 'Enter',
    code: 'Enter',
    windowsVirtualKeyCode: 13,
    timestamp: enterAt + 0.001,
  });
  await expect(page.getByTestId('last')).toHaveText('hid:dossier');
  await expect(name).toHaveValue('Lan');
  expect(await page.evaluate(() => window.harness.submits)).toEqual([
    { text: '000.00.12.H12-250315-0001', source: 'hid' },
  ]);
  await page.close();
});

test('a person typing and pressing Enter is left alone', async () => {
  const page = await browser.newPage();
  await page.goto(origin);
  const name = page.getByTestId('name');
  await tap(name);
  await name.pressSequentially('Nguyen Van An', { delay: 90 });
  await page.keyboard.press('Enter');
  await expect(name).toHaveValue('Nguyen Van An');
  expect(await page.evaluate(() => window.harness.submits)).toEqual([]);
  await page.close();
});
