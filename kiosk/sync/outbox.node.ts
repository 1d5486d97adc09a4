import { v7 as uuidv7 } from 'uuid';
import { ItemKind, type ItemReason } from '../../protocol/batch.ts';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../store/db.node.ts';

export type OutboxStatus = 'pending' | 'inflight' | 'done' | 'parked';

export interface OutboxEntry {
  readonly id: number;
  readonly key: string;
  readonly kind: string;
  /** null once central confirmed it and the personal data was wiped. */
  readonly payload: unknown;
  readonly status: OutboxStatus;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly doneAt: string | null;
  readonly result: unknown;
  readonly confirmedAt: string | null;
}

interface Row {
  id: number;
  key: string;
  kind: string;
  payload: string | null;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: string;
  updated_at: string;
  done_at: string | null;
  result: string | null;
  confirmed_at: string | null;
}

const toEntry = (r: Row): OutboxEntry => ({
  id: r.id,
  key: r.key,
  kind: r.kind,
  payload: r.payload === null ? null : JSON.parse(r.payload),
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  doneAt: r.done_at,
  result: r.result === null ? null : JSON.parse(r.result),
  confirmedAt: r.confirmed_at,
});

// Prepared statements per database: enqueue and answer handling run thousands of times.
const statements = new WeakMap<Db, Map<string, Statement>>();
function stmt(db: Db, text: string): Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map()));
  let s = cache.get(text);
  if (!s) cache.set(text, (s = db.prepare(text)));
  return s;
}

// Wakes the sync engine of a database after an enqueue, wherever the enqueue came from.
const listeners = new WeakMap<Db, Set<() => void>>();
export function onEnqueue(db: Db, fn: () => void): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(fn);
  return () => set.delete(fn);
}

/**
 * Adds an entry to the outbox. Call it inside the transaction that writes the domain record
 * (`db.transaction(() => { insertDossier(); enqueue(db, 'dossier.submitted', payload) })()`),
 * so both are durable together (WAL, synchronous=FULL) before the citizen is told "saved".
 */
