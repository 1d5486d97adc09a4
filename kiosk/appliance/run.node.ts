/**
 * Hosts the kiosk core: under Electron when its binary is installed (unless `web`), otherwise
 * on the web host at `config.hostPort` (printed). `open` starts the system Chromium in kiosk
 * mode against the web host. Used by the kiosk's entry (`kiosk/start.node.ts`) and by the
 * all-in-one demo (`demo/all-in-one.node.ts`), which passes its embedded central to `alsoClose`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KioskConfig } from '../config/config.node.ts';
import { launchSecretFile } from '../host/launch.node.ts';
import { startWebHost } from '../host/web-host.node.ts';
import { findElectronBinary } from '../shell/electron-available.node.ts';
import { buildShell, launchElectron } from '../shell/launch.node.ts';
import { createAppliance } from './appliance.node.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../renderer/dist', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export interface RunKioskOptions {
  /** The web host even when an Electron binary is installed (a `chromium --kiosk` deployment). */
  readonly web: boolean;
  /** Start the system Chromium in kiosk mode against the web host. */
  readonly open: boolean;
  /** The environment handed to the Electron shell (it loads the same configuration itself). */
  readonly env: NodeJS.ProcessEnv;
  /** Closed after the kiosk when it stops (the demo's embedded central). */
  readonly alsoClose?: () => Promise<void>;
}

export async function runKiosk(config: KioskConfig, options: RunKioskOptions): Promise<void> {
  const alsoClose = options.alsoClose ?? (() => Promise.resolve());
  const electron = options.web ? ({ available: false, reason: '--web' } as const) : findElectronBinary();
  if (electron.available) {
    // Electron's main process builds the same core itself; it is pointed at the same data and central.
    buildShell();
    const child = launchElectron(electron.path, {
      ...options.env,
      KIOSK_DATA_DIR: config.dataDir,
      KIOSK_CENTRAL_URL: config.centralUrl,
    });
    process.stdout.write('OneStop Kiosk running under Electron\n');
    const stopChild = () => child.kill('SIGTERM');
    process.once('SIGINT', stopChild);
    process.once('SIGTERM', stopChild);
    child.once('exit', (code) => {
      void alsoClose().then(() => process.exit(code ?? 0));
    });
    return;
  }
  process.stdout.write(`Electron not used (${electron.reason}): serving the kiosk on the web host\n`);

  const appliance = await createAppliance(config);
  const host = await startWebHost({
    appliance,
    rendererDir: RENDERER_DIR,
    port: config.hostPort,
    launchSecretFile: launchSecretFile(config.dataDir),
  });
  process.stdout.write(`OneStop Kiosk ready: ${host.url}\n`);
  // The page (and its API token) opens only through a one-time launch address: docs/shell.md.
  if (!options.open) process.stdout.write(`Mở kiosk (một lần) / Open the kiosk (once): ${host.launchUrl()}\n`);

  if (options.open) {
    const chromium = CHROMIUM.find((p) => existsSync(p));
    if (chromium)
      spawn(
        chromium,
        [
          '--kiosk',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          `--app=${host.launchUrl()}`,
        ],
        { stdio: 'ignore', detached: true },
      ).unref();
    else process.stdout.write('Chromium not found: open the address above in a browser.\n');
  }

  const stop = async () => {
    // A page's event socket or a stuck device must not keep a stopping kiosk alive (systemd, tests).
    setTimeout(() => process.exit(0), 5_000).unref();
    await host.close();
    await appliance.close();
    await alsoClose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}
