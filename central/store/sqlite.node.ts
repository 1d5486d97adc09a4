import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadCentralMigrations, splitStatements } from './migrations.node.ts';
import { withSavepoint, type CentralStore, type Sql, type SqlValue, type TxSql } from './sql.ts';

/**
 * SQLite behind the async interface. better-sqlite3 is synchronous and there is one
 * connection, so transactions (which await domain code) are serialised by a promise chain:
 * while one is open nothing else touches the connection.
 */
export function openSqliteStore(file: string): CentralStore {
  if (file !== ':memory:') {
    // Applicants' data: the database 0600 whatever the umask (SQLite gives the WAL and shm files the
    // database's mode), tightened at open; its directory 0700 when central makes it. A directory
    // that already exists is not central's to change: a database put in /tmp or /var/lib must not
    // close that directory to everyone else (it once turned /tmp into 0700).
    const created = mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (created !== undefined) chmodSync(dirname(file), 0o700);
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Central acknowledges items to kiosks only after commit: FULL on every open.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (cache.size > 500) cache.clear();
      cache.set(sql, stmt);
    }
    return stmt;
  };

  const raw: Sql = {
    async all<T>(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.all(...params) as T[];
      stmt.run(...params);
      return [];
    },
    async get<T>(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (stmt.reader) return stmt.get(...params) as T | undefined;
      stmt.run(...params);
      return undefined;
    },
    async run(sql: string, params: readonly SqlValue[] = []) {
      const stmt = prepare(sql);
      if (stmt.reader) {
        stmt.all(...params);
        return { changes: db.prepare('SELECT changes() AS n').pluck().get() as number };
      }
      return { changes: stmt.run(...params).changes };
    },
  };

  // Code already holding the connection (a domain handler inside a transaction calling
  // `ctx.store` instead of its `q`) runs on it directly instead of waiting for itself forever.
  const holding = new AsyncLocalStorage<true>();
  let chain: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    if (holding.getStore()) return fn();
    const run = () => holding.run(true, fn);
    const next = chain.then(run, run);
    chain = next.catch(() => undefined);
    return next;
  };

  const txSql: TxSql = { ...raw, savepoint: (fn) => withSavepoint(raw, () => fn(txSql)) };

  // Migrations run synchronously at open, each in its own transaction.
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);
  for (const m of loadCentralMigrations('sqlite')) {
    if (applied.has(m.id)) continue;
    db.transaction(() => {
      for (const stmt of splitStatements(m.sql)) db.exec(stmt);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(m.id, new Date().toISOString());
    })();
  }

  return {
    dialect: 'sqlite',
    all: (sql, params) => exclusive(() => raw.all(sql, params)),
    get: (sql, params) => exclusive(() => raw.get(sql, params)),
    run: (sql, params) => exclusive(() => raw.run(sql, params)),
    tx: (fn) =>
      exclusive(async () => {
        if (db.inTransaction) return withSavepoint(raw, () => fn(txSql));
        db.exec('BEGIN IMMEDIATE');
        try {
          const value = await fn(txSql);
          db.exec('COMMIT');
          return value;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      }),
    close: () => exclusive(async () => void db.close()),
  };
}
