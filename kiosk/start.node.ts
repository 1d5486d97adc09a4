/**
 * `npm start`: the whole appliance on one machine — embedded central system (SQLite in the
 * data directory), kiosk with simulated devices, demo data — hosted by Electron when its
 * binary is installed (unless `--web`), otherwise by the web host on KIOSK_HOST_PORT
 * (printed). `--open` starts the system Chromium in kiosk mode against the web host. No
 * prompts; the KIOSK_* environment chooses devices and ports.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/config.node.ts';
import { createAppliance } from './appliance/appliance.node.ts';
import { startEmbeddedCentral, type EmbeddedCentral } from '../demo/all-in-one.node.ts';
import { startWebHost } from './host/web-host.node.ts';
import { findElectronBinary } from './shell/electron-available.node.ts';
import { buildShell, launchElectron } from './shell/launch.node.ts';

const RENDERER_DIR = fileURLToPath(new URL('../renderer/dist', import.meta.url));
const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      open: { type: 'boolean', default: false },
      // Only the kiosk: the central system runs elsewhere (field deployment, tests).
      'kiosk-only': { type: 'boolean', default: false },
      // The web host even when an Electron binary is installed (a `chromium --kiosk` deployment).
      web: { type: 'boolean', default: false },
    },
    strict: true,
  });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }

  // Without --kiosk-only and without KIOSK_CENTRAL_URL, the whole appliance runs here: an
  // embedded central system with demo data, and this kiosk enrolled with it.
  let embedded: EmbeddedCentral | null = null;
  if (!values['kiosk-only'] && !process.env.KIOSK_CENTRAL_URL) {
    const started = await startEmbeddedCentral(config, process.env);
    embedded = started.central;
    config = started.config;
    process.stdout.write(`Embedded central system: ${embedded.url}\n`);
  }

  const electron = values.web ? ({ available: false, reason: '--web' } as const) : findElectronBinary();
  if (electron.available) {
    // Electron's main process builds the same core itself; it is pointed at the same data and central.
    buildShell();
    const child = launchElectron(electron.path, { ...process.env, KIOSK_DATA_DIR: config.dataDir, KIOSK_CENTRAL_URL: config.centralUrl });
    process.stdout.write('OneStop Kiosk running under Electron\n');
    const stopChild = () => child.kill('SIGTERM');
    process.once('SIGINT', stopChild);
    process.once('SIGTERM', stopChild);
    child.once('exit', (code) => {
      void (embedded?.close() ?? Promise.resolve()).then(() => process.exit(code ?? 0));
    });
    return;
  }
  process.stdout.write(`Electron not used (${electron.reason}): serving the kiosk on the web host\n`);

  const appliance = await createAppliance(config);
  const host = await startWebHost({ appliance, rendererDir: RENDERER_DIR, port: config.hostPort });
  process.stdout.write(`OneStop Kiosk ready: ${host.url}\n`);

  if (values.open) {
    const chromium = CHROMIUM.find((p) => existsSync(p));
    if (chromium) spawn(chromium, ['--kiosk', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--app=${host.url}`], { stdio: 'ignore', detached: true }).unref();
    else process.stdout.write('Chromium not found: open the address above in a browser.\n');
  }

  const stop = async () => {
    // A page's event socket or a stuck device must not keep a stopping kiosk alive (systemd, tests).
    setTimeout(() => process.exit(0), 5_000).unref();
    await host.close();
    await appliance.close();
    await embedded?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`OneStop Kiosk failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
