import { z } from 'zod';
import { OfficeId } from './http.ts';

/**
 * Office configuration as central distributes it. First version by the sync owner; the
 * tickets owner refines areas/services/counters/priority. Unknown keys are kept (`loose`) so an
 * older kiosk does not reject a newer central's config.
 */
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time as HH:MM');

export const TimeRange = z.object({ open: hhmm, close: hhmm });
export type TimeRange = z.infer<typeof TimeRange>;

/** Opening hours per ISO weekday (1 = Monday … 7 = Sunday); a missing day is closed. */
export const OpeningHours = z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(TimeRange));
export type OpeningHours = z.infer<typeof OpeningHours>;

/** A local calendar day `YYYY-MM-DD` (office time). */
export const IsoDay = z.iso.date();

/** A day the office is closed (a public holiday, Tết, Giỗ Tổ, a compensatory day off…): no tickets. */
export const ClosedDay = z.looseObject({ date: IsoDay, name: z.string().min(1).max(120) });
export type ClosedDay = z.infer<typeof ClosedDay>;

/** A day with other hours than its weekday's (a shortened day, a Saturday made up for a holiday). */
export const SpecialDay = z.looseObject({
  date: IsoDay,
  name: z.string().max(120).optional(),
  /** The whole office's hours that day (every service); empty = closed. */
  hours: z.array(TimeRange),
});
export type SpecialDay = z.infer<typeof SpecialDay>;

export const Counter = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Where to wait / where the counter is, printed on tickets. */
  location: z.string().optional(),
});
export type Counter = z.infer<typeof Counter>;

export const Service = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Letter(s) before the ticket number, e.g. `A` → A001. */
  prefix: z.string().regex(/^[A-Z]{1,2}$/),
  counterIds: z.array(z.string()),
  /** Tickets per day; null = no cap. */
  dailyCap: z.number().int().positive().nullable(),
  /** Overrides the office's opening hours when present. */
  openingHours: OpeningHours.optional(),
  /** Fields (lĩnh vực) of the catalog this service handles. */
  fieldIds: z.array(z.string()).optional(),
  /** One short line printed on the ticket: what to have ready at the counter. */
  prepare: z.string().max(120).optional(),
});
export type Service = z.infer<typeof Service>;

export const Area = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  services: z.array(Service).min(1),
});
export type Area = z.infer<typeof Area>;

export const PriorityGroup = z.looseObject({
  id: z.string().min(1),
  name: z.string().min(1),
  /** Higher is served earlier; ordering policy is data, not code. */
  weight: z.number().int(),
});
export type PriorityGroup = z.infer<typeof PriorityGroup>;

/**
 * How a service's queue is ordered (tickets issue). Data, not code: `weight` serves higher
 * priority weights first, then arrival (issued-at); `arrival` ignores weights. After
 * `maxPriorityInARow` priority calls in a row, the longest-waiting normal ticket goes next.
 */
export const TicketPolicy = z.looseObject({
  priorityOrder: z.enum(['weight', 'arrival']).default('weight'),
  maxPriorityInARow: z.number().int().positive().nullable().default(null),
  /** How many recent service times the wait range is computed from. */
  waitSample: z.number().int().min(3).max(500).default(30),
  /** A counter that called or served a ticket within this many minutes counts as serving. */
  servingWindowMinutes: z.number().int().positive().default(30),
  /** Printed on every ticket when the service has no `prepare` line of its own. */
  prepare: z.string().max(120).optional(),
});
export type TicketPolicy = z.infer<typeof TicketPolicy>;
export const DEFAULT_TICKET_POLICY: TicketPolicy = TicketPolicy.parse({});

/**
 * The citizen's phone (docs/phone.md): the live ticket page and notifications. Optional with
 * defaults, so older configs (and the admin UI that edits them) keep working.
 */
export const PhoneSettings = z.looseObject({
  /**
   * Where phones reach central: the ticket QR is `<publicUrl>/t/<token>`. Default: the address
   * the kiosk itself uses for central.
   */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** "Sắp đến lượt": a message to opted-in citizens when this many people are ahead. */
  notifyAhead: z.number().int().min(1).max(50).default(3),
  /** Channels the kiosk offers for a message by phone number (Web Push needs none). */
  channels: z.array(z.enum(['zalo', 'sms'])).default(['zalo', 'sms']),
});
export type PhoneSettings = z.infer<typeof PhoneSettings>;
export const DEFAULT_PHONE_SETTINGS: PhoneSettings = PhoneSettings.parse({});

/**
 * Appointments (issue 15, docs/phone.md): which services take bookings, slot length and
 * capacity per slot (days and hours follow the service's opening hours), the check-in window
 * around the slot's start, how a checked-in appointment ticket is ordered (a weight, as priority
 * groups have: higher is called earlier) and the no-show rule. Off when absent.
 */
export const AppointmentService = z.looseObject({
  serviceId: z.string().min(1),
  slotMinutes: z.number().int().min(5).max(240).default(30),
  /** Bookings per slot. */
  capacity: z.number().int().min(1).max(100).default(2),
});
export type AppointmentService = z.infer<typeof AppointmentService>;

