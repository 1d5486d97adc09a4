/**
 * The Electron main process: one locked-down kiosk window over the same kiosk core the web
 * host runs, kept alive by the watchdog. The only folder that imports `electron`.
 */
import { app, BrowserWindow, ipcMain, powerSaveBlocker, protocol, safeStorage, session } from 'electron';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { ConfigError, loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { createLogger } from '../core/log.node.ts';
import { kioskEnv } from '../config/env.node.ts';
import { useSecretProtector } from '../sync/credentials.node.ts';
import { appendAudit, createWatchdog, watchdogRecorder, type Watchdog } from './watchdog.node.ts';
import { forwardEvents, registerKioskIpc } from './ipc.main.ts';
import { APP_SCHEME } from './policy.ts';
import { secureSession } from './session.main.ts';
import { createKioskWindow, hardenWebContents, type ShellIncident } from './window.main.ts';

export interface ShellOptions {
  /** The built renderer, served as app://kiosk/. */
  rendererDir: string;
  /** The bundled preload script (CommonJS). */
  preload: string;
  env?: NodeJS.ProcessEnv;
  /** Build the core; tests replace it. Defaults to `createAppliance(config, { log })`. */
  createCore?: (config: ReturnType<typeof loadConfig>, log: Logger) => Promise<Appliance>;
}

export interface RunningShell {
  window(): BrowserWindow | null;
  watchdog: Watchdog<Appliance>;
  log: Logger;
}

// Incidents worth a row in the audit trail; the rest (a refused link, a refused permission)
// only go to the log, where a technician filtering for them finds them.
const AUDITED = new Set<ShellIncident['kind']>([
  'renderer-gone',
  'renderer-unresponsive',
  'load-failed',
  'ipc-refused',
]);

/**
 * Starts the shell. Resolves with null when another instance already runs (this one quits and
 * the running one comes to the front).
 */
export async function runShell(options: ShellOptions): Promise<RunningShell | null> {
  // Must happen before `ready`: app:// behaves like https (secure context for the camera,
  // fetch for the WebAssembly decoder, a real origin for the CSP).
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return null;
  }

  let win: BrowserWindow | null = null;
  let log: Logger | null = null;
  let dbFile = '';
  const record = (incident: ShellIncident) => {
    log?.warn({ shell: incident }, `shell: ${incident.kind}`);
    if (!AUDITED.has(incident.kind) || !dbFile) return;
    try {
      appendAudit(dbFile, `shell.${incident.kind}`, incident);
    } catch (err) {
      log?.error({ err: String(err) }, 'shell: could not write the audit log');
    }
  };

  const env = options.env ?? process.env;
  // With a data directory set (the systemd unit does), Chromium's profile lives in it too, so
  // the data directory is the only place the kiosk writes.
  if (env.KIOSK_DATA_DIR) app.setPath('userData', join(resolve(env.KIOSK_DATA_DIR), 'electron'));

  app.on('second-instance', () => {
    if (!win || win.isDestroyed()) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, record));
  app.on('window-all-closed', () => app.quit());

  await app.whenReady();

  let config;
  try {
    config = loadConfig(env, join(app.getPath('userData'), 'data'));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`${err.message}\n`);
    app.exit(78); // EX_CONFIG: systemd's StartLimit stops the loop, the message names the key
    return null;
  }
  const logger = createLogger(config.dataDir, kioskEnv(env).KIOSK_LOG_LEVEL);
  log = logger;
  dbFile = join(config.dataDir, 'kiosk.db');
  // The device credential is encrypted at rest by the OS keyring where Electron has one.
  if (safeStorage.isEncryptionAvailable()) {
    useSecretProtector({
      name: 'electron-safeStorage',
      protect: (plain) => safeStorage.encryptString(plain),
      unprotect: (data) => safeStorage.decryptString(data),
    });
  }

  secureSession(session.defaultSession, { rendererDir: options.rendererDir, preload: options.preload, record });

  let unforward: (() => void) | null = null;
  const rewire = (core: Appliance | null) => {
    unforward?.();
    unforward = core && win && !win.isDestroyed() ? forwardEvents(core.events, win.webContents) : null;
  };
  const createCore = options.createCore ?? ((c, l) => createAppliance(c, { log: l }));
  const watchdog = createWatchdog<Appliance>({
    start: () => createCore(config, logger),
    stop: (core) => core.close(),
    stopTimeoutMs: 5_000,
    relaunch: () => {
      app.relaunch();
      app.exit(0);
    },
    record: watchdogRecorder(logger, dbFile),
    onCore: rewire,
    // Liveness: the core answers a call and its database answers a query.
    check: async (core) => {
      const info = await core.dispatch('app.info', {}, { carrier: 'ipc' });
      if (!info.ok) throw new Error(`app.info failed: ${info.error.code}`);
    },
    healthIntervalMs: 30_000,
  });
  // A throw that escapes the core lands here instead of Electron's error dialog.
  process.on('uncaughtException', (err) => void watchdog.fail(err));
  process.on('unhandledRejection', (err) => void watchdog.fail(err));

  registerKioskIpc({
    ipcMain,
    contents: () => (win && !win.isDestroyed() ? win.webContents : null),
    core: () => watchdog.current(),
    record,
  });

  const sleepBlocker = powerSaveBlocker.start('prevent-display-sleep');
  app.on('before-quit', () => {
    if (powerSaveBlocker.isStarted(sleepBlocker)) powerSaveBlocker.stop(sleepBlocker);
    void watchdog.close();
  });

  await watchdog.start();
  win = createKioskWindow({ record });
  rewire(watchdog.current());
  logger.info({ rendererDir: options.rendererDir }, 'shell: kiosk window open');
  return { window: () => win, watchdog, log: logger };
}

/** Where the renderer and preload are, relative to this file (the same from source or bundle). */
export const defaultShellPaths = (): Pick<ShellOptions, 'rendererDir' | 'preload'> => ({
  rendererDir: fileURLToPath(new URL('../../renderer/dist', import.meta.url)),
  preload: fileURLToPath(new URL('../../dist/shell/preload.cjs', import.meta.url)),
});

// Started by Electron (the bundled dist/shell/main.js); imported by tests, nothing runs.
if (process.versions.electron) {
  runShell(defaultShellPaths()).catch((err: unknown) => {
    process.stderr.write(`OneStop Kiosk shell failed to start: ${(err as Error).stack ?? String(err)}\n`);
    app.exit(1);
  });
}
