import { z } from 'zod';
import { PublicToken, WaitRange } from './tickets.ts';

export { PublicToken };

/**
 * The citizen's phone: the live ticket page on central (`/t/<token>`), what it shows, and the
 * words it shows them in. See docs/phone.md.
 *
 * The token in the ticket QR is made by the issuing kiosk (16 random bytes, base64url, 22
 * characters: 128 bits nobody can guess), online and offline alike, and sent to central with the
 * ticket; central keeps only its SHA-256. It is not the ticket id: the id travels in kiosk and
 * counter APIs, the token only on the citizen's paper.
 */

/** `<base>/t/<token>`: the ticket QR a phone camera opens. `base` without a trailing slash. */
export const ticketUrl = (base: string, token: string): string => `${base.replace(/\/+$/, '')}/t/${token}`;

/** What the ticket page shows and its live stream pushes: numbers and names of services and counters only. */
export const PhoneTicketState = z.discriminatedUnion('state', [
  z.object({
    state: z.enum(['waiting', 'called', 'served', 'skipped']),
    office: z.string(),
    number: z.string(),
    service: z.string(),
    /** Counters serving the service ("Quầy 1, Quầy 2"). */
    counters: z.string(),
    /** Waiting: tickets called before this one. */
    ahead: z.number().int().nonnegative().nullable(),
    wait: WaitRange.nullable(),
    /** Called: the counter to go to. */
    calledTo: z.string().nullable(),
    /** `HH:MM dd/mm/yyyy`, office time. */
    issuedAt: z.string(),
  }),
  /** Unknown token, or a ticket of another day: nothing about any ticket. */
  z.object({ state: z.enum(['unknown', 'expired']) }),
]);
export type PhoneTicketState = z.infer<typeof PhoneTicketState>;

export const PHONE_LANGS = ['vi', 'en'] as const;
export type PhoneLang = (typeof PHONE_LANGS)[number];

/** The page's words, Vietnamese first ("quý khách"). `{n}`, `{counter}`… are filled in. */
export const PHONE_TEXT = {
  vi: {
    title: 'Số thứ tự của quý khách',
    number: 'Số thứ tự',
    service: 'Dịch vụ',
    counters: 'Quầy phục vụ',
    ahead: 'Số người phía trước',
    wait: 'Thời gian chờ dự kiến',
    unknown: 'Chưa xác định',
    minutes: '{min}–{max} phút',
    issuedAt: 'Lấy số lúc',
    waiting: 'Quý khách vui lòng chờ. Trang này tự cập nhật.',
    called: 'Đến lượt quý khách — mời đến {counter}',
    served: 'Số này đã được phục vụ. Cảm ơn quý khách.',
    skipped: 'Số này đã được gọi nhưng quý khách vắng mặt. Xin liên hệ quầy hoặc lấy số mới.',
    notFound: 'Không tìm thấy số thứ tự này. Xin kiểm tra lại mã QR trên phiếu.',
    expired: 'Số thứ tự này đã hết hạn (chỉ dùng trong ngày lấy số).',
    offline: 'Mất kết nối — đang thử lại…',
    switchLang: 'English',
    pushOptIn: 'Báo cho tôi khi sắp đến lượt',
    pushOn: 'Đã bật thông báo: quý khách sẽ được báo khi sắp đến lượt và khi được gọi.',
    pushFailed: 'Không bật được thông báo trên máy này. Quý khách vẫn theo dõi được trên trang này.',
  },
  en: {
    title: 'Your queue ticket',
    number: 'Number',
    service: 'Service',
    counters: 'Counters',
    ahead: 'People ahead',
    wait: 'Expected wait',
    unknown: 'Not known yet',
    minutes: '{min}–{max} min',
    issuedAt: 'Issued at',
    waiting: 'Please wait. This page updates itself.',
    called: 'It is your turn — please go to {counter}',
    served: 'This ticket has been served. Thank you.',
    skipped: 'This number was called but you were not there. Please ask at a counter or take a new number.',
    notFound: 'This ticket was not found. Please check the QR code on your ticket.',
    expired: 'This ticket has expired (valid on the day it was issued only).',
    offline: 'Connection lost — retrying…',
    switchLang: 'Tiếng Việt',
    pushOptIn: 'Notify me when my turn is near',
    pushOn: 'Notifications on: you will be told when your turn is near and when you are called.',
    pushFailed: 'Notifications could not be turned on on this phone. This page still updates.',
  },
} as const satisfies Record<PhoneLang, Record<string, string>>;
export type PhoneTextKey = keyof (typeof PHONE_TEXT)['vi'];

