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
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { v4 as uuidv4 } from 'uuid';
import { issueEnrolCode, upsertOffice } from '../central/admin.node.ts';
import { seedCatalog } from '../central/demo/catalog-seed.node.ts';
import { DEMO_OFFICES, seedDemo } from '../central/demo/seed.node.ts';
import { openCentralStore } from '../central/store/store.node.ts';
import { systemClock } from '../kiosk/core/clock.ts';
import { openDatabase, type Db } from '../kiosk/store/db.node.ts';
import { CentralClient, CentralClientError } from '../kiosk/sync/central-client.node.ts';
import { SyncEngine } from '../kiosk/sync/engine.node.ts';
import { enqueue, Outbox } from '../kiosk/sync/outbox.node.ts';
import { CentralCache } from '../kiosk/sync/pull.node.ts';
import { TicketDesk, type TicketDeskDeps } from '../kiosk/tickets/desk.node.ts';
import { Catalog } from '../protocol/catalog.ts';
import { HeartbeatResponse } from '../protocol/fleet.ts';
import { OfficeConfig } from '../protocol/office.ts';
import { RATING_KIND } from '../protocol/ratings.ts';
import { TICKET_ISSUED_KIND, type OfflineTicketPayload } from '../protocol/tickets.ts';
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
  /** At the kiosk: from the citizen's tap until the desk held a number (central's or, after 2 s or an error, its own). */
  ticketLatencyAtKiosk: Percentiles;
  otherLatency: Percentiles;
  /** Per request kind (ticket, heartbeat, config, catalog, batch). */
  latencyByKind: Record<string, Percentiles>;
  failedAttempts: number;
  /** The load generator itself during the run: its CPU (s per s of run) and event-loop delay p99 (ms). */
  generatorCpu: number;
  generatorLoopDelayP99Ms: number;
  /** The commonest reasons of failed attempts. */
  failures: string[];
  notModified: number;
  heartbeats: number;
  duplicateTicketNumbers: number;
  /** Tickets a kiosk holds a number for that central has not, or that central numbered differently. */
  ticketsMismatched: number;
  /** Tickets in a queue at central that no kiosk printed. */
  phantomTickets: number;
  /** Issues the kiosk's desk could not answer with any number. */
  deskFailures: number;
  /** Numbered by a kiosk's offline series (central down or too slow), and of them merged at central once. */
  ticketsOffline: number;
  ticketsOfflineMerged: number;
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
  # Central's "Keep-Alive: timeout=72" is about its own connection to HAProxy; passed on, it made
  # kiosks keep idle connections longer than HAProxy does and send on closed ones (UND_ERR_SOCKET).
  http-response del-header keep-alive
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

/**
 * One simulated kiosk: the kiosk's own parts on an in-memory kiosk database — its ticket desk
 * (online numbering with a hold, else its offline series), its outbox and sync engine (ticket
 * confirmations, offline tickets and ratings go to central as the kiosk sends them) — with a
 * printer that always prints (no hardware here).
 */
interface SimKiosk {
  readonly officeId: string;
  readonly client: CentralClient;
  readonly db: Db;
  readonly outbox: Outbox;
  readonly engine: SyncEngine;
  readonly desk: TicketDesk;
  configEtag: string | null;
  catalogEtag: string | null;
}

