/**
 * central's own command line (`npm run central -- …`, the package's `central` bin): runs the
 * reference central server, or an operator action on its database. Admin verbs open the store
 * directly (SQLite WAL tolerates a running server; PostgreSQL is shared anyway). Central is
 * another program than the kiosk: nothing here imports kiosk/.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import * as admin from './admin.node.ts';
import { backupCentral, restoreCentral } from './backup.node.ts';
import { seedDemoContent } from './demo/catalog-seed.node.ts';
import { seedDemoOfficers } from './demo/officers.node.ts';
import { seedDemo } from './demo/seed.node.ts';
import { createOfficer } from './officers.node.ts';
import { OfficerRole } from '../protocol/counter.ts';
import { runCentral } from './main.node.ts';
import { importCatalogFile, importOffices } from './admin-import.node.ts';
import { openCentralStore } from './store/store.node.ts';

const USAGE = [
  'central [serve] [--port 8620] [--db FILE|postgres://URL] [--seed] [--verbose]',
  'central issue-code --office ID [--ttl-hours 72] [--note TEXT] [--db …]',
  'central devices [--office ID] [--db …]',
  'central revoke DEVICE_ID [--db …]',
  'central seed [--db …]',
  'central backup --file FILE [--db …]      (pg_dump custom format for PostgreSQL; SQLite online backup)',
  'central restore --file FILE [--db …]     (stop every central instance first; kiosks resend what it lost)',
  'central admin create --office ID --username NAME --name "Họ tên" [--roles admin,manager,counter,province] [--db …]',
  '       (password from CENTRAL_OFFICER_PASSWORD, else the first line of stdin; at least 8 characters)',
  'central office import FILE.json [--db …]   (one office configuration, or an array of them; created or replaced)',
  'central catalog import FILE.xlsx|FILE.csv --office ID [--dry-run] [--db …]',
].join('\n       ');

const DEFAULT_DB = '.data/central.sqlite';

export interface CentralIO {
  out(line: string): void;
  err(line: string): void;
  env: NodeJS.ProcessEnv;
}

/** Runs one command line; resolves to the process exit code (the server resolves when it closes). */
export async function centralCli(argv: string[], io: CentralIO): Promise<number> {
  const args = argv[0] === 'serve' ? argv.slice(1) : argv;
  const [verb] = args;
  if (verb === '--help' || verb === '-h' || verb === 'help') {
    io.out(`usage: ${USAGE}`);
    return 0;
  }
  if (!verb || verb.startsWith('--')) {
    let central;
    try {
      central = await runCentral(args, io.out);
    } catch (err) {
      io.err(`central: ${(err as Error).message}`);
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
        'dry-run': { type: 'boolean', default: false },
        file: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    io.err(`central: ${(err as Error).message}\nusage: ${USAGE}`);
    return 2;
  }
  if (verb === 'backup' || verb === 'restore') {
    if (!values.file) {
      io.err(`central ${verb} --file FILE [--db …]`);
      return 2;
    }
    try {
      if (verb === 'backup') await backupCentral(String(values.db), String(values.file));
      else await restoreCentral(String(values.db), String(values.file));
    } catch (err) {
      const e = err as Error & { stderr?: string };
      io.err(`central ${verb}: ${(e.stderr || e.message).trim()}`);
      return 1;
    }
    io.out(verb === 'backup' ? `backup written to ${values.file} (0600)` : `restored from ${values.file}`);
    return 0;
  }
  const store = await openCentralStore(String(values.db));
  try {
    switch (verb) {
      case 'issue-code': {
        if (!values.office) {
          io.err('central issue-code: --office ID is required (see GET /v1/offices)');
          return 2;
        }
        const ttlHours = Number(values['ttl-hours']);
        if (!(ttlHours > 0)) {
          io.err('--ttl-hours must be a positive number');
          return 2;
        }
        const note = typeof values.note === 'string' ? values.note : undefined;
        const issued = await admin.issueEnrolCode(store, {
          officeId: String(values.office),
          ttlHours,
          ...(note ? { note } : {}),
        });
        if (values.json) io.out(JSON.stringify(issued));
        else
          io.out(
            `Mã đăng ký / enrolment code: ${issued.code}  (office ${issued.officeId}, valid until ${issued.expiresAt}, one use)`,
          );
        return 0;
      }
      case 'devices': {
        const devices = await admin.listDevices(store, typeof values.office === 'string' ? values.office : undefined);
        if (values.json) io.out(JSON.stringify(devices));
        else if (devices.length === 0) io.out('no devices enrolled');
        else
          for (const d of devices)
            io.out(
              `${d.id}  ${d.officeId}  ${d.name}  enrolled ${d.enrolledAt}  last seen ${d.lastSeenAt ?? '—'}${d.revokedAt ? `  REVOKED ${d.revokedAt}` : ''}`,
            );
        return 0;
      }
      case 'revoke': {
        const id = positionals[0];
        if (!id) {
          io.err('usage: central revoke DEVICE_ID');
          return 2;
        }
        const done = await admin.revokeDevice(store, id);
        io.out(done ? `revoked ${id}` : `${id}: no such active device`);
        return done ? 0 : 1;
      }
      case 'seed': {
        const { officeIds } = await seedDemo(store);
        await seedDemoContent(store, officeIds[0]!);
        const officers = await seedDemoOfficers(store);
        io.out(`seeded offices: ${officeIds.join(', ')}`);
        for (const o of officers)
          io.out(`demo officer ${o.username} / ${o.password}  (${o.officeId}: ${o.roles.join(', ')})`);
        return 0;
      }
      case 'admin': {
        // `admin create`: the first administrator of an office (then more accounts from it, part 2).
        if (positionals[0] !== 'create' || !values.office || !values.username || !values.name) {
          io.err('central admin create --office ID --username NAME --name "Họ tên" [--roles admin,manager,counter]');
          return 2;
        }
        const password = (io.env.CENTRAL_OFFICER_PASSWORD ?? (await readLine())).trim();
        const roles = String(values.roles)
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const bad = roles.filter((r) => !OfficerRole.safeParse(r).success);
        if (bad.length) {
          io.err(`unknown role ${bad.join(', ')}: use ${OfficerRole.options.join(', ')}`);
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
      case 'office': {
        const file = positionals[1];
        if (positionals[0] !== 'import' || !file) {
          io.err('usage: central office import FILE.json');
          return 2;
        }
        const result = await importOffices(store, readFileSync(file, 'utf8'));
        for (const e of result.errors) io.err(`${file}: ${e}`);
        for (const o of result.saved)
          io.out(`office ${o.officeId}: ${o.changed ? `saved (ETag ${o.etag})` : 'unchanged'}`);
        return result.errors.length ? 1 : 0;
      }
      case 'catalog': {
        const file = positionals[1];
        if (positionals[0] !== 'import' || !file || !values.office) {
          io.err('usage: central catalog import FILE.xlsx|FILE.csv --office ID [--dry-run]');
          return 2;
        }
        const r = await importCatalogFile(store, {
          officeId: String(values.office),
          fileName: basename(file),
          bytes: readFileSync(file),
          dryRun: Boolean(values['dry-run']),
        });
        for (const e of r.errors) io.err(`${file}:${e.line}: ${e.message}`);
        io.out(
          `${r.rows} rows, ${r.procedures} procedures, ${r.errors.length} bad rows in ${r.ms} ms; added ${r.diff.added.length}, changed ${r.diff.changed.length}, removed ${r.diff.removed.length}`,
        );
        if (r.seq !== null) io.out(`published catalog version ${r.seq} for ${String(values.office)}`);
        else if (!r.errors.length) io.out('dry run: nothing published');
        return r.errors.length ? 1 : 0;
      }
      default:
        io.err(`central: unknown action "${verb}"\nusage: ${USAGE}`);
        return 2;
    }
  } catch (err) {
    io.err(`central ${verb}: ${(err as Error).message}`);
    return 1;
  } finally {
    await store.close();
  }
}

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

const isEntry =
  process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop() ?? '\0');
if (isEntry || process.env.CENTRAL_CLI_ENTRY === '1') {
  const io: CentralIO = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
    env: process.env,
  };
  centralCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      io.err(`central: ${(err as Error).stack ?? String(err)}`);
      process.exitCode = 1;
    },
  );
}
