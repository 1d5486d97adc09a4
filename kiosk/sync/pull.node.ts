import type { Logger } from 'pino';
import { z } from 'zod';
import { OfficeConfig } from '../../protocol/office.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';
import { CentralClientError, type CentralClient } from './central-client.node.ts';

/** A value pulled from central, with how old it is (shown where it matters). */
export interface Cached<T> {
  readonly value: T;
  readonly etag: string | null;
  /** When this body was received from central. */
  readonly fetchedAt: string;
  /** When central last confirmed it (200 or 304). */
  readonly checkedAt: string;
  /** ms since checkedAt. */
  readonly ageMs: number;
  /** true when central could not be asked just now and this is the offline copy. */
  readonly stale: boolean;
}

interface Row {
  etag: string | null;
  body: string;
  fetched_at: string;
  checked_at: string;
}

/**
 * Pull side: GET with If-None-Match, the body cached in SQLite (`central_cache`) so the kiosk
 * keeps working offline. Office configuration and the catalog are refreshed in the background;
 * lookups (dossier status) go to central first and fall back to the last answer.
 */
/** How long an answered lookup is kept for offline use: 30 days. */
export const LOOKUP_KEEP_MS = 30 * 24 * 3600_000;

export class CentralCache {
  readonly #listeners = new Set<(name: string) => void>();

  constructor(
    readonly db: Db,
    readonly client: CentralClient,
    readonly clock: Clock,
    readonly officeId: () => string,
    readonly log?: Logger,
  ) {}

  /** The cached copy, or null when never fetched (or no longer matching `schema`). */
  read<S extends z.ZodType>(name: string, schema: S): Cached<z.output<S>> | null {
    const row = this.db
      .prepare('SELECT etag, body, fetched_at, checked_at FROM central_cache WHERE name = ?')
      .get(name) as Row | undefined;
    if (!row) return null;
    const parsed = schema.safeParse(JSON.parse(row.body));
    if (!parsed.success) return null;
    return {
      value: parsed.data,
      etag: row.etag,
      fetchedAt: row.fetched_at,
      checkedAt: row.checked_at,
      ageMs: Math.max(0, this.clock.now().getTime() - Date.parse(row.checked_at)),
      stale: false,
    };
  }

  /**
   * Asks central (conditionally), stores and returns the answer; offline or on central errors
   * returns the cached copy marked stale. Throws the client error when there is no copy.
   */
  async fetch<S extends z.ZodType>(name: string, path: string, schema: S): Promise<Cached<z.output<S>>> {
    const cached = this.read(name, schema);
    const now = this.clock.now().toISOString();
    try {
      const res = await this.client.request('GET', path, schema, { etag: cached?.etag ?? null });
      if (res.notModified && cached) {
        this.db.prepare('UPDATE central_cache SET checked_at = ? WHERE name = ?').run(now, name);
        return { ...cached, checkedAt: now, ageMs: 0 };
      }
      if (res.notModified) return this.fetchUnconditional(name, path, schema);
      this.#store(name, res.etag, res.value, now);
      if (res.etag !== cached?.etag || !cached) this.#listeners.forEach((fn) => fn(name));
      return {
        value: res.value as z.output<S>,
        etag: res.etag,
        fetchedAt: now,
        checkedAt: now,
        ageMs: 0,
        stale: false,
      };
    } catch (err) {
      if (cached && err instanceof CentralClientError && err.kind !== 'REJECTED') return { ...cached, stale: true };
      throw err;
    }
  }

  private async fetchUnconditional<S extends z.ZodType>(
    name: string,
    path: string,
    schema: S,
  ): Promise<Cached<z.output<S>>> {
    const now = this.clock.now().toISOString();
    const res = await this.client.request('GET', path, schema);
    this.#store(name, res.etag, res.value, now);
    return { value: res.value as z.output<S>, etag: res.etag, fetchedAt: now, checkedAt: now, ageMs: 0, stale: false };
  }

  #store(name: string, etag: string | null, value: unknown, now: string) {
    this.db
      .prepare(
        `INSERT INTO central_cache (name, etag, body, fetched_at, checked_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, body = excluded.body, fetched_at = excluded.fetched_at, checked_at = excluded.checked_at`,
      )
      .run(name, etag, JSON.stringify(value), now, now);
  }

  /** Called with the cache name whenever a pulled document changed (e.g. reload office config). */
  onUpdated(fn: (name: string) => void): () => void {
    this.#listeners.add(fn);
    return () => this.#listeners.delete(fn);
  }

  officeConfig(): Promise<Cached<OfficeConfig>> {
    return this.fetch('office-config', `/v1/offices/${encodeURIComponent(this.officeId())}/config`, OfficeConfig);
  }

  /** The catalog as central publishes it; pass protocol/catalog.ts's schema to get it typed. */
  catalog<S extends z.ZodType = z.ZodUnknown>(schema?: S): Promise<Cached<z.output<S>>> {
    return this.fetch('catalog', '/v1/catalog', (schema ?? z.unknown()) as S);
  }

  /**
   * A lookup passthrough (e.g. dossier status by code): central first, the last answer for the
   * same path when central cannot be asked (with its age). Not listed among pulled documents.
   */
  lookup<S extends z.ZodType>(path: string, schema: S): Promise<Cached<z.output<S>>> {
    return this.fetch(`lookup:${path}`, path, schema);
  }

  /**
   * Forgets lookups (dossier statuses a citizen asked for) not asked again for `maxAgeMs`: they
   * only serve the same question while central is unreachable, and a kiosk should not keep a
   * year of who-looked-up-what. Returns how many were removed.
   */
  purgeLookups(maxAgeMs = LOOKUP_KEEP_MS): number {
    const before = new Date(this.clock.now().getTime() - maxAgeMs).toISOString();
    const removed = this.db
      .prepare("DELETE FROM central_cache WHERE name LIKE 'lookup:%' AND checked_at < ?")
      .run(before).changes;
    if (removed) this.log?.info({ removed }, 'old lookups forgotten');
    return removed;
  }

  /** Refreshes the documents every kiosk keeps (office config, catalog), and forgets old lookups; failures are logged, not thrown. */
  async refreshAll(): Promise<void> {
    try {
      this.purgeLookups();
    } catch (err) {
      // A full disk: forgetting old lookups waits for the next refresh.
      this.log?.warn({ err: (err as Error).message }, 'could not purge old lookups');
    }
    for (const [name, run] of [
      ['office-config', () => this.officeConfig()],
      ['catalog', () => this.catalog()],
    ] as const) {
      try {
        await run();
      } catch (err) {
        this.log?.debug({ err: (err as Error).message, name }, 'pull failed; keeping the cached copy');
      }
    }
  }

  /** Name, fetchedAt and checkedAt of every cached document (technician detail). */
  list(): Array<{ name: string; etag: string | null; fetchedAt: string; checkedAt: string }> {
    return (
      this.db
        .prepare(
          "SELECT name, etag, fetched_at, checked_at FROM central_cache WHERE name NOT LIKE 'lookup:%' ORDER BY name",
        )
        .all() as Array<Row & { name: string }>
    ).map((r) => ({ name: r.name, etag: r.etag, fetchedAt: r.fetched_at, checkedAt: r.checked_at }));
  }
}
