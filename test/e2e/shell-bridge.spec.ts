import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { provisionForTest, ROOT, spawnReady, tmpDir, type RunningProcess } from '../support/appliance.ts';

// The Electron carrier in Chromium, minus the Electron binary: the built renderer served with
// the shell's headers, the real preload bundle (with an `electron` shim whose ipcRenderer goes
// to the shell's real IPC handler and the real kiosk core), under the shell's CSP.
let emulator: RunningProcess;

test.beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-shell.mjs')], { cwd: ROOT, stdio: 'pipe' });
  const dataDir = tmpDir('shell-e2e-');
  provisionForTest(dataDir);
  emulator = await spawnReady(
    'kiosk/shell/testing/emulator.node.ts',
    [],
    { KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' },
    /SHELL EMULATOR READY (http:\S+)/,
  );
});
test.afterAll(async () => {
  await emulator?.stop();
});

test('the renderer runs on the preload bridge under the shell CSP, without the web carrier', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
  });
  const requests: string[] = [];
  page.on('request', (r) => void requests.push(new URL(r.url()).pathname));
  const calls: string[] = [];
  await page.exposeBinding('__ipcInvoke', async (_source, channel: string, args: unknown[]) => {
    calls.push(String(args[0]));
    const res = await fetch(new URL('/__ipc', emulator.url), {
      method: 'POST',
      body: JSON.stringify({ channel, args }),
    });
    return res.json();
  });
  const preload = readFileSync(join(ROOT, 'dist/shell/preload.cjs'), 'utf8');
  await page.addInitScript(`(() => {
    const listeners = new Set();
    const electron = {
      contextBridge: { exposeInMainWorld: (key, api) => Object.defineProperty(window, key, { value: Object.freeze(api) }) },
      ipcRenderer: {
        invoke: (channel, ...args) => window.__ipcInvoke(channel, args),
        on: (channel, fn) => { listeners.add(fn); },
        removeListener: (channel, fn) => { listeners.delete(fn); },
      },
    };
    const require = (name) => { if (name !== 'electron') throw new Error('a sandboxed preload cannot require ' + name); return electron; };
    const module = { exports: {} };
    const exports = module.exports;
    ${preload}
  })();`);

  const response = await page.goto(emulator.url);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào! Quý khách cần làm gì?');
  await expect(page.getByRole('button', { name: /Lấy số thứ tự/ })).toBeVisible();
  expect(calls).toContain('app.info');

  const unknown = await page.evaluate(() => window.kioskBridge?.invoke('app.nope', {}));
  expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
  const bad = await page.evaluate(() => window.kioskBridge?.invoke('session.end', { reason: 'because' }));
  expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  expect(await page.evaluate(() => Object.keys(window.kioskBridge ?? {}).sort())).toEqual(['invoke', 'subscribe']);

  expect(requests.filter((p) => p.startsWith('/api/'))).toEqual([]);
  expect(violations).toEqual([]);
});
