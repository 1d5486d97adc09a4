import { randomInt } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import {
  appointmentPolicyOf,
  BOOK_ERRORS,
  BOOK_LANGS,
  BOOK_TEXT,
  bookableDays,
  bookableService,
  BookingCode,
  bookingUrl,
  BookRequest,
  CheckInRequest,
  CODE_ALPHABET,
  openSlots,
  type BookLang,
  type BookTextKey,
} from '../../protocol/appointments.ts';
import type { OfficeConfig } from '../../protocol/office.ts';
import { localInstant, vnDay, type IssueTicketResponse } from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, type CentralContext, type CentralRoute, type Device } from '../context.node.ts';
import { HttpError, parse, sha256 } from '../http.node.ts';
import type { NotifyMessage } from '../notify/providers.node.ts';
import { hitRateLimit, purgeRateLimits, rateLimitWait } from '../ratelimit.node.ts';
import { centralSecret, hmacHex } from '../secrets.node.ts';
import type { Sql } from '../store/store.node.ts';
import { issueOnline } from './tickets.node.ts';

/**
 * Appointments (issue 15, docs/phone.md): the public booking page (`/hen`), the booking's own
 * page with its code and QR (`/a/<code>`), and the kiosk's check-in (`POST
 * /v1/appointments/check-in`) that turns a booking into a ticket ordered by the office's
 * appointment policy. Capacity: each booking takes a seat 1..capacity of its slot under a
 * unique index, in one transaction (see migration 075).
 */

interface ApptRow {
  id: string;
  code: string;
  office_id: string;
  service_id: string;
  day: string;
  slot: string;
  slot_start: string;
  id_kind: string;
  id_last3: string;
  status: 'booked' | 'checked_in';
  ticket_id: string | null;
}
const ACOLS = 'id, code, office_id, service_id, day, slot, slot_start, id_kind, id_last3, status, ticket_id';

/** Booking requests (`POST /hen`) per client address per window: every attempt counts. */
export const BOOK_MAX_PER_WINDOW = 30;
/** Unknown or malformed booking codes (the booking page, cancellations) per client address per window. */
export const CODE_MAX_MISSES = 20;
const LIMIT_WINDOW_MS = 10 * 60_000;

