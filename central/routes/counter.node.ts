import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { displayCallOf, type CallRecord } from '../../protocol/counter.ts';
import {
  CounterAction,
  CounterChoice,
  PauseRequest,
  SignInRequest,
  TransferRequest,
  type CounterState,
  type CounterTicket,
  type OfficerMe,
} from '../../protocol/counter.ts';
import type { OfficeConfig } from '../../protocol/office.ts';
import { localDay, orderQueue, policyOf } from '../../protocol/tickets.ts';
import { officerOf, type CentralContext, type CentralRoute } from '../context.node.ts';
import { HttpError, parse } from '../http.node.ts';
import { streamOfficeEvents } from '../live.node.ts';
import { audit, clearSessionCookie, setSessionCookie, signIn, signOut, type OfficerSession } from '../officers.node.ts';
import type { Sql } from '../store/store.node.ts';
import { callNextFor, COLS, officeOf, recordCall, toTicket, type Row } from './tickets.node.ts';

/**
 * Officer sign-in and the counter application's API (issue 13). Every route but sign-in is an
 * officer route (`config: { officer: { roles } }`): the session, role, CSRF and office rule is
 * applied once, in server.node.ts. Each action is audited with who and when.
 */

const COUNTER = { officer: { roles: ['counter'] as const } };
const ANY_OFFICER = { officer: { roles: [] as const } };

type CRow = Row & { target_counter_id: string | null; dossier_code: string | null };
const CCOLS = `${COLS}, target_counter_id, dossier_code`;
const toCounterTicket = (r: CRow): CounterTicket => ({
  ...toTicket(r),
  dossierCode: r.dossier_code ?? null,
  targetCounterId: r.target_counter_id ?? null,
});

function counterOf(office: OfficeConfig, counterId: string) {
  const counter = office.counters.find((c) => c.id === counterId);
  if (!counter) throw new HttpError(404, 'NOT_FOUND', `no counter ${counterId} at this office`);
  return counter;
}

const servicesOf = (office: OfficeConfig) => office.areas.flatMap((a) => a.services);

async function counterServices(
  q: Sql,
  office: OfficeConfig,
  counterId: string,
): Promise<{ serviceIds: string[]; paused: boolean }> {
  const row = await q.get<{ service_ids: string; paused: number }>(
    'SELECT service_ids, paused FROM counter_state WHERE office_id = ? AND counter_id = ?',
    [office.officeId, counterId],
  );
  if (row)
    return { serviceIds: z.array(z.string()).parse(JSON.parse(row.service_ids)), paused: Number(row.paused) === 1 };
  return {
    serviceIds: servicesOf(office)
      .filter((s) => s.counterIds.includes(counterId))
      .map((s) => s.id),
    paused: false,
  };
}

async function currentAt(q: Sql, officeId: string, counterId: string): Promise<CRow | undefined> {
  return q.get<CRow>(
    `SELECT ${CCOLS} FROM tickets WHERE office_id = ? AND counter_id = ? AND status = 'called' ORDER BY called_at DESC LIMIT 1`,
    [officeId, counterId],
  );
}

/** Today's waiting tickets of an office. */
const waitingRows = (q: Sql, officeId: string, day: string) =>
  q.all<CRow>(`SELECT ${CCOLS} FROM tickets WHERE office_id = ? AND day = ? AND status = 'waiting'`, [officeId, day]);

