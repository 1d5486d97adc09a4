import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';

const USAGE = [
  'kioskctl central [--port 8620] [--db FILE|postgres://URL] [--seed] [--verbose]',
  'kioskctl central issue-code --office ID [--ttl-hours 72] [--note TEXT] [--db …]',
  'kioskctl central devices [--office ID] [--db …]',
  'kioskctl central revoke DEVICE_ID [--db …]',
  'kioskctl central seed [--db …]',
  'kioskctl central admin create --office ID --username NAME --name "Họ tên" [--roles admin,manager,counter] [--db …]',
  '       (password from CENTRAL_OFFICER_PASSWORD, else the first line of stdin; at least 8 characters)',
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
      const { runCentral } = await import('../../../central/main.node.ts');
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
          username: { type: 'string' },
          name: { type: 'string' },
          roles: { type: 'string', default: 'admin,manager,counter' },
        },
        allowPositionals: true,
        strict: true,
      }));
    } catch (err) {
      io.err(`kioskctl central: ${(err as Error).message}\nusage: ${USAGE}`);
      return 2;
    }
    const { openCentralStore } = await import('../../../central/store/store.node.ts');
    const admin = await import('../../../central/admin.node.ts');
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
          const { seedDemo } = await import('../../../central/demo/seed.node.ts');
          const { officeIds } = await seedDemo(store);
          const { seedDemoContent } = await import('../../../central/demo/catalog-seed.node.ts');
          await seedDemoContent(store, officeIds[0]!);
          const { seedDemoOfficers } = await import('../../../central/demo/officers.node.ts');
          const officers = await seedDemoOfficers(store);
          io.out(`seeded offices: ${officeIds.join(', ')}`);
          for (const o of officers) io.out(`demo officer ${o.username} / ${o.password}  (${o.officeId}: ${o.roles.join(', ')})`);
          return 0;
        }
        case 'admin': {
          // `admin create`: the first administrator of an office (then more accounts from it, part 2).
          if (positionals[0] !== 'create' || !values.office || !values.username || !values.name) {
            io.err('kioskctl central admin create --office ID --username NAME --name "Họ tên" [--roles admin,manager,counter]');
            return 2;
          }
          const password = (io.env.CENTRAL_OFFICER_PASSWORD ?? (await readLine())).trim();
          const { createOfficer } = await import('../../../central/officers.node.ts');
          const { OfficerRole } = await import('../../../protocol/counter.ts');
          const roles = String(values.roles)
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean);
          const bad = roles.filter((r) => !OfficerRole.safeParse(r).success);
          if (bad.length) {
            io.err(`unknown role ${bad.join(', ')}: use counter, manager, admin`);
            return 2;
          }
          const officer = await createOfficer(store, {
            officeId: String(values.office),
            username: String(values.username),
            displayName: String(values.name),
            password,
            roles: roles.map((r) => OfficerRole.parse(r)),
          });
          io.out(`created officer ${officer.username} (${officer.officeId}: ${officer.roles.join(', ')})`);
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

function readLine(): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      text += d;
      if (text.includes('\n')) {
        process.stdin.pause();
        resolve(text.split('\n')[0]!);
      }
    });
    process.stdin.on('end', () => resolve(text));
  });
}
