/**
 * Central's SQL interface and the helpers both implementations share (sqlite.node.ts,
 * postgres.node.ts): kept apart from the factory (store.node.ts) so that neither
 * implementation imports the file that imports it.
 */
export type SqlValue = string | number | null;

export interface Sql {
  all<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  run(sql: string, params?: readonly SqlValue[]): Promise<{ changes: number }>;
}

export interface TxSql extends Sql {
  /** A nested unit that rolls back alone when `fn` throws (SQL SAVEPOINT); the error is rethrown. */
  savepoint<T>(fn: (q: TxSql) => Promise<T>): Promise<T>;
}

export interface CentralStore extends Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  tx<T>(fn: (q: TxSql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /**
   * PostgreSQL only: messages between the central instances sharing this database (LISTEN/NOTIFY
   * on a channel private to the database schema). SQLite has one process: no bus.
   */
  readonly bus?: StoreBus;
  /** PostgreSQL only: the connection pool's use (metrics). */
  poolStats?(): { total: number; idle: number; waiting: number };
}

export interface StoreBus {
  /** Sends `payload` (≤ 7,900 bytes) to every instance listening, this one included. */
  notify(payload: string): Promise<void>;
  /**
   * Calls `onMessage` for every payload sent by any instance; `onResync` after the listening
   * connection was lost and made again (messages in between are gone: re-read everything).
   */
  listen(onMessage: (payload: string) => void, onResync: () => void): Promise<() => Promise<void>>;
}

/**
 * Adds 1 to a named counter and returns the new value (dossier numbers, ticket numbers, …): one
 * atomic upsert (one round trip; the row stays locked until the transaction ends, so two
 * transactions never get the same value).
 */
export async function nextCounter(q: Sql, name: string): Promise<number> {
  const row = await q.get<{ value: number }>(
    'INSERT INTO counters (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value',
    [name],
  );
  return Number(row!.value);
}

/** PostgreSQL error classes and codes that mean "the database is not reachable now", not "this request is wrong". */
const UNAVAILABLE_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
]);

/**
 * The database went away (PostgreSQL restarting, failing over, unreachable): central answers 503
 * with Retry-After, so kiosks treat it as central being offline and try again, and nobody reads
 * it as a bug in the request. Connection exceptions (class 08), shutdown (57P01–57P03), refused
 * or reset connections, and node-postgres's "Connection terminated" errors.
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || code.startsWith('08'))) return true;
  return /^Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(
    err.message,
  );
}

/**
 * SAVEPOINT works the same in both dialects. One name for all: nested savepoints of the same
 * name unwind innermost first, and the statement text stays cacheable.
 */
export async function withSavepoint<T>(q: Sql, fn: () => Promise<T>): Promise<T> {
  const name = 'sp_unit';
  await q.run(`SAVEPOINT ${name}`);
  try {
    const value = await fn();
    await q.run(`RELEASE SAVEPOINT ${name}`);
    return value;
  } catch (err) {
    await q.run(`ROLLBACK TO SAVEPOINT ${name}`);
    await q.run(`RELEASE SAVEPOINT ${name}`);
    throw err;
  }
}