export async function counterState(
  q: Sql,
  office: OfficeConfig,
  counterId: string,
  now: Date,
  readWaiting: (day: string) => Promise<CRow[]> = (day) => waitingRows(q, office.officeId, day),
): Promise<CounterState> {
  const counter = counterOf(office, counterId);
  const { serviceIds, paused } = await counterServices(q, office, counterId);
  const day = localDay(now);
  const current = await currentAt(q, office.officeId, counterId);
  const rows = await readWaiting(day);
  const policy = policyOf(office);
  const queued = (list: CRow[]) =>
    orderQueue(
      list.map((r) => ({ id: r.id, issuedAt: r.issued_at, weight: Number(r.weight), row: r })),
      policy,
    ).map((x) => toCounterTicket(x.row));
  const waiting = serviceIds.map((serviceId) => ({
    serviceId,
    tickets: queued(
      rows.filter(
        (r) => r.service_id === serviceId && (r.target_counter_id === null || r.target_counter_id === counterId),
      ),
    ),
  }));
  const forMe = rows.filter((r) => r.target_counter_id === counterId && !serviceIds.includes(r.service_id));
  if (forMe.length) waiting.unshift({ serviceId: '', tickets: queued(forMe) });
  return {
    counterId,
    counterName: counter.name,
    serviceIds,
    paused,
    current: current ? toCounterTicket(current) : null,
    waiting,
    at: now.toISOString(),
  };
}

const ipOf = (req: FastifyRequest) => req.ip ?? null;

async function logAction(
  q: Sql,
  s: OfficerSession,
  req: FastifyRequest,
  action: string,
  detail: Record<string, unknown>,
  now: Date,
) {
  await audit(q, {
    at: now,
    officeId: s.officer.officeId,
    officerId: s.officer.id,
    username: s.officer.username,
    action,
    detail,
    ip: ipOf(req),
  });
}

