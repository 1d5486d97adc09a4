import { createHash } from 'node:crypto';
import pg from 'pg';
import { loadCentralMigrations, splitStatements } from './migrations.node.ts';
import { withSavepoint, type CentralStore, type Sql, type SqlValue, type StoreBus, type TxSql } from './sql.ts';

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

/**
 * Statements with parameters run as named prepared statements: each connection parses and plans
 * one the first time, then only binds and executes it (the province load test found parsing and
 * planning every statement of every request a large share of PostgreSQL's work). Names are
 * derived from the text, so one text has one name on every connection. Bounded: texts built with
 * a varying number of placeholders (IN lists) stop being named once 1,000 texts are known. A
 * statement selecting `*` stays unnamed: a migration adding a column (another instance upgraded
 * first) would make its cached plan fail ("cached plan must not change result type"); other
 * changes PostgreSQL re-plans by itself.
 */
const MAX_NAMED = 1_000;
const STAR = /(^|[\s,.(])\*\s+FROM\b|\bRETURNING\s+\*/i;
const named = new Map<string, { text: string; name: string }>();
function statement(sql: string, params: readonly SqlValue[]): pg.QueryConfig<SqlValue[]> {
  let held = named.get(sql);
  if (!held) {
    const text = toPgPlaceholders(sql);
    if (!params.length || named.size >= MAX_NAMED || STAR.test(text)) return { text, values: params as SqlValue[] };
    held = { text, name: `c_${createHash('sha256').update(text).digest('hex').slice(0, 24)}` };
    named.set(sql, held);
  }
  return { text: held.text, name: held.name, values: params as SqlValue[] };
}

const over = (client: pg.Pool | pg.PoolClient): Sql => ({
  async all<T>(sql: string, params: readonly SqlValue[] = []) {
    return (await client.query(statement(sql, params))).rows as T[];
  },
  async get<T>(sql: string, params: readonly SqlValue[] = []) {
    return (await client.query(statement(sql, params))).rows[0] as T | undefined;
  },
  async run(sql: string, params: readonly SqlValue[] = []) {
    return { changes: (await client.query(statement(sql, params))).rowCount ?? 0 };
  },
});

/** The key of the advisory lock central instances take to migrate one at a time. */
export const MIGRATION_LOCK = 46110;

/**
 * Applies the migrations not yet applied, holding a session advisory lock so that instances
 * started together migrate one after another: the second finds everything applied. The lock
 * is released whatever happens (a failed migration must not leave it held on a pooled client).
 * Advisory locks are database-wide, so the key carries the schema (as the NOTIFY channel does):
 * centrals on different schemas of one database do not wait for each other's migrations.
 */
async function migrate(client: pg.PoolClient): Promise<void> {
  await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [MIGRATION_LOCK]);
  try {
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
  } finally {
    await client
      .query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [MIGRATION_LOCK])
      .catch(() => undefined);
  }
}

/**
 * LISTEN/NOTIFY between the instances on one database. Channels are database-wide, so the name
 * carries the schema: two centrals on different schemas of one database never hear each other.
 */
function postgresBus(url: string, pool: pg.Pool, channel: string): StoreBus {
  return {
    async notify(payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async listen(onMessage, onResync) {
      let client: pg.Client | null = null;
      let closed = false;
      let delay = 250;
      let timer: NodeJS.Timeout | null = null;
      const connect = async (again: boolean): Promise<void> => {
        const c = new pg.Client({ connectionString: url });
        c.on('error', () => undefined);
        c.on('notification', (n) => {
          if (n.channel === channel && n.payload !== undefined) onMessage(n.payload);
        });
        c.on('end', () => {
          if (closed || client !== c) return;
          client = null;
          schedule();
        });
        await c.connect();
        await c.query(`LISTEN "${channel}"`);
        if (closed) {
          await c.end().catch(() => undefined);
          return;
        }
        client = c;
        delay = 250;
        if (again) onResync();
      };
      const schedule = () => {
        if (closed || timer) return;
        timer = setTimeout(() => {
          timer = null;
          connect(true).catch(() => {
            delay = Math.min(delay * 2, 5_000);
            schedule();
          });
        }, delay);
      };
      await connect(false);
      return async () => {
        closed = true;
        if (timer) clearTimeout(timer);
        await client?.end().catch(() => undefined);
        client = null;
      };
    },
  };
}

export async function openPostgresStore(
  url: string,
  { poolSize = 10 }: { poolSize?: number } = {},
): Promise<CentralStore> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types: types as pg.CustomTypesConfig });
  // A connection dying (PostgreSQL restarted: 57P01) must not crash central: idle clients report
  // to the pool, a client checked out for a transaction reports to itself (its query fails, the
  // request answers 500 and the kiosk retries; the pool drops the broken client).
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const base = over(pool);

  let channel: string;
  const client = await pool.connect();
  try {
    await migrate(client);
    const where = (await client.query('SELECT current_database() AS d, current_schema() AS s')).rows[0] as {
      d: string;
      s: string;
    };
    channel = `central_${createHash('sha256').update(`${where.d}/${where.s}`).digest('hex').slice(0, 24)}`;
  } catch (err) {
    client.release();
    await pool.end();
    throw err;
  }
  client.release();

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
    bus: postgresBus(url, pool, channel),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}
