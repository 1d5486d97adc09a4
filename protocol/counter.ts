import { z } from 'zod';
import type { OfficeConfig } from './office.ts';
import { Ticket } from './tickets.ts';

/**
 * Officer accounts and the counter application (issue 13): what the counter screen (React,
 * renderer/office/) and central (central/routes/counter.node.ts) exchange, and what the
 * waiting-room display reads. Officers authenticate with a session cookie, not a device token.
 */

export const OfficerRole = z.enum(['counter', 'manager', 'admin', 'province']);
export type OfficerRole = z.infer<typeof OfficerRole>;

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,63}$/, 'username: 3–64 lower-case letters, digits, dot, dash, underscore');

/**
 * Pages that send a browser without an officer session to the counter app's sign-in
 * (`/counter?next=/fleet`) and get it back after. `next` must be one of these exact same-origin
 * paths: anything else (`//evil.example`, `https://…`, `/fleet/../x`) is ignored, so the sign-in
 * page is no open redirect.
 */
export const SignInReturnPath = z.enum(['/fleet', '/reports', '/admin']);
export type SignInReturnPath = z.infer<typeof SignInReturnPath>;
/** The allowed return path in a raw `next` value, or null. */
export const signInReturnPath = (raw: unknown): SignInReturnPath | null => SignInReturnPath.safeParse(raw).data ?? null;

export const SignInRequest = z
  .object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) })
  .strict();
export type SignInRequest = z.infer<typeof SignInRequest>;

export const CounterChoice = z
  .object({ counterId: z.string().min(1).max(64), serviceIds: z.array(z.string().min(1).max(64)).min(1).max(50) })
  .strict();
export type CounterChoice = z.infer<typeof CounterChoice>;

