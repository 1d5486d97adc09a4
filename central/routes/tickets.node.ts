import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { displayCallOf, type CallRecord } from '../../protocol/counter.ts';
import type { OfficeConfig } from '../../protocol/office.ts';
import {
  CallNextRequest,
  estimateWait,
  findService,
  formatCentralNumber,
  IssueTicketRequest,
  localDay,
  MarkServedRequest,
  OfflineTicketPayload,
  serviceOpenState,
  orderQueue,
  peopleAhead,
  policyOf,
  TICKET_ISSUED_KIND,
  TICKET_CONFIRMED_KIND,
  TICKET_HOLD_MS,
  ConfirmTicketPayload,
  TicketId,
  type IssueTicketResponse,
  type QueueListResponse,
  type QueueStatusResponse,
  type ServiceQueueStatus,
  type Ticket,
  type WaitRange,
} from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, RejectItem, type CentralContext, type CentralRoute, type Device } from '../context.node.ts';
import { HttpError, parse, sha256 } from '../http.node.ts';
import { nextCounter, type Sql } from '../store/store.node.ts';

/**
 * The ticket registry: numbers per office, local day and prefix; offline tickets merged from
 * kiosks' outboxes (kind `ticket.issued`) by their issued-at time; what counters and a
 * waiting-room display need (queue, call next, served). See docs/tickets.md.
 */

export interface Row {
  id: string;
  office_id: string;
  day: string;
  service_id: string;
  area_id: string;
  number: string;
  priority_group_id: string | null;
  weight: number;
  origin: 'central' | 'offline';
  issued_at: string;
  status: Ticket['status'];
  counter_id: string | null;
  called_at: string | null;
  served_at: string | null;
  appointment_slot?: string | null;
}

export const toTicket = (r: Row): Ticket => ({
  ticketId: r.id,
  officeId: r.office_id,
  day: r.day,
  serviceId: r.service_id,
  areaId: r.area_id,
  number: r.number,
  priorityGroupId: r.priority_group_id,
  issuedAt: r.issued_at,
  origin: r.origin,
  status: r.status,
  counterId: r.counter_id,
  calledAt: r.called_at,
  servedAt: r.served_at,
  appointmentSlot: r.appointment_slot ?? null,
});

/** Waiting, or held and still within its hold (see TICKET_HOLD_MS): one placeholder, the hold's start. */
const LIVE_WAITING = "(status = 'waiting' OR (status = 'held' AND issued_at > ?))";
const holdStart = (now: Date) => new Date(now.getTime() - TICKET_HOLD_MS).toISOString();

export const COLS =
  'id, office_id, day, service_id, area_id, number, priority_group_id, weight, origin, issued_at, status, counter_id, called_at, served_at, appointment_slot';

export async function officeOf(q: Sql, officeId: string): Promise<OfficeConfig> {
  const found = await getOfficeConfig(q, officeId);
  if (!found) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
  return found.config;
}

const weightOf = (office: OfficeConfig, groupId: string | null): number =>
  groupId === null ? 0 : Math.max(1, office.priorityGroups.find((g) => g.id === groupId)?.weight ?? 1);

/** This device's offline series slot, assigned on first ask (1, 2, 3 … per office). */
export async function seriesSlot(q: Sql, device: Device, now: Date): Promise<number> {
  const held = await q.get<{ slot: number }>('SELECT slot FROM ticket_series WHERE device_id = ?', [device.id]);
  if (held) return Number(held.slot);
  const slot = await nextCounter(q, `ticket-series:${device.officeId}`);
  await q.run('INSERT INTO ticket_series (device_id, office_id, slot, assigned_at) VALUES (?, ?, ?, ?)', [
    device.id,
    device.officeId,
    slot,
    now.toISOString(),
  ]);
  return slot;
}

interface Estimate {
  ahead: number;
  wait: WaitRange | null;
}

