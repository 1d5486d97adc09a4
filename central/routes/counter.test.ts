import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CounterState, DisplayStateResponse, OfficerMe } from '../../protocol/counter.ts';
import { QueueStatusResponse } from '../../protocol/tickets.ts';
import { createOfficer, LOCKOUT_MS, MAX_SIGN_IN_FAILURES } from '../officers.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, OfficerClient, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (hhmm: string) => new Date(Date.parse(`2026-11-30T${hhmm}:00.000+07:00`));

describe.each(testDialects())('officers and the counter application on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  let now = local('09:00');

  const issue = async (serviceId: string, priorityGroupId: string | null = null) => {
    const res = await fetch(`${central.url}/v1/tickets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        ticketId: uuidv4(),
        serviceId,
        priorityGroupId,
        source: 'kiosk',
        issuedAt: now.toISOString(),
      }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { ticket: { number: string } }).ticket.number;
  };
  const officer = async (
    username: string,
    officeId = 'ca-mau-an-xuyen',
    roles: Array<'counter' | 'manager' | 'admin'> = ['counter'],
  ) => {
    await createOfficer(
      central.store,
      { officeId, username, displayName: username, password: 'dung-mat-khau', roles },
      now,
    );
    const c = new OfficerClient(central.url);
    expect((await c.signIn(username, 'dung-mat-khau')).status).toBe(200);
    return c;
  };

  beforeEach(async () => {
    now = local('09:00');
    db = await makeTestDb(dialect);
    central = await startCentral({
      db: db.url,
      now: () => now,
      officerIdleMs: 10 * 60_000,
      webDir: '/nonexistent-web-dir',
    });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('signs an officer in with an HTTP-only SameSite cookie, serves a counter through call, recall, transfer, no-show and served, and audits each', async () => {
    for (const [s, p] of [
      ['ho-tich', null],
      ['ho-tich', 'cao-tuoi'],
      ['chung-thuc', null],
    ] as const) {
      now = new Date(now.getTime() + 60_000);
      await issue(s, p);
    }
    const c = new OfficerClient(central.url);
    await createOfficer(
      central.store,
      {
        officeId: 'ca-mau-an-xuyen',
        username: 'canbo.test',
        displayName: 'Cán bộ',
        password: 'dung-mat-khau',
        roles: ['counter'],
      },
      now,
    );
    const signed = await c.signIn('canbo.test', 'dung-mat-khau');
    expect(signed.status).toBe(200);
    expect(signed.setCookie).toMatch(/HttpOnly/i);
    expect(signed.setCookie).toMatch(/SameSite=Strict/i);
    const me = OfficerMe.parse((await c.req('GET', '/v1/officer/me')).body);
    expect(me.remembered).toBeNull();
    expect(me.counters.map((x) => x.id)).toContain('q1');

    let st = CounterState.parse(
      (await c.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['ho-tich', 'chung-thuc'] })).body,
    );
    expect(st.waiting.find((w) => w.serviceId === 'ho-tich')!.tickets.map((t) => t.number)).toEqual(['A002', 'A001']);
    expect(OfficerMe.parse((await c.req('GET', '/v1/officer/me')).body).remembered).toEqual({
      counterId: 'q1',
      serviceIds: ['ho-tich', 'chung-thuc'],
    });

    now = local('09:10');
    st = CounterState.parse((await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body);
    expect(st.current).toMatchObject({
      number: 'A002',
      priorityGroupId: 'cao-tuoi',
      origin: 'central',
      dossierCode: null,
    });
    st = CounterState.parse((await c.req('POST', '/v1/counter/recall', { counterId: 'q1' })).body);
    expect(st.current?.number).toBe('A002');
    // Transfer to another service keeps its place (issued-at unchanged): A002 (09:02) is ahead of B001 (09:03).
    st = CounterState.parse(
      (await c.req('POST', '/v1/counter/transfer', { counterId: 'q1', toServiceId: 'chung-thuc' })).body,
    );
    expect(st.current).toBeNull();
    expect(st.waiting.find((w) => w.serviceId === 'chung-thuc')!.tickets.map((t) => t.number)).toEqual([
      'A002',
      'B001',
    ]);
    now = local('09:12');
    st = CounterState.parse((await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body);
    expect(st.current?.number).toBe('A002');
    st = CounterState.parse((await c.req('POST', '/v1/counter/no-show', { counterId: 'q1' })).body);
    expect(st.current).toBeNull();
    st = CounterState.parse((await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body);
    expect(st.current?.number).toBe('A001');
    now = local('09:20');
    st = CounterState.parse((await c.req('POST', '/v1/counter/served', { counterId: 'q1' })).body);
    expect(st.current).toBeNull();
    const statuses = await central.store.all<{ number: string; status: string }>(
      'SELECT number, status FROM tickets ORDER BY number',
    );
    expect(statuses).toEqual([
      { number: 'A001', status: 'served' },
      { number: 'A002', status: 'skipped' },
      { number: 'B001', status: 'waiting' },
    ]);
    // The ticket row carries its call facts (migration 066's trigger, in the call's transaction)
    // and whole-second durations (067): A002 called 09:10, recalled, transferred, called 09:12;
    // A001 waited 09:01 → 09:12 and was served 09:12 → 09:20.
    const facts = await central.store.all<Record<string, unknown>>(
      `SELECT t.number, t.first_called_at, t.call_count, o.username, t.wait_s, t.service_s
         FROM tickets t LEFT JOIN officers o ON o.id = t.last_officer_id ORDER BY t.number`,
    );
    expect(
      facts.map((f) => ({
        ...f,
        call_count: Number(f.call_count),
        wait_s: f.wait_s === null ? null : Number(f.wait_s),
        service_s: f.service_s === null ? null : Number(f.service_s),
      })),
    ).toEqual([
      {
        number: 'A001',
        first_called_at: local('09:12').toISOString(),
        call_count: 1,
        username: 'canbo.test',
        wait_s: 660,
        service_s: 480,
      },
      {
        number: 'A002',
        first_called_at: local('09:10').toISOString(),
        call_count: 2,
        username: 'canbo.test',
        wait_s: 480,
        service_s: null,
      },
      { number: 'B001', first_called_at: null, call_count: 0, username: null, wait_s: null, service_s: null },
    ]);

    // The display lists each call and recall, newest first, each with its announcement.
    const display = DisplayStateResponse.parse(
      await (await fetch(`${central.url}/display/state?office=ca-mau-an-xuyen`)).json(),
    );
    expect(display.calls.map((x) => `${x.kind} ${x.number}`)).toEqual([
      'call A001',
      'call A002',
      'recall A002',
      'call A002',
    ]);
    const actions = await central.store.all<{ action: string; username: string }>(
      "SELECT action, username FROM officer_audit WHERE username = 'canbo.test' ORDER BY at, id",
    );
    expect(actions.map((a) => a.action)).toEqual([
      'officer.created',
      'sign-in',
      'counter.open',
      'call-next',
      'recall',
      'transfer',
      'call-next',
      'no-show',
      'call-next',
      'served',
    ]);
  });

  it('pushes to displays and counter screens: an offline ticket merged through /v1/batch, then a call carrying its number', async () => {
    const res = await fetch(`${central.url}/display/events?office=ca-mau-an-xuyen`);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const until = async (re: RegExp) => {
      while (!re.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await until(/event: hello/);
    const ticketId = uuidv4();
    const merged = await fetch(`${central.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        items: [
          {
            key: uuidv4(),
            kind: 'ticket.issued',
            payload: {
              ticketId,
              serviceId: 'ho-tich',
              priorityGroupId: null,
              source: 'kiosk',
              issuedAt: now.toISOString(),
              day: '2026-11-30',
              number: 'A1-001',
              slot: 1,
              seq: 1,
            },
            createdAt: now.toISOString(),
            seq: 1,
          },
        ],
      }),
    });
    expect(merged.status).toBe(200);
    await until(/event: changed/);
    const c = await officer('canbo.live');
    await c.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['ho-tich'] });
    await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' });
    await until(/event: call\ndata: .*"number":"A1-001"/);
    expect(text).toMatch(/"counter":"Quầy 1"/);
    await reader.cancel();
  });

  it('pauses a counter (Tạm nghỉ): its ticket is finished and it calls nobody until it resumes', async () => {
    await issue('ho-tich');
    now = local('09:01');
    await issue('ho-tich');
    const c = await officer('canbo.pause');
    await c.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['ho-tich'] });
    expect((await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body.current.number).toBe('A001');
    now = local('09:05');
    const paused = CounterState.parse(
      (await c.req('POST', '/v1/counter/pause', { counterId: 'q1', paused: true })).body,
    );
    expect(paused).toMatchObject({ paused: true, current: null });
    const refused = await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' });
    expect(refused.status).toBe(409);
    expect(
      (await central.store.get<{ status: string }>("SELECT status FROM tickets WHERE number = 'A002'"))!.status,
    ).toBe('waiting');
    expect(
      (await central.store.get<{ status: string }>("SELECT status FROM tickets WHERE number = 'A001'"))!.status,
    ).toBe('served');
    // A paused counter is not counted as serving: the citizen's wait is not promised from it.
    const servingCounters = async () =>
      QueueStatusResponse.parse(
        await (
          await fetch(`${central.url}/v1/tickets/status`, { headers: { authorization: `Bearer ${token}` } })
        ).json(),
      ).services.find((s) => s.serviceId === 'ho-tich')!.servingCounters;
    expect(await servingCounters()).toBe(0);
    await c.req('POST', '/v1/counter/pause', { counterId: 'q1', paused: false });
    expect(await servingCounters()).toBe(1);
    expect((await c.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body.current.number).toBe('A002');
  });

  it('transfers to another counter: only that counter calls it, ahead of its own queue', async () => {
    await issue('chung-thuc');
    now = local('09:01');
    await issue('chung-thuc');
    const a = await officer('canbo.a');
    const b = await officer('canbo.b');
    await a.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['chung-thuc'] });
    await b.req('POST', '/v1/counter/open', { counterId: 'q3', serviceIds: ['dat-dai'] });
    expect((await a.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body.current.number).toBe('B001');
    await a.req('POST', '/v1/counter/transfer', { counterId: 'q1', toCounterId: 'q3' });
    expect((await a.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body.current.number).toBe('B002');
    expect((await b.req('POST', '/v1/counter/call-next', { counterId: 'q3' })).body.current.number).toBe('B001');
  });

  it('locks an account after five failures even when twenty guesses arrive at once, and opens it after the lockout', async () => {
    await createOfficer(
      central.store,
      {
        officeId: 'ca-mau-an-xuyen',
        username: 'canbo.lock',
        displayName: 'x',
        password: 'dung-mat-khau',
        roles: ['counter'],
      },
      now,
    );
    const guesses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => new OfficerClient(central.url).signIn('canbo.lock', `sai-${i}`)),
    );
    const codes = guesses.map((g) => g.status);
    // At most MAX passwords were ever checked; every other guess was refused before its check.
    expect(codes.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_SIGN_IN_FAILURES);
    expect(codes.filter((s) => s === 429).length).toBeGreaterThanOrEqual(20 - MAX_SIGN_IN_FAILURES);
    const failed = await central.store.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM officer_audit WHERE username = 'canbo.lock' AND action = 'sign-in.failed'",
    );
    expect(Number(failed!.n)).toBeLessThanOrEqual(MAX_SIGN_IN_FAILURES);
    // The right password does not open a locked account…
    const right = await new OfficerClient(central.url).signIn('canbo.lock', 'dung-mat-khau');
    expect(right.status).toBe(429);
    expect((right.body as { error: { code: string } }).error.code).toBe('SIGN_IN_LOCKED');
    // … until the lockout has passed.
    now = new Date(now.getTime() + LOCKOUT_MS + 1000);
    expect((await new OfficerClient(central.url).signIn('canbo.lock', 'dung-mat-khau')).status).toBe(200);
  });

  it('refuses a state-changing request without the CSRF token, or with another session’s', async () => {
    await issue('ho-tich');
    const a = await officer('canbo.csrf');
    const b = await officer('canbo.other');
    await a.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['ho-tich'] });
    const none = await a.req('POST', '/v1/counter/call-next', { counterId: 'q1' }, { csrf: null });
    expect(none.status).toBe(403);
    expect(none.body.error.code).toBe('CSRF_REJECTED');
    expect((await a.req('POST', '/v1/counter/call-next', { counterId: 'q1' }, { csrf: b.csrf })).status).toBe(403);
    const st = await central.store.get<{ status: string }>('SELECT status FROM tickets');
    expect(st!.status).toBe('waiting');
    expect((await a.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).status).toBe(200);
  });

  it('keeps an officer of one office out of another office, and a device token or no session out of officer routes', async () => {
    await issue('ho-tich');
    const other = await officer('canbo.damdoi', 'ca-mau-dam-doi');
    // q4 exists only at An Xuyên; q1 exists at both: Đầm Dơi's q1 never sees An Xuyên's tickets.
    expect((await other.req('POST', '/v1/counter/open', { counterId: 'q4', serviceIds: ['ho-tich'] })).status).toBe(
      404,
    );
    const st = await other.req('GET', '/v1/counter/state?counterId=q1');
    expect(st.status).toBe(200);
    expect(JSON.stringify(st.body)).not.toContain('A001');
    expect((await other.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).body.current).toBeNull();
    expect((await other.req('GET', '/v1/counter/state?counterId=q1&office=ca-mau-an-xuyen')).status).toBe(403);
    const ticket = await central.store.get<{ status: string }>('SELECT status FROM tickets');
    expect(ticket!.status).toBe('waiting');
    const anon = await fetch(`${central.url}/v1/counter/state?counterId=q1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(anon.status).toBe(401);
    // A manager-only account cannot call.
    const manager = await officer('truong.phong', 'ca-mau-an-xuyen', ['manager']);
    expect((await manager.req('POST', '/v1/counter/call-next', { counterId: 'q1' })).status).toBe(403);
  });

  it('signs out an idle session, and audits it; reads a screen makes by itself do not keep it open', async () => {
    const c = await officer('canbo.idle');
    const background = async () =>
      (
        await fetch(`${central.url}/v1/counter/state?counterId=q1`, {
          headers: { cookie: c.cookie, 'x-officer-activity': 'background' },
        })
      ).status;
    now = new Date(now.getTime() + 6 * 60_000);
    expect(await background()).toBe(200);
    now = new Date(now.getTime() + 4 * 60_000 + 1);
    expect(await background()).toBe(401);
  });

  it('keeps a session open while the officer works', async () => {
    const c = await officer('canbo.busy');
    now = new Date(now.getTime() + 9 * 60_000);
    expect((await c.req('GET', '/v1/officer/me')).status).toBe(200);
    now = new Date(now.getTime() + 9 * 60_000);
    expect((await c.req('GET', '/v1/officer/me')).status).toBe(200);
    now = new Date(now.getTime() + 10 * 60_000 + 1);
    const expired = await c.req('GET', '/v1/officer/me');
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('SESSION_EXPIRED');
    expect((await c.req('GET', '/v1/officer/me')).status).toBe(401);
    const idle = await central.store.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM officer_audit WHERE username = 'canbo.busy' AND action = 'sign-out.idle'",
    );
    expect(Number(idle!.n)).toBe(1);
  });

  it('two counters racing "Gọi số tiếp" 200 times over 50 tickets call each ticket exactly once', async () => {
    for (let i = 0; i < 50; i++) {
      now = new Date(local('09:00').getTime() + i * 1000);
      await issue('chung-thuc', i % 7 === 0 ? 'cao-tuoi' : null);
    }
    now = local('09:30');
    const a = await officer('canbo.race1');
    const b = await officer('canbo.race2');
    await a.req('POST', '/v1/counter/open', { counterId: 'q1', serviceIds: ['chung-thuc'] });
    await b.req('POST', '/v1/counter/open', { counterId: 'q2', serviceIds: ['chung-thuc'] });
    const press = (c: OfficerClient, counterId: string) => c.req('POST', '/v1/counter/call-next', { counterId });
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => (i % 2 ? press(a, 'q1') : press(b, 'q2'))));
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const calls = await central.store.all<{ ticket_id: string; n: number }>(
      "SELECT ticket_id, COUNT(*) AS n FROM ticket_calls WHERE kind = 'call' GROUP BY ticket_id",
    );
    expect(calls).toHaveLength(50);
    expect(calls.every((c) => Number(c.n) === 1)).toBe(true);
    const open = await central.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting'");
    expect(Number(open!.n)).toBe(0);
    // Presses at one counter take turns: a counter never holds two called tickets at once.
    const current = await central.store.all<{ counter_id: string; n: number }>(
      "SELECT counter_id, COUNT(*) AS n FROM tickets WHERE status = 'called' GROUP BY counter_id",
    );
    expect(current.filter((c) => Number(c.n) > 1)).toEqual([]);
  }, 60_000);
});
