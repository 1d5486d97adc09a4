/**
 * Backups of central's database (issue 18): `pg_dump` (custom format) for PostgreSQL, SQLite's
 * online backup for a file. Restore puts a backup back (instances stopped); kiosks then resend
 * what the restored central lost, found by their reconcile (docs/sync.md "Central lost data").
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { isPostgresUrl } from './store/store.node.ts';

const run = promisify(execFile);

/** The schema a `postgres://…?options=-c search_path=S` URL selects (tests, several centrals on one database). */
function schemaOf(url: string): string | null {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path=([A-Za-z_][\w]*)/.exec(options)?.[1] ?? null;
}

/** libpq reads the URL itself, but takes `+` literally where a form encoding meant a space. */
const forLibpq = (url: string): string => {
  const u = new URL(url);
  return u.search ? `${url.slice(0, url.indexOf('?'))}${u.search.replace(/\+/g, '%20')}` : url;
};

/** The PostgreSQL client programs' environment: give up on an unreachable server in 10 s. */
const pgEnv = (): NodeJS.ProcessEnv => ({ ...process.env, PGCONNECT_TIMEOUT: '10' });

export async function backupCentral(db: string, file: string): Promise<void> {
  if (isPostgresUrl(db)) {
    const schema = schemaOf(db);
    await run(
      'pg_dump',
      [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        ...(schema ? ['--schema', schema] : []),
        '--file',
        file,
        forLibpq(db),
      ],
      { env: pgEnv() },
    );
  } else {
    if (!existsSync(db)) throw new Error(`no database at ${db}`);
    const source = new Database(db, { readonly: true, fileMustExist: true });
    try {
      await source.backup(file);
    } finally {
      source.close();
    }
  }
  // Applicants' data: readable by its owner only.
  chmodSync(file, 0o600);
}

/** Replaces the database's content with the backup's. Stop every central instance first. */
export async function restoreCentral(db: string, file: string): Promise<void> {
  if (!existsSync(file)) throw new Error(`no backup at ${file}`);
  if (isPostgresUrl(db)) {
    await run(
      'pg_restore',
      [
        '--clean',
        '--if-exists',
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        '--exit-on-error',
        '--dbname',
        forLibpq(db),
        file,
      ],
      { env: pgEnv() },
    );
  } else {
    // The old WAL would be replayed over the restored file: it goes first.
    for (const extra of [`${db}-wal`, `${db}-shm`]) rmSync(extra, { force: true });
    copyFileSync(file, db);
    chmodSync(db, 0o600);
  }
}
