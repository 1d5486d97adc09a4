/**
 * Central's storage: one small async SQL interface with two implementations (SQLite through
 * better-sqlite3, PostgreSQL through pg). Domain code writes portable SQL against it:
 * `?` placeholders (rewritten to `$1…` for PostgreSQL), TEXT/INTEGER/BIGINT columns,
 * `INSERT … ON CONFLICT … DO NOTHING/UPDATE`, `RETURNING`. See docs/central.md.
 */
import type { CentralStore } from './sql.ts';

export type { CentralStore, Sql, SqlValue, TxSql } from './sql.ts';
export { isStoreUnavailable, nextCounter, withSavepoint } from './sql.ts';

export const isPostgresUrl = (db: string): boolean => /^postgres(ql)?:\/\//.test(db);

/** Opens SQLite for a file path (or `:memory:`), PostgreSQL for a `postgres://` URL; runs migrations. */
export async function openCentralStore(db: string): Promise<CentralStore> {
  if (isPostgresUrl(db)) {
    const { openPostgresStore } = await import('./postgres.node.ts');
    return openPostgresStore(db);
  }
  const { openSqliteStore } = await import('./sqlite.node.ts');
  return openSqliteStore(db);
}
