/**
 * The kiosk's entry point: the kiosk alone, against the central system named by its
 * configuration (`KIOSK_CENTRAL_URL` or `kiosk.json`) — a field kiosk, systemd, tests. Hosted
 * by Electron when its binary is installed (unless `--web`), otherwise by the web host on
 * KIOSK_HOST_PORT (printed); `--open` starts the system Chromium in kiosk mode. `--kiosk-only`
 * is accepted for the systemd units written before the all-in-one demo moved to
 * `demo/all-in-one.node.ts` (`npm start`). No prompts; the KIOSK_* environment chooses devices
 * and ports.
 */
import { parseArgs } from 'node:util';
import { runKiosk } from './appliance/run.node.ts';
import { loadConfigOrReport } from './config/config.node.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      open: { type: 'boolean', default: false },
      'kiosk-only': { type: 'boolean', default: false },
      web: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const config = loadConfigOrReport(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) process.exit(78); // EX_CONFIG
  await runKiosk(config, { web: values.web, open: values.open, env: process.env });
}

main().catch((err: unknown) => {
  process.stderr.write(`OneStop Kiosk failed to start: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
