/**
 * Runs the reference central server: `npx tsx central/main.node.ts --port 8620 --db <file|postgres://…> [--seed]`.
 * Also behind central's command line (`central/cli.node.ts`). Prints `central listening on <url>` once ready (test helpers wait for it).
 */
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { seedDemo } from './demo/seed.node.ts';
import { seedDemoContent } from './demo/catalog-seed.node.ts';
import { DEMO_OFFICE_ID } from './demo/seed.node.ts';
import { seedDemoOfficers } from './demo/officers.node.ts';
import { startCentral } from './server.node.ts';

export async function runCentral(argv: string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '8620' },
      host: { type: 'string', default: '127.0.0.1' },
      db: { type: 'string', default: '.data/central.sqlite' },
      seed: { type: 'boolean', default: false },
      // Adds the `probe.submission` outbox kind (benchmarks, reliability tests); never in the field.
      probe: { type: 'boolean', default: false },
      // Behind HAProxy: whose X-Forwarded-For to believe (comma-separated addresses/CIDRs).
      'trust-proxy': { type: 'string' },
      // Where citizens' scanned documents are kept (CENTRAL_ATTACHMENTS_DIR): required on
      // PostgreSQL, where nothing sits beside a database file; one directory every instance shares.
      'attachments-dir': { type: 'string' },
      // Request lines are info: off unless asked.
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be 0–65535, got ${values.port}`);
  const attachmentsDir = values['attachments-dir'] ?? process.env.CENTRAL_ATTACHMENTS_DIR;
  // A temporary folder would lose citizens' documents at the next reboot, and each instance would
  // have its own: refuse to start instead (SQLite keeps them beside the database file).
  if (values.db.startsWith('postgres') && !attachmentsDir)
    throw new Error(
      'on PostgreSQL central needs a directory for dossier attachments that every instance shares: set CENTRAL_ATTACHMENTS_DIR or --attachments-dir (docs/province.md)',
    );
  const log = pino({ level: values.verbose ? 'info' : 'warn' });
  const routes = values.probe ? (await import('./testing.node.ts')).routesWithProbe : undefined;
  const trustProxy = values['trust-proxy']
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const central = await startCentral({
    host: values.host,
    port,
    db: values.db,
    log,
    processMetrics: true,
    ...(attachmentsDir ? { attachmentsDir } : {}),
    ...(routes ? { routes } : {}),
    ...(trustProxy?.length ? { trustProxy } : {}),
  });
  if (values.seed) await seedDemo(central.store);
  if (values.seed) await seedDemoContent(central.store, DEMO_OFFICE_ID);
  if (values.seed)
    for (const o of await seedDemoOfficers(central.store))
      out(`demo officer ${o.username} / ${o.password} (${o.officeId}: ${o.roles.join(', ')})`);
  out(`central listening on ${central.url}`);
  const stop = async () => {
    await central.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  return central;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\0')) {
  runCentral(process.argv.slice(2)).catch((err: unknown) => {
    process.stderr.write(`central failed to start: ${(err as Error).message}\n`);
    process.exit(1);
  });
}
