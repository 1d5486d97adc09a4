import type { Logger } from 'pino';
import type { BatchItem, ItemResult } from '../../protocol/batch.ts';
import { MAX_RECONCILE_KEYS } from '../../protocol/batch.ts';
import type { SyncState } from '../../contract/domains/app.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import { CentralClientError, type CentralClient, type CentralErrorKind } from './central-client.node.ts';
import { isDiskFull } from '../api/disk-full.ts';
import { scrubWal } from '../store/db.node.ts';
import { onEnqueue, type Outbox, type OutboxEntry } from './outbox.node.ts';

export interface SyncEngineOptions {
  outbox: Outbox;
  client: CentralClient;
  log: Logger;
  clock?: Clock;
  /** Records per request (central takes up to 500). */
  batchSize?: number;
  /** Back-off after central errors: base × 2^n, capped, with jitter; at least Retry-After. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** While offline, how often `/health` is probed: the engine resumes on the first answer. */
  probeIntervalMs?: number;
  /** How long after central's acknowledgement an entry is checked again (and its payload wiped). */
  confirmAfterMs?: number;
  reconcileIntervalMs?: number;
  /** With nothing to send, how often `/health` is checked so the online indicator stays true. */
  idleProbeMs?: number;
  /** Item-level `retry` answers before an entry is parked. */
  maxItemAttempts?: number;
  random?: () => number;
}

type Phase = 'idle' | 'sending' | 'offline' | 'backoff' | 'stopped';
type Tuning = Required<Omit<SyncEngineOptions, 'outbox' | 'client' | 'log' | 'clock'>>;

/**
 * Drains the outbox to central: batches in arrival order, per-item answers, back-off with
 * jitter, Retry-After, offline probing, and a reconcile pass that re-sends whatever central
 * lost. One loop; `kick()` wakes it (enqueue does so automatically).
 */
export class SyncEngine {
  readonly #o: Tuning;
  readonly #outbox: Outbox;
  readonly #client: CentralClient;
  readonly #log: Logger;
  readonly #clock: Clock;
  #phase: Phase = 'stopped';
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #kicked = false;
  #failures = 0;
  #online = false;
  #lastSuccessAt: string | null = null;
  #lastErrorKind: string | null = null;
  #lastError: string | null = null;
  #lastReconcileAt = 0;
  #lastContactAt = 0;
  #unsubscribe: (() => void) | null = null;
  readonly #stateListeners = new Set<(s: SyncState) => void>();
  readonly #onlineListeners = new Set<() => void>();
  #lastEmitted = '';
  /** Since start: what central answered, for technicians and tests. */
  readonly stats = { requests: 0, failedRequests: 0, accepted: 0, duplicate: 0, rejected: 0, retry: 0, resent: 0 };
  #emitQueued = false;
  /** Entries claimed (inflight) whose outcome could not be written: handed back before the next claim. */
  #unreleased: number[] = [];
  /** A step failed on the kiosk itself (disk full, database error): sync is not running, whatever central says. */
  #localFailure = false;
  readonly #answered = new Set<() => void>();