export const route: CentralRoute = {
  name: 'counter',
  register(app, ctx: CentralContext) {
    // Sign-in is public by nature. Login CSRF is blocked by JSON-only bodies (a cross-site form
    // cannot send application/json without a CORS preflight central never grants) and SameSite.
    app.post('/v1/officer/sign-in', { config: { public: true } }, async (req, reply) => {
      const body = parse(SignInRequest, req.body);
      // No transaction: the attempt slot must commit before the (slow) password check.
      const { officer, sessionId, csrfToken } = await signIn(ctx.store, { ...body, ip: ipOf(req), now: ctx.now() });
      setSessionCookie(reply, sessionId, req.protocol === 'https');
      return {
        officer: {
          id: officer.id,
          username: officer.username,
          displayName: officer.displayName,
          officeId: officer.officeId,
          roles: officer.roles,
        },
        csrfToken,
      };
    });

    app.post('/v1/officer/sign-out', { config: ANY_OFFICER }, async (req, reply) => {
      await signOut(ctx.store, officerOf(req), ctx.now());
      clearSessionCookie(reply);
      return { ok: true };
    });

    app.get('/v1/officer/me', { config: ANY_OFFICER }, async (req): Promise<OfficerMe> => {
      const s = officerOf(req);
      const office = await officeOf(ctx.store, s.officer.officeId);
      const row = await ctx.store.get<{ last_counter_id: string | null; last_service_ids: string | null }>(
        'SELECT last_counter_id, last_service_ids FROM officers WHERE id = ?',
        [s.officer.id],
      );
      const remembered =
        row?.last_counter_id && row.last_service_ids
          ? CounterChoice.safeParse({ counterId: row.last_counter_id, serviceIds: JSON.parse(row.last_service_ids) })
          : null;
      return {
        officer: { ...s.officer, roles: [...s.officer.roles], officeName: office.name },
        csrfToken: s.csrfToken,
        idleSeconds: Math.round(ctx.officerIdleMs / 1000),
        remembered: remembered?.success ? remembered.data : null,
        counters: office.counters.map((c) => ({ id: c.id, name: c.name })),
        services: servicesOf(office).map((x) => ({
          id: x.id,
          name: x.name,
          prefix: x.prefix,
          counterIds: x.counterIds,
        })),
        priorityGroups: office.priorityGroups.map((g) => ({ id: g.id, name: g.name })),
      };
    });

    // Open a counter for today with the services it serves; remembered for this officer.
    app.post('/v1/counter/open', { config: COUNTER }, async (req): Promise<CounterState> => {
      const s = officerOf(req);
      const choice = parse(CounterChoice, req.body);
      const now = ctx.now();
      const state = await ctx.store.tx(async (q) => {
        const office = await officeOf(q, s.officer.officeId);
        counterOf(office, choice.counterId);
        for (const id of choice.serviceIds)
          if (!servicesOf(office).some((x) => x.id === id))
            throw new HttpError(400, 'BAD_REQUEST', `no service ${id} at this office`);
        await q.run(
          `INSERT INTO counter_state (office_id, counter_id, officer_id, service_ids, paused, updated_at) VALUES (?, ?, ?, ?, 0, ?)
           ON CONFLICT (office_id, counter_id) DO UPDATE SET officer_id = excluded.officer_id, service_ids = excluded.service_ids, paused = 0, updated_at = excluded.updated_at`,
          [office.officeId, choice.counterId, s.officer.id, JSON.stringify(choice.serviceIds), now.toISOString()],
        );
        await q.run('UPDATE officers SET last_counter_id = ?, last_service_ids = ? WHERE id = ?', [
          choice.counterId,
          JSON.stringify(choice.serviceIds),
          s.officer.id,
        ]);
        await logAction(q, s, req, 'counter.open', choice, now);
        return counterState(q, office, choice.counterId, now);
      });
      ctx.live.publish(s.officer.officeId, { type: 'changed' });
      return state;
    });

    // Every counter screen of an office re-reads right after an event: they share one read of the
    // waiting tickets until the office's next event. (Inside an action's transaction the state is
    // always read fresh.)
    const shared = new Map<string, { key: string; rows: Promise<CRow[]> }>();
    const sharedWaiting = (officeId: string) => (day: string) => {
      const key = `${ctx.live.version(officeId)}:${day}`;
      const hit = shared.get(officeId);
      if (hit?.key === key) return hit.rows;
      const rows = waitingRows(ctx.store, officeId, day);
      shared.set(officeId, { key, rows });
      rows.catch(() => shared.delete(officeId));
      return rows;
    };
    app.get('/v1/counter/state', { config: COUNTER }, async (req): Promise<CounterState> => {
      const s = officerOf(req);
      const { counterId } = parse(z.object({ counterId: z.string().min(1).max(64) }), req.query, 'query');
      return counterState(
        ctx.store,
        await officeOf(ctx.store, s.officer.officeId),
        counterId,
        ctx.now(),
        sharedWaiting(s.officer.officeId),
      );
    });

    app.get('/v1/counter/events', { config: ANY_OFFICER }, async (req, reply) => {
      const s = officerOf(req);
      streamOfficeEvents(ctx.live, s.officer.officeId, req, reply);
    });

    /** Runs one counter action in a transaction, audits it and tells every screen of the office. */
    const act = (
      path: string,
      schema: z.ZodType<{ counterId: string }>,
      fn: (
        q: Sql,
        office: OfficeConfig,
        s: OfficerSession,
        body: never,
        now: Date,
      ) => Promise<{ detail: Record<string, unknown>; call?: CallRecord }>,
    ) =>
      app.post(path, { config: COUNTER }, async (req): Promise<CounterState> => {
        const s = officerOf(req);
        const body = parse(schema, req.body);
        const now = ctx.now();
        // The action commits and the office hears of it first; the answer is read after, so
        // the waiting-room displays do not wait for this counter's own screen.
        const { office, call } = await ctx.store.tx(async (q) => {
          const office = await officeOf(q, s.officer.officeId);
          counterOf(office, body.counterId);
          const done = await fn(q, office, s, body as never, now);
          await logAction(q, s, req, path.split('/').pop()!, { counterId: body.counterId, ...done.detail }, now);
          return { office, call: done.call };
        });
        if (call) ctx.metrics.ticketsCalled.inc();
        ctx.live.publish(
          s.officer.officeId,
          call ? { type: 'call', callId: call.callId, call: displayCallOf(office, call) } : { type: 'changed' },
        );
        return counterState(ctx.store, office, body.counterId, now);
      });

    const requireCurrent = async (q: Sql, office: OfficeConfig, counterId: string) => {
      const current = await currentAt(q, office.officeId, counterId);
      if (!current) throw new HttpError(409, 'CONFLICT', 'no ticket at this counter now');
      return current;
    };

    act('/v1/counter/call-next', CounterAction, async (q, office, s, body: CounterAction, now) => {
      const { serviceIds, paused } = await counterServices(q, office, body.counterId);
      if (paused) throw new HttpError(409, 'CONFLICT', 'this counter is paused');
      const called = await callNextFor(q, office, body.counterId, serviceIds, now, s.officer.id);
      return {
        detail: { ticketId: called?.ticket.ticketId ?? null, number: called?.ticket.number ?? null },
        ...(called ? { call: called.call } : {}),
      };
    });

    act('/v1/counter/recall', CounterAction, async (q, office, s, body: CounterAction, now) => {
      const t = await requireCurrent(q, office, body.counterId);
      const call = await recordCall(
        q,
        {
          officeId: office.officeId,
          ticketId: t.id,
          number: t.number,
          counterId: body.counterId,
          serviceId: t.service_id,
        },
        'recall',
        s.officer.id,
        now,
      );
      return { detail: { ticketId: t.id, number: t.number }, call };
    });

    const finish =
      (status: 'served' | 'skipped') =>
      async (q: Sql, office: OfficeConfig, _s: OfficerSession, body: CounterAction, now: Date) => {
        const t = await requireCurrent(q, office, body.counterId);
        await q.run("UPDATE tickets SET status = ?, served_at = ? WHERE id = ? AND status = 'called'", [
          status,
          now.toISOString(),
          t.id,
        ]);
        return { detail: { ticketId: t.id, number: t.number } };
      };
    act('/v1/counter/served', CounterAction, finish('served'));
    act('/v1/counter/no-show', CounterAction, finish('skipped'));

    act('/v1/counter/transfer', TransferRequest, async (q, office, _s, body: TransferRequest, now) => {
      const t = await requireCurrent(q, office, body.counterId);
      if (body.toServiceId !== undefined) {
        const target = servicesOf(office).find((x) => x.id === body.toServiceId);
        if (!target) throw new HttpError(400, 'BAD_REQUEST', `no service ${body.toServiceId} at this office`);
        // Keeps its place: issued_at is untouched, so it queues by its original arrival.
        await q.run(
          "UPDATE tickets SET status = 'waiting', service_id = ?, counter_id = NULL, called_at = NULL, target_counter_id = NULL WHERE id = ?",
          [target.id, t.id],
        );
      } else {
        const target = counterOf(office, body.toCounterId!);
        if (target.id === body.counterId) throw new HttpError(400, 'BAD_REQUEST', 'that is this counter');
        await q.run(
          "UPDATE tickets SET status = 'waiting', counter_id = NULL, called_at = NULL, target_counter_id = ? WHERE id = ?",
          [target.id, t.id],
        );
      }
      void now;
      return {
        detail: {
          ticketId: t.id,
          number: t.number,
          toServiceId: body.toServiceId ?? null,
          toCounterId: body.toCounterId ?? null,
        },
      };
    });

    act('/v1/counter/pause', PauseRequest, async (q, office, s, body: z.infer<typeof PauseRequest>, now) => {
      const { serviceIds } = await counterServices(q, office, body.counterId);
      await q.run(
        `INSERT INTO counter_state (office_id, counter_id, officer_id, service_ids, paused, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (office_id, counter_id) DO UPDATE SET paused = excluded.paused, officer_id = excluded.officer_id, updated_at = excluded.updated_at`,
        [
          office.officeId,
          body.counterId,
          s.officer.id,
          JSON.stringify(serviceIds),
          body.paused ? 1 : 0,
          now.toISOString(),
        ],
      );
      // Pausing finishes the ticket at the counter: nobody is left standing there.
      if (body.paused)
        await q.run(
          "UPDATE tickets SET status = 'served', served_at = ? WHERE office_id = ? AND counter_id = ? AND status = 'called'",
          [now.toISOString(), office.officeId, body.counterId],
        );
      return { detail: { paused: body.paused } };
    });
  },
};