export function enqueue(
  db: Db,
  kind: string,
  payload: unknown,
  { now = new Date() }: { now?: Date } = {},
): { id: number; key: string } {
  ItemKind.parse(kind);
  const json = JSON.stringify(payload ?? null);
  const key = uuidv7({ msecs: now.getTime() });
  const iso = now.toISOString();
  const insert = stmt(
    db,
    'INSERT INTO outbox (key, kind, payload, status, next_attempt_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const { lastInsertRowid } = insert.run(key, kind, json, 'pending', 0, iso, iso);
  const set = listeners.get(db);
  // After the caller's transaction commits (it is synchronous), not inside it.
  if (set?.size) queueMicrotask(() => set.forEach((fn) => fn()));
  return { id: Number(lastInsertRowid), key };
}

/** What a domain does when central answers for one of its entries. Runs inside the kiosk transaction that records the answer. */
export interface OutboxKindHandler {
  /** Accepted or duplicate: e.g. store the dossier code central gave, wipe the domain record's personal data. */
  onAccepted?(db: Db, entry: OutboxEntry, result: unknown): void;
  /** Parked (central rejected it for good): e.g. mark the local record as needing a technician. */
  onParked?(db: Db, entry: OutboxEntry, reason: string): void;
  /**
   * What of the payload to keep once central confirmed it holds the entry (ids, times, status
   * for receipts and audit). Default: nothing — the payload is set to NULL.
   */
  retain?(payload: unknown): unknown;
}

export interface OutboxCounts {
  pending: number;
  inflight: number;
  parked: number;
  /** -1 unless asked for (it counts every row ever sent). */
  done: number;
}

export class Outbox {
  readonly #handlers = new Map<string, OutboxKindHandler>();

  /**
   * `recoverInflight: false` for tools that open the database beside a running kiosk
   * (kioskctl): only the kiosk that owns the engine may take inflight entries back.
   */
  constructor(
    readonly db: Db,
    { recoverInflight = true }: { recoverInflight?: boolean } = {},
  ) {
    // A crash mid-send leaves entries inflight: they were maybe received, maybe not — send
    // again (central answers `duplicate` if it already has them).
    if (recoverInflight)
      stmt(db, "UPDATE outbox SET status = 'pending', next_attempt_at = 0 WHERE status = 'inflight'").run();
  }

  enqueue(kind: string, payload: unknown, opts?: { now?: Date }) {
    return enqueue(this.db, kind, payload, opts);
  }

  registerHandler(kind: string, handler: OutboxKindHandler): void {
    if (this.#handlers.has(kind)) throw new Error(`outbox handler for ${kind} registered twice`);
    this.#handlers.set(kind, handler);
  }

  handler(kind: string): OutboxKindHandler | undefined {
    return this.#handlers.get(kind);
  }

  /** Pending, inflight and parked come from partial indexes; `done` (a full count) only when asked. */
  counts({ withDone = false }: { withDone?: boolean } = {}): OutboxCounts {
    // Literal statuses so SQLite can use the partial indexes.
    const n = (sql: string) => stmt(this.db, sql).pluck().get() as number;
    return {
      pending: n("SELECT COUNT(*) FROM outbox WHERE status = 'pending'"),
      inflight: n("SELECT COUNT(*) FROM outbox WHERE status = 'inflight'"),
      parked: n("SELECT COUNT(*) FROM outbox WHERE status = 'parked'"),
      done: withDone ? n("SELECT COUNT(*) FROM outbox WHERE status = 'done'") : -1,
    };
  }

  get(id: number): OutboxEntry | undefined {
    const row = stmt(this.db, 'SELECT * FROM outbox WHERE id = ?').get(id) as Row | undefined;
    return row && toEntry(row);
  }

  byKey(key: string): OutboxEntry | undefined {
    const row = stmt(this.db, 'SELECT * FROM outbox WHERE key = ?').get(key) as Row | undefined;
    return row && toEntry(row);
  }

  list({
    status,
    limit = 100,
    afterId = 0,
  }: { status?: OutboxStatus; limit?: number; afterId?: number } = {}): OutboxEntry[] {
    const rows = status
      ? stmt(this.db, 'SELECT * FROM outbox WHERE status = ? AND id > ? ORDER BY id LIMIT ?').all(
          status,
          afterId,
          limit,
        )
      : stmt(this.db, 'SELECT * FROM outbox WHERE id > ? ORDER BY id LIMIT ?').all(afterId, limit);
    return (rows as Row[]).map(toEntry);
  }

  /** Takes up to `limit` due entries, oldest first, and marks them inflight. */
  claim(limit: number, now: Date): OutboxEntry[] {
    const rows = stmt(
      this.db,
      `UPDATE outbox SET status = 'inflight', attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?)
       RETURNING *`,
    ).all(now.toISOString(), now.getTime(), limit) as Row[];
    return rows.map(toEntry).sort((a, b) => a.id - b.id);
  }

  /** Back to pending without counting against the entry (the transport failed, not the item). */
  release(ids: readonly number[], { nextAttemptAt = 0, error }: { nextAttemptAt?: number; error?: string } = {}): void {
    const update = stmt(
      this.db,
      "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = COALESCE(?, last_error) WHERE id = ? AND status = 'inflight'",
    );
    this.db.transaction(() => ids.forEach((id) => update.run(nextAttemptAt, error ?? null, id)))();
  }

  /** The earliest time a pending entry becomes due, or null when none is pending. */
  nextDueAt(): number | null {
    return (
      (stmt(this.db, "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'").pluck().get() as
        number | null) ?? null
    );
  }

  markDone(entry: OutboxEntry, result: unknown, now: Date): void {
    stmt(
      this.db,
      "UPDATE outbox SET status = 'done', done_at = ?, updated_at = ?, result = ?, last_error = NULL WHERE id = ?",
    ).run(now.toISOString(), now.toISOString(), result === undefined ? null : JSON.stringify(result), entry.id);
    this.handler(entry.kind)?.onAccepted?.(this.db, entry, result ?? null);
  }

  park(entry: OutboxEntry, reason: string, now: Date): void {
    stmt(this.db, "UPDATE outbox SET status = 'parked', last_error = ?, updated_at = ? WHERE id = ?").run(
      reason,
      now.toISOString(),
      entry.id,
    );
    this.handler(entry.kind)?.onParked?.(this.db, entry, reason);
  }

  retryLater(entry: OutboxEntry, reason: ItemReason, nextAttemptAt: number, now: Date): void {
    stmt(
      this.db,
      "UPDATE outbox SET status = 'pending', last_error = ?, next_attempt_at = ?, updated_at = ? WHERE id = ?",
    ).run(`${reason.code}: ${reason.message}`, nextAttemptAt, now.toISOString(), entry.id);
  }

  /** Technician retry: parked (or waiting) entries go back to pending, due now. Returns how many. */
  retry(target: number | 'all', now = new Date()): number {
    const sql =
      "UPDATE outbox SET status = 'pending', next_attempt_at = 0, attempts = 0, updated_at = ? WHERE status IN ('parked', 'pending')";
    const changes =
      target === 'all'
        ? stmt(this.db, sql).run(now.toISOString()).changes
        : stmt(this.db, `${sql} AND id = ?`).run(now.toISOString(), target).changes;
    if (changes > 0) listeners.get(this.db)?.forEach((fn) => fn());
    return changes;
  }

  /** Done entries central has not yet confirmed, acknowledged before `before`. */
  unconfirmed(before: Date, limit: number): OutboxEntry[] {
    return (
      stmt(
        this.db,
        "SELECT * FROM outbox WHERE status = 'done' AND confirmed_at IS NULL AND done_at <= ? ORDER BY id LIMIT ?",
      ).all(before.toISOString(), limit) as Row[]
    ).map(toEntry);
  }

  /** Central still holds it: wipe the payload down to what the domain retains. */
  confirm(entry: OutboxEntry, now: Date): void {
    const retain = this.handler(entry.kind)?.retain;
    const kept = retain && entry.payload !== null ? retain(entry.payload) : null;
    stmt(this.db, 'UPDATE outbox SET confirmed_at = ?, payload = ?, updated_at = ? WHERE id = ?').run(
      now.toISOString(),
      kept === null || kept === undefined ? null : JSON.stringify(kept),
      now.toISOString(),
      entry.id,
    );
  }

  /** Central lost it (restored from an older backup): send it again. */
  resend(entry: OutboxEntry, now: Date): void {
    stmt(
      this.db,
      "UPDATE outbox SET status = 'pending', next_attempt_at = 0, done_at = NULL, last_error = ?, updated_at = ? WHERE id = ? AND status = 'done'",
    ).run('CENTRAL_LOST: central no longer held this entry; sending again', now.toISOString(), entry.id);
  }
}
