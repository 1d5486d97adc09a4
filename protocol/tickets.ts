import { z } from 'zod';
import {
  DEFAULT_TICKET_POLICY,
  type Area,
  type ClosedDay,
  type OfficeConfig,
  type OpeningHours,
  type Service,
  type SpecialDay,
  type TicketPolicy,
  type TimeRange,
} from './office.ts';

/**
 * Queue tickets on the wire (kiosk ⇄ central), plus the pure rules both sides apply the same
 * way: the office's local day, opening hours, number formats, queue order and wait ranges.
 */

// ───────────────────────── time: the office's local day ─────────────────────────

/** Viet Nam has kept UTC+7 without daylight saving since 1975: a fixed offset is exact. */
export const OFFICE_UTC_OFFSET_MS = 7 * 3_600_000;

/** `YYYY-MM-DD` of `at` in Asia/Ho_Chi_Minh: numbers restart at local midnight. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + OFFICE_UTC_OFFSET_MS).toISOString().slice(0, 10);
}

/** ISO weekday (1 Monday … 7 Sunday) and minutes since local midnight. */
export function localClock(at: Date): { weekday: number; minutes: number; day: string } {
  const local = new Date(at.getTime() + OFFICE_UTC_OFFSET_MS);
  const weekday = local.getUTCDay() === 0 ? 7 : local.getUTCDay();
  return { weekday, minutes: local.getUTCHours() * 60 + local.getUTCMinutes(), day: local.toISOString().slice(0, 10) };
}

/** `HH:MM` of `at`, local (`HH:MM:SS` with seconds, for logs a technician matches to paper). */
export const localTime = (at: Date, seconds = false): string =>
  new Date(at.getTime() + OFFICE_UTC_OFFSET_MS).toISOString().slice(11, seconds ? 19 : 16);

/** `dd/mm/yyyy` of a `YYYY-MM-DD` day: the way a date is written in Viet Nam. */
export const vnDay = (day: string): string => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

/** `HH:MM dd/mm/yyyy` in office time: how a moment is shown to people (screens, paper, the fleet page), never UTC ISO. */
export const localDateTime = (at: Date, seconds = false): string => `${localTime(at, seconds)} ${vnDay(localDay(at))}`;

const toMinutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The instant of local `day` (YYYY-MM-DD) at `hhmm`. */
const instantOf = (day: string, hhmm: string): Date =>
  new Date(Date.parse(`${day}T${hhmm}:00.000Z`) - OFFICE_UTC_OFFSET_MS);

export interface OpenState {
  readonly open: boolean;
  /** When today is a closed day of the office (a holiday): its name, e.g. "Tết Nguyên đán". */
  readonly closedDay: string | null;
  /** When closed: the next opening (ISO instant), within a week; null if never. */
  readonly opensAt: string | null;
  /** When open: when the current session closes (ISO instant). */
  readonly closesAt: string | null;
}

/** Closed days and special-hours days of an office (protocol/office.ts); both optional. */
export interface DayCalendar {
  readonly closedDays?: readonly ClosedDay[] | undefined;
  readonly specialDays?: readonly SpecialDay[] | undefined;
}

/** The hours of one local day: none on a closed day, the special day's, else the weekday's. */
function hoursOn(hours: OpeningHours, calendar: DayCalendar, day: string, weekday: number): readonly TimeRange[] {
  if (calendar.closedDays?.some((d) => d.date === day)) return [];
  const special = calendar.specialDays?.find((d) => d.date === day);
  if (special) return special.hours;
  return hours[String(weekday) as keyof OpeningHours] ?? [];
}

/**
 * Whether a service takes tickets at `now` (its own hours, else the office's), on the office's
 * calendar: a closed day takes none, a special day has its own hours. Looks up to two weeks
 * ahead for the next opening (Tết can close an office for a week and more).
 */