const silent = pino({ level: 'silent' });
type Printer = TicketDeskDeps['printer'];
const printer: Printer = {
  print: async () => ({ ok: true }) as unknown as Awaited<ReturnType<Printer['print']>>,
  preview: async () => '',
  status: async () => ({}) as Awaited<ReturnType<Printer['status']>>,
};

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
            [
              '--port',
              '0',
              '--db',
              schema.url,
              '--trust-proxy',
              '127.0.0.1',
              '--attachments-dir',
              join(dir, 'attachments'),
            ],
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

    // Every request any kiosk part makes (desk, sync engine, cache, heartbeats) is measured.
    const ticketLat: number[] = [];
    const otherLat: number[] = [];
    const byKind = new Map<string, number[]>();
    let answered = 0;
    let failedAttempts = 0;
    const failures = new Map<string, number>();
    const kindOf = (method: string, path: string) =>
      path === '/v1/tickets' && method === 'POST'
        ? 'ticket'
        : path.startsWith('/v1/offices/')
          ? 'config'
          : ((
              { '/v1/batch': 'batch', '/v1/fleet/heartbeat': 'heartbeat', '/v1/catalog': 'catalog' } as Record<
                string,
                string
              >
            )[path] ?? path);
    const measured = (client: CentralClient): CentralClient => {
      const request = client.request.bind(client);
      client.request = (async (...args: Parameters<CentralClient['request']>) => {
        const t0 = performance.now();
        try {
          const res = await request(...args);
          const ms = performance.now() - t0;
          const kind = kindOf(args[0], args[1]);
          (kind === 'ticket' ? ticketLat : otherLat).push(ms);
          if (!byKind.has(kind)) byKind.set(kind, []);
          byKind.get(kind)!.push(ms);
          answered++;
          return res;
        } catch (err) {
          if (err instanceof CentralClientError) {
            failedAttempts++;
            const why = err.message.replace(/\/v1\/offices\/[^/]+/, '/v1/offices/…').slice(0, 120);
            failures.set(why, (failures.get(why) ?? 0) + 1);
          }
          throw err;
        }
      }) as CentralClient['request'];
      return client;
    };

    // Enrolment: each kiosk spends its code through the load balancer, reads its office's
    // configuration into its cache and asks for its offline series, as a kiosk does at start.
    const kiosks: SimKiosk[] = [];
    for (let i = 0; i < codes.length; i += 20) {
      const part = await Promise.all(
        codes.slice(i, i + 20).map(async ({ officeId, code }, j): Promise<SimKiosk> => {
          const answer = await new CentralClient({ baseUrl: lb, credentials: () => null }).enrol({
            code,
            kioskName: `Kiosk ${i + j}`,
          });
          const creds = { ...answer, centralUrl: lb, enrolledAt: new Date().toISOString() };
          const client = measured(new CentralClient({ baseUrl: lb, credentials: () => creds, timeoutMs: 10_000 }));
          const db = openDatabase(':memory:');
          const outbox = new Outbox(db);
          const engine = new SyncEngine({ outbox, client, log: silent });
          const cache = new CentralCache(db, client, systemClock, () => officeId, silent);
          await cache.officeConfig();
          const desk = new TicketDesk({
            db,
            clock: systemClock,
            log: silent,
            printer,
            central: client,
            cache,
            engineOnline: () => engine.state().online,
            officeId: () => officeId,
          });
          // As kiosk/services/tickets.node.ts wires it.
          outbox.registerHandler(TICKET_ISSUED_KIND, {
            onAccepted: (_db, entry) => desk.markSynced((entry.payload as OfflineTicketPayload).ticketId, new Date()),
          });
          if ((await desk.refreshSeries()) === null) throw new Error(`kiosk ${i + j} got no offline series`);
          engine.start();
          return { officeId, client, db, outbox, engine, desk, configEtag: null, catalogEtag: null };
        }),
      );
      kiosks.push(...part);
    }

    const ticketLatDesk: number[] = [];
    let killedAt: number | null = null;
    let ticketsAfterKill = 0;
    let notModified = 0;
    let heartbeats = 0;
    const issued = new Map<string, { officeId: string; number: string; origin: string }>();
    let deskFailures = 0;
    let offlineIssued = 0;

    // Requests the simulation makes itself: a failure was counted (measured); the kiosk goes on.
    const attempt = <T>(p: Promise<T>): Promise<T | undefined> =>
      p.catch((err: unknown) => {
        if (err instanceof CentralClientError) return undefined;
        throw err;
      });

    let start = Date.now();
    let end = start + opts.durationS * 1000;
    const drainUntil = () => end + (opts.drainS ?? 60) * 1000;
    const inFlight = new Set<Promise<unknown>>();
    const track = (p: Promise<unknown>) => {
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    };

    // A ticket through the kiosk's own desk: central numbers it within 2 s, else the kiosk's
    // offline series does (the citizen always leaves with a number); the outbox sends the rest.
    const issueTicket = async (k: SimKiosk) => {
      const t0 = performance.now();
      try {
        const { ticket } = await k.desk.issue({ serviceId: 'tong-hop', priorityGroupId: null, source: 'kiosk' });
        ticketLatDesk.push(performance.now() - t0);
        const origin = k.db.prepare('SELECT origin FROM tickets WHERE id = ?').pluck().get(ticket.ticketId) as string;
        issued.set(ticket.ticketId, { officeId: k.officeId, number: ticket.number, origin });
        if (origin === 'offline') offlineIssued++;
        if (killedAt !== null && Date.now() > killedAt) ticketsAfterKill++;
      } catch (err) {
        deskFailures++;
        const why = `desk: ${(err as Error).message.slice(0, 100)}`;
        failures.set(why, (failures.get(why) ?? 0) + 1);
      }
    };

    const heartbeat = (k: SimKiosk, uptimeS: number) =>
      attempt(
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
            outbox: { pending: k.outbox.counts().pending, parked: k.outbox.counts().parked },
            lastSyncAt: null,
            configRevision: 0,
          },
        }),
      ).then((r) => void (r && heartbeats++));

    const pull = async (k: SimKiosk) => {
      const c = await attempt(
        k.client.request('GET', `/v1/offices/${k.officeId}/config`, OfficeConfig, { etag: k.configEtag }),
      );
      if (c?.notModified) notModified++;
      else if (c) k.configEtag = c.etag;
      const cat = await attempt(k.client.request('GET', '/v1/catalog', Catalog, { etag: k.catalogEtag }));
      if (cat?.notModified) notModified++;
      else if (cat) k.catalogEtag = cat.etag;
    };

    // Ratings go into the kiosk's outbox (one transaction, as the rating screen stores them);
    // its sync engine sends them with everything else pending.
    const rate = async (k: SimKiosk, newItems: number) => {
      k.db.transaction(() => {
        for (let i = 0; i < newItems; i++)
          enqueue(k.db, RATING_KIND, {
            ratingId: uuidv4(),
            kioskId: 'bench',
            overall: 'satisfied',
            criteria: {},
            reasons: [],
            context: 'standalone',
            createdAt: new Date().toISOString(),
          });
      })();
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
    const cpu0 = process.cpuUsage();
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    log(`load: ${opts.ticketsPerSecond} tickets/s for ${opts.durationS} s`);
    const timers: NodeJS.Timeout[] = [];
    const every = (ms: number, fn: () => void) => timers.push(setInterval(fn, ms));
    let tick = 0;
    // Due by now at the offered rate: timers that fire late (a busy generator) catch up.
    every(1000 / opts.ticketsPerSecond, () => {
      const due = Math.floor(((Math.min(Date.now(), end) - start) / 1000) * opts.ticketsPerSecond);
      while (tick < due) track(issueTicket(kiosks[tick++ % kiosks.length]!));
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
    spread(batchEveryS, (k) => rate(k, 1 + Math.floor(Math.random() * 20)));
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
    const cpu = process.cpuUsage(cpu0);
    loopDelay.disable();
    const outstanding = () =>
      kiosks.reduce((n, k) => {
        const c = k.outbox.counts();
        return n + c.pending + c.inflight + c.parked;
      }, 0);
    await Promise.all([...inFlight]);
    log(`run over; draining (outbox entries not yet acknowledged: ${outstanding()})`);
    // Drain: each kiosk's sync engine keeps sending until central acknowledged everything.
    while (Date.now() < drainUntil() && outstanding() > 0) {
      for (const k of kiosks) k.engine.kick();
      await sleep(500);
    }
    await Promise.all(kiosks.map((k) => k.engine.stop()));

    // The invariants, read from the database itself.
    const check = await openCentralStore(schema.url);
    const dupNumbers = await check.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM (SELECT office_id, day, number FROM tickets GROUP BY office_id, day, number HAVING COUNT(*) > 1) d`,
    );
    const rows = await check.all<{ id: string; office_id: string; number: string; origin: string; status: string }>(
      "SELECT id, office_id, number, origin, status FROM tickets WHERE office_id LIKE 'bench-%'",
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    let mismatched = 0;
    let offlineMerged = 0;
    for (const [id, t] of issued) {
      const r = byId.get(id);
      // The number on the citizen's paper, at central once: offline ones merged as offline.
      if (
        !r ||
        r.number !== t.number ||
        r.office_id !== t.officeId ||
        (t.origin === 'offline') !== (r.origin === 'offline')
      )
        mismatched++;
      else if (t.origin === 'offline') offlineMerged++;
    }
    // A ticket central holds that no kiosk printed is a phantom (one held and never confirmed is
    // no phantom: it never enters a queue; a desk failure is counted apart).
    const phantoms = rows.filter((r) => !issued.has(r.id) && r.status !== 'held').length;
    // Every outbox entry of every kiosk (confirmations, offline tickets, ratings), acknowledged or not.
    const entries = kiosks.flatMap((k) =>
      (k.db.prepare('SELECT key, status FROM outbox').all() as Array<{ key: string; status: string }>).map((e) => e),
    );
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
    const lost = entries.filter((e) => e.status === 'done' && !held.has(e.key)).length;
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
      ticketLatencyAtKiosk: percentiles(ticketLatDesk),
      otherLatency: percentiles(otherLat),
      latencyByKind: Object.fromEntries([...byKind].map(([k, v]) => [k, percentiles(v)])),
      failedAttempts,
      generatorCpu: (cpu.user + cpu.system) / 1e6 / runS,
      generatorLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
      failures: [...failures]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([why, n]) => `${n} × ${why}`),
      notModified,
      heartbeats,
      duplicateTicketNumbers: Number(dupNumbers?.n ?? 0),
      ticketsMismatched: mismatched,
      phantomTickets: phantoms,
      deskFailures,
      ticketsOffline: offlineIssued,
      ticketsOfflineMerged: offlineMerged,
      batchItemsSent: entries.length,
      batchItemsLost: lost,
      batchItemsDuplicated: duplicated,
      batchItemsUnacknowledged: entries.filter((e) => e.status !== 'done').length,
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
    `${r.instances} instance(s), ${r.kiosks} kiosks, ${r.durationS.toFixed(0)} s: ${r.requestsPerS.toFixed(1)} requests/s answered, ${r.ticketsPerS.toFixed(1)} tickets/s (${r.ticketsIssued}, ${r.ticketsOffline} numbered offline)`,
    `  ticket issue ms (POST /v1/tickets answered): p50 ${r.ticketLatency.p50.toFixed(1)} p95 ${r.ticketLatency.p95.toFixed(1)} p99 ${r.ticketLatency.p99.toFixed(1)} max ${r.ticketLatency.max.toFixed(1)} (n ${r.ticketLatency.n})`,
    `  ticket at the kiosk ms (online or offline): p50 ${r.ticketLatencyAtKiosk.p50.toFixed(1)} p99 ${r.ticketLatencyAtKiosk.p99.toFixed(1)} max ${r.ticketLatencyAtKiosk.max.toFixed(1)}`,
    `  other requests ms: p50 ${r.otherLatency.p50.toFixed(1)} p95 ${r.otherLatency.p95.toFixed(1)} p99 ${r.otherLatency.p99.toFixed(1)} (n ${r.otherLatency.n}; ${r.notModified} × 304, ${r.heartbeats} heartbeats)`,
    ...Object.entries(r.latencyByKind).map(
      ([k, p]) =>
        `    ${k}: n ${p.n}, p50 ${p.p50.toFixed(1)} p95 ${p.p95.toFixed(1)} p99 ${p.p99.toFixed(1)} max ${p.max.toFixed(1)}`,
    ),
    `  load generator (one process): ${(r.generatorCpu * 100).toFixed(0)} % of a core, event-loop delay p99 ${r.generatorLoopDelayP99Ms.toFixed(0)} ms`,
    `  tickets issued after one instance was killed: ${r.ticketsAfterKill}`,
    `  failed requests ${r.failedAttempts}; desk failures ${r.deskFailures}; duplicate ticket numbers ${r.duplicateTicketNumbers}; tickets mismatched ${r.ticketsMismatched}; phantoms ${r.phantomTickets}; offline tickets merged once ${r.ticketsOfflineMerged}/${r.ticketsOffline}`,
    ...r.failures.map((f) => `  failed: ${f}`),
    `  outbox items: sent ${r.batchItemsSent}, lost ${r.batchItemsLost}, duplicated ${r.batchItemsDuplicated}, unacknowledged ${r.batchItemsUnacknowledged}`,
  ].join('\n');

export interface PrivatePostgres {
  readonly url: string;
  restart(): Promise<void>;
  /** Stops the server, keeping its data (`up` starts it again). */
  down(): Promise<void>;
  up(): Promise<void>;
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
    async down() {
      ctl('stop');
    },
    async up() {
      ctl('start');
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