export const AppointmentPolicy = z.looseObject({
  enabled: z.boolean().default(false),
  services: z.array(AppointmentService).default([]),
  /** How many days ahead (today included) a slot may be booked. */
  bookDaysAhead: z.number().int().min(1).max(60).default(14),
  /** Check-in opens this many minutes before the slot's start … */
  earlyMinutes: z.number().int().min(0).max(240).default(30),
  /** … and closes this many minutes after it; later the booking is a no-show. */
  lateMinutes: z.number().int().min(0).max(240).default(15),
  /** The checked-in ticket's ordering weight (as a priority group's): ahead of walk-ins (0). */
  weight: z.number().int().min(0).default(50),
  /** No-show rule: whoever missed this many bookings within `noShowDays` cannot book; null = no rule. */
  maxNoShows: z.number().int().positive().nullable().default(2),
  noShowDays: z.number().int().positive().default(30),
});
export type AppointmentPolicy = z.infer<typeof AppointmentPolicy>;
export const DEFAULT_APPOINTMENT_POLICY: AppointmentPolicy = AppointmentPolicy.parse({});

export const OfficeConfig = z.looseObject({
  officeId: OfficeId,
  name: z.string().min(1),
  address: z.string(),
  province: z.string(),
  /** Agency id used in dossier codes, e.g. `000.00.12.H12`. */
  agencyCode: z.string().regex(/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/),
  timezone: z.literal('Asia/Ho_Chi_Minh'),
  openingHours: OpeningHours,
  areas: z.array(Area).min(1),
  counters: z.array(Counter),
  priorityGroups: z.array(PriorityGroup),
  /** Days the office is closed (entered per year, docs/admin.md); absent in older configs. */
  closedDays: z.array(ClosedDay).optional(),
  /** Days with other hours than their weekday's; absent in older configs. */
  specialDays: z.array(SpecialDay).optional(),
  /** Queue ordering and wait estimates; defaults when absent (older configs). */
  ticketPolicy: TicketPolicy.optional(),
  /** The live ticket page and notifications; defaults when absent. */
  phone: PhoneSettings.optional(),
  /** Appointments booked on central's public page; off when absent. */
  appointments: AppointmentPolicy.optional(),
  /** Bank account for fee VietQR. */
  payment: z
    .looseObject({
      bankBin: z.string().regex(/^\d{6}$/),
      accountNumber: z.string().min(1),
      accountName: z.string().min(1),
    })
    .optional(),
});
export type OfficeConfig = z.infer<typeof OfficeConfig>;

/** `GET /v1/offices`: the public list the setup wizard offers. */
export const OfficeSummary = z.object({ id: OfficeId, name: z.string(), address: z.string(), province: z.string() });
export type OfficeSummary = z.infer<typeof OfficeSummary>;
export const OfficeListResponse = z.object({ offices: z.array(OfficeSummary) });
export type OfficeListResponse = z.infer<typeof OfficeListResponse>;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

function checkRanges(ranges: readonly TimeRange[], path: PropertyKey[], ctx: z.RefinementCtx) {
  const sorted = [...ranges].sort((a, b) => minutesOf(a.open) - minutesOf(b.open));
  sorted.forEach((r, i) => {
    if (minutesOf(r.open) >= minutesOf(r.close))
      ctx.addIssue({ code: 'custom', path, message: `${r.open}–${r.close}: opening must be before closing` });
    const next = sorted[i + 1];
    if (next && minutesOf(next.open) < minutesOf(r.close))
      ctx.addIssue({ code: 'custom', path, message: `${r.open}–${r.close} overlaps ${next.open}–${next.close}` });
  });
}

/**
 * What an administrator may save (issue 14): the same schema kiosks read, plus the rules a
 * hand-edited configuration breaks: hours in order without overlaps, one entry per date,
 * unique ids and prefixes, services pointing at counters that exist.
 */
export const AdminOfficeConfig = OfficeConfig.superRefine((c, ctx) => {
  for (const [wd, ranges] of Object.entries(c.openingHours)) checkRanges(ranges ?? [], ['openingHours', wd], ctx);
  const dupes = (values: string[], path: PropertyKey[], what: string) => {
    const seen = new Set<string>();
    for (const v of values) {
      if (seen.has(v)) ctx.addIssue({ code: 'custom', path, message: `${what} ${v} appears twice` });
      seen.add(v);
    }
  };
  dupes(
    (c.closedDays ?? []).map((d) => d.date).concat((c.specialDays ?? []).map((d) => d.date)),
    ['closedDays'],
    'date',
  );
  (c.specialDays ?? []).forEach((d, i) => checkRanges(d.hours, ['specialDays', i, 'hours'], ctx));
  const services = c.areas.flatMap((a) => a.services);
  dupes(
    services.map((s) => s.id),
    ['areas'],
    'service id',
  );
  dupes(
    services.map((s) => s.prefix),
    ['areas'],
    'prefix',
  );
  dupes(
    c.counters.map((x) => x.id),
    ['counters'],
    'counter id',
  );
  dupes(
    c.priorityGroups.map((g) => g.id),
    ['priorityGroups'],
    'priority group id',
  );
  const serviceIds = new Set(services.map((s) => s.id));
  (c.appointments?.services ?? []).forEach((s, i) => {
    if (!serviceIds.has(s.serviceId))
      ctx.addIssue({
        code: 'custom',
        path: ['appointments', 'services', i, 'serviceId'],
        message: `no service ${s.serviceId}`,
      });
  });
  const counterIds = new Set(c.counters.map((x) => x.id));
  c.areas.forEach((a, ai) =>
    a.services.forEach((s, si) => {
      for (const id of s.counterIds)
        if (!counterIds.has(id))
          ctx.addIssue({
            code: 'custom',
            path: ['areas', ai, 'services', si, 'counterIds'],
            message: `no counter ${id}`,
          });
      for (const [wd, ranges] of Object.entries(s.openingHours ?? {}))
        checkRanges(ranges ?? [], ['areas', ai, 'services', si, 'openingHours', wd], ctx);
    }),
  );
});
