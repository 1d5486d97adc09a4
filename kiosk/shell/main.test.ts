import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../store/db.node.ts';
import { credentialsFile, loadCredentials, saveCredentials, useSecretProtector } from '../sync/credentials.node.ts';
import { runShell, type RunningShell } from './main.main.ts';
import { HOME_URL } from './policy.ts';
import { fake, FakeBrowserWindow, FakeEvent } from './testing/fake-electron.node.ts';

vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron);

let dir: string;
let shell: RunningShell | null;
let listeners: { uncaught: unknown[]; rejection: unknown[] };

beforeEach(() => {
  fake.reset();
  dir = mkdtempSync(join(tmpdir(), 'shell-main-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>kiosk</title>');
  fake.app.userData = join(dir, 'userData');
  listeners = { uncaught: process.listeners('uncaughtException'), rejection: process.listeners('unhandledRejection') };
  shell = null;
});

afterEach(async () => {
  await shell?.watchdog.close().catch(() => undefined);
  useSecretProtector(null);
  // runShell routes stray errors to the watchdog; give the test runner its own handlers back.
  for (const l of process.listeners('uncaughtException'))
    if (!listeners.uncaught.includes(l)) process.removeListener('uncaughtException', l);
  for (const l of process.listeners('unhandledRejection'))
    if (!listeners.rejection.includes(l)) process.removeListener('unhandledRejection', l);
  rmSync(dir, { recursive: true, force: true });
});

const start = () =>
  runShell({
    rendererDir: join(dir, 'renderer'),
    preload: join(dir, 'preload.cjs'),
    env: {
      KIOSK_DATA_DIR: join(dir, 'data'),
      KIOSK_CENTRAL_URL: 'http://127.0.0.1:9',
      KIOSK_PRINTER: 'sim',
      KIOSK_SCANNER: 'sim',
    },
  });

describe('the Electron main process', () => {
  it('quits at once when another instance holds the single-instance lock', async () => {
    fake.app.singleInstanceLock = false;
    shell = await start();
    expect(shell).toBeNull();
    expect(fake.app.quits).toBe(1);
    expect(FakeBrowserWindow.instances).toHaveLength(0);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('brings its window to the front when a second instance starts', async () => {
    shell = await start();
    const win = FakeBrowserWindow.instances[0]!;
    fake.app.emit('second-instance', new FakeEvent(), [], '/');
    expect(win.focused).toBe(1);
  });

  it('opens one kiosk window at home, sandboxed everywhere, with the app:// scheme privileged', async () => {
    shell = await start();
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(FakeBrowserWindow.instances[0]!.loaded).toEqual([HOME_URL]);
    expect(fake.app.sandboxed).toBe(true);
    expect(fake.privilegedSchemes).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    ]);
    expect(fake.session.protocolHandlers.has('app')).toBe(true);
    expect(fake.session.permissionRequest).not.toBeNull();
  });

  it('keeps the Chromium profile inside the kiosk data directory', async () => {
    shell = await start();
    expect(fake.app.userData).toBe(join(dir, 'data', 'electron'));
  });

  it('stores the device credential encrypted by the OS keyring (safeStorage)', async () => {
    shell = await start();
    const creds = {
      deviceId: 'dev_0123456789abcdef',
      token: 'k'.repeat(40),
      officeId: 'ca-mau-an-xuyen',
      officeName: 'UBND',
      centralUrl: 'http://127.0.0.1:9',
      enrolledAt: new Date(0).toISOString(),
    };
    saveCredentials(join(dir, 'data'), creds);
    const onDisk = readFileSync(credentialsFile(join(dir, 'data')), 'utf8');
    expect(onDisk).not.toContain(creds.token);
    expect(JSON.parse(onDisk)).toMatchObject({ protectedBy: 'electron-safeStorage' });
    expect(loadCredentials(join(dir, 'data'))).toEqual(creds);
  });

  it('keeps the display awake', async () => {
    shell = await start();
    expect([...fake.blockers.values()]).toEqual(['prevent-display-sleep']);
    fake.app.emit('before-quit');
    expect(fake.blockers.size).toBe(0);
  });

  it('answers the renderer through IPC with the real kiosk core', async () => {
    shell = await start();
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    const handler = fake.ipcMain.handlers.get('kiosk:call')!;
    const answer = (await handler({ sender: contents, senderFrame: contents.mainFrame }, 'app.info', {})) as {
      ok: boolean;
      value: { kioskId: string };
    };
    expect(answer.ok).toBe(true);
    expect(answer.value.kioskId).toBe('unprovisioned');
  });

  it('hardens any other web contents that appears', async () => {
    shell = await start();
    const stray = new FakeBrowserWindow({}).webContents;
    fake.app.emit('web-contents-created', new FakeEvent(), stray);
    expect(stray.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
  });

  it('records a renderer crash in the audit log and reloads home', async () => {
    shell = await start();
    const win = FakeBrowserWindow.instances[0]!;
    win.webContents.emit('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 11 });
    expect(win.loaded).toEqual([HOME_URL, HOME_URL]);
    const db = openDatabase(join(dir, 'data', 'kiosk.db'));
    const actions = (db.prepare('SELECT action FROM audit_log').all() as Array<{ action: string }>).map(
      (r) => r.action,
    );
    db.close();
    expect(actions).toContain('shell.renderer-gone');
    expect(actions).toContain('watchdog.core-started');
  });

  it('restarts the core after an uncaught error and keeps answering', async () => {
    shell = await start();
    const first = shell!.watchdog.current();
    const restarted = shell!.watchdog.fail(new Error('driver exploded'));
    await restarted;
    expect(shell!.watchdog.current()).not.toBe(first);
    const contents = FakeBrowserWindow.instances[0]!.webContents;
    const answer = (await fake.ipcMain.handlers.get('kiosk:call')!(
      { sender: contents, senderFrame: contents.mainFrame },
      'app.info',
      {},
    )) as { ok: boolean };
    expect(answer.ok).toBe(true);
  });

  it('exits with EX_CONFIG and no window when the configuration is bad', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    shell = await runShell({
      rendererDir: dir,
      preload: 'p',
      env: { KIOSK_DATA_DIR: join(dir, 'data'), KIOSK_LANG: 'fr' },
    });
    expect(shell).toBeNull();
    expect(fake.app.exits).toEqual([78]);
    expect(String(stderr.mock.calls[0]?.[0])).toContain('KIOSK_LANG');
    stderr.mockRestore();
  });
});
