import { scanError } from './messages.ts';
import type { Parsed, TicketQrData } from './types.ts';

/**
 * Our own queue-ticket QR: `OSK1:T:<ticketId>`. The version digit lets a later format coexist
 * with tickets already printed; the `T` leaves room for other kinds of our own codes.
 */
export const TICKET_QR_PREFIX = 'OSK1:T:';
const TICKET_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function buildTicketQr(ticketId: string): string {
  if (!TICKET_ID.test(ticketId)) throw new RangeError('ticket QR: ticketId must be 1–64 of A–Z a–z 0–9 _ -');
  return `${TICKET_QR_PREFIX}${ticketId}`;
}

/**
 * The live ticket page's address, `http(s)://<central>/t/<token>` (docs/phone.md): the token is
 * 22 url-safe characters (16 random bytes). Any host: the office may publish central under a
 * name the kiosk does not use itself.
 */
const TICKET_URL = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?\/t\/([A-Za-z0-9_-]{22})\/?$/;

export function parseTicketUrl(text: string): TicketQrData | null {
  const m = TICKET_URL.exec(text);
  return m ? { token: m[1]! } : null;
}

/** Anything that starts like one of our codes (`OSK<digits>:`) is ours to accept or refuse. */
export const looksLikeOurCode = (text: string): boolean => /^OSK\d+:/.test(text);

export function parseTicketQr(text: string): Parsed<TicketQrData> {
  const version = /^OSK(\d+):/.exec(text);
  if (!version) return { ok: false, error: scanError('TICKET_MALFORMED') };
  if (version[1] !== '1') return { ok: false, error: scanError('TICKET_VERSION') };
  if (!text.startsWith(TICKET_QR_PREFIX)) return { ok: false, error: scanError('TICKET_MALFORMED') };
  const ticketId = text.slice(TICKET_QR_PREFIX.length);
  if (!TICKET_ID.test(ticketId)) return { ok: false, error: scanError('TICKET_MALFORMED') };
  return { ok: true, value: { ticketId }, warnings: [] };
}
