import pg from 'pg';
import { loadCentralMigrations, splitStatements } from './migrations.node.ts';
import { withSavepoint, type CentralStore, type Sql, type SqlValue, type TxSql } from './sql.ts';

/** `?` → `$1, $2, …`, leaving quoted strings and identifiers alone. */
export function toPgPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') out += `$${++n}`;
    else out += ch;
  }
  return out;
}

// COUNT(*) and BIGINT columns arrive as strings by default; our values fit in a double.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

const over = (client: pg.Pool | pg.PoolClient): Sql => ({
  async all<T>(sql: string, params: readonly SqlValue[] = []) {
    return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rows as T[];
  },
  async get<T>(sql: string, params: readonly SqlValue[] = []) {
    return (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rows[0] as T | undefined;
  },
  async run(sql: string, params: readonly SqlValue[] = []) {
    return { changes: (await client.query(toPgPlaceholders(sql), params as SqlValue[])).rowCount ?? 0 };
  },
});

export async function openPostgresStore(url: string): Promise<CentralStore> {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: types as pg.CustomTypesConfig });
  // An idle client's connection dying (server restart) must not crash central.
  pool.on('error', () => undefined);
  const base = over(pool);

  const client = await pool.connect();
  try {
    // One central at a time migrates.
    await client.query('SELECT pg_advisory_lock(46110)');
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
    const applied = new Set((await client.query('SELECT id FROM schema_migrations')).rows.map((r) => r.id as string));
    for (const m of loadCentralMigrations('postgres')) {
      if (applied.has(m.id)) continue;
      await client.query('BEGIN');
      try {
        for (const stmt of splitStatements(m.sql)) await client.query(stmt);
        await client.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
          m.id,
          new Date().toISOString(),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    await client.query('SELECT pg_advisory_unlock(46110)');
  } finally {
    client.release();
  }

  return {
    dialect: 'postgres',
    ...base,
    async tx(fn) {
      const c = await pool.connect();
      const q = over(c);
      const txSql: TxSql = { ...q, savepoint: (inner) => withSavepoint(q, () => inner(txSql)) };
      try {
        await c.query('BEGIN');
        const value = await fn(txSql);
        await c.query('COMMIT');
        return value;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      } finally {
        c.release();
      }
    },
    close: () => pool.end(),
  };
}