export function openState(hours: OpeningHours, now: Date, calendar: DayCalendar = {}): OpenState {
  const { weekday, minutes, day } = localClock(now);
  const closedDay = calendar.closedDays?.find((d) => d.date === day)?.name ?? null;
  const today = hoursOn(hours, calendar, day, weekday);
  for (const r of today) {
    if (minutes >= toMinutes(r.open) && minutes < toMinutes(r.close))
      return { open: true, closedDay, opensAt: null, closesAt: instantOf(day, r.close).toISOString() };
  }
  for (let d = 0; d <= 14; d++) {
    const dayStart = new Date(instantOf(day, '00:00').getTime() + d * 86_400_000);
    const dayKey = localDay(dayStart);
    const wd = ((weekday - 1 + d) % 7) + 1;
    const ranges = [...hoursOn(hours, calendar, dayKey, wd)].sort((a, b) => toMinutes(a.open) - toMinutes(b.open));
    for (const r of ranges) {
      if (d === 0 && toMinutes(r.open) <= minutes) continue;
      return { open: false, closedDay, opensAt: instantOf(dayKey, r.open).toISOString(), closesAt: null };
    }
  }
  return { open: false, closedDay, opensAt: null, closesAt: null };
}

/** A service's hours on one local day (office calendar applied): none on a closed day. */
export function serviceHoursOn(office: OfficeConfig, service: Service, day: string): readonly TimeRange[] {
  const weekday = localClock(instantOf(day, '12:00')).weekday;
  return hoursOn(serviceHours(office, service), office, day, weekday);
}

/** The instant of local `day` at `hhmm` (office time). */
export const localInstant = (day: string, hhmm: string): Date => instantOf(day, hhmm);

export const serviceHours = (office: OfficeConfig, service: Service): OpeningHours =>
  service.openingHours ?? office.openingHours;

/** Whether a service of an office takes tickets at `now`: its hours on the office's calendar. */
export const serviceOpenState = (office: OfficeConfig, service: Service, now: Date): OpenState =>
  openState(serviceHours(office, service), now, office);

export function findService(office: OfficeConfig, serviceId: string): { area: Area; service: Service } | null {
  for (const area of office.areas) {
    const service = area.services.find((s) => s.id === serviceId);
    if (service) return { area, service };
  }
  return null;
}

export const policyOf = (office: OfficeConfig): TicketPolicy => ({
  ...DEFAULT_TICKET_POLICY,
  ...(office.ticketPolicy ?? {}),
});

// ───────────────────────── numbers ─────────────────────────

/**
 * Central's numbers: prefix + at least 3 digits (`A001`). Offline numbers carry the kiosk's
 * series slot and a dash (`A2-001`): no central number contains a dash and no two kiosks of an
 * office share a slot, so the two can never collide.
 */
export const formatCentralNumber = (prefix: string, n: number): string => `${prefix}${String(n).padStart(3, '0')}`;
export const formatOfflineNumber = (prefix: string, slot: number, n: number): string =>
  `${prefix}${slot}-${String(n).padStart(3, '0')}`;

/** Ticket ids are UUIDs made by the issuing kiosk (older tickets' QR: `OSK1:T:<id>`). */
export const TicketId = z.uuid();

/**
 * The ticket's public token (the QR's `…/t/<token>`, docs/phone.md): 16 random bytes from the
 * issuing kiosk, base64url. Optional on the wire: older kiosks send none (no phone page).
 */
export const PublicToken = z.string().regex(/^[A-Za-z0-9_-]{22}$/, '22 url-safe characters');

// ───────────────────────── queue order and wait ─────────────────────────

export interface QueuedTicket {
  readonly id: string;
  readonly issuedAt: string;
  /** 0 for a normal ticket. */
  readonly weight: number;
}

/**
 * The order tickets will be called in. `recentPriorityRun`: how many priority tickets were
 * called in a row just before (for `maxPriorityInARow`).
 */
export function orderQueue<T extends QueuedTicket>(
  waiting: readonly T[],
  policy: TicketPolicy,
  recentPriorityRun = 0,
): T[] {
  const byArrival = [...waiting].sort((a, b) =>
    a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.id < b.id ? -1 : 1,
  );
  if (policy.priorityOrder === 'arrival') return byArrival;
  const priority = byArrival.filter((t) => t.weight > 0).sort((a, b) => b.weight - a.weight);
  const normal = byArrival.filter((t) => t.weight <= 0);
  const cap = policy.maxPriorityInARow;
  if (cap === null) return [...priority, ...normal];
  const out: T[] = [];
  let run = recentPriorityRun;
  while (priority.length || normal.length) {
    if (priority.length && (run < cap || !normal.length)) {
      out.push(priority.shift()!);
      run++;
    } else {
      out.push(normal.shift()!);
      run = 0;
    }
  }
  return out;
}