/** Waiting tickets, recent service durations and serving counters of one service today (a paused counter serves nobody). */
export async function serviceFacts(q: Sql, office: OfficeConfig, serviceId: string, now: Date) {
  const policy = policyOf(office);
  const day = localDay(now);
  const waiting = (
    await q.all<{ id: string; issued_at: string; weight: number }>(
      `SELECT id, issued_at, weight FROM tickets WHERE office_id = ? AND day = ? AND service_id = ? AND ${LIVE_WAITING}`,
      [office.officeId, day, serviceId, holdStart(now)],
    )
  ).map((r) => ({ id: r.id, issuedAt: r.issued_at, weight: Number(r.weight) }));
  const recent = await q.all<{ called_at: string; served_at: string }>(
    "SELECT called_at, served_at FROM tickets WHERE office_id = ? AND service_id = ? AND status = 'served' AND called_at IS NOT NULL ORDER BY served_at DESC LIMIT ?",
    [office.officeId, serviceId, policy.waitSample],
  );
  const durations = recent.map((r) => Date.parse(r.served_at) - Date.parse(r.called_at)).filter((ms) => ms > 0);
  const since = new Date(now.getTime() - policy.servingWindowMinutes * 60_000).toISOString();
  const serving = await q.get<{ n: number }>(
    `SELECT COUNT(DISTINCT counter_id) AS n FROM tickets WHERE office_id = ? AND day = ? AND service_id = ? AND counter_id IS NOT NULL
       AND (called_at >= ? OR served_at >= ? OR status = 'called')
       AND counter_id NOT IN (SELECT counter_id FROM counter_state WHERE office_id = ? AND paused = 1)`,
    [office.officeId, day, serviceId, since, since, office.officeId],
  );
  return { policy, day, waiting, durations, servingCounters: Number(serving?.n ?? 0) };
}

export function estimateFor(
  facts: Awaited<ReturnType<typeof serviceFacts>>,
  weight: number,
  issuedAt: string,
  excludeId?: string,
): Estimate {
  const others = excludeId ? facts.waiting.filter((t) => t.id !== excludeId) : facts.waiting;
  const ahead = peopleAhead(others, facts.policy, weight, issuedAt);
  return { ahead, wait: estimateWait(ahead, facts.durations, facts.servingCounters) };
}

/** `appointment`: a checked-in booking's ticket, ordered by the appointment policy's weight. */
export async function issueOnline(
  q: Sql,
  device: Device,
  body: IssueTicketRequest,
  ctx: CentralContext,
  appointment?: { slot: string; weight: number },
): Promise<IssueTicketResponse> {
  const now = ctx.now();
  const office = await officeOf(q, device.officeId);
  const slot = await seriesSlot(q, device, now);
  const existing = await q.get<Row>(`SELECT ${COLS} FROM tickets WHERE id = ?`, [body.ticketId]);
  if (existing) {
    if (existing.office_id !== device.officeId)
      throw new HttpError(409, 'CONFLICT', 'ticket id belongs to another office');
    const facts = await serviceFacts(q, office, existing.service_id, now);
    return {
      ticket: toTicket(existing),
      ...estimateFor(facts, Number(existing.weight), existing.issued_at, existing.id),
      series: { slot },
    };
  }
  const found = findService(office, body.serviceId);
  if (!found) throw new HttpError(404, 'NOT_FOUND', `no service ${body.serviceId} at ${office.officeId}`);
  if (body.priorityGroupId !== null && !office.priorityGroups.some((g) => g.id === body.priorityGroupId))
    throw new HttpError(400, 'BAD_REQUEST', `no priority group ${body.priorityGroupId}`);
  const open = serviceOpenState(office, found.service, now);
  if (!open.open)
    throw new HttpError(
      409,
      'SERVICE_CLOSED',
      open.closedDay
        ? `${found.service.id} takes no tickets today (${open.closedDay})`
        : `${found.service.id} takes no tickets now`,
      { opensAt: open.opensAt, closedDay: open.closedDay },
    );
  const day = localDay(now);
  if (found.service.dailyCap !== null) {
    // Held tickets nobody confirmed in time do not use up the day's numbers.
    const issued = await q.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM tickets WHERE office_id = ? AND day = ? AND service_id = ? AND (status <> 'held' OR issued_at > ?)",
      [office.officeId, day, found.service.id, holdStart(now)],
    );
    if (Number(issued?.n ?? 0) >= found.service.dailyCap)
      throw new HttpError(409, 'DAILY_CAP_REACHED', `${found.service.id}: ${found.service.dailyCap} tickets today`);
  }
  const n = await nextCounter(q, `ticket:${office.officeId}:${day}:${found.service.prefix}`);
  const weight = appointment ? appointment.weight : weightOf(office, body.priorityGroupId);
  // Central's clock orders online tickets: it is the one clock every kiosk's ticket passes.
  const issuedAt = now.toISOString();
  const facts = await serviceFacts(q, office, found.service.id, now);
  const estimate = estimateFor(facts, weight, issuedAt);
  const row: Row = {
    id: body.ticketId,
    office_id: office.officeId,
    day,
    service_id: found.service.id,
    area_id: found.area.id,
    number: formatCentralNumber(found.service.prefix, n),
    priority_group_id: body.priorityGroupId,
    weight,
    origin: 'central',
    issued_at: issuedAt,
    status: body.hold ? 'held' : 'waiting',
    counter_id: null,
    called_at: null,
    served_at: null,
    appointment_slot: appointment?.slot ?? null,
  };
  await insertTicket(q, row, body.source, device, now, body.publicToken);
  return { ticket: toTicket(row), ...estimate, series: { slot } };
}