/** The dossier status page (`/hs/<token>`, docs/phone.md), Vietnamese first. */
export const DOSSIER_PAGE_TEXT = {
  vi: {
    title: 'Tình trạng hồ sơ',
    code: 'Mã hồ sơ',
    procedure: 'Thủ tục',
    status: 'Trạng thái',
    appointment: 'Ngày hẹn trả kết quả',
    timeline: 'Quá trình xử lý',
    notFound: 'Không tìm thấy hồ sơ theo đường dẫn này. Quý khách vui lòng kiểm tra lại tin nhắn hoặc hỏi tại quầy.',
    switchLang: 'English',
  },
  en: {
    title: 'Dossier status',
    code: 'Dossier code',
    procedure: 'Procedure',
    status: 'Status',
    appointment: 'Result due on',
    timeline: 'History',
    notFound: 'No dossier is found at this address. Please check the message or ask at the counter.',
    switchLang: 'Tiếng Việt',
  },
} as const satisfies Record<PhoneLang, Record<string, string>>;
export type DossierPageTextKey = keyof (typeof DOSSIER_PAGE_TEXT)['vi'];

// ───────────────────────── notifications before the turn ─────────────────────────

export const NotifyChannel = z.enum(['zalo', 'sms', 'webpush']);
export type NotifyChannel = z.infer<typeof NotifyChannel>;
/**
 * `soon`: N people ahead (the office's `phone.notifyAhead`); `called`: a counter called the ticket;
 * `dossier`: a dossier the citizen opted in for at submission changed status; `booking`: the code
 * of an appointment just booked on `/hen` (docs/phone.md).
 */
export const NotifyEvent = z.enum(['soon', 'called', 'dossier', 'booking']);
export type NotifyEvent = z.infer<typeof NotifyEvent>;

/** The SMS and Web Push words (Zalo uses the office's approved templates with the same facts). */
export const NOTIFY_TEXT: Record<NotifyEvent, string> = {
  soon: '{office}: Sắp đến lượt quý khách (số {number}), còn {ahead} người phía trước. Xin quý khách trở lại phòng chờ.',
  called: '{office}: Đến lượt quý khách số {number} — mời đến {counter}.',
  dossier: '{office}: Hồ sơ {code} ({procedure}) của quý khách: {status}. Xem tại {link}',
  booking: '{office}: Quý khách đã đặt lịch hẹn {procedure} lúc {when}. Mã lịch hẹn: {code}. Mã QR: {link}',
};

/**
 * A Vietnamese mobile number as providers want it, `84` + 9 digits, from what a citizen types:
 * `0912345678`, `84912345678`, `+84 912 345 678`. null when it is not one.
 */
export function normalizeVnMobile(input: string): string | null {
  const digits = input.replace(/[\s.-]/g, '');
  const m = /^(?:\+?84|0)([35789]\d{8})$/.exec(digits);
  return m ? `84${m[1]}` : null;
}

export const VnMobile = z
  .string()
  .max(20)
  .transform((s, ctx) => {
    const n = normalizeVnMobile(s);
    if (!n) {
      ctx.addIssue({ code: 'custom', message: 'not a Vietnamese mobile number' });
      return z.NEVER;
    }
    return n;
  });

/** Outbox kind `ticket.notify`: a citizen asked at the kiosk to be told by Zalo or SMS. */
export const TICKET_NOTIFY_KIND = 'ticket.notify';
export const NotifyOptInPayload = z
  .object({
    ticketId: z.uuid(),
    channel: z.enum(['zalo', 'sms']),
    phone: VnMobile,
    /** The consent wording's version the citizen agreed to. */
    consent: z.literal('v1'),
  })
  .strict();
export type NotifyOptInPayload = z.input<typeof NotifyOptInPayload>;