/** How many of `waiting` would be called before a ticket of `weight` taken at `issuedAt`. */
export function peopleAhead(
  waiting: readonly QueuedTicket[],
  policy: TicketPolicy,
  weight: number,
  issuedAt: string,
  recentPriorityRun = 0,
): number {
  const probe: QueuedTicket = { id: '\uffff', issuedAt, weight };
  return orderQueue([...waiting, probe], policy, recentPriorityRun).indexOf(probe);
}

export const WaitRange = z.object({
  minMinutes: z.number().int().nonnegative(),
  maxMinutes: z.number().int().nonnegative(),
});
export type WaitRange = z.infer<typeof WaitRange>;

/**
 * An honest range, not a point: from the quartiles of recent service durations, spread over
 * the counters serving now. null when no counter is serving or nothing was served recently —
 * the screen says "chưa xác định" rather than inventing a number.
 */
export function estimateWait(
  ahead: number,
  serviceDurationsMs: readonly number[],
  servingCounters: number,
): WaitRange | null {
  if (servingCounters <= 0 || serviceDurationsMs.length === 0) return null;
  const sorted = [...serviceDurationsMs].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1)))]!;
  const low = (ahead * q(0.25)) / servingCounters / 60_000;
  const high = ((ahead + 1) * q(0.75)) / servingCounters / 60_000;
  const minMinutes = Math.floor(low);
  return { minMinutes, maxMinutes: Math.max(minMinutes + 1, Math.ceil(high)) };
}

// ───────────────────────── wire schemas ─────────────────────────

export const TicketSource = z.enum(['kiosk', 'officer']);
export type TicketSource = z.infer<typeof TicketSource>;
/**
 * `held`: numbered by central for a kiosk that asked to confirm (`hold: true`), not yet
 * confirmed — never called, never listed; see docs/tickets.md "Two steps".
 */
export const TicketStatus = z.enum(['held', 'waiting', 'called', 'served', 'skipped']);
export type TicketStatus = z.infer<typeof TicketStatus>;

/** `POST /v1/tickets`: central numbers a ticket now. Idempotent on `ticketId`. */
export const IssueTicketRequest = z
  .object({
    ticketId: TicketId,
    serviceId: z.string().min(1).max(100),
    priorityGroupId: z.string().min(1).max(100).nullable(),
    source: TicketSource,
    /** The kiosk's clock when the citizen touched "Lấy số". */
    issuedAt: z.iso.datetime({ offset: true }),
    /**
     * Two steps: the ticket is `held` until the kiosk confirms it holds it (outbox kind
     * `ticket.confirmed`), so a kiosk that dies or cannot write between numbering and the
     * citizen leaves no phantom for a counter to call. Absent (older kiosks): waiting at once.
     */
    hold: z.boolean().optional(),
    publicToken: PublicToken.optional(),
  })
  .strict();
export type IssueTicketRequest = z.infer<typeof IssueTicketRequest>;

