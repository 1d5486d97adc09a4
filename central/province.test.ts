import { v4 as uuidv4 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatResult, runProvince, startHaproxy, startPrivatePostgres } from '../bench/province.node.ts';
import { openAllDay, openSse, startInstance } from '../test/support/province.ts';
import type { RunningProcess } from '../test/support/appliance.ts';
import { issueEnrolCode } from './admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from './demo/seed.node.ts';
import { createOfficer } from './officers.node.ts';
import { ENROL_MAX_FAILURES } from './routes/enrol.node.ts';
import { loadCentralMigrations } from './store/migrations.node.ts';
import { openCentralStore } from './store/store.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from './testing.node.ts';

/**
 * Issue 18: several central processes on one database. Nothing that matters lives in one
 * instance's memory: lockouts and rate limits count across instances, pushed updates reach
 * screens connected to another instance, and instances started together migrate once.
 */
const running: RunningProcess[] = [];
const dbs: TestDb[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill()));
  for (const db of dbs.splice(0)) await db.dispose();
});
const fresh = async (dialect: 'sqlite' | 'postgres') => {
  const db = await makeTestDb(dialect);
  dbs.push(db);
  return db;
};
const instance = async (db: string, args: string[] = []) => {
  const p = await startInstance(db, args);
  running.push(p);
  return p;
};
const post = async (url: string, body: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of several answers
  return { status: res.status, body: (await res.json()) as any };
};

describe.each(testDialects())('two central instances on one %s database', (dialect) => {
  it('count sign-in failures and wrong enrolment codes across instances', async () => {
    const db = await fresh(dialect);
    const store = await openCentralStore(db.url);
    await seedDemo(store);
    await createOfficer(store, {
      officeId: DEMO_OFFICE_ID,
      username: 'canbo.hai',
      displayName: 'Cán bộ hai',
      password: 'dung-mat-khau',
      roles: ['counter'],
    });
    const { code } = await issueEnrolCode(store, { officeId: DEMO_OFFICE_ID });
    await store.close();
    const [a, b] = await Promise.all([instance(db.url), instance(db.url)]);
    const at = (i: number) => (i % 2 ? b : a).url;

    // Five wrong passwords, alternating instances: the account is locked on both.
    for (let i = 0; i < 5; i++)
      expect(
        (await post(`${at(i)}/v1/officer/sign-in`, { username: 'canbo.hai', password: 'sai-mat-khau' })).status,
      ).toBe(401);
    for (const url of [a.url, b.url]) {
      const right = await post(`${url}/v1/officer/sign-in`, { username: 'canbo.hai', password: 'dung-mat-khau' });
      expect(right.status).toBe(429);
      expect(right.body.error.code).toBe('SIGN_IN_LOCKED');
    }

    // Wrong enrolment codes from one address, alternating instances: the limit is shared.
    for (let i = 0; i < ENROL_MAX_FAILURES; i++)
      expect((await post(`${at(i)}/v1/enrol`, { code: 'ZZZZ-ZZZZ', kioskName: 'Đoán mã' })).status).toBe(401);
    for (const url of [a.url, b.url]) {
      const res = await post(`${url}/v1/enrol`, { code, kioskName: 'Kiosk thật' });
      expect(res.status).toBe(429);
      expect(res.body.error.code).toBe('RATE_LIMITED');
    }
  }, 120_000);
});

describe.each(testDialects().filter((d) => d === 'postgres'))('central instances on %s', (dialect) => {
  it('started together, apply each migration once and all start', async () => {
    const db = await fresh(dialect);
    const all = await Promise.all([instance(db.url), instance(db.url), instance(db.url)]);
    expect(all).toHaveLength(3);
    const store = await openCentralStore(db.url);
    const rows = await store.all<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    await store.close();
    expect(rows.map((r) => r.id)).toEqual(loadCentralMigrations('postgres').map((m) => m.id));
  }, 120_000);

  it('a ticket issued and called on instance A reaches a display connected to instance B', async () => {
    const db = await fresh(dialect);
    const store = await openCentralStore(db.url);
    const { token } = await enrolTestDevice(store);
    await openAllDay(store, DEMO_OFFICE_ID);
    await store.close();
    const [a, b] = await Promise.all([instance(db.url), instance(db.url)]);

    const display = await openSse(`${b.url}/display/events?office=${DEMO_OFFICE_ID}`);
    try {
      await display.next((e) => e.event === 'hello');
      const auth = { authorization: `Bearer ${token}` };
      const issued = await post(
        `${a.url}/v1/tickets`,
        {
          ticketId: uuidv4(),
          serviceId: 'ho-tich',
          priorityGroupId: null,
          source: 'kiosk',
          issuedAt: new Date().toISOString(),
        },
        auth,
      );
      expect(issued.status).toBe(200);
      await display.next((e) => e.event === 'changed');

      const called = await post(`${a.url}/v1/tickets/call-next`, { counterId: 'q1' }, auth);
      expect(called.status).toBe(200);
      expect(called.body.ticket.number).toBe(issued.body.ticket.number);
      const event = await display.next((e) => e.event === 'call');
      const call = JSON.parse(event.data) as { call: { number: string; counter: string } };
      expect(call.call.number).toBe(issued.body.ticket.number);

      // B's display state, read after the event, shows the call made on A.
      const state = (await (await fetch(`${b.url}/display/state?office=${DEMO_OFFICE_ID}`)).json()) as {
        calls: Array<{ number: string }>;
      };
      expect(state.calls[0]?.number).toBe(issued.body.ticket.number);
    } finally {
      display.close();
    }
  }, 120_000);
});

