/**
 * Child process of the phantom-ticket test: a whole kiosk core (real store, sync, central
 * client) that issues one ticket and prints `issued <number>`, then `synced` once its outbox is
 * empty. The parent may kill it with SIGKILL between central numbering the ticket and the
 * kiosk getting the answer. argv: <data dir> <office-local start instant (ISO)>
 */
import { pino } from 'pino';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance } from '../appliance/appliance.node.ts';

const [dataDir, at] = process.argv.slice(2);
const started = Date.now();
const base = Date.parse(at!);
const clock = { now: () => new Date(base + Date.now() - started) };
const appliance = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dataDir }), {
  clock,
  log: pino({ level: 'silent' }),
});
await appliance.ctx.cache.officeConfig();
process.stdout.write('ready\n');
const r = await appliance.dispatch(
  'tickets.issue',
  { serviceId: 'ho-tich', priorityGroupId: null },
  { carrier: 'test' },
);
if (!r.ok) throw new Error(`tickets.issue: ${r.error.code} ${r.error.message}`);
process.stdout.write(`issued ${(r.value as { ticket: { number: string } }).ticket.number}\n`);
await appliance.ctx.sync.waitForIdle(10_000);
process.stdout.write('synced\n');
await appliance.close();
process.exit(0);