  constructor(opts: SyncEngineOptions) {
    this.#outbox = opts.outbox;
    this.#client = opts.client;
    this.#log = opts.log;
    this.#clock = opts.clock ?? systemClock;
    this.#o = {
      batchSize: 250,
      backoffBaseMs: 1_000,
      backoffMaxMs: 5 * 60_000,
      probeIntervalMs: 2_000,
      confirmAfterMs: 5 * 60_000,
      reconcileIntervalMs: 60_000,
      maxItemAttempts: 10,
      idleProbeMs: 30_000,
      random: Math.random,
      ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)),
    } as Tuning;
  }

  start(): void {
    if (this.#loop) return;
    this.#phase = 'idle';
    // The first reconcile comes one interval after start, not in the middle of the first drain.
    this.#lastReconcileAt = this.#clock.now().getTime();
    this.#unsubscribe = onEnqueue(this.#outbox.db, () => this.kick());
    this.#loop = this.#run().catch((err: unknown) => {
      this.#log.error({ err }, 'sync engine stopped on an unexpected error');
      this.#phase = 'stopped';
    });
  }

  async stop(): Promise<void> {
    this.#phase = 'stopped';
    this.#unsubscribe?.();
    this.#wakeUp();
    await this.#loop;
    this.#loop = null;
  }

  /** New work or a reason to look again (enqueue, technician retry, credentials set). */
  kick(): void {
    this.#kicked = true;
    this.#wakeUp();
    // The pending count changed even when the loop sleeps (offline): tell the screens, once per tick.
    if (!this.#emitQueued && this.#loop) {
      this.#emitQueued = true;
      setImmediate(() => {
        this.#emitQueued = false;
        this.#emit();
      });
    }
  }

  state(): SyncState {
    const c = this.#outbox.counts();
    return {
      online: this.#online && !this.#localFailure,
      pending: c.pending + c.inflight,
      parked: c.parked,
      lastSuccessAt: this.#lastSuccessAt,
      lastErrorKind: this.#lastErrorKind,
    };
  }

  /** Technician detail beyond the citizen's indicator. */
  detail() {
    return {
      ...this.state(),
      phase: this.#phase,
      lastError: this.#lastError,
      consecutiveFailures: this.#failures,
      stats: { ...this.stats },
    };
  }

  onState(fn: (s: SyncState) => void): () => void {
    this.#stateListeners.add(fn);
    return () => this.#stateListeners.delete(fn);
  }

  /** Called when central answers again after being unreachable (pulls refresh then). */
  onOnline(fn: () => void): () => void {
    this.#onlineListeners.add(fn);
    return () => this.#onlineListeners.delete(fn);
  }

  /** Resolves when nothing is pending or inflight (parked entries don't count). For tests and shutdown. */
  async waitForIdle(timeoutMs = 30_000): Promise<void> {
    const deadline = this.#clock.now().getTime() + timeoutMs;
    for (;;) {
      const c = this.#outbox.counts();
      if (c.pending === 0 && c.inflight === 0 && this.#phase !== 'sending') return;
      if (this.#clock.now().getTime() > deadline)
        throw new Error(
          `sync not idle after ${timeoutMs} ms: ${JSON.stringify({ ...c, phase: this.#phase, lastError: this.#lastError })}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Resolves with the entry once central answered for it (done or parked), or null after
   * `timeoutMs` (offline, backing off): e.g. print the final receipt when central gave a code
   * within a few seconds, the provisional one otherwise.
   */
  async waitForEntry(key: string, timeoutMs: number): Promise<OutboxEntry | null> {
    const settled = () => {
      const e = this.#outbox.byKey(key);
      return e && (e.status === 'done' || e.status === 'parked') ? e : null;
    };
    const now = settled();
    if (now) return now;
    return new Promise((resolve) => {
      const finish = (value: OutboxEntry | null) => {
        clearTimeout(timer);
        this.#answered.delete(check);
        resolve(value);
      };
      const check = () => {
        const e = settled();
        if (e) finish(e);
      };
      const timer = setTimeout(() => finish(settled()), timeoutMs);
      this.#answered.add(check);
    });
  }

  /** Checks acknowledged entries against central now (normally every reconcileIntervalMs). */
  async reconcileNow(): Promise<{ confirmed: number; resent: number }> {
    return this.#reconcile(true);
  }

  #wakeUp() {
    this.#wake?.();
  }

  /** Sleeps up to `ms`. A kick ends it early only when `kickable`; stop always does. */
  async #sleep(ms: number, kickable: boolean): Promise<void> {
    if (this.#stopped() || ms <= 0) return;
    if (kickable && this.#kicked) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = () => {
        if (kickable || this.#stopped()) done();
      };
    });
  }

  // A method, so TypeScript does not narrow the phase across awaits.
  #stopped(): boolean {
    return this.#phase === 'stopped';
  }

  #isPhase(p: Phase): boolean {
    return this.#phase === p;
  }

  #emit() {
    const s = this.state();
    const key = JSON.stringify(s);
    if (key === this.#lastEmitted) return;
    this.#lastEmitted = key;
    for (const fn of this.#stateListeners) {
      try {
        fn(s);
      } catch (err) {
        this.#log.warn({ err }, 'sync state listener failed');
      }
    }
  }

  #backoffMs(retryAfterMs?: number): number {
    const exp = Math.min(this.#o.backoffMaxMs, this.#o.backoffBaseMs * 2 ** Math.min(this.#failures - 1, 30));
    const jittered = exp / 2 + (this.#o.random() * exp) / 2;
    return Math.max(jittered, retryAfterMs ?? 0);
  }

  #setOnline(online: boolean) {
    if (online && !this.#online) {
      this.#online = true;
      for (const fn of this.#onlineListeners) {
        try {
          fn();
        } catch (err) {
          this.#log.warn({ err }, 'sync online listener failed');
        }
      }
    }
    this.#online = online;
  }

  /**
   * The loop. Every step runs inside one handler: a local failure (disk full while claiming,
   * recording answers or reconciling) backs off and tries again, so sync never stops until a
   * restart, and the state says why it is not sending.
   */
  async #run(): Promise<void> {
    while (!this.#stopped()) {
      try {
        if (this.#unreleased.length) {
          this.#outbox.release(this.#unreleased, {
            error: 'LOCAL_ERROR: the outcome could not be recorded on the kiosk',
          });
          this.#unreleased = [];
        }
        await this.#step();
        if (this.#localFailure) {
          this.#localFailure = false;
          if (this.#lastErrorKind === 'disk_full' || this.#lastErrorKind === 'kiosk_error') this.#lastErrorKind = null;
          this.#log.info('kiosk storage writable again; sync resumed');
          this.#emit();
        }
      } catch (err) {
        await this.#onLocalFailure(err);
      }
    }
  }

  async #onLocalFailure(err: unknown) {
    if (this.#stopped()) return;
    this.#failures++;
    this.#localFailure = true;
    this.#lastError = (err as Error)?.message ?? String(err);
    this.#lastErrorKind = isDiskFull(err) ? 'disk_full' : 'kiosk_error';
    if (this.#isPhase('sending')) this.#phase = 'backoff';
    const wait = this.#backoffMs();
    try {
      this.#log.error({ err, waitMs: Math.round(wait) }, 'sync step failed on the kiosk; retrying');
    } catch {
      // The log itself may be on the full disk.
    }
    try {
      this.#emit();
    } catch {
      // Counting the outbox failed too: the next step tries again.
    }
    await this.#sleep(wait, false);
    if (this.#isPhase('backoff')) this.#phase = 'idle';
  }

  async #step(): Promise<void> {
    this.#kicked = false;
    const now = this.#clock.now();

    if (this.#phase === 'offline') {
      try {
        await this.#client.health(Math.min(5_000, this.#o.probeIntervalMs * 2 + 1_000));
        this.#lastContactAt = this.#clock.now().getTime();
        this.#log.info('central reachable again; resuming sync');
        if (!this.#stopped()) this.#phase = 'idle';
        this.#failures = 0;
        if (this.#lastErrorKind === 'offline') this.#lastErrorKind = null;
        this.#setOnline(true);
        this.#emit();
      } catch {
        await this.#sleep(this.#o.probeIntervalMs, false);
      }
      return;
    }

    const batch = this.#outbox.claim(this.#o.batchSize, now);
    if (batch.length === 0) {
      await this.#reconcile(false);
      if (!this.#isPhase('offline') && this.#clock.now().getTime() - this.#lastContactAt >= this.#o.idleProbeMs)
        await this.#idleProbe();
      if (this.#isPhase('offline')) return;
      if (!this.#stopped()) this.#phase = 'idle';
      this.#emit();
      const next = this.#outbox.nextDueAt();
      const untilDue = next === null ? Infinity : next - this.#clock.now().getTime();
      const untilReconcile = this.#lastReconcileAt + this.#o.reconcileIntervalMs - this.#clock.now().getTime();
      const untilProbe = this.#lastContactAt + this.#o.idleProbeMs - this.#clock.now().getTime();
      await this.#sleep(Math.max(10, Math.min(untilDue, untilReconcile, untilProbe, 60_000)), true);
      return;
    }

    this.#phase = 'sending';
    try {
      await this.#send(batch);
      this.#lastContactAt = this.#clock.now().getTime();
      this.#failures = 0;
      this.#lastSuccessAt = this.#clock.now().toISOString();
      this.#lastErrorKind = null;
      this.#lastError = null;
      this.#setOnline(true);
      if (this.#phase === 'sending') this.#phase = 'idle';
    } catch (err) {
      // Claimed entries go back to pending; if even that cannot be written, before the next claim.
      this.#unreleased = batch.map((e) => e.id);
      if (isLocalError(err)) throw err;
      this.#outbox.release(this.#unreleased, { error: (err as Error).message });
      this.#unreleased = [];
      await this.#onFailure(err);
    }
    this.#emit();
  }

  async #onFailure(err: unknown) {
    if (this.#stopped()) return;
    const e = err instanceof CentralClientError ? err : new CentralClientError('CENTRAL_ERROR', (err as Error).message);
    this.#failures++;
    this.#lastError = e.message;
    this.#lastErrorKind = errorKindLabel(e.kind, e.status);
    if (e.kind === 'OFFLINE') {
      this.#log.warn({ err: e.message }, 'central unreachable; queueing offline');
      this.#setOnline(false);
      this.#phase = 'offline';
      this.#emit();
      return;
    }
    // Reachable but refusing: back off (credential problems wait the longest; a technician fixes them).
    this.#setOnline(e.kind !== 'NOT_PROVISIONED');
    const wait =
      e.kind === 'UNAUTHORIZED' || e.kind === 'NOT_PROVISIONED'
        ? Math.max(this.#o.probeIntervalMs, this.#backoffMs())
        : this.#backoffMs(e.retryAfterMs);
    this.#log.warn({ err: e.message, waitMs: Math.round(wait) }, 'sync failed; backing off');
    this.#phase = 'backoff';
    this.#emit();
    await this.#sleep(wait, e.kind === 'NOT_PROVISIONED');
    if (this.#phase === 'backoff') this.#phase = 'idle';
  }

  /** Nothing to send: is central still there? Keeps the citizen's indicator honest. */
  async #idleProbe(): Promise<void> {
    this.#lastContactAt = this.#clock.now().getTime();
    try {
      await this.#client.health(5_000);
      if (!this.#online) this.#log.info('central reachable');
      this.#lastErrorKind = this.#lastErrorKind === 'offline' ? null : this.#lastErrorKind;
      this.#setOnline(true);
    } catch (err) {
      const e = err as CentralClientError;
      this.#lastError = e.message;
      this.#lastErrorKind = errorKindLabel(e.kind ?? 'CENTRAL_ERROR', e.status);
      if (e.kind === 'OFFLINE') {
        this.#setOnline(false);
        if (!this.#stopped()) this.#phase = 'offline';
      }
    }
    this.#emit();
  }

  /** Sends entries; a 400/413 splits the batch to find and park the entry central cannot read. */
  async #send(entries: OutboxEntry[]): Promise<void> {
    const items: BatchItem[] = entries.map((e) => ({
      key: e.key,
      kind: e.kind,
      payload: e.payload,
      createdAt: e.createdAt,
      seq: e.id,
    }));
    let results: ItemResult[];
    this.stats.requests++;
    try {
      results = (await this.#client.batch({ items })).results;
    } catch (err) {
      this.stats.failedRequests++;
      // Only "this body is bad" splits and parks; a 404/405 means a wrong central URL or
      // version, which no entry is to blame for: back off and tell the technician instead.
      if (err instanceof CentralClientError && err.kind === 'REJECTED' && (err.status === 400 || err.status === 413)) {
        if (entries.length === 1) {
          this.#apply(entries, [
            {
              key: entries[0]!.key,
              status: 'rejected',
              reason: { code: err.code ?? `HTTP_${err.status}`, message: err.message },
            },
          ]);
          return;
        }
        const half = Math.ceil(entries.length / 2);
        await this.#send(entries.slice(0, half));
        await this.#send(entries.slice(half));
        return;
      }
      throw err;
    }
    this.#apply(entries, results);
  }

  /** Records every answer of one batch in one kiosk transaction. */
  #apply(entries: OutboxEntry[], results: ItemResult[]) {
    const now = this.#clock.now();
    const byKey = new Map(results.map((r) => [r.key, r]));
    for (const r of results) this.stats[r.status]++;
    const db = this.#outbox.db;
    db.transaction(() => {
      for (const entry of entries) {
        const r = byKey.get(entry.key);
        if (!r) {
          this.#outbox.release([entry.id], {
            nextAttemptAt: now.getTime() + this.#o.backoffBaseMs,
            error: 'NO_ANSWER: central did not answer for this entry',
          });
          continue;
        }
        // Each entry in its own savepoint: a failing domain hook parks that entry alone.
        try {
          db.transaction(() => {
            if (r.status === 'accepted' || r.status === 'duplicate') this.#outbox.markDone(entry, r.result, now);
            else if (r.status === 'rejected') this.#outbox.park(entry, `${r.reason.code}: ${r.reason.message}`, now);
            else if (entry.attempts >= this.#o.maxItemAttempts)
              this.#outbox.park(entry, `${r.reason.code}: ${r.reason.message} (after ${entry.attempts} attempts)`, now);
            else {
              const wait =
                Math.min(this.#o.backoffMaxMs, this.#o.backoffBaseMs * 2 ** entry.attempts) *
                (0.5 + this.#o.random() / 2);
              this.#outbox.retryLater(entry, r.reason, now.getTime() + wait, now);
            }
          })();
        } catch (err) {
          // A full disk is no fault of the entry: the whole batch is answered again later.
          if (isLocalError(err)) throw err;
          this.#log.error({ err, kind: entry.kind, id: entry.id }, 'outbox handler failed');
          this.#outbox.park(entry, `HANDLER_FAILED: ${(err as Error).message}`, now);
        }
      }
    })();
    // Accepted entries wiped personal data (the domain's onAccepted): leave no copy in the WAL.
    if (results.some((r) => r.status === 'accepted' || r.status === 'duplicate')) scrubWal(db);
    for (const check of [...this.#answered]) check();
    const parked = results.filter((r) => r.status === 'rejected');
    if (parked.length)
      this.#log.warn({ count: parked.length, first: parked[0] }, 'central rejected outbox entries; parked');
  }

  async #reconcile(force: boolean): Promise<{ confirmed: number; resent: number }> {
    const nowMs = this.#clock.now().getTime();
    if (!force && nowMs - this.#lastReconcileAt < this.#o.reconcileIntervalMs) return { confirmed: 0, resent: 0 };
    this.#lastReconcileAt = nowMs;
    const now = this.#clock.now();
    let confirmed = 0;
    let resent = 0;
    try {
      for (;;) {
        const due = this.#outbox.unconfirmed(new Date(now.getTime() - this.#o.confirmAfterMs), MAX_RECONCILE_KEYS);
        if (due.length === 0) break;
        const { known } = await this.#client.reconcile({ keys: due.map((e) => e.key) });
        const held = new Set(known);
        this.#outbox.db.transaction(() => {
          for (const e of due) {
            if (held.has(e.key)) {
              this.#outbox.confirm(e, now);
              confirmed++;
            } else {
              this.#outbox.resend(e, now);
              resent++;
            }
          }
        })();
        if (due.length < MAX_RECONCILE_KEYS) break;
      }
    } catch (err) {
      if (isLocalError(err)) throw err;
      this.#log.warn({ err: (err as Error).message }, 'reconcile failed; will try again');
      if (err instanceof CentralClientError && err.kind === 'OFFLINE') {
        this.#setOnline(false);
        if (!this.#stopped()) this.#phase = 'offline';
      }
    }
    // Confirmed entries had their payload wiped: leave no copy in the WAL.
    if (confirmed > 0) scrubWal(this.#outbox.db);
    this.stats.resent += resent;
    if (resent > 0) this.#log.warn({ resent }, 'central no longer held acknowledged entries; sending them again');
    return { confirmed, resent };
  }
}

/** A failure of the kiosk itself (its database or disk), not of central or the network. */
const isLocalError = (err: unknown): boolean =>
  !(err instanceof CentralClientError) &&
  (isDiskFull(err) ||
    (typeof (err as { code?: unknown })?.code === 'string' && (err as { code: string }).code.startsWith('SQLITE_')));

const errorKindLabel = (kind: CentralErrorKind, status?: number): string => {
  switch (kind) {
    case 'OFFLINE':
      return 'offline';
    case 'UNAUTHORIZED':
      return 'unauthorized';
    case 'NOT_PROVISIONED':
      return 'not_provisioned';
    case 'REJECTED':
      return `rejected_${status ?? 'unknown'}`;
    default:
      return status ? `central_${status}` : 'central_error';
  }
};
