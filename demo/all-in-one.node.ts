/**
 * `npm start`: the all-in-one demo appliance on one machine — the composition of the two
 * programs, and the only file that starts both. An embedded central system (the reference
 * central server on loopback, its SQLite file in the kiosk's data directory, the demo offices
 * and catalog seeded), this kiosk enrolled with it by a one-time code on the first run (so it
 * comes up already provisioned, with no prompt), then the kiosk hosted as `kiosk/start.node.ts`
 * hosts it. `--kiosk-only`, or a KIOSK_CENTRAL_URL, leaves central out. `--open`, `--web` as
 * for the kiosk.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { issueEnrolCode } from '../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../central/demo/seed.node.ts';
import { startCentral } from '../central/server.node.ts';
import { notifyOptionsFromEnv } from '../central/notify/options.node.ts';
import { seedDemoContent } from '../central/demo/catalog-seed.node.ts';
import { DEMO_OFFICERS, seedDemoOfficers } from '../central/demo/officers.node.ts';
import { seedReportHistory } from '../central/demo/report-history.node.ts';
import { writeFileAtomic } from '../kiosk/store/atomic-file.node.ts';
import { embeddedHookTokenFile, readEmbeddedHookToken } from '../kiosk/demo/hook-token.node.ts';
import { runKiosk } from '../kiosk/appliance/run.node.ts';
import { loadConfig, loadConfigOrReport, type KioskConfig } from '../kiosk/config/config.node.ts';
import { loadCredentials } from '../kiosk/sync/credentials.node.ts';
import { enrolKiosk } from '../kiosk/tech/enrol.node.ts';

export const DEFAULT_CENTRAL_PORT = 8620;

export interface EmbeddedCentral {
  readonly url: string;
  readonly officeId: string;
  /** Demo officer accounts of the counter application (printed at start). */
  readonly officers: typeof DEMO_OFFICERS;
  close(): Promise<void>;
}

/** The demo's first technician and officer desk PINs (used only while none is stored; see README). */
export const DEMO_TECH_PIN = '135790';
export const DEMO_OFFICER_PIN = '246810';

/**
 * The demo bank's credential: CENTRAL_PAYMENT_HOOK_TOKEN when set, else one made on first start
 * and kept in the data directory, so `kioskctl payment confirm` on the same machine finds it.
 */
function demoHookToken(dataDir: string, env: NodeJS.ProcessEnv): string {
  if (env.CENTRAL_PAYMENT_HOOK_TOKEN && env.CENTRAL_PAYMENT_HOOK_TOKEN.length >= 16)
    return env.CENTRAL_PAYMENT_HOOK_TOKEN;
  const kept = readEmbeddedHookToken(dataDir);
  if (kept) return kept;
  const token = randomBytes(24).toString('base64url');
  mkdirSync(join(dataDir, 'embedded-central'), { recursive: true, mode: 0o700 });
  writeFileAtomic(embeddedHookTokenFile(dataDir), `${token}\n`, 0o600);
  return token;
}

export async function startEmbeddedCentral(
  config: KioskConfig,
  env: NodeJS.ProcessEnv,
): Promise<{ central: EmbeddedCentral; config: KioskConfig }> {
  env.KIOSK_TECH_PIN ??= DEMO_TECH_PIN;
  env.KIOSK_OFFICER_PIN ??= DEMO_OFFICER_PIN;
  const port = env.KIOSK_CENTRAL_PORT ? Number(env.KIOSK_CENTRAL_PORT) : DEFAULT_CENTRAL_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`KIOSK_CENTRAL_PORT must be 0–65535, got ${env.KIOSK_CENTRAL_PORT}`);
  const central = await startCentral({
    host: '127.0.0.1',
    port,
    db: env.KIOSK_CENTRAL_DB ?? join(config.dataDir, 'embedded-central', 'central.sqlite'),
    log: pino({ level: 'warn' }),
    paymentHookToken: demoHookToken(config.dataDir, env),
  });
  try {
    await seedDemo(central.store);
    await seedDemoContent(central.store, DEMO_OFFICE_ID);
    const officers = await seedDemoOfficers(central.store);
    // Past working days for the manager reports (/reports), so they open on figures.
    await seedReportHistory(central.store, DEMO_OFFICE_ID);
    const credentials = loadCredentials(config.dataDir);
    if (!credentials || credentials.centralUrl !== central.url) {
      const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID, note: 'npm start demo' });
      await enrolKiosk({ centralUrl: central.url, code, dataDir: config.dataDir, kioskName: 'Kiosk sảnh chính' });
    }
    // Re-read: enrolment wrote the identity central gave into kiosk.json.
    return {
      central: { url: central.url, officeId: DEMO_OFFICE_ID, officers, close: () => central.close() },
      config: { ...loadConfig({ ...env, KIOSK_DATA_DIR: config.dataDir }), centralUrl: central.url },
    };
  } catch (err) {
    await central.close();
    throw err;
  }
}

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
  let config = loadConfigOrReport(process.env, (line) => process.stderr.write(`${line}\n`));
  if (!config) process.exit(78); // EX_CONFIG

  let embedded: EmbeddedCentral | null = null;
  if (!values['kiosk-only'] && !process.env.KIOSK_CENTRAL_URL) {
    const started = await startEmbeddedCentral(config, process.env);
    embedded = started.central;
    config = started.config;
    process.stdout.write(`Embedded central system: ${embedded.url}\n`);
    process.stdout.write(
      `Counter application: ${embedded.url}/counter   Waiting-room display: ${embedded.url}/display?office=${embedded.officeId}\n`,
    );
    process.stdout.write(`Manager reports: ${embedded.url}/reports  (sign in as a manager, e.g. quantri.anxuyen)\n`);
    const notify = notifyOptionsFromEnv(process.env);
    const on = (x: unknown) => (x ? 'bật/on' : 'tắt/off');
    process.stdout.write(
      `Ticket QR → live page ${embedded.url}/t/<token>; messages: Zalo ${on(notify.zalo)}, SMS ${on(notify.sms)}, Web Push ${on(notify.webPush)} (docs/phone.md)\n`,
    );
    process.stdout.write(
      `Appointments: book at ${embedded.url}/hen (then scan the booking QR at the kiosk, or "Tôi đã đặt lịch hẹn" + the code)\n`,
    );
    process.stdout.write(`Office administration (role admin): ${embedded.url}/admin\n`);
    for (const o of embedded.officers)
      process.stdout.write(`  demo officer ${o.username} / ${o.password}  (${o.officeId}: ${o.roles.join(', ')})\n`);
    // The kiosk's first PINs (stored once, while none is set; a technician changes them in technician mode).
    process.stdout.write(
      `Kiosk PINs: technician ${process.env.KIOSK_TECH_PIN} (press the emblem, top left, 3 s); officer desk ${process.env.KIOSK_OFFICER_PIN} (tap the office name 5 times)\n`,
    );
  }
  const central = embedded;
  await runKiosk(config, {
    web: values.web,
    open: values.open,
    env: process.env,
    ...(central ? { alsoClose: () => central.close() } : {}),
  });
}

// Run as `npm start`; imported (its test), it only lends startEmbeddedCentral.
const isEntry =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\0');
if (isEntry) {
  main().catch((err: unknown) => {
    process.stderr.write(`OneStop Kiosk failed to start: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
