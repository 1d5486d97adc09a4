/**
 * A province on loopback (issue 18): PostgreSQL, N central processes behind HAProxy (its
 * configuration generated here, health checks on `/health/ready`), and simulated kiosks that speak
 * the real protocol through the kiosk's own HTTP client (kiosk/sync/central-client.node.ts):
 * enrolment with one-time codes, heartbeats, office configuration and catalog pulls with ETags,
 * tickets at a fixed peak rate, and batches of ratings retried with their keys until acknowledged,
 * as the outbox does. Bounded in kiosks and time. Used by `bench/province.bench.ts` (the
 * acceptance run) and `central/province.test.ts` (a short run that asserts the invariants).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { issueEnrolCode, upsertOffice } from '../central/admin.node.ts';
import { seedCatalog } from '../central/demo/catalog-seed.node.ts';
import { DEMO_OFFICES, seedDemo } from '../central/demo/seed.node.ts';
import { openCentralStore } from '../central/store/store.node.ts';
import { CentralClient, CentralClientError } from '../kiosk/sync/central-client.node.ts';
import { BatchResponse } from '../protocol/batch.ts';
import { Catalog } from '../protocol/catalog.ts';
import { HeartbeatResponse } from '../protocol/fleet.ts';
import { OfficeConfig } from '../protocol/office.ts';
import { RATING_KIND } from '../protocol/ratings.ts';
import { IssueTicketResponse } from '../protocol/tickets.ts';
import { spawnReady, type RunningProcess } from '../test/support/appliance.ts';

export interface ProvinceOptions {
  /** A PostgreSQL URL; the run gets its own schema there, dropped at the end. */
  pgUrl: string;
  instances: number;
  kiosks: number;
  /** Kiosks are spread over this many offices (a ticket number is per office and day). */
  offices: number;
  ticketsPerSecond: number;
  durationS: number;
  heartbeatEveryS?: number;
  /** Each kiosk pulls its office configuration and the catalog this often (with ETags). */
  pullEveryS?: number;
  /** Each kiosk sends a batch of ratings this often. */
  batchEveryS?: number;
  /** SIGKILL the last instance this many seconds into the run. */
  killAtS?: number;
  /** Called this many seconds into the run (e.g. restart PostgreSQL). */
  disruptAtS?: number;
  disrupt?: () => Promise<void>;
  /** After the run, how long kiosks may take to get everything acknowledged. */
  drainS?: number;
  log?: (line: string) => void;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface ProvinceResult {
  instances: number;
  kiosks: number;
  durationS: number;
  /** Every answered request (all kinds) per second of the run. */
  requestsPerS: number;
  ticketsIssued: number;
  ticketsPerS: number;
  /** Tickets kiosks got after one instance was killed (carried by the others). */
  ticketsAfterKill: number;
  /** One POST /v1/tickets that got its answer (attempt by attempt). */
  ticketLatency: Percentiles;
  /** From the first try until the kiosk held the number, retries included. */
  ticketLatencyWithRetries: Percentiles;
  otherLatency: Percentiles;
  /** Per request kind (ticket, heartbeat, config, catalog, batch). */
  latencyByKind: Record<string, Percentiles>;
  failedAttempts: number;
  /** The commonest reasons of failed attempts. */
  failures: string[];
  notModified: number;
  heartbeats: number;
  duplicateTicketNumbers: number;
  /** Tickets a kiosk holds a number for that central has not, or that central numbered differently. */
  ticketsMismatched: number;
  ticketsNeverIssued: number;
  batchItemsSent: number;
  batchItemsLost: number;
  batchItemsDuplicated: number;
  batchItemsUnacknowledged: number;
}

export const percentiles = (values: number[]): Percentiles => {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => (s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : 0);
  return { n: s.length, p50: at(50), p95: at(95), p99: at(99), max: s.at(-1) ?? 0 };
};

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });

