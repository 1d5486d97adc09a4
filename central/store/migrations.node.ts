import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CentralMigration {
  /** `NNN-name`, unique; applied in name order, each once (recorded in `schema_migrations`). */
  readonly id: string;
  readonly sql: string;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Portable migrations are `NNN-name.sql`. When a dialect needs its own SQL, write
 * `NNN-name.sqlite.sql` and `NNN-name.postgres.sql` instead (both, same `NNN-name`).
 * Applied by id rather than by a single version number so that migrations added in parallel
 * by different domain owners all run, whatever order they land in.
 */
export function loadCentralMigrations(dialect: 'sqlite' | 'postgres', dir = DIR): CentralMigration[] {
  const files = readdirSync(dir).filter((f) => /^\d{3}-[\w-]+(\.(sqlite|postgres))?\.sql$/.test(f));
  const byId = new Map<string, CentralMigration>();
  for (const f of files.sort()) {
    const m = /^(\d{3}-[\w-]+?)(?:\.(sqlite|postgres))?\.sql$/.exec(f)!;
    const id = m[1]!;
    const only = m[2];
    if (only && only !== dialect) continue;
    if (byId.has(id) && !only) throw new Error(`central migration ${id} exists twice`);
    if (byId.has(id) && only) throw new Error(`central migration ${id} has both a portable and a ${only} file`);
    byId.set(id, { id, sql: readFileSync(join(dir, f), 'utf8') });
  }
  return [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/** Splits a migration file into statements (`;` at line end). Keeps SQL files simple for both drivers. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\r?\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}