export const Ticket = z.object({
  ticketId: TicketId,
  officeId: z.string(),
  day: z.string(),
  serviceId: z.string(),
  areaId: z.string(),
  /** What the citizen reads and the display calls: `A001`, or `A2-001` when issued offline. */
  number: z.string(),
  priorityGroupId: z.string().nullable(),
  issuedAt: z.string(),
  origin: z.enum(['central', 'offline']),
  status: TicketStatus,
  counterId: z.string().nullable(),
  calledAt: z.string().nullable(),
  servedAt: z.string().nullable(),
  /** An appointment's ticket: its slot's start, `HH:MM` office time ("Lịch hẹn 09:30"). */
  appointmentSlot: z.string().nullable().optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const IssueTicketResponse = z.object({
  ticket: Ticket,
  /** Waiting tickets that will be called before this one. */
  ahead: z.number().int().nonnegative(),
  wait: WaitRange.nullable(),
  /** This kiosk's offline series, so it can number tickets while central is unreachable. */
  series: z.object({ slot: z.number().int().positive() }),
});
export type IssueTicketResponse = z.infer<typeof IssueTicketResponse>;

/** Outbox kind `ticket.issued`: a ticket the kiosk numbered itself while central was unreachable. */
export const TICKET_ISSUED_KIND = 'ticket.issued';
export const OfflineTicketPayload = z
  .object({
    ticketId: TicketId,
    serviceId: z.string().min(1).max(100),
    priorityGroupId: z.string().min(1).max(100).nullable(),
    source: TicketSource,
    issuedAt: z.iso.datetime({ offset: true }),
    day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    number: z.string().min(2).max(16),
    slot: z.number().int().positive(),
    seq: z.number().int().positive(),
    publicToken: PublicToken.optional(),
  })
  .strict();
export type OfflineTicketPayload = z.infer<typeof OfflineTicketPayload>;

/** Outbox kind `ticket.confirmed`: the kiosk stored an online ticket it asked central to hold; now it may be called. */
export const TICKET_CONFIRMED_KIND = 'ticket.confirmed';
export const ConfirmTicketPayload = z.object({ ticketId: TicketId }).strict();
export type ConfirmTicketPayload = z.infer<typeof ConfirmTicketPayload>;

/**
 * A held ticket counts as waiting (people ahead, today's counts, the daily cap) for this long
 * after central numbered it — confirmations normally arrive within a second — and not after:
 * an unconfirmed ticket then belongs to nobody. A later confirmation still makes it waiting
 * (the citizen holds the paper).
 */
export const TICKET_HOLD_MS = 2 * 60_000;

/** `GET /v1/tickets/series`: this kiosk's offline series slot (assigned once per device). */
export const SeriesResponse = z.object({ slot: z.number().int().positive() });

export const ServiceQueueStatus = z.object({
  serviceId: z.string(),
  issued: z.number().int().nonnegative(),
  waiting: z.number().int().nonnegative(),
  waitingPriority: z.number().int().nonnegative(),
  served: z.number().int().nonnegative(),
  servingCounters: z.number().int().nonnegative(),
  dailyCap: z.number().int().positive().nullable(),
  /** For a normal ticket taken now. */
  ahead: z.number().int().nonnegative(),
  wait: WaitRange.nullable(),
  /** For a ticket of each priority group taken now (people ahead differ; the wait follows). */
  byPriority: z.record(z.string(), z.object({ ahead: z.number().int().nonnegative(), wait: WaitRange.nullable() })),
});
export type ServiceQueueStatus = z.infer<typeof ServiceQueueStatus>;

/** `GET /v1/tickets/status`: today's counts and estimates per service. */
export const QueueStatusResponse = z.object({ day: z.string(), at: z.string(), services: z.array(ServiceQueueStatus) });
export type QueueStatusResponse = z.infer<typeof QueueStatusResponse>;

/** `GET /v1/tickets/queue?serviceId=`: the waiting list in call order, and who is at a counter now. */
export const QueueListResponse = z.object({
  day: z.string(),
  waiting: z.array(Ticket),
  called: z.array(Ticket),
});
export type QueueListResponse = z.infer<typeof QueueListResponse>;

/** The most services one call-next may name (every array central reads is bounded). */
export const MAX_SERVICE_IDS = 100;

/** `POST /v1/tickets/call-next`: a counter calls the next ticket of the services it serves. */
export const CallNextRequest = z
  .object({
    counterId: z.string().min(1).max(100),
    /** Default: every service the office assigns to this counter. Bounded: an office has a few dozen services. */
    serviceIds: z.array(z.string().min(1).max(100)).min(1).max(MAX_SERVICE_IDS).optional(),
  })
  .strict();
export const CallNextResponse = z.object({ ticket: Ticket.nullable() });

export const MarkServedRequest = z.object({ status: z.enum(['served', 'skipped']).default('served') }).strict();
export const MarkServedResponse = z.object({ ticket: Ticket });
