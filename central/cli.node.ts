import { parseArgs } from 'node:util';
import type { Command } from '../kiosk/cli/command.ts';

const USAGE = [
  'kioskctl central [--port 8620] [--db FILE|postgres://URL] [--seed] [--verbose]',
  'kioskctl central issue-code --office ID [--ttl-hours 72] [--note TEXT] [--db …]',
  'kioskctl central devices [--office ID] [--db …]',
  'kioskctl central revoke DEVICE_ID [--db …]',
  'kioskctl central seed [--db …]',
].join('\n       ');

const DEFAULT_DB = '.data/central.sqlite';

/**
 * Runs the reference central server, or an operator action on its database. Admin verbs open
 * the store directly (SQLite WAL tolerates a running server; PostgreSQL is shared anyway).
 */
export const centralCommand: Command = {
  name: 'central',
  summary: 'run the reference central server; issue enrolment codes, list/revoke devices',
  usage: USAGE,
  async run(args, io) {
    const [verb] = args;
    if (!verb || verb.startsWith('--')) {
      const { runCentral } = await import('./main.node.ts');
      let central;
      try {
        central = await runCentral(args, io.out);
      } catch (err) {
        io.err(`kioskctl central: ${(err as Error).message}`);
        return 1;
      }
      // Serve until SIGINT/SIGTERM (runCentral exits the process then).
      await new Promise<void>((resolve) => central.app.server.once('close', () => resolve()));
      return 0;
    }

    let values: Record<string, string | boolean | undefined>;
    let positionals: string[];
    try {
      ({ values, positionals } = parseArgs({
        args: args.slice(1),
        options: {
          db: { type: 'string', default: io.env.CENTRAL_DB ?? DEFAULT_DB },
          office: { type: 'string' },
          'ttl-hours': { type: 'string', default: '72' },
          note: { type: 'string' },
          json: { type: 'boolean', default: false },
        },
        allowPositionals: true,
        strict: true,
      }));
    } catch (err) {
      io.err(`kioskctl central: ${(err as Error).message}\nusage: ${USAGE}`);
      return 2;
    }
    const { openCentralStore } = await import('./store/store.node.ts');
    const admin = await import('./admin.node.ts');
    const store = await openCentralStore(String(values.db));
    try {
      switch (verb) {
        case 'issue-code': {
          if (!values.office) {
            io.err('kioskctl central issue-code: --office ID is required (see GET /v1/offices)');
            return 2;
          }
          const ttlHours = Number(values['ttl-hours']);
          if (!(ttlHours > 0)) {
            io.err('--ttl-hours must be a positive number');
            return 2;
          }
          const note = typeof values.note === 'string' ? values.note : undefined;
          const issued = await admin.issueEnrolCode(store, { officeId: String(values.office), ttlHours, ...(note ? { note } : {}) });
          if (values.json) io.out(JSON.stringify(issued));
          else io.out(`Mã đăng ký / enrolment code: ${issued.code}  (office ${issued.officeId}, valid until ${issued.expiresAt}, one use)`);
          return 0;
        }
        case 'devices': {
          const devices = await admin.listDevices(store, typeof values.office === 'string' ? values.office : undefined);
          if (values.json) io.out(JSON.stringify(devices));
          else if (devices.length === 0) io.out('no devices enrolled');
          else
            for (const d of devices)
              io.out(`${d.id}  ${d.officeId}  ${d.name}  enrolled ${d.enrolledAt}  last seen ${d.lastSeenAt ?? '—'}${d.revokedAt ? `  REVOKED ${d.revokedAt}` : ''}`);
          return 0;
        }
        case 'revoke': {
          const id = positionals[0];
          if (!id) {
            io.err('kioskctl central revoke DEVICE_ID');
            return 2;
          }
          const done = await admin.revokeDevice(store, id);
          io.out(done ? `revoked ${id}` : `${id}: no such active device`);
          return done ? 0 : 1;
        }
        case 'seed': {
          const { seedDemo } = await import('./demo/seed.node.ts');
          const { officeIds } = await seedDemo(store);
          const { seedDemoContent } = await import('./demo/catalog-seed.node.ts');
          await seedDemoContent(store, officeIds[0]!);
          io.out(`seeded offices: ${officeIds.join(', ')}`);
          return 0;
        }
        default:
          io.err(`kioskctl central: unknown action "${verb}"\nusage: ${USAGE}`);
          return 2;
      }
    } catch (err) {
      io.err(`kioskctl central ${verb}: ${(err as Error).message}`);
      return 1;
    } finally {
      await store.close();
    }
  },
};