/** HAProxy in front of the instances: round robin, readiness checks, retries elsewhere on a refused connection. */
export function haproxyConfig(listenPort: number, backends: number[]): string {
  return `global
  maxconn 4096

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 30s
  timeout http-keep-alive 10s
  # A connection refused by an instance that just died is tried on another one (the request
  # was never sent: safe for POST). Kiosks retry the rest themselves (idempotent keys).
  retries 3
  option redispatch 1
  retry-on conn-failure

frontend kiosks
  bind 127.0.0.1:${listenPort}
  # central trusts X-Forwarded-For from loopback only (--trust-proxy 127.0.0.1).
  option forwardfor
  default_backend central

backend central
  balance roundrobin
  option httpchk GET /health/ready
  http-check expect status 200
  timeout check 5s
  default-server inter 1s fall 3 rise 2 on-marked-down shutdown-sessions
${backends.map((p, i) => `  server c${i + 1} 127.0.0.1:${p} check`).join('\n')}
`;
}

export interface Haproxy {
  readonly url: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts Debian's haproxy in the foreground on a generated configuration; answers once it forwards. */
export async function startHaproxy(backends: number[], dir: string): Promise<Haproxy> {
  const port = await freePort();
  const cfg = join(dir, 'haproxy.cfg');
  writeFileSync(cfg, haproxyConfig(port, backends));
  const child = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const until = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`haproxy exited: ${out}`);
    const ok = await fetch(`${url}/health/ready`)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`haproxy did not forward in 20 s: ${out}`);
    }
    await sleep(100);
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A fresh schema in `pgUrl` for one run; `url` selects it. */
export async function freshSchema(pgUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const schema = `bench_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}

/** Procedures in the bench's catalog. */
export const CATALOG_PROCEDURES = 100;

const benchOfficeId = (i: number) => `bench-${String(i).padStart(3, '0')}`;

interface SimKiosk {
  readonly officeId: string;
  readonly client: CentralClient;
  configEtag: string | null;
  catalogEtag: string | null;
  seq: number;
  /** Rating items not yet acknowledged (the outbox's pending entries). */
  readonly pending: Array<{ key: string; kind: string; payload: unknown; createdAt: string; seq: number }>;
}

const RatingResult = z.object({ ratingId: z.string() });

export async function runProvince(opts: ProvinceOptions): Promise<ProvinceResult> {
  const log = opts.log ?? (() => undefined);
  const heartbeatEveryS = opts.heartbeatEveryS ?? 30;
  const pullEveryS = opts.pullEveryS ?? 60;
  const batchEveryS = opts.batchEveryS ?? 10;
  const dir = mkdtempSync(join(tmpdir(), 'province-'));
  const schema = await freshSchema(opts.pgUrl);
  const instances: RunningProcess[] = [];
  let haproxy: Haproxy | null = null;
  try {
    // The province: the demo offices (catalog) plus `offices` bench offices open all day, no cap.
    const store = await openCentralStore(schema.url);
    await seedDemo(store);
    // A catalog of 100 generated procedures (the demo's 2,000 make every first pull a few MB that
    // this one process would parse 300 times; later pulls are 304 either way).
    await seedCatalog(store, CATALOG_PROCEDURES);
    const template = DEMO_OFFICES[1]!;
    const allDay = [{ open: '00:00', close: '23:59' }];
    const hours = { '1': allDay, '2': allDay, '3': allDay, '4': allDay, '5': allDay, '6': allDay, '7': allDay };
    for (let i = 0; i < opts.offices; i++)
      await upsertOffice(store, {
        ...template,
        officeId: benchOfficeId(i),
        name: `Bộ phận một cửa ${i}`,
        openingHours: hours,
        areas: template.areas.map((a) => ({ ...a, services: a.services.map((s) => ({ ...s, dailyCap: null })) })),
      });
    const codes: Array<{ officeId: string; code: string }> = [];
    for (let k = 0; k < opts.kiosks; k++) {
      const officeId = benchOfficeId(k % opts.offices);
      codes.push({ officeId, code: (await issueEnrolCode(store, { officeId })).code });
    }
    await store.close();

    // The instances start together (they migrate once), then HAProxy in front of them.
    instances.push(
      ...(await Promise.all(
        Array.from({ length: opts.instances }, () =>
          spawnReady(
            'central/main.node.ts',
            ['--port', '0', '--db', schema.url, '--trust-proxy', '127.0.0.1'],
            {},
            /central listening on (http:\/\/\S+)/,
            90_000,
          ),
        ),
      )),
    );
    haproxy = await startHaproxy(
      instances.map((i) => Number(new URL(i.url).port)),
      dir,
    );
    const lb = haproxy.url;
    log(
      `${opts.instances} instance(s) (${instances.map((i) => i.url).join(', ')}) behind HAProxy at ${lb}; enrolling ${opts.kiosks} kiosks`,
    );

    // Enrolment: each kiosk spends its code through the load balancer.
    const kiosks: SimKiosk[] = [];
    for (let i = 0; i < codes.length; i += 20) {
      const part = await Promise.all(
        codes.slice(i, i + 20).map(async ({ officeId, code }, j) => {
          const answer = await new CentralClient({ baseUrl: lb, credentials: () => null }).enrol({
            code,
            kioskName: `Kiosk ${i + j}`,
          });
          const creds = { ...answer, centralUrl: lb, enrolledAt: new Date().toISOString() };
          return {
            officeId,
            client: new CentralClient({ baseUrl: lb, credentials: () => creds, timeoutMs: 10_000 }),
            configEtag: null,
            catalogEtag: null,
            seq: 0,
            pending: [],
          } satisfies SimKiosk;
        }),
      );
      kiosks.push(...part);
    }

    const ticketLat: number[] = [];
    const ticketLatRetries: number[] = [];
    const otherLat: number[] = [];
    const byKind = new Map<string, number[]>();
    let answered = 0;
    let failedAttempts = 0;
    let killedAt: number | null = null;
    let ticketsAfterKill = 0;
    const failures = new Map<string, number>();
    let notModified = 0;
    let heartbeats = 0;
    const issued = new Map<string, { officeId: string; number: string }>();
    const unissued = new Set<string>();
    const sentItems = new Set<string>();
    const acked = new Set<string>();

    const timed = async <T>(into: number[], kind: string, fn: () => Promise<T>): Promise<T | undefined> => {
      const t0 = performance.now();
      try {
        const v = await fn();
        const ms = performance.now() - t0;
        into.push(ms);
        if (!byKind.has(kind)) byKind.set(kind, []);
        byKind.get(kind)!.push(ms);
        answered++;
        return v;
      } catch (err) {
        if (!(err instanceof CentralClientError)) throw err;
        failedAttempts++;
        const why = err.message.replace(/\/v1\/offices\/[^/]+/, '/v1/offices/…').slice(0, 120);
        failures.set(why, (failures.get(why) ?? 0) + 1);
        return undefined;
      }
    };

    let start = Date.now();
    let end = start + opts.durationS * 1000;
    const drainUntil = () => end + (opts.drainS ?? 60) * 1000;
    const inFlight = new Set<Promise<unknown>>();
    const track = (p: Promise<unknown>) => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };

    // A ticket: the kiosk retries the same ticket id until it holds a number (idempotent at central).
    const issueTicket = async (k: SimKiosk) => {
      const ticketId = uuidv4();
      const body = {
        ticketId,
        serviceId: 'tong-hop',
        priorityGroupId: null,
        source: 'kiosk',
        issuedAt: new Date().toISOString(),
      };
      unissued.add(ticketId);
      const t0 = performance.now();
      while (Date.now() < drainUntil()) {
        const r = await timed(ticketLat, 'ticket', () =>
          k.client.request('POST', '/v1/tickets', IssueTicketResponse, { body }),
        );
        if (r?.value) {
          ticketLatRetries.push(performance.now() - t0);
          unissued.delete(ticketId);
          issued.set(ticketId, { officeId: k.officeId, number: r.value.ticket.number });
          if (killedAt !== null && Date.now() > killedAt) ticketsAfterKill++;
          return;
        }
        await sleep(250);
      }
    };

    const heartbeat = (k: SimKiosk, uptimeS: number) =>
      timed(otherLat, 'heartbeat', () =>
        k.client.request('POST', '/v1/fleet/heartbeat', HeartbeatResponse, {
          body: {
            version: '0.1.0',
            kioskName: 'Kiosk',
            uptimeS,
            sentAt: new Date().toISOString(),
            printer: {
              state: 'ready',
              online: true,
              paperOut: false,
              paperNearEnd: false,
              coverOpen: false,
              error: false,
            },
            scanner: { kind: 'hid', state: 'ready', missing: false },
            outbox: { pending: k.pending.length, parked: 0 },
            lastSyncAt: null,
            configRevision: 0,
          },
        }),
      ).then((r) => void (r && heartbeats++));

    const pull = async (k: SimKiosk) => {
      const c = await timed(otherLat, 'config', () =>
        k.client.request('GET', `/v1/offices/${k.officeId}/config`, OfficeConfig, { etag: k.configEtag }),
      );
      if (c?.notModified) notModified++;
      else if (c) k.configEtag = c.etag;
      const cat = await timed(otherLat, 'catalog', () =>
        k.client.request('GET', '/v1/catalog', Catalog, { etag: k.catalogEtag }),
      );
      if (cat?.notModified) notModified++;
      else if (cat) k.catalogEtag = cat.etag;
    };

    // A batch: new ratings join the kiosk's pending entries; everything pending goes, as the outbox sends.
    const sendBatch = async (k: SimKiosk, newItems: number) => {
      for (let i = 0; i < newItems; i++) {
        const key = uuidv7();
        sentItems.add(key);
        k.pending.push({
          key,
          kind: RATING_KIND,
          createdAt: new Date().toISOString(),
          seq: ++k.seq,
          payload: {
            ratingId: uuidv4(),
            kioskId: 'bench',
            overall: 'satisfied',
            criteria: {},
            reasons: [],
            context: 'standalone',
            createdAt: new Date().toISOString(),
          },
        });
      }
      if (!k.pending.length) return;
      const items = k.pending.slice(0, 250);
      const r = await timed(otherLat, 'batch', () =>
        k.client.request('POST', '/v1/batch', BatchResponse, { body: { items } }),
      );
      if (!r?.value) return;
      for (const res of r.value.results) {
        if (res.status === 'accepted' || res.status === 'duplicate') {
          RatingResult.parse(res.result);
          acked.add(res.key);
          const at = k.pending.findIndex((p) => p.key === res.key);
          if (at >= 0) k.pending.splice(at, 1);
        }
      }
    };

    // Everyone pulls once at start (ETags), then the schedule runs; the run's figures start after.
    await Promise.all(kiosks.map((k) => pull(k)));
    answered = 0;
    failedAttempts = 0;
    failures.clear();
    otherLat.length = 0;
    byKind.clear();
    start = Date.now();
    end = start + opts.durationS * 1000;
    log(`load: ${opts.ticketsPerSecond} tickets/s for ${opts.durationS} s`);
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, fn: () => void) => timers.push(setInterval(fn, ms));
    let tick = 0;
    every(1000 / opts.ticketsPerSecond, () => {
      if (Date.now() >= end) return;
      track(issueTicket(kiosks[tick++ % kiosks.length]!));
    });
    // Heartbeats, pulls and batches spread evenly over their periods.
    const spread = (periodS: number, fn: (k: SimKiosk) => Promise<unknown>) => {
      let i = 0;
      const perTick = Math.max(1, Math.round(kiosks.length / (periodS * 10)));
      every(100, () => {
        if (Date.now() >= end) return;
        for (let n = 0; n < perTick; n++) track(fn(kiosks[i++ % kiosks.length]!));
      });
    };
    spread(heartbeatEveryS, (k) => heartbeat(k, Math.round((Date.now() - start) / 1000)));
    spread(pullEveryS, pull);
    spread(batchEveryS, (k) => sendBatch(k, 1 + Math.floor(Math.random() * 20)));
    if (opts.killAtS !== undefined && instances.length > 1)
      timers.push(
        setTimeout(() => {
          log(`killing instance ${instances.length} (SIGKILL) at ${opts.killAtS} s`);
          killedAt = Date.now();
          track(instances.at(-1)!.kill());
        }, opts.killAtS * 1000),
      );
    if (opts.disruptAtS !== undefined && opts.disrupt)
      timers.push(setTimeout(() => track(opts.disrupt!()), opts.disruptAtS * 1000));

    await sleep(end - Date.now());
    for (const t of timers) clearInterval(t);
    const runS = (Date.now() - start) / 1000;
    const answeredInRun = answered;
    log(`run over; draining (tickets waiting: ${unissued.size}, batch items pending: ${sentItems.size - acked.size})`);
    // Drain: kiosks keep sending what is pending until all is acknowledged.
    while (Date.now() < drainUntil()) {
      await Promise.all([...inFlight]);
      const left = kiosks.filter((k) => k.pending.length);
      if (!left.length && !unissued.size) break;
      await Promise.all(left.map((k) => sendBatch(k, 0)));
      if (left.length) await sleep(200);
    }
    await Promise.all([...inFlight]);

    // The invariants, read from the database itself.
    const check = await openCentralStore(schema.url);
    const dupNumbers = await check.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT office_id, day, number FROM tickets GROUP BY office_id, day, number HAVING COUNT(*) > 1) d`,
    );
    const rows = await check.all<{ id: string; office_id: string; number: string }>(
      "SELECT id, office_id, number FROM tickets WHERE office_id LIKE 'bench-%'",
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    let mismatched = 0;
    for (const [id, t] of issued) {
      const r = byId.get(id);
      if (!r || r.number !== t.number || r.office_id !== t.officeId) mismatched++;
    }
    // A ticket central holds that no kiosk asked for is a phantom.
    for (const r of rows) if (!issued.has(r.id) && !unissued.has(r.id)) mismatched++;
    const keys = await check.all<{ item_key: string; n: number }>(
      'SELECT item_key, COUNT(*) AS n FROM batch_items GROUP BY item_key',
    );
    const ratings = await check.get<{ n: number; d: number }>(
      "SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS d FROM ratings WHERE kiosk_id = 'bench'",
    );
    await check.close();
    for (const [i, p] of instances.entries())
      if (process.env.PROVINCE_DEBUG || (p.child.exitCode !== null && i < instances.length - 1))
        log(`instance ${i + 1} (exit ${p.child.exitCode ?? 'running'}):\n${p.output().slice(-2000)}`);
    const held = new Set(keys.map((k) => k.item_key));
    const lost = [...acked].filter((k) => !held.has(k)).length;
    const duplicated = keys.filter((k) => Number(k.n) > 1).length + (Number(ratings?.n ?? 0) - Number(ratings?.d ?? 0));

    return {
      instances: opts.instances,
      kiosks: opts.kiosks,
      durationS: runS,
      requestsPerS: answeredInRun / runS,
      ticketsIssued: issued.size,
      ticketsPerS: issued.size / runS,
      ticketsAfterKill,
      ticketLatency: percentiles(ticketLat),
      ticketLatencyWithRetries: percentiles(ticketLatRetries),
      otherLatency: percentiles(otherLat),
      latencyByKind: Object.fromEntries([...byKind].map(([k, v]) => [k, percentiles(v)])),
      failedAttempts,
      failures: [...failures]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([why, n]) => `${n} × ${why}`),
      notModified,
      heartbeats,
      duplicateTicketNumbers: Number(dupNumbers?.n ?? 0),
      ticketsMismatched: mismatched,
      ticketsNeverIssued: unissued.size,
      batchItemsSent: sentItems.size,
      batchItemsLost: lost,
      batchItemsDuplicated: duplicated,
      batchItemsUnacknowledged: sentItems.size - acked.size,
    };
  } catch (err) {
    for (const [i, p] of instances.entries())
      log(`instance ${i + 1} (exit ${p.child.exitCode ?? 'running'}):\n${p.output().slice(-3000)}`);
    throw err;
  } finally {
    await haproxy?.stop();
    await Promise.all(instances.map((i) => i.kill()));
    await schema.drop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

export const formatResult = (r: ProvinceResult): string =>
  [
    `${r.instances} instance(s), ${r.kiosks} kiosks, ${r.durationS.toFixed(0)} s: ${r.requestsPerS.toFixed(1)} requests/s answered, ${r.ticketsPerS.toFixed(1)} tickets/s (${r.ticketsIssued})`,
    `  ticket issue ms (per request): p50 ${r.ticketLatency.p50.toFixed(1)} p95 ${r.ticketLatency.p95.toFixed(1)} p99 ${r.ticketLatency.p99.toFixed(1)} max ${r.ticketLatency.max.toFixed(1)}`,
    `  ticket issue ms (with retries): p50 ${r.ticketLatencyWithRetries.p50.toFixed(1)} p99 ${r.ticketLatencyWithRetries.p99.toFixed(1)} max ${r.ticketLatencyWithRetries.max.toFixed(1)}`,
    `  other requests ms: p50 ${r.otherLatency.p50.toFixed(1)} p95 ${r.otherLatency.p95.toFixed(1)} p99 ${r.otherLatency.p99.toFixed(1)} (n ${r.otherLatency.n}; ${r.notModified} × 304, ${r.heartbeats} heartbeats)`,
    ...Object.entries(r.latencyByKind).map(
      ([k, p]) =>
        `    ${k}: n ${p.n}, p50 ${p.p50.toFixed(1)} p95 ${p.p95.toFixed(1)} p99 ${p.p99.toFixed(1)} max ${p.max.toFixed(1)}`,
    ),
    `  tickets issued after one instance was killed: ${r.ticketsAfterKill}`,
    `  failed attempts (retried) ${r.failedAttempts}; duplicate ticket numbers ${r.duplicateTicketNumbers}; tickets mismatched ${r.ticketsMismatched}, never issued ${r.ticketsNeverIssued}`,
    ...r.failures.map((f) => `  failed: ${f}`),
    `  batch items: sent ${r.batchItemsSent}, lost ${r.batchItemsLost}, duplicated ${r.batchItemsDuplicated}, unacknowledged ${r.batchItemsUnacknowledged}`,
  ].join('\n');

export interface PrivatePostgres {
  readonly url: string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of its own on a free loopback port (Debian's binaries), so a run can
 * restart it without touching the machine's shared server. As root it runs as `postgres`.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const { execFileSync } = await import('node:child_process');
  const { chownSync, readdirSync } = await import('node:fs');
  const versions = readdirSync('/usr/lib/postgresql').sort();
  const bin = (name: string) => `/usr/lib/postgresql/${versions.at(-1)}/bin/${name}`;
  const asRoot = process.getuid?.() === 0;
  // The server's user must reach its directory: as root, /var/tmp (the temp dir may be root's only).
  const dir = mkdtempSync(join(asRoot ? '/var/tmp' : tmpdir(), 'province-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : cmd, asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args, {
      stdio: 'pipe',
      cwd: dir,
    });
  const port = await freePort();
  const data = join(dir, 'data');
  run(bin('initdb'), ['-D', data, '-A', 'trust', '-U', 'kiosk', '--no-sync']);
  const ctl = (action: string) =>
    run(bin('pg_ctl'), [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-m',
      'fast',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=on`,
      action,
    ]);
  ctl('start');
  run(bin('createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'kiosk', 'province']);
  return {
    url: `postgres://kiosk@127.0.0.1:${port}/province`,
    async restart() {
      ctl('restart');
    },
    async stop() {
      try {
        ctl('stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
