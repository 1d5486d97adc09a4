import { z } from 'zod';
import { call, noInput, okOutput } from '../define.ts';
import { PrintOutcome } from '../print.ts';

/** Queue tickets: the citizen flow (`tickets.*`) and the officer desk (`tickets.officer*`). */

export const WaitRangeView = z.object({
  minMinutes: z.number().int().nonnegative(),
  maxMinutes: z.number().int().nonnegative(),
});

export const ServiceOption = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  open: z.boolean(),
  /** When closed: next opening, ISO instant (the screen shows local time and day). */
  opensAt: z.string().nullable(),
  /** Today is a closed day of the office (a holiday): its name. Absent from older kiosks. */
  closedDay: z.string().nullable().optional(),
  capReached: z.boolean(),
  /** Counter names serving it, e.g. "Quầy 1, Quầy 2". */
  counters: z.string(),
  /** Where to wait, from the counters' locations. */
  location: z.string().nullable(),
});
export type ServiceOption = z.infer<typeof ServiceOption>;

export const AreaOption = z.object({ id: z.string(), name: z.string(), services: z.array(ServiceOption) });
export type AreaOption = z.infer<typeof AreaOption>;

export const PriorityOption = z.object({ id: z.string(), name: z.string() });
export type PriorityOption = z.infer<typeof PriorityOption>;

export const TicketOptions = z.object({
  officeName: z.string(),
  areas: z.array(AreaOption),
  priorityGroups: z.array(PriorityOption),
  online: z.boolean(),
  /** Channels the office offers for "Nhắn tin khi sắp đến lượt" (docs/phone.md); absent or empty: not offered. */
  notifyChannels: z.array(z.enum(['zalo', 'sms'])).optional(),
});
export type TicketOptions = z.infer<typeof TicketOptions>;

export const TicketEstimate = z.object({
  /** null: not known now (central unreachable). */
  ahead: z.number().int().nonnegative().nullable(),
  /** null: "chưa xác định" (no counter serving, no recent service time, or offline). */
  wait: WaitRangeView.nullable(),
  online: z.boolean(),
});
export type TicketEstimate = z.infer<typeof TicketEstimate>;

export const TicketView = z.object({
  ticketId: z.string(),
  number: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  areaName: z.string(),
  counters: z.string(),
  location: z.string().nullable(),
  priorityName: z.string().nullable(),
  issuedAt: z.string(),
  /** `HH:MM dd/MM/yyyy`, office time. */
  issuedAtLocal: z.string(),
  ahead: z.number().int().nonnegative().nullable(),
  wait: WaitRangeView.nullable(),
  /** `offline`: numbered by this kiosk's own series while central was unreachable. */
  origin: z.enum(['central', 'offline']),
  /** SVG data URL of the ticket QR (`OSK1:T:<ticketId>`). */
  qr: z.string(),
  /** An appointment's ticket: the slot's start `HH:MM` ("Lịch hẹn 09:30"). */
  appointmentSlot: z.string().nullable().optional(),
});
export type TicketView = z.infer<typeof TicketView>;

export const IssuedTicket = z.object({
  ticket: TicketView,
  print: PrintOutcome,
});
export type IssuedTicket = z.infer<typeof IssuedTicket>;

const IssueInput = z
  .object({ serviceId: z.string().min(1), priorityGroupId: z.string().min(1).nullable().default(null) })
  .strict();
const Token = z.string().min(16).max(128);

export const OfficerServiceCount = z.object({
  serviceId: z.string(),
  name: z.string(),
  prefix: z.string(),
  issued: z.number().int().nonnegative(),
  waiting: z.number().int().nonnegative().nullable(),
  served: z.number().int().nonnegative().nullable(),
});
export const OfficerToday = z.object({
  day: z.string(),
  /** false: counts are this kiosk's own tickets only (central unreachable). */
  fromCentral: z.boolean(),
  services: z.array(OfficerServiceCount),
  lastTicket: TicketView.nullable(),
});
export type OfficerToday = z.infer<typeof OfficerToday>;

export const calls = {
  /** Areas and services from the office configuration, with open/closed and cap state. */
  'tickets.options': call(noInput, TicketOptions),
  /** People ahead and the wait range for a ticket taken now. */
  'tickets.estimate': call(IssueInput, TicketEstimate),
  /** Issues (central, or this kiosk's offline series) and prints; a print failure still answers the ticket. */
  'tickets.issue': call(IssueInput, IssuedTicket),
  /**
   * "Nhắn tin khi sắp đến lượt": a phone number for Zalo or SMS, for a ticket this kiosk issued in
   * the last minutes, after the consent wording was shown (docs/phone.md). BAD_INPUT for a number
   * that is not a Vietnamese mobile; NOT_FOUND for another ticket.
   */
  'tickets.notify': call(
    z
      .object({
        ticketId: z.uuid(),
        channel: z.enum(['zalo', 'sms']),
        phone: z.string().min(9).max(20),
        consent: z.literal(true),
      })
      .strict(),
    okOutput,
  ),
  /**
   * "Tôi đã đặt lịch hẹn": checks a booking in by its code (typed, or from the booking QR) and
   * prints its appointment ticket. Needs central: OFFLINE without it; APPOINTMENT_* refusals.
   */
  'tickets.checkIn': call(z.object({ code: z.string().min(1).max(40) }).strict(), IssuedTicket),
  /** Whether the officer desk has a PIN at all: a desk without one says so before a PIN is typed. */
  'tickets.officerStatus': call(noInput, z.object({ pinSet: z.boolean() })),
  /** Opens the officer desk; WRONG_PIN, LOCKED_OUT after repeated failures. */
  'tickets.officerUnlock': call(
    z.object({ pin: z.string().regex(/^\d{4,12}$/) }).strict(),
    z.object({ token: Token, idleMs: z.number().int().positive() }),
  ),
  'tickets.officerLock': call(z.object({ token: Token }).strict(), okOutput),
  'tickets.officerIssue': call(IssueInput.extend({ token: Token }).strict(), IssuedTicket),
  'tickets.officerReprint': call(z.object({ token: Token }).strict(), IssuedTicket),
  'tickets.officerToday': call(z.object({ token: Token }).strict(), OfficerToday),
};

export const events = {};