export const OfficerMe = z.object({
  officer: z.object({
    id: z.string(),
    username: z.string(),
    displayName: z.string(),
    officeId: z.string(),
    officeName: z.string(),
    roles: z.array(OfficerRole),
  }),
  /** Send back as `x-csrf-token` on every POST. */
  csrfToken: z.string(),
  /** Idle sign-out after this many seconds without a request. */
  idleSeconds: z.number().int().positive(),
  /** Last counter and services this officer chose (remembered). */
  remembered: CounterChoice.nullable(),
  counters: z.array(z.object({ id: z.string(), name: z.string() })),
  services: z.array(
    z.object({ id: z.string(), name: z.string(), prefix: z.string(), counterIds: z.array(z.string()) }),
  ),
  priorityGroups: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type OfficerMe = z.infer<typeof OfficerMe>;

/** A ticket as the counter sees it: the registry ticket plus the dossier code linked to it, if any. */
export const CounterTicket = Ticket.extend({
  dossierCode: z.string().nullable(),
  targetCounterId: z.string().nullable(),
});
export type CounterTicket = z.infer<typeof CounterTicket>;

export const CounterState = z.object({
  counterId: z.string(),
  counterName: z.string(),
  serviceIds: z.array(z.string()),
  paused: z.boolean(),
  /** The ticket at this counter now (called, not yet finished). */
  current: CounterTicket.nullable(),
  /** Waiting tickets per service of this counter, in call order. */
  waiting: z.array(z.object({ serviceId: z.string(), tickets: z.array(CounterTicket) })),
  at: z.string(),
});
export type CounterState = z.infer<typeof CounterState>;

/** Acting on the counter's current ticket (recall, no-show, served) or calling the next one. */
export const CounterAction = z.object({ counterId: z.string().min(1).max(64) }).strict();
export type CounterAction = z.infer<typeof CounterAction>;

export const PauseRequest = z.object({ counterId: z.string().min(1).max(64), paused: z.boolean() }).strict();

/**
 * Transfer the current ticket: to another service (it joins that queue at its original issue
 * time, so it keeps its place among the people who came after it) or to another counter (it
 * waits for that counter only and is the first its next "Gọi số tiếp" calls).
 */
export const TransferRequest = z
  .object({
    counterId: z.string().min(1).max(64),
    toServiceId: z.string().min(1).max(64).optional(),
    toCounterId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine(
    (b) => (b.toServiceId === undefined) !== (b.toCounterId === undefined),
    'give exactly one of toServiceId, toCounterId',
  );
export type TransferRequest = z.infer<typeof TransferRequest>;

/** The waiting-room display: calls (newest first) and how many wait per service. */
export const DisplayCall = z.object({
  callId: z.string(),
  seq: z.number().int(),
  number: z.string(),
  counter: z.string(),
  service: z.string(),
  kind: z.enum(['call', 'recall']),
  at: z.string(),
  /** Still at the counter (called, not yet finished). */
  current: z.boolean(),
  /** The spoken announcement (chime + Vietnamese), WAV. */
  audioUrl: z.string(),
});
export type DisplayCall = z.infer<typeof DisplayCall>;

/** A call as central records it (ticket_calls), before it is dressed for a display. */
export interface CallRecord {
  callId: string;
  seq: number;
  officeId: string;
  number: string;
  counterId: string;
  serviceId: string;
  kind: 'call' | 'recall';
  at: string;
}

/** What a display shows for a call; also pushed with the `call` event so a TV shows it without asking. */
export function displayCallOf(
  office: Pick<OfficeConfig, 'officeId' | 'counters' | 'areas'>,
  c: CallRecord,
  current = true,
): DisplayCall {
  return {
    callId: c.callId,
    seq: c.seq,
    number: c.number,
    counter: office.counters.find((x) => x.id === c.counterId)?.name ?? c.counterId,
    service: office.areas.flatMap((a) => a.services).find((x) => x.id === c.serviceId)?.name ?? c.serviceId,
    kind: c.kind,
    at: c.at,
    current,
    audioUrl: `/display/calls/${c.callId}.wav?office=${encodeURIComponent(office.officeId)}`,
  };
}

export const DisplayStateResponse = z.object({
  office: z.string(),
  day: z.string(),
  calls: z.array(DisplayCall),
  waiting: z.array(z.object({ service: z.string(), prefix: z.string(), count: z.number().int() })),
});
export type DisplayStateResponse = z.infer<typeof DisplayStateResponse>;

// ───────────────────────── spoken numbers ─────────────────────────

const DIGITS = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];

/** Ticket numbers are read digit by digit, as printed: `A004` → "A không không bốn". */
export function spokenTicketNumber(number: string): string {
  return number
    .split('')
    .map((c) => (/\d/.test(c) ? DIGITS[Number(c)]! : c === '-' ? ',' : c))
    .join(' ')
    .replace(/ ,/g, ',');
}

/** Whole numbers as Vietnamese words (counter numbers, 0–999): 2 → "hai", 15 → "mười lăm", 21 → "hai mươi mốt". */
export function vietnameseNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 999) return String(n);
  if (n < 10) return DIGITS[n]!;
  if (n < 100) {
    const tens = Math.floor(n / 10);
    const unit = n % 10;
    const head = tens === 1 ? 'mười' : `${DIGITS[tens]} mươi`;
    if (unit === 0) return head;
    const tail = unit === 5 ? 'lăm' : unit === 1 && tens > 1 ? 'mốt' : unit === 4 && tens > 1 ? 'tư' : DIGITS[unit]!;
    return `${head} ${tail}`;
  }
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (rest === 0) return `${DIGITS[hundreds]} trăm`;
  return `${DIGITS[hundreds]} trăm ${rest < 10 ? `linh ${DIGITS[rest]}` : vietnameseNumber(rest)}`;
}

/** "Mời công dân có số thứ tự A không không bốn đến quầy số hai". */
export function announcementText(number: string, counterName: string): string {
  const m = /(\d+)\s*$/.exec(counterName);
  const where = m ? `quầy số ${vietnameseNumber(Number(m[1]))}` : counterName.toLocaleLowerCase('vi');
  return `Mời công dân có số thứ tự ${spokenTicketNumber(number)} đến ${where}`;
}
