import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchResponse } from '../../protocol/batch.ts';
import {
  CallNextResponse,
  IssueTicketResponse,
  QueueListResponse,
  QueueStatusResponse,
  TICKET_CONFIRMED_KIND,
  TICKET_HOLD_MS,
  TICKET_ISSUED_KIND,
} from '../../protocol/tickets.ts';
import { issueEnrolCode, enrolDevice, upsertOffice } from '../admin.node.ts';
import { DEMO_OFFICES, DEMO_OFFICE_ID } from '../demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (hhmm: string, day = '2026-11-30') => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));

describe.each(testDialects())('central tickets on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  let now = local('09:00');

  const call = async (path: string, json?: unknown, auth = token) => {
    const res = await fetch(central.url + path, {
      method: json === undefined ? 'GET' : 'POST',
      headers: {
        authorization: `Bearer ${auth}`,
        ...(json === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: json === undefined ? undefined : JSON.stringify(json),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of many response shapes
    return { status: res.status, body: (await res.json()) as any };
  };
  const issue = (serviceId: string, priorityGroupId: string | null = null, ticketId = uuidv4(), auth = token) =>
    call('/v1/tickets', { ticketId, serviceId, priorityGroupId, source: 'kiosk', issuedAt: now.toISOString() }, auth);
  const offline = (n: number, payload: Record<string, unknown>, auth = token) =>
    call(
      '/v1/batch',
      { items: [{ key: uuidv7(), kind: TICKET_ISSUED_KIND, payload, createdAt: now.toISOString(), seq: n }] },
      auth,
    );

  beforeEach(async () => {
    now = local('09:00');
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, now: () => now });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('numbers tickets per service prefix, and a replay of the same ticket id answers the same number', async () => {
    const a1 = await issue('ho-tich');
    expect(a1.status).toBe(200);
    const first = IssueTicketResponse.parse(a1.body);
    expect(first.ticket.number).toBe('A001');
    expect(first.ticket.day).toBe('2026-11-30');
    expect((await issue('ho-tich')).body.ticket.number).toBe('A002');
    expect((await issue('dat-dai')).body.ticket.number).toBe('C001');
    const replay = await issue('ho-tich', null, first.ticket.ticketId);
    expect(replay.body.ticket.number).toBe('A001');
    expect((await issue('ho-tich')).body.ticket.number).toBe('A003');
  });

  it('holds a ticket a kiosk asked to confirm: counted as waiting but never called until confirmed; unconfirmed ones lapse', async () => {
    const held = IssueTicketResponse.parse(
      (
        await call('/v1/tickets', {
          ticketId: uuidv4(),
          serviceId: 'ho-tich',
          priorityGroupId: null,
          source: 'kiosk',
          issuedAt: now.toISOString(),
          hold: true,
        })
      ).body,
    );
    expect(held.ticket).toMatchObject({ number: 'A001', status: 'held' });
    const lapsing = IssueTicketResponse.parse(
      (
        await call('/v1/tickets', {
          ticketId: uuidv4(),
          serviceId: 'ho-tich',
          priorityGroupId: null,
          source: 'kiosk',
          issuedAt: now.toISOString(),
          hold: true,
        })
      ).body,
    );
    // People ahead count held tickets (their confirmation is normally a second away).
    expect(lapsing.ahead).toBe(1);
    expect(
      CallNextResponse.parse((await call('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] })).body)
        .ticket,
    ).toBeNull();
    expect(QueueListResponse.parse((await call('/v1/tickets/queue?serviceId=ho-tich')).body).waiting).toEqual([]);
    const confirm = await call('/v1/batch', {
      items: [
        {
          key: uuidv7(),
          kind: TICKET_CONFIRMED_KIND,
          payload: { ticketId: held.ticket.ticketId },
          createdAt: now.toISOString(),
          seq: 1,
        },
      ],
    });
    expect(BatchResponse.parse(confirm.body).results[0]).toMatchObject({
      status: 'accepted',
      result: { number: 'A001' },
    });
    expect(
      QueueListResponse.parse((await call('/v1/tickets/queue?serviceId=ho-tich')).body).waiting.map((t) => t.number),
    ).toEqual(['A001']);
    // The second was never confirmed: after the hold it is not waiting, not counted.
    now = new Date(now.getTime() + TICKET_HOLD_MS + 1_000);
    const status = QueueStatusResponse.parse((await call('/v1/tickets/status')).body).services.find(
      (x) => x.serviceId === 'ho-tich',
    );
    expect(status).toMatchObject({ issued: 1, waiting: 1 });
    expect(
      CallNextResponse.parse((await call('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] })).body)
        .ticket,
    ).toMatchObject({ number: 'A001' });
    expect(
      CallNextResponse.parse((await call('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] })).body)
        .ticket,
    ).toBeNull();
    // A request without `hold` (an older kiosk) is waiting at once, as before.
    expect((await issue('ho-tich')).body.ticket).toMatchObject({ number: 'A003', status: 'waiting' });
  });

  it('restarts numbering at local midnight (Asia/Ho_Chi_Minh), not at UTC midnight', async () => {
    now = local('16:59');
    expect((await issue('ho-tich')).body.ticket.number).toBe('A001');
    // 07:30 local on Tuesday is 00:30 UTC Tuesday; 06:59 UTC Monday would still be Monday.
    now = local('07:30', '2026-12-01');
    const next = await issue('ho-tich');
    expect(next.body.ticket).toMatchObject({ number: 'A001', day: '2026-12-01' });
  });

  it('refuses tickets outside opening hours and says when the service opens', async () => {
    now = local('12:00');
    const r = await issue('ho-tich');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('SERVICE_CLOSED');
    expect(r.body.error.details.opensAt).toBe(local('13:30').toISOString());
  });

  it('stops at the daily cap of a service', async () => {
    const office = structuredClone(DEMO_OFFICES[0]!);
    office.areas[0]!.services[0]!.dailyCap = 2;
    await upsertOffice(central.store, office);
    await issue('ho-tich');
    await issue('ho-tich');
    const r = await issue('ho-tich');
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('DAILY_CAP_REACHED');
  });

  it('gives each kiosk of an office its own offline series slot, the same one every time', async () => {
    const other = (await enrolTestDevice(central.store, 'Kiosk 2')).token;
    const s1 = (await call('/v1/tickets/series')).body.slot;
    const s2 = (await call('/v1/tickets/series', undefined, other)).body.slot;
    expect(s1).not.toBe(s2);
    expect((await call('/v1/tickets/series')).body.slot).toBe(s1);
    expect((await issue('ho-tich')).body.series.slot).toBe(s1);
  });

  it('merges offline tickets by issued-at time, idempotently, keeping the number the citizen holds', async () => {
    const slot = (await call('/v1/tickets/series')).body.slot as number;
    now = local('09:10');
    const online = IssueTicketResponse.parse((await issue('ho-tich')).body);
    const early = {
      ticketId: uuidv4(),
      serviceId: 'ho-tich',
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: local('09:05').toISOString(),
      day: '2026-11-30',
      number: `A${slot}-001`,
      slot,
      seq: 1,
    };
    const item = { key: uuidv7(), kind: TICKET_ISSUED_KIND, payload: early, createdAt: early.issuedAt, seq: 1 };
    const first = BatchResponse.parse((await call('/v1/batch', { items: [item] })).body);
    expect(first.results[0]).toMatchObject({ status: 'accepted', result: { number: `A${slot}-001` } });
    const again = BatchResponse.parse((await call('/v1/batch', { items: [item] })).body);
    expect(again.results[0]).toMatchObject({ status: 'duplicate', result: { number: `A${slot}-001` } });

    const queue = QueueListResponse.parse((await call('/v1/tickets/queue?serviceId=ho-tich')).body);
    expect(queue.waiting.map((t) => t.number)).toEqual([`A${slot}-001`, online.ticket.number]);

    // The answer to an online request was lost and the kiosk numbered the same ticket offline.
    const lostId = uuidv4();
    await issue('ho-tich', null, lostId);
    const merged = await offline(2, {
      ...early,
      ticketId: lostId,
      number: `A${slot}-002`,
      seq: 2,
      issuedAt: local('09:10').toISOString(),
    });
    expect(merged.body.results[0].status).toBe('accepted');
    const after = QueueListResponse.parse((await call('/v1/tickets/queue?serviceId=ho-tich')).body);
    expect(after.waiting.filter((t) => t.ticketId === lostId).map((t) => t.number)).toEqual([`A${slot}-002`]);
  });

  it('rejects an offline ticket for a service the office does not have, and a number already taken', async () => {
    const p = {
      ticketId: uuidv4(),
      serviceId: 'khong-co',
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now.toISOString(),
      day: '2026-11-30',
      number: 'A9-001',
      slot: 9,
      seq: 1,
    };
    expect((await offline(1, p)).body.results[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'UNKNOWN_SERVICE' },
    });
    await offline(2, { ...p, serviceId: 'ho-tich' });
    expect((await offline(3, { ...p, serviceId: 'ho-tich', ticketId: uuidv4() })).body.results[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'NUMBER_TAKEN' },
    });
  });

  it('calls priority tickets first by weight, then normal ones by arrival, and serves them', async () => {
    const n1 = (await issue('ho-tich')).body.ticket;
    now = local('09:01');
    const elderly = (await issue('ho-tich', 'cao-tuoi')).body.ticket;
    now = local('09:02');
    const veteran = IssueTicketResponse.parse((await issue('ho-tich', 'nguoi-co-cong')).body);
    expect(veteran.ahead).toBe(0);
    const status = QueueStatusResponse.parse((await call('/v1/tickets/status')).body);
    const hoTich = status.services.find((s) => s.serviceId === 'ho-tich')!;
    expect(hoTich).toMatchObject({
      issued: 3,
      waiting: 3,
      waitingPriority: 2,
      ahead: 3,
      wait: null,
      servingCounters: 0,
    });
    expect(hoTich.byPriority['cao-tuoi']!.ahead).toBe(2);

    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      now = new Date(now.getTime() + 5 * 60_000);
      const r = CallNextResponse.parse((await call('/v1/tickets/call-next', { counterId: 'q1' })).body);
      if (r.ticket) order.push(r.ticket.number);
      else order.push('none');
    }
    expect(order).toEqual([veteran.ticket.number, elderly.number, n1.number, 'none']);

    // Three served tickets of 5 minutes each at one counter: a new ticket behind nobody waits 0–5 minutes.
    const after = QueueStatusResponse.parse((await call('/v1/tickets/status')).body).services.find(
      (s) => s.serviceId === 'ho-tich',
    )!;
    expect(after.served).toBe(3);
    expect(after.servingCounters).toBe(1);
    expect(after.wait).toEqual({ minMinutes: 0, maxMinutes: 5 });
  });

  it('marks a ticket served or skipped, only once', async () => {
    const t = (await issue('ho-tich')).body.ticket;
    const r = await call(`/v1/tickets/${t.ticketId}/served`, { status: 'skipped' });
    expect(r.body.ticket.status).toBe('skipped');
    expect((await call(`/v1/tickets/${t.ticketId}/served`, {})).status).toBe(404);
  });

  it('keeps offices apart: another office cannot see or serve these tickets', async () => {
    const { code } = await issueEnrolCode(central.store, { officeId: 'ca-mau-dam-doi' });
    const other = (await central.store.tx((q) => enrolDevice(q, { code, kioskName: 'Đầm Dơi' }))).token;
    const t = (await issue('ho-tich')).body.ticket;
    expect((await call(`/v1/tickets/${t.ticketId}/served`, {}, other)).status).toBe(404);
    expect((await call('/v1/tickets/queue', undefined, other)).body.waiting).toEqual([]);
    expect((await issue('tong-hop', null, uuidv4(), other)).body.ticket.number).toBe('A001');
    expect(DEMO_OFFICE_ID).toBe('ca-mau-an-xuyen');
  });
});
