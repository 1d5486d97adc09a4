/**
 * Helpers for tests that need a real central: fresh databases (SQLite file, and PostgreSQL
 * schemas when KIOSK_TEST_PG_URL is set), enrolled devices, and a probe outbox kind that records
 * every delivery (no unique constraint) so a duplicate would show.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { enrolDevice, issueEnrolCode } from './admin.node.ts';
import { createOfficer } from './officers.node.ts';
import type { OfficerRole } from '../protocol/counter.ts';
import type { CentralRoute } from './context.node.ts';
import { seedDemo, DEMO_OFFICE_ID } from './demo/seed.node.ts';
import { routes } from './routes/index.node.ts';
import type { CentralStore, Sql } from './store/store.node.ts';

export interface TestDb {
  readonly label: 'sqlite' | 'postgres';
  /** Pass to startCentral({ db }). Stable across restarts of central. */
  readonly url: string;
  dispose(): Promise<void>;
}

/** Which storages to run central tests against: SQLite always, PostgreSQL when configured. */
export const testDialects = (): Array<'sqlite' | 'postgres'> =>
  process.env.KIOSK_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export async function makeTestDb(label: 'sqlite' | 'postgres'): Promise<TestDb> {
  if (label === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'central-test-'));
    return {
      label,
      url: join(dir, 'central.sqlite'),
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.KIOSK_TEST_PG_URL;
  if (!base) throw new Error('KIOSK_TEST_PG_URL is not set');
  // A schema per test keeps tests independent without needing CREATE DATABASE rights.
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    label,
    url: url.toString(),
    async dispose() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Seeds the demo office and enrols one device there. */
export async function enrolTestDevice(store: CentralStore, name = 'Kiosk thử nghiệm', officeId = DEMO_OFFICE_ID) {
  await seedDemo(store);
  const { code } = await issueEnrolCode(store, { officeId });
  return store.tx((q) => enrolDevice(q, { code, kioskName: name }));
}

export const PROBE_KIND = 'probe.submission';
export const ProbePayload = z.object({ n: z.number().int(), citizen: z.string().optional() }).strict();

/** Registers `probe.submission`: each delivery is one row in `probe_submissions`. */
export const probeRoute: CentralRoute = {
  name: 'probe',
  async register(_app, ctx) {
    await ctx.store.run(
      'CREATE TABLE IF NOT EXISTS probe_submissions (item_key TEXT NOT NULL, device_id TEXT NOT NULL, n INTEGER NOT NULL, client_seq BIGINT NOT NULL, received_at TEXT NOT NULL)',
    );
    ctx.registerBatchKind(PROBE_KIND, {
      payload: ProbePayload,
      async accept(q, item, device) {
        await q.run(
          'INSERT INTO probe_submissions (item_key, device_id, n, client_seq, received_at) VALUES (?, ?, ?, ?, ?)',
          [item.key, device.id, item.payload.n, item.seq, ctx.now().toISOString()],
        );
        return { receivedN: item.payload.n };
      },
    });
  },
};

/** The default routes plus the probe kind. */
export const routesWithProbe: readonly CentralRoute[] = [...routes, probeRoute];

export async function probeCounts(q: Sql): Promise<{ rows: number; distinct: number }> {
  const r = await q.get<{ row_count: number; distinct_keys: number }>(
    'SELECT COUNT(*) AS row_count, COUNT(DISTINCT item_key) AS distinct_keys FROM probe_submissions',
  );
  return { rows: Number(r?.row_count ?? 0), distinct: Number(r?.distinct_keys ?? 0) };
}

/**
 * Creates an officer and signs them in over HTTP as a browser would; answers the session cookie
 * (`osk_officer=…`) to send as the `cookie` header.
 */
export async function signedInOfficer(
  central: { url: string; store: CentralStore },
  {
    username,
    officeId = DEMO_OFFICE_ID,
    roles = ['manager'],
  }: { username: string; officeId?: string; roles?: OfficerRole[] },
): Promise<string> {
  const password = 'dung-mat-khau';
  await createOfficer(central.store, { officeId, username, displayName: username, password, roles });
  const res = await fetch(`${central.url}/v1/officer/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const cookie = res.headers.get('set-cookie')?.split(';')[0];
  if (res.status !== 200 || !cookie) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  return cookie;
}

/** A browser-like officer client: keeps the session cookie, sends the CSRF token on POST. */
export class OfficerClient {
  cookie = '';
  csrf = '';
  constructor(private readonly base: string) {}
  async signIn(username: string, password: string) {
    const res = await fetch(`${this.base}/v1/officer/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const set = res.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const body = (await res.json()) as { csrfToken?: string };
    if (body.csrfToken) this.csrf = body.csrfToken;
    return { status: res.status, body, setCookie: set };
  }
  async req(method: 'GET' | 'POST', path: string, json?: unknown, opts: { csrf?: string | null } = {}) {
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    const res = await fetch(this.base + path, {
      method,
      headers: {
        cookie: this.cookie,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
        ...(method === 'POST' && csrf !== null ? { 'x-csrf-token': csrf } : {}),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of many response shapes
    return { status: res.status, body: (await res.json()) as any };
  }
}