describe.each(testDialects().filter((d) => d === 'postgres'))('HAProxy in front of central on %s', (dialect) => {
  it("does not pass central's keep-alive hint on to kiosks", async () => {
    const db = await fresh(dialect);
    const a = await instance(db.url);
    const dir = mkdtempSync(join(tmpdir(), 'haproxy-'));
    const lb = await startHaproxy([Number(new URL(a.url).port)], dir);
    try {
      // Central itself hints 72 s (its connection to HAProxy); HAProxy keeps idle kiosks 10 s.
      expect((await fetch(`${a.url}/health/live`)).headers.get('keep-alive')).toMatch(/timeout=\d+/);
      // Through HAProxy the hint is gone: kiosks (undici) keep idle connections their own 4 s,
      // shorter than HAProxy's 10 s, instead of 72 s, and never write to one HAProxy closed.
      const through = await fetch(`${lb.url}/health/live`);
      expect(through.status).toBe(200);
      expect(through.headers.get('keep-alive')).toBeNull();
    } finally {
      await lb.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe.each(testDialects().filter((d) => d === 'postgres'))('a province under load on %s', () => {
  it('50 kiosks through HAProxy to two instances, one killed mid-run: no duplicate numbers, nothing lost', async () => {
    const result = await runProvince({
      pgUrl: process.env.KIOSK_TEST_PG_URL!,
      instances: 2,
      kiosks: 50,
      offices: 10,
      ticketsPerSecond: 10,
      durationS: 15,
      heartbeatEveryS: 10,
      pullEveryS: 20,
      batchEveryS: 5,
      killAtS: 6,
      drainS: 30,
    });
    process.stdout.write(`${formatResult(result)}\n`);
    expect(result.ticketsIssued).toBeGreaterThan(50);
    // The survivor carried the kiosks on after the kill.
    expect(result.ticketsAfterKill).toBeGreaterThan(20);
    expect(result.duplicateTicketNumbers).toBe(0);
    expect(result.ticketsMismatched).toBe(0);
    expect(result.phantomTickets).toBe(0);
    expect(result.deskFailures).toBe(0);
    expect(result.ticketsOfflineMerged).toBe(result.ticketsOffline);
    expect(result.batchItemsSent).toBeGreaterThan(100);
    expect(result.batchItemsLost).toBe(0);
    expect(result.batchItemsDuplicated).toBe(0);
    expect(result.batchItemsUnacknowledged).toBe(0);
    expect(result.notModified).toBeGreaterThan(0);
    expect(result.heartbeats).toBeGreaterThan(0);
  }, 150_000);
});

// A cluster of its own (restarting the shared one would disturb every other test): with PostgreSQL configured.
describe.each(testDialects().filter((d) => d === 'postgres'))('a central instance on %s', () => {
  it('stays up, answers not-ready and 503 while the database is away, and serves again after', async () => {
    const server = await startPrivatePostgres();
    try {
      const store = await openCentralStore(server.url);
      const { token } = await enrolTestDevice(store);
      await openAllDay(store, DEMO_OFFICE_ID);
      await store.close();
      const a = await instance(server.url);
      const auth = { authorization: `Bearer ${token}` };
      const ticket = () =>
        post(
          `${a.url}/v1/tickets`,
          {
            ticketId: uuidv4(),
            serviceId: 'ho-tich',
            priorityGroupId: null,
            source: 'kiosk',
            issuedAt: new Date().toISOString(),
          },
          auth,
        );
      expect((await ticket()).status).toBe(200);
      // Connections in the pool and the LISTEN connection all die with the restart (57P01),
      // some of them checked out for a ticket's transaction: kiosks keep issuing meanwhile.
      let restarting = true;
      const kiosks = Array.from({ length: 6 }, async () => {
        while (restarting) await ticket().catch(() => undefined);
      });
      await new Promise((r) => setTimeout(r, 300));
      await server.restart();
      await new Promise((r) => setTimeout(r, 500));
      restarting = false;
      await Promise.all(kiosks);
      expect(a.child.exitCode).toBeNull();
      const until = Date.now() + 20_000;
      let ready = 0;
      while (Date.now() < until && ready !== 200) {
        ready = (await fetch(`${a.url}/health/ready`)).status;
        if (ready !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready).toBe(200);
      expect((await ticket()).status).toBe(200);
      expect((await fetch(`${a.url}/health/live`)).status).toBe(200);

      // While the database is down, a ticket is answered 503 with Retry-After (the kiosk numbers
      // it offline and its outbox retries), not 500; live stays 200, ready 503.
      await server.down();
      const down = await ticket();
      expect(down.status).toBe(503);
      expect(down.body.error.code).toBe('UNAVAILABLE');
      expect(down.body.error.message).toMatch(/Cơ sở dữ liệu trung tâm/);
      expect((await fetch(`${a.url}/health/live`)).status).toBe(200);
      expect((await fetch(`${a.url}/health/ready`)).status).toBe(503);
      await server.up();
      const back = Date.now() + 20_000;
      let status = 0;
      while (Date.now() < back && status !== 200) {
        status = (await ticket()).status;
        if (status !== 200) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(200);
    } finally {
      await Promise.all(running.splice(0).map((p) => p.kill()));
      await server.stop();
    }
  }, 120_000);
});