export const newBookingCode = (): string =>
  Array.from({ length: 8 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

/** How many seats of each slot of a day are taken. */
async function takenSeats(q: Sql, officeId: string, serviceId: string, day: string): Promise<Map<string, number>> {
  const rows = await q.all<{ slot: string; n: number }>(
    'SELECT slot, COUNT(*) AS n FROM appointments WHERE office_id = ? AND service_id = ? AND day = ? GROUP BY slot',
    [officeId, serviceId, day],
  );
  return new Map(rows.map((r) => [r.slot, Number(r.n)]));
}

export interface Booked {
  code: string;
  officeId: string;
  serviceId: string;
  day: string;
  slot: string;
  last3: string;
  /** The channel the code is being sent by (a mobile number, a channel the office offers), else null. */
  notify: 'zalo' | 'sms' | null;
}

/**
 * The key of the HMAC under which a booking's phone/CCCD number is kept (`id_hash`): a copy of the
 * database alone cannot enumerate the 10-digit number space back to numbers.
 * `CENTRAL_APPOINTMENT_SECRET` when set, else made once and kept in `central_secrets`.
 */
export const appointmentKey = (q: Sql, now: Date): Promise<Buffer> =>
  centralSecret(q, 'appointment-id', now, process.env.CENTRAL_APPOINTMENT_SECRET);

/** Books a slot: one transaction; the first free seat of the slot, or SLOT_FULL. */
export async function book(q: Sql, req: BookRequest, now: Date, base = ''): Promise<Booked> {
  const office = (await getOfficeConfig(q, req.officeId))?.config;
  const b = office && bookableService(office, req.serviceId);
  if (!office || !b) throw new HttpError(404, 'NOT_BOOKABLE', 'this service takes no appointments');
  if (
    !bookableDays(office, req.serviceId, now).includes(req.day) ||
    !openSlots(office, req.serviceId, req.day, now).includes(req.slot)
  )
    throw new HttpError(409, 'SLOT_UNAVAILABLE', 'this slot cannot be booked');
  const idHash = hmacHex(await appointmentKey(q, now), `${req.idKind}:${req.idNumber}`);
  // Bookings made before the keyed hash (bare SHA-256) still count for the rules below until they pass.
  const legacyHash = sha256(`${req.idKind}:${req.idNumber}`);
  const slotStart = localInstant(req.day, req.slot);
  if (b.policy.maxNoShows !== null) {
    // No-shows: bookings never checked in whose check-in window closed within `noShowDays`.
    const missed = await q.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM appointments WHERE id_hash IN (?, ?) AND status = 'booked' AND slot_start < ? AND slot_start >= ?",
      [
        idHash,
        legacyHash,
        new Date(now.getTime() - b.policy.lateMinutes * 60_000).toISOString(),
        new Date(now.getTime() - b.policy.noShowDays * 86_400_000).toISOString(),
      ],
    );
    if (Number(missed?.n ?? 0) >= b.policy.maxNoShows)
      throw new HttpError(409, 'NO_SHOW_LIMIT', 'too many missed appointments recently');
  }
  const mine = await q.get('SELECT id FROM appointments WHERE office_id = ? AND day = ? AND id_hash IN (?, ?)', [
    office.officeId,
    req.day,
    idHash,
    legacyHash,
  ]);
  if (mine) throw new HttpError(409, 'ALREADY_BOOKED', 'one appointment per person, office and day');
  const code = newBookingCode();
  const id = uuidv7();
  for (let seat = 1; seat <= b.setting.capacity; seat++) {
    // A seat another booking took (committed or still in its transaction: PostgreSQL waits for
    // it) does nothing; the next seat is tried.
    const { changes } = await q.run(
      `INSERT INTO appointments (id, code, office_id, service_id, day, slot, slot_start, seat, id_kind, id_hash, id_last3, status, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'booked', ?)
       ON CONFLICT (office_id, service_id, day, slot, seat) DO NOTHING`,
      [
        id,
        code,
        office.officeId,
        req.serviceId,
        req.day,
        req.slot,
        slotStart.toISOString(),
        seat,
        req.idKind,
        idHash,
        req.idNumber.slice(-3),
        now.toISOString(),
      ],
    );
    if (changes === 1) {
      // The code by Zalo or SMS: the number is kept only for that one message (docs/phone.md).
      const channel =
        req.idKind === 'phone' && req.notify && office.phone?.channels?.includes(req.notify) ? req.notify : null;
      if (channel) {
        const at = now.toISOString();
        await q.run(
          'INSERT INTO appointment_contacts (appointment_id, office_id, channel, address, created_at) VALUES (?, ?, ?, ?, ?)',
          [id, office.officeId, channel, req.idNumber, at],
        );
        const payload: Omit<NotifyMessage, 'key' | 'event' | 'address'> = {
          number: code,
          service: b.service.name,
          counter: '',
          ahead: null,
          office: office.name,
          booking: {
            code,
            procedure: b.service.name,
            when: `${req.slot} ${vnDay(req.day)}`,
            link: bookingUrl(base, code),
          },
        };
        await q.run(
          `INSERT INTO notify_outbox (key, ticket_id, office_id, channel, event, payload, status, attempts, next_at, created_at)
           VALUES (?, ?, ?, ?, 'booking', ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
          [`appt:${id}:booking:${channel}`, id, office.officeId, channel, JSON.stringify(payload), at, at],
        );
      }
      return {
        code,
        officeId: office.officeId,
        serviceId: req.serviceId,
        day: req.day,
        slot: req.slot,
        last3: req.idNumber.slice(-3),
        notify: channel,
      };
    }
  }
  throw new HttpError(409, 'SLOT_FULL', 'this slot is fully booked');
}

export type CheckInResponse = IssueTicketResponse & { appointment: { day: string; slot: string } };

/** A kiosk checks a booking in: it becomes a waiting ticket of its slot (once). */
export async function checkIn(
  q: Sql,
  device: Device,
  body: z.output<typeof CheckInRequest>,
  ctx: CentralContext,
): Promise<CheckInResponse> {
  const now = ctx.now();
  const row = await q.get<ApptRow>(`SELECT ${ACOLS} FROM appointments WHERE code = ?`, [body.code]);
  if (!row) throw new HttpError(404, 'APPOINTMENT_NOT_FOUND', 'no appointment with this code');
  if (row.office_id !== device.officeId)
    throw new HttpError(409, 'APPOINTMENT_OTHER_OFFICE', 'this appointment is at another office');
  const office = (await getOfficeConfig(q, row.office_id))!.config;
  const policy = appointmentPolicyOf(office);
  const appointment = { day: row.day, slot: row.slot };
  const ticketBody = {
    ticketId: body.ticketId,
    serviceId: row.service_id,
    priorityGroupId: null,
    source: 'kiosk' as const,
    issuedAt: now.toISOString(),
    ...(body.publicToken ? { publicToken: body.publicToken } : {}),
  };
  const order = { slot: row.slot, weight: policy.weight };
  if (row.status === 'checked_in') {
    // The same kiosk asking again for the same ticket (a lost answer): the same ticket.
    if (row.ticket_id === body.ticketId)
      return { ...(await issueOnline(q, device, ticketBody, ctx, order)), appointment };
    throw new HttpError(409, 'APPOINTMENT_USED', 'this appointment has already been checked in');
  }
  const start = Date.parse(row.slot_start);
  const opensAt = start - policy.earlyMinutes * 60_000;
  if (now.getTime() < opensAt)
    throw new HttpError(409, 'APPOINTMENT_TOO_EARLY', 'check-in has not opened yet', {
      opensAt: new Date(opensAt).toISOString(),
      day: row.day,
      slot: row.slot,
    });
  if (now.getTime() > start + policy.lateMinutes * 60_000)
    throw new HttpError(409, 'APPOINTMENT_TOO_LATE', 'check-in has closed', { day: row.day, slot: row.slot });
  const issued = await issueOnline(q, device, ticketBody, ctx, order);
  const { changes } = await q.run(
    "UPDATE appointments SET status = 'checked_in', ticket_id = ?, checked_in_at = ? WHERE id = ? AND status = 'booked'",
    [body.ticketId, now.toISOString(), row.id],
  );
  if (changes !== 1) throw new HttpError(409, 'APPOINTMENT_USED', 'this appointment has already been checked in');
  return { ...issued, appointment };
}

/** The citizen cancels with the code: the booking is deleted, so its seat is free again. */
export async function cancelBooking(q: Sql, code: string, now: Date): Promise<void> {
  const row = await q.get<ApptRow>(`SELECT ${ACOLS} FROM appointments WHERE code = ?`, [code]);
  if (!row) throw new HttpError(404, 'APPOINTMENT_NOT_FOUND', 'no appointment with this code');
  if (row.status !== 'booked')
    throw new HttpError(409, 'APPOINTMENT_USED', 'this appointment has already been checked in');
  if (Date.parse(row.slot_start) <= now.getTime())
    throw new HttpError(409, 'APPOINTMENT_TOO_LATE', 'the appointment time has passed');
  const { changes } = await q.run("DELETE FROM appointments WHERE id = ? AND status = 'booked'", [row.id]);
  if (changes !== 1) throw new HttpError(409, 'APPOINTMENT_USED', 'this appointment has already been checked in');
  // A code not yet sent is not sent any more, and the number goes.
  await q.run('DELETE FROM appointment_contacts WHERE appointment_id = ?', [row.id]);
  await q.run(
    "UPDATE notify_outbox SET status = 'dropped', last_error = 'CANCELLED' WHERE ticket_id = ? AND event = 'booking' AND status = 'pending'",
    [row.id],
  );
}

// ───────────────────────── pages ─────────────────────────

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const say = (lang: BookLang, key: BookTextKey, vars: Record<string, string | number> = {}) =>
  BOOK_TEXT[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

/** No script at all; forms post only here. */
export const BOOK_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

function page(lang: BookLang, body: string, self: string): string {
  const other: BookLang = lang === 'vi' ? 'en' : 'vi';
  const sep = self.includes('?') ? '&' : '?';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(say(lang, 'title'))}</title>
<style>
body{margin:0;font-family:"Noto Sans","DejaVu Sans",system-ui,sans-serif;background:#f4f6fa;color:#111;font-size:18px}
header{display:flex;justify-content:space-between;align-items:center;background:#0b2a5b;color:#fff;padding:12px 16px}
header h1{font-size:18px;margin:0}header a{color:#fff;font-size:16px;padding:8px}
main{padding:16px;max-width:480px;margin:0 auto}
ul{list-style:none;padding:0;margin:0}li{margin:0 0 8px}
.choice{display:block;background:#fff;border:1px solid #d0d7e2;border-radius:12px;padding:14px;color:#0b2a5b;font-weight:700;text-decoration:none}
.full{color:#777;background:#eee}
.note{background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}.err{background:#fde8e8;border-color:#c62828}
label{display:block;margin:8px 0}input[type=text]{width:100%;box-sizing:border-box;font:inherit;padding:12px;border:1px solid #888;border-radius:8px}
button{width:100%;min-height:56px;font:inherit;font-weight:700;background:#0b2a5b;color:#fff;border:0;border-radius:12px;margin-top:12px}
button.secondary{background:#fff;color:#0b2a5b;border:2px solid #0b2a5b}
.code{font-size:40px;font-weight:800;letter-spacing:4px;text-align:center;color:#0b2a5b;margin:8px 0}
.qr{display:block;margin:0 auto;width:240px;height:240px}
dl{display:grid;grid-template-columns:auto 1fr;gap:8px 12px;background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}
dt{color:#444}dd{margin:0;font-weight:700;text-align:right}
</style></head><body>
<header><h1>${esc(say(lang, 'title'))}</h1><a href="${esc(self + sep)}lang=${other}" hreflang="${other}">${esc(say(lang, 'switchLang'))}</a></header>
<main>${body}</main>
</body></html>
`;
}

const Step = z.object({
  lang: z.enum(BOOK_LANGS).catch('vi').default('vi'),
  office: z.string().max(100).optional(),
  service: z.string().max(100).optional(),
  day: z.iso.date().optional().catch(undefined),
});

const link = (params: Record<string, string | undefined>, lang: BookLang) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) u.set(k, v);
  if (lang !== 'vi') u.set('lang', lang);
  return `/hen?${u.toString()}`;
};

async function bookableOffices(q: Sql): Promise<OfficeConfig[]> {
  const ids = await q.all<{ id: string }>('SELECT id FROM offices ORDER BY name');
  const out: OfficeConfig[] = [];
  for (const { id } of ids) {
    const c = (await getOfficeConfig(q, id))?.config;
    if (c && appointmentPolicyOf(c).enabled) out.push(c);
  }
  return out;
}

/** The booking steps: office → service → day → slot (with seats left) and the identity form. */
async function stepPage(q: Sql, step: z.output<typeof Step>, now: Date, error: BookTextKey | null = null) {
  const { lang } = step;
  const choices = (items: Array<{ href: string | null; label: string }>) =>
    `<ul>${items.map((i) => (i.href ? `<li><a class="choice" href="${esc(i.href)}">${esc(i.label)}</a></li>` : `<li><span class="choice full">${esc(i.label)}</span></li>`)).join('')}</ul>`;
  const err = error ? `<p class="note err" role="alert">${esc(say(lang, error))}</p>` : '';
  const office = step.office ? (await getOfficeConfig(q, step.office))?.config : undefined;
  if (!office || !appointmentPolicyOf(office).enabled) {
    const offices = await bookableOffices(q);
    if (!offices.length) return `<p class="note">${esc(say(lang, 'none'))}</p>`;
    return `${err}<h2>${esc(say(lang, 'chooseOffice'))}</h2>${choices(offices.map((o) => ({ href: link({ office: o.officeId }, lang), label: o.name })))}`;
  }
  const policy = appointmentPolicyOf(office);
  const head = `<p>${esc(office.name)}</p>`;
  const b = step.service ? bookableService(office, step.service) : null;
  if (!b) {
    const services = policy.services.flatMap((s) => {
      const f = bookableService(office, s.serviceId);
      return f ? [{ href: link({ office: office.officeId, service: s.serviceId }, lang), label: f.service.name }] : [];
    });
    return `${err}${head}<h2>${esc(say(lang, 'chooseService'))}</h2>${choices(services)}<p><a href="${esc(link({}, lang))}">${esc(say(lang, 'back'))}</a></p>`;
  }
  const days = bookableDays(office, b.service.id, now);
  const head2 = `${head}<p><strong>${esc(b.service.name)}</strong></p>`;
  if (!step.day || !days.includes(step.day)) {
    return `${err}${head2}<h2>${esc(say(lang, 'chooseDay'))}</h2>${days.length ? choices(days.map((d) => ({ href: link({ office: office.officeId, service: b.service.id, day: d }, lang), label: vnDay(d) }))) : `<p class="note">${esc(say(lang, 'none'))}</p>`}<p><a href="${esc(link({ office: office.officeId }, lang))}">${esc(say(lang, 'back'))}</a></p>`;
  }
  const taken = await takenSeats(q, office.officeId, b.service.id, step.day);
  const slots = openSlots(office, b.service.id, step.day, now).map((s) => ({
    slot: s,
    left: Math.max(0, b.setting.capacity - (taken.get(s) ?? 0)),
  }));
  const radios = slots
    .map(
      (s) =>
        `<li><label class="choice${s.left ? '' : ' full'}"><input type="radio" name="slot" value="${s.slot}" required${s.left ? '' : ' disabled'}> ${s.slot} — <span data-slot="${s.slot}">${esc(s.left ? say(lang, 'left', { n: s.left }) : say(lang, 'full'))}</span></label></li>`,
    )
    .join('');
  return `${err}${head2}<h2>${esc(say(lang, 'chooseSlot'))} — ${vnDay(step.day)}</h2>
<form method="post" action="/hen${lang === 'vi' ? '' : '?lang=en'}">
<input type="hidden" name="officeId" value="${esc(office.officeId)}"><input type="hidden" name="serviceId" value="${esc(b.service.id)}"><input type="hidden" name="day" value="${step.day}">
<ul>${radios}</ul>
<fieldset><legend>${esc(say(lang, 'idKind'))}</legend>
<label><input type="radio" name="idKind" value="phone" checked> ${esc(say(lang, 'phone'))}</label>
<label><input type="radio" name="idKind" value="cccd"> ${esc(say(lang, 'cccd'))}</label></fieldset>
<label>${esc(say(lang, 'idNumber'))} <input type="text" name="idNumber" inputmode="numeric" autocomplete="off" required maxlength="20"></label>
${sendChoice(office, lang)}<p class="note">${esc(say(lang, 'consent'))}</p>
<button type="submit">${esc(say(lang, 'book'))}</button></form>
<p><a href="${esc(link({ office: office.officeId, service: b.service.id }, lang))}">${esc(say(lang, 'back'))}</a></p>`;
}

/** "Gửi mã lịch hẹn … qua": the channels the office offers (for a mobile number). */
function sendChoice(office: OfficeConfig, lang: BookLang): string {
  const channels = office.phone?.channels ?? [];
  if (!channels.length) return '';
  return `<fieldset><legend>${esc(say(lang, 'sendBy'))}</legend>
<label><input type="radio" name="notify" value="" checked> ${esc(say(lang, 'sendNone'))}</label>
${channels.map((c) => `<label><input type="radio" name="notify" value="${c}"> ${esc(say(lang, c))}</label>`).join('\n')}</fieldset>
<p class="note">${esc(say(lang, 'sendNote'))}</p>`;
}

/** The booking's page: code, QR (`<base>/a/<code>`), office, service, time, the last 3 digits. */
async function bookingPage(q: Sql, code: string, lang: BookLang, base: string, now: Date): Promise<string | null> {
  const row = await q.get<ApptRow>(`SELECT ${ACOLS} FROM appointments WHERE code = ?`, [code]);
  if (!row) return null;
  const office = (await getOfficeConfig(q, row.office_id))?.config;
  if (!office) return null;
  const b = bookableService(office, row.service_id);
  const policy = appointmentPolicyOf(office);
  const svg = await QRCode.toString(bookingUrl(base, row.code), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  const rows: Array<[BookTextKey, string]> = [
    ['office', office.name],
    ['service', b?.service.name ?? row.service_id],
    ['when', `${row.slot} ${vnDay(row.day)}`],
    ['who', `***${row.id_last3}`],
  ];
  return `<h2 role="status">${esc(say(lang, 'booked'))}</h2>
<p>${esc(say(lang, 'code'))}</p><p class="code" data-code="${row.code}">${row.code}</p>
<img class="qr" alt="QR ${row.code}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">
<dl>${rows.map(([k, v]) => `<dt>${esc(say(lang, k))}</dt><dd data-k="${k}">${esc(v)}</dd>`).join('')}</dl>
<p class="note">${esc(say(lang, 'howTo', { early: policy.earlyMinutes, late: policy.lateMinutes }))}</p>${
    row.status === 'booked' && Date.parse(row.slot_start) > now.getTime()
      ? `<form method="post" action="/a/${row.code}/cancel${lang === 'vi' ? '' : '?lang=en'}"><p>${esc(say(lang, 'cancelNote'))}</p><button type="submit" class="secondary" data-testid="cancel">${esc(say(lang, 'cancel'))}</button></form>`
      : ''
  }`;
}

const headers = (reply: FastifyReply) =>
  reply
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .header('content-security-policy', BOOK_CSP)
    .type('text/html; charset=utf-8');

/** A browser (a page or a form it posts) gets a page; an API client the usual JSON error. */
const wantsHtml = (req: FastifyRequest) => String(req.headers.accept ?? '').includes('text/html');

/** Where phones reach central: the office's `phone.publicUrl`, else the address asked for. */
const baseOf = (office: OfficeConfig | undefined, host: string, protocol: string) =>
  office?.phone?.publicUrl ?? `${protocol}://${host}`;

export const route: CentralRoute = {
  name: 'appointments',
  register(app, ctx) {
    // Public endpoints: counted per client address in the database (central/ratelimit.node.ts),
    // so several central instances count together. Bookings: every attempt; codes: misses only.
    const bookingWait = async (ip: string, now: Date): Promise<number> => {
      const hits = await hitRateLimit(ctx.store, `book:${ip}`, now, LIMIT_WINDOW_MS);
      if (Math.random() < 0.01) await purgeRateLimits(ctx.store, now);
      return hits > BOOK_MAX_PER_WINDOW
        ? Math.max(1, await rateLimitWait(ctx.store, `book:${ip}`, BOOK_MAX_PER_WINDOW, now, LIMIT_WINDOW_MS))
        : 0;
    };
    const codeWait = (ip: string, now: Date) =>
      rateLimitWait(ctx.store, `apptcode:${ip}`, CODE_MAX_MISSES, now, LIMIT_WINDOW_MS);
    const codeMissed = (ip: string, now: Date) => hitRateLimit(ctx.store, `apptcode:${ip}`, now, LIMIT_WINDOW_MS);

    app.post('/v1/appointments/check-in', async (req): Promise<CheckInResponse> => {
      const device = deviceOf(req);
      const body = parse(CheckInRequest, req.body);
      const done = await ctx.store.tx((q) => checkIn(q, device, body, ctx));
      ctx.metrics.ticketsIssued.inc({ origin: 'central' });
      ctx.live.publish(device.officeId, { type: 'changed' });
      return done;
    });

    app.get('/hen', { config: { public: true } }, async (req, reply) => {
      const step = Step.parse(req.query ?? {});
      const self = link({ office: step.office, service: step.service, day: step.day }, 'vi');
      return headers(reply).send(page(step.lang, await stepPage(ctx.store, step, ctx.now()), self));
    });

    // The booking page's form (urlencoded, no script) or a JSON client.
    app.register(async (sub) => {
      sub.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 4096 },
        (_req, body, done) => done(null, Object.fromEntries(new URLSearchParams(String(body)))),
      );
      sub.post('/hen', { config: { public: true } }, async (req, reply) => {
        const { lang } = Step.parse(req.query ?? {});
        const json = !String(req.headers['content-type'] ?? '').includes('form-urlencoded') || !wantsHtml(req);
        const raw = (req.body ?? {}) as Record<string, unknown>;
        const wait = await bookingWait(req.ip, ctx.now());
        if (wait > 0) {
          reply.header('Retry-After', String(wait));
          if (json) throw new HttpError(429, 'RATE_LIMITED', `too many booking requests; try again in ${wait} s`);
          return headers(reply)
            .code(429)
            .send(page(lang, `<p class="note err" role="alert">${esc(say(lang, 'RATE_LIMITED'))}</p>`, '/hen'));
        }
        const parsed = BookRequest.safeParse(raw);
        const step = Step.parse({
          lang,
          office: typeof raw.officeId === 'string' ? raw.officeId : undefined,
          service: typeof raw.serviceId === 'string' ? raw.serviceId : undefined,
          day: typeof raw.day === 'string' ? raw.day : undefined,
        });
        const self = link({ office: step.office, service: step.service, day: step.day }, 'vi');
        if (!parsed.success) {
          if (json) throw new HttpError(400, 'BAD_REQUEST', 'not a valid booking (phone or CCCD number)');
          return headers(reply)
            .code(400)
            .send(page(lang, await stepPage(ctx.store, step, ctx.now(), 'badId'), self));
        }
        try {
          const office = (await getOfficeConfig(ctx.store, parsed.data.officeId))?.config;
          const base = baseOf(office, String(req.headers.host ?? '127.0.0.1'), req.protocol);
          const booked = await ctx.store.tx((q) => book(q, parsed.data, ctx.now(), base));
          if (json) return reply.header('cache-control', 'no-store').send(booked);
          const query = new URLSearchParams({
            ...(lang === 'vi' ? {} : { lang }),
            ...(booked.notify ? { sent: booked.notify } : {}),
          }).toString();
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .redirect(`/a/${booked.code}${query ? `?${query}` : ''}`);
        } catch (err) {
          const code =
            err instanceof HttpError ? (BOOK_ERRORS as readonly string[]).find((c) => c === err.code) : undefined;
          if (json || !code || !(err instanceof HttpError)) throw err;
          return headers(reply)
            .code(err.status)
            .send(page(lang, await stepPage(ctx.store, step, ctx.now(), code as BookTextKey), self));
        }
      });

      // "Hủy lịch hẹn" on the booking's page (a form, no script), or a JSON client.
      sub.post('/a/:code/cancel', { config: { public: true } }, async (req, reply) => {
        const { lang } = Step.parse(req.query ?? {});
        const json = !wantsHtml(req);
        const now = ctx.now();
        const wait = await codeWait(req.ip, now);
        const self = `/a/${String((req.params as { code?: unknown }).code ?? '')}`;
        const say1 = (status: number, key: BookTextKey, role = 'alert') =>
          headers(reply)
            .code(status)
            .send(
              page(
                lang,
                `<p class="note${status === 200 ? '' : ' err'}" role="${role}">${esc(say(lang, key))}</p>`,
                self,
              ),
            );
        if (wait > 0) {
          reply.header('Retry-After', String(wait));
          if (json) throw new HttpError(429, 'RATE_LIMITED', `too many unknown codes; try again in ${wait} s`);
          return say1(429, 'RATE_LIMITED');
        }
        const code = BookingCode.safeParse((req.params as { code?: unknown }).code ?? '');
        try {
          if (!code.success) throw new HttpError(404, 'APPOINTMENT_NOT_FOUND', 'no appointment with this code');
          await ctx.store.tx((q) => cancelBooking(q, code.data, now));
        } catch (err) {
          if (!(err instanceof HttpError)) throw err;
          if (err.code === 'APPOINTMENT_NOT_FOUND') await codeMissed(req.ip, now);
          if (json) throw err;
          const key = err.code === 'APPOINTMENT_NOT_FOUND' ? 'notFound' : (err.code as BookTextKey);
          return say1(err.status, key in BOOK_TEXT.vi ? key : 'notFound');
        }
        if (json) return reply.header('cache-control', 'no-store').send({ cancelled: true });
        return say1(200, 'cancelled', 'status');
      });
    });

    app.get('/a/:code', { config: { public: true } }, async (req, reply) => {
      const { lang } = Step.parse(req.query ?? {});
      const now = ctx.now();
      const wait = await codeWait(req.ip, now);
      if (wait > 0 && !wantsHtml(req)) {
        reply.header('Retry-After', String(wait));
        throw new HttpError(429, 'RATE_LIMITED', `too many unknown codes; try again in ${wait} s`);
      }
      if (wait > 0)
        return headers(reply)
          .header('Retry-After', String(wait))
          .code(429)
          .send(page(lang, `<p class="note err" role="alert">${esc(say(lang, 'RATE_LIMITED'))}</p>`, '/hen'));
      const code = BookingCode.safeParse((req.params as { code?: unknown }).code ?? '');
      const host = String(req.headers.host ?? '127.0.0.1');
      const officeId = code.success
        ? (await ctx.store.get<{ office_id: string }>('SELECT office_id FROM appointments WHERE code = ?', [code.data]))
            ?.office_id
        : undefined;
      const office = officeId ? (await getOfficeConfig(ctx.store, officeId))?.config : undefined;
      const body = code.success
        ? await bookingPage(ctx.store, code.data, lang, baseOf(office, host, req.protocol), now)
        : null;
      const self = `/a/${code.success ? code.data : ''}`;
      if (!body) await codeMissed(req.ip, now);
      if (!body && !wantsHtml(req)) throw new HttpError(404, 'APPOINTMENT_NOT_FOUND', 'no appointment with this code');
      if (!body)
        return headers(reply)
          .code(404)
          .send(page(lang, `<p class="note err" role="alert">${esc(say(lang, 'notFound'))}</p>`, self));
      // Just booked with "Gửi mã … qua Zalo/SMS": said under the code.
      const sent = z.object({ sent: z.enum(['zalo', 'sms']).optional().catch(undefined) }).parse(req.query ?? {}).sent;
      const note = sent
        ? `<p class="note" role="status">${esc(say(lang, 'sent', { channel: say(lang, sent) }))}</p>`
        : '';
      return headers(reply).send(page(lang, note + body, self));
    });
  },
};
