import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { setCatalog } from '../../central/admin.node.ts';
import type { CentralRoute } from '../../central/context.node.ts';
import { routes } from '../../central/routes/index.node.ts';
import { DEMO_OFFICE_ID } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { enrolTestDevice, makeTestDb, type TestDb } from '../../central/testing.node.ts';
import { openDatabase, type Db } from '../store/db.node.ts';
import { CentralClient, CentralClientError } from './central-client.node.ts';
import type { Credentials } from './credentials.node.ts';
import { CentralCache, LOOKUP_KEEP_MS } from './pull.node.ts';

describe('pulling office configuration and catalog from central', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let db: Db;
  let cache: CentralCache;
  let now: Date;
  let requests: Array<{ url: string; inm: string | undefined; status: number }>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pull-'));
    cdb = await makeTestDb('sqlite');
    requests = [];
    const spy: CentralRoute = {
      name: 'spy',
      register: (app) =>
        void app.addHook(
          'onResponse',
          async (req, reply) =>
            void requests.push({ url: req.url, inm: req.headers['if-none-match'], status: reply.statusCode }),
        ),
    };
    central = await startCentral({ db: cdb.url, routes: [spy, ...routes] });
    const e = await enrolTestDevice(central.store);
    const creds: Credentials = { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() };
    db = openDatabase(join(dir, 'kiosk.db'));
    now = new Date('2026-11-28T08:00:00+07:00');
    cache = new CentralCache(
      db,
      new CentralClient({ baseUrl: central.url, credentials: () => creds, timeoutMs: 1_000 }),
      { now: () => now },
      () => creds.officeId,
    );
  });
  afterEach(async () => {
    db.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('caches the office configuration and revalidates it with its ETag', async () => {
    const first = await cache.officeConfig();
    expect(first.value.officeId).toBe(DEMO_OFFICE_ID);
    expect(first.stale).toBe(false);
    now = new Date(now.getTime() + 60_000);
    const second = await cache.officeConfig();
    expect(second.etag).toBe(first.etag);
    expect(second.checkedAt).toBe(now.toISOString());
    expect(second.fetchedAt).toBe(first.fetchedAt);
    const configRequests = requests.filter((r) => r.url.endsWith('/config'));
    expect(configRequests.map((r) => r.status)).toEqual([200, 304]);
    expect(configRequests[1]!.inm).toBe(first.etag);
  });

  it('serves the last copy with its age while central is unreachable', async () => {
    await cache.officeConfig();
    await central.close();
    now = new Date(now.getTime() + 45 * 60_000);
    const offline = await cache.officeConfig();
    expect(offline.stale).toBe(true);
    expect(offline.ageMs).toBe(45 * 60_000);
    expect(offline.value.areas.length).toBeGreaterThan(0);
    const err = await cache.catalog().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CentralClientError);
    expect((err as CentralClientError).kind).toBe('OFFLINE');
    expect((err as CentralClientError).toKioskError().code).toBe('OFFLINE');
  });

  it('takes a new catalog when central publishes one and tells listeners', async () => {
    const Catalog = z.object({ version: z.number(), procedures: z.array(z.object({ code: z.string() })) });
    await setCatalog(central.store, { version: 1, procedures: [{ code: '1.001193' }] });
    const changed: string[] = [];
    cache.onUpdated((name) => changed.push(name));
    expect((await cache.catalog(Catalog)).value.version).toBe(1);
    await cache.catalog(Catalog);
    await setCatalog(central.store, { version: 2, procedures: [] });
    expect((await cache.catalog(Catalog)).value.version).toBe(2);
    expect(changed).toEqual(['catalog', 'catalog']);
    expect(cache.read('catalog', Catalog)?.value.version).toBe(2);
    expect(cache.list().map((p) => p.name)).toEqual(['catalog']);
  });

  it('forgets lookups not asked again for 30 days, and nothing else', async () => {
    const Me = z.object({ officeId: z.string() }).loose();
    await cache.officeConfig();
    await cache.lookup('/v1/me', Me);
    const names = () => db.prepare('SELECT name FROM central_cache ORDER BY name').pluck().all() as string[];
    expect(names()).toEqual(['lookup:/v1/me', 'office-config']);
    now = new Date(now.getTime() + LOOKUP_KEEP_MS);
    expect(cache.purgeLookups()).toBe(0);
    now = new Date(now.getTime() + 1);
    await cache.refreshAll();
    expect(names()).toEqual(['office-config']);
  });

  it('passes lookups through to central and answers the last result offline', async () => {
    const Me = z.object({ deviceId: z.string(), officeId: z.string() });
    const online = await cache.lookup('/v1/me', Me);
    expect(online).toMatchObject({ stale: false, value: { officeId: DEMO_OFFICE_ID } });
    await central.close();
    now = new Date(now.getTime() + 5 * 60_000);
    expect(await cache.lookup('/v1/me', Me)).toMatchObject({
      stale: true,
      ageMs: 5 * 60_000,
      value: { officeId: DEMO_OFFICE_ID },
    });
    expect(cache.list()).toEqual([]);
  });
});