async function insertTicket(q: Sql, r: Row, source: string, device: Device, now: Date, publicToken?: string) {
  await q.run(
    `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id, issued_at, received_at, status, public_token_hash, appointment_slot)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      r.id,
      r.office_id,
      r.day,
      r.service_id,
      r.area_id,
      r.number,
      r.priority_group_id,
      r.weight,
      source,
      r.origin,
      device.id,
      r.issued_at,
      now.toISOString(),
      r.status,
      // Only the hash: a copy of the database opens no citizen's page.
      publicToken ? sha256(publicToken) : null,
      r.appointment_slot ?? null,
    ],
  );
}

/** The kiosk holds the ticket it asked central to hold: from now on a counter may call it. */
async function confirmHeld(q: Sql, p: ConfirmTicketPayload, device: Device) {
  const row = await q.get<Row>(`SELECT ${COLS} FROM tickets WHERE id = ?`, [p.ticketId]);
  if (!row) throw new RejectItem('UNKNOWN_TICKET', `no ticket ${p.ticketId}`);
  if (row.office_id !== device.officeId) throw new RejectItem('TICKET_CONFLICT', 'ticket id belongs to another office');
  if (row.status === 'held')
    await q.run("UPDATE tickets SET status = 'waiting' WHERE id = ? AND status = 'held'", [p.ticketId]);
  return { ticketId: row.id, number: row.number };
}

/** Merges a ticket a kiosk numbered offline. The citizen holds that number: it is kept as is. */
async function acceptOffline(q: Sql, p: OfflineTicketPayload, device: Device, ctx: CentralContext) {
  const now = ctx.now();
  const office = await getOfficeConfig(q, device.officeId);
  if (!office) throw new RejectItem('UNKNOWN_OFFICE', `no office ${device.officeId}`);
  const found = findService(office.config, p.serviceId);
  if (!found) throw new RejectItem('UNKNOWN_SERVICE', `no service ${p.serviceId} at ${device.officeId}`);
  const existing = await q.get<Row>(`SELECT ${COLS} FROM tickets WHERE id = ?`, [p.ticketId]);
  if (existing) {
    if (existing.office_id !== device.officeId)
      throw new RejectItem('TICKET_CONFLICT', 'ticket id belongs to another office');
    // The kiosk asked central, the answer was lost, and it numbered the ticket offline: the
    // number on the citizen's paper wins; the central number is never shown to anyone.
    if (existing.origin === 'central' && existing.number !== p.number) {
      await q.run(
        "UPDATE tickets SET number = ?, origin = 'offline', issued_at = ?, day = ?, status = CASE WHEN status = 'held' THEN 'waiting' ELSE status END WHERE id = ?",
        [p.number, p.issuedAt, p.day, p.ticketId],
      );
    }
    if (p.publicToken)
      await q.run('UPDATE tickets SET public_token_hash = ? WHERE id = ? AND public_token_hash IS NULL', [
        sha256(p.publicToken),
        p.ticketId,
      ]);
    return { ticketId: p.ticketId, number: p.number };
  }
  const clash = await q.get<{ id: string }>('SELECT id FROM tickets WHERE office_id = ? AND day = ? AND number = ?', [
    device.officeId,
    p.day,
    p.number,
  ]);
  if (clash) throw new RejectItem('NUMBER_TAKEN', `${p.number} on ${p.day} is already another ticket's number`);
  await insertTicket(
    q,
    {
      id: p.ticketId,
      office_id: device.officeId,
      day: p.day,
      service_id: found.service.id,
      area_id: found.area.id,
      number: p.number,
      priority_group_id: p.priorityGroupId,
      weight: weightOf(office.config, p.priorityGroupId),
      origin: 'offline',
      issued_at: new Date(p.issuedAt).toISOString(),
      status: 'waiting',
      counter_id: null,
      called_at: null,
      served_at: null,
    },
    p.source,
    device,
    now,
    p.publicToken,
  );
  return { ticketId: p.ticketId, number: p.number };
}

async function queueStatus(q: Sql, device: Device, now: Date): Promise<QueueStatusResponse> {
  const office = await officeOf(q, device.officeId);
  const day = localDay(now);
  // A held ticket within its hold counts as waiting; one nobody confirmed in time not at all.
  const counts = await q.all<{ service_id: string; status: string; pri: number; n: number }>(
    `SELECT service_id, CASE WHEN status = 'held' THEN 'waiting' ELSE status END AS status, CASE WHEN weight > 0 THEN 1 ELSE 0 END AS pri, COUNT(*) AS n FROM tickets
     WHERE office_id = ? AND day = ? AND (status <> 'held' OR issued_at > ?)
     GROUP BY service_id, CASE WHEN status = 'held' THEN 'waiting' ELSE status END, CASE WHEN weight > 0 THEN 1 ELSE 0 END`,
    [office.officeId, day, holdStart(now)],
  );
  const services: ServiceQueueStatus[] = [];
  for (const area of office.areas) {
    for (const s of area.services) {
      const mine = counts.filter((c) => c.service_id === s.id);
      const sum = (f: (c: (typeof mine)[number]) => boolean) => mine.filter(f).reduce((a, c) => a + Number(c.n), 0);
      const facts = await serviceFacts(q, office, s.id, now);
      const at = now.toISOString();
      const byPriority: ServiceQueueStatus['byPriority'] = {};
      for (const g of office.priorityGroups) byPriority[g.id] = estimateFor(facts, weightOf(office, g.id), at);
      services.push({
        serviceId: s.id,
        issued: sum(() => true),
        waiting: sum((c) => c.status === 'waiting'),
        waitingPriority: sum((c) => c.status === 'waiting' && Number(c.pri) === 1),
        served: sum((c) => c.status === 'served'),
        servingCounters: facts.servingCounters,
        dailyCap: s.dailyCap,
        ...estimateFor(facts, 0, at),
        byPriority,
      });
    }
  }
  return { day, at: now.toISOString(), services };
}

async function recentPriorityRun(
  q: Sql,
  officeId: string,
  day: string,
  serviceIds: readonly string[],
): Promise<number> {
  const rows = await q.all<{ weight: number }>(
    `SELECT weight FROM tickets WHERE office_id = ? AND day = ? AND called_at IS NOT NULL AND service_id IN (${serviceIds.map(() => '?').join(', ')})
     ORDER BY called_at DESC LIMIT 20`,
    [officeId, day, ...serviceIds],
  );
  let run = 0;
  for (const r of rows) {
    if (Number(r.weight) <= 0) break;
    run++;
  }
  return run;
}

/** Records a call or recall (the display announces each one) and returns its id. */
export async function recordCall(
  q: Sql,
  t: { officeId: string; ticketId: string; number: string; counterId: string; serviceId: string },
  kind: 'call' | 'recall',
  officerId: string | null,
  now: Date,
): Promise<CallRecord> {
  const id = uuidv7();
  const seq = await nextCounter(q, `calls:${t.officeId}`);
  await q.run(
    'INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [id, seq, t.officeId, t.ticketId, t.number, t.counterId, t.serviceId, kind, officerId, now.toISOString()],
  );
  return {
    callId: id,
    seq,
    officeId: t.officeId,
    number: t.number,
    counterId: t.counterId,
    serviceId: t.serviceId,
    kind,
    at: now.toISOString(),
  };
}

/**
 * Finishes the counter's current ticket (served) and calls the next one for it: tickets
 * transferred to this counter first, then its services' queues in the office's order. Each
 * candidate is taken with `UPDATE … WHERE status = 'waiting'`: of two counters calling at the
 * same moment exactly one changes the row (SQLite serialises; PostgreSQL re-checks the WHERE
 * after the other's commit), and the loser moves on to the next candidate.
 */
export async function callNextFor(
  q: Sql,
  office: OfficeConfig,
  counterId: string,
  serviceIds: readonly string[],
  now: Date,
  officerId: string | null,
): Promise<{ ticket: Ticket; call: CallRecord } | null> {
  const at = now.toISOString();
  const day = localDay(now);
  // One press at a time per counter (migration 130): a second press waits for the first to commit.
  await q.run(
    'INSERT INTO counter_locks (office_id, counter_id, n) VALUES (?, ?, 1) ON CONFLICT (office_id, counter_id) DO UPDATE SET n = counter_locks.n + 1',
    [office.officeId, counterId],
  );
  // Calling the next one means the counter finished the one it had.
  await q.run(
    "UPDATE tickets SET status = 'served', served_at = ? WHERE office_id = ? AND counter_id = ? AND status = 'called'",
    [at, office.officeId, counterId],
  );
  const targeted = (
    await q.all<Row>(
      `SELECT ${COLS} FROM tickets WHERE office_id = ? AND day = ? AND status = 'waiting' AND target_counter_id = ?`,
      [office.officeId, day, counterId],
    )
  ).map((r) => ({ ...r, issuedAt: r.issued_at, weight: Number(r.weight) }));
  const waiting = serviceIds.length
    ? (
        await q.all<Row>(
          `SELECT ${COLS} FROM tickets WHERE office_id = ? AND day = ? AND status = 'waiting' AND target_counter_id IS NULL AND service_id IN (${serviceIds.map(() => '?').join(', ')})`,
          [office.officeId, day, ...serviceIds],
        )
      ).map((r) => ({ ...r, issuedAt: r.issued_at, weight: Number(r.weight) }))
    : [];
  const policy = policyOf(office);
  const ordered = [
    ...orderQueue(targeted, policy),
    ...(waiting.length
      ? orderQueue(waiting, policy, await recentPriorityRun(q, office.officeId, day, serviceIds))
      : []),
  ];
  for (const next of ordered) {
    const { changes } = await q.run(
      "UPDATE tickets SET status = 'called', counter_id = ?, called_at = ?, target_counter_id = NULL WHERE id = ? AND status = 'waiting'",
      [counterId, at, next.id],
    );
    if (changes === 1) {
      const ticket = toTicket({ ...next, status: 'called', counter_id: counterId, called_at: at });
      const call = await recordCall(
        q,
        {
          officeId: office.officeId,
          ticketId: ticket.ticketId,
          number: ticket.number,
          counterId,
          serviceId: ticket.serviceId,
        },
        'call',
        officerId,
        now,
      );
      return { ticket, call };
    }
  }
  return null;
}

async function callNext(
  q: Sql,
  device: Device,
  body: z.output<typeof CallNextRequest>,
  now: Date,
): Promise<{ ticket: Ticket; call: CallRecord; office: OfficeConfig } | null> {
  const office = await officeOf(q, device.officeId);
  if (!office.counters.some((c) => c.id === body.counterId))
    throw new HttpError(404, 'NOT_FOUND', `no counter ${body.counterId}`);
  const serviceIds =
    body.serviceIds ??
    office.areas.flatMap((a) => a.services.filter((s) => s.counterIds.includes(body.counterId)).map((s) => s.id));
  const called = await callNextFor(q, office, body.counterId, serviceIds, now, null);
  return called && { ...called, office };
}

export const route: CentralRoute = {
  name: 'tickets',
  register(app, ctx) {
    ctx.registerBatchKind(TICKET_ISSUED_KIND, {
      payload: OfflineTicketPayload,
      accept: (q, item, device) => acceptOffline(q, item.payload, device, ctx),
      committed: () => ctx.metrics.ticketsIssued.inc({ origin: 'offline' }),
    });
    ctx.registerBatchKind(TICKET_CONFIRMED_KIND, {
      payload: ConfirmTicketPayload,
      accept: (q, item, device) => confirmHeld(q, item.payload, device),
    });

    app.post('/v1/tickets', async (req): Promise<IssueTicketResponse> => {
      const device = deviceOf(req);
      const body = parse(IssueTicketRequest, req.body);
      const issued = await ctx.store.tx((q) => issueOnline(q, device, body, ctx));
      ctx.metrics.ticketsIssued.inc({ origin: 'central' });
      ctx.live.publish(device.officeId, { type: 'changed' });
      return issued;
    });

    app.get('/v1/tickets/series', async (req) => {
      const device = deviceOf(req);
      return { slot: await ctx.store.tx((q) => seriesSlot(q, device, ctx.now())) };
    });

    app.get('/v1/tickets/status', async (req) => queueStatus(ctx.store, deviceOf(req), ctx.now()));

    app.get('/v1/tickets/queue', async (req): Promise<QueueListResponse> => {
      const device = deviceOf(req);
      const { serviceId } = parse(z.object({ serviceId: z.string().min(1).optional() }), req.query, 'query');
      const office = await officeOf(ctx.store, device.officeId);
      const day = localDay(ctx.now());
      const rows = await ctx.store.all<Row>(
        `SELECT ${COLS} FROM tickets WHERE office_id = ? AND day = ? AND status IN ('waiting', 'called')${serviceId ? ' AND service_id = ?' : ''}`,
        serviceId ? [office.officeId, day, serviceId] : [office.officeId, day],
      );
      const waiting = rows
        .filter((r) => r.status === 'waiting')
        .map((r) => ({ id: r.id, issuedAt: r.issued_at, weight: Number(r.weight), ticket: toTicket(r) }));
      const ordered = orderQueue(waiting, policyOf(office)).map((w) => w.ticket);
      const called = rows
        .filter((r) => r.status === 'called')
        .sort((a, b) => (b.called_at ?? '').localeCompare(a.called_at ?? ''))
        .map(toTicket);
      return { day, waiting: ordered, called };
    });

    app.post('/v1/tickets/call-next', async (req) => {
      const device = deviceOf(req);
      const body = parse(CallNextRequest, req.body);
      const called = await ctx.store.tx((q) => callNext(q, device, body, ctx.now()));
      if (called) ctx.metrics.ticketsCalled.inc();
      ctx.live.publish(
        device.officeId,
        called
          ? { type: 'call', callId: called.call.callId, call: displayCallOf(called.office, called.call) }
          : { type: 'changed' },
      );
      return { ticket: called?.ticket ?? null };
    });

    app.post('/v1/tickets/:ticketId/served', async (req) => {
      const device = deviceOf(req);
      const { ticketId } = parse(z.object({ ticketId: TicketId }), req.params, 'path');
      const { status } = parse(MarkServedRequest, req.body ?? {});
      const at = ctx.now().toISOString();
      const row = await ctx.store.get<Row>(
        `UPDATE tickets SET status = ?, served_at = ?, called_at = COALESCE(called_at, ?) WHERE id = ? AND office_id = ? AND status IN ('waiting', 'called') RETURNING ${COLS}`,
        [status, at, at, ticketId, device.officeId],
      );
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no open ticket ${ticketId} at this office`);
      ctx.live.publish(device.officeId, { type: 'changed' });
      return { ticket: toTicket(row) };
    });
  },
};
