import Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePrivateDir, makePrivateFile } from '../core/private-fs.node.ts';

export type Db = Database.Database;

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** `NNN-name.sql` files of a folder, in order. Numbers must be unique. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const found = readdirSync(dir)
    .filter((f) => /^\d{3}-[\w-]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f.slice(4, -4), sql: readFileSync(join(dir, f), 'utf8') }));
  found.forEach((m, i) => {
    if (i > 0 && found[i - 1]!.version === m.version) throw new Error(`two migrations numbered ${m.version}`);
  });
  return found;
}

export class DatabaseTooNewError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(`database schema version ${found} is newer than this kiosk knows (${known}); refusing to open it`);
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * Opens (creating if needed) a kiosk database: WAL, synchronous=FULL on every open (a reopened
 * WAL database otherwise falls back to NORMAL), foreign keys on, then runs pending migrations,
 * each in its own transaction, recording the schema version in `user_version`.
 */
export function openDatabase(file: string, migrations: readonly Migration[] = loadMigrations()): Db {
  if (file !== ':memory:') {
    makePrivateDir(dirname(file));
    makePrivateFile(file);
  }
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // Deleted and overwritten content is zeroed in the page, not left readable in the file's bytes.
    db.pragma('secure_delete = ON');
    migrate(db, migrations);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * After a wipe of personal data: the WAL still holds the pages as they were before, so copy
 * them into the database (where secure_delete zeroed the old content) and truncate the WAL
 * to nothing. Best effort: a reader holding an old snapshot makes it partial; the next wipe
 * (or the next open) finishes it.
 */
export function scrubWal(db: Db): void {
  // Never wait on another process's reader (kioskctl): the busy handler would block the kiosk's one thread.
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

export function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
