import { z } from 'zod';
import { DEFAULT_APPOINTMENT_POLICY, type AppointmentPolicy, type OfficeConfig } from './office.ts';
import { normalizeVnMobile } from './phone.ts';
import { findService, localDay, localInstant, serviceHoursOn, TicketId, PublicToken } from './tickets.ts';

/**
 * Appointments (issue 15, docs/phone.md): slots of a service on a day, the booking code, what
 * a citizen sends to book and what a kiosk sends to check in. Pure; central and the kiosk share it.
 */

export const appointmentPolicyOf = (office: OfficeConfig): AppointmentPolicy => ({
  ...DEFAULT_APPOINTMENT_POLICY,
  ...(office.appointments ?? {}),
});

/** The bookable setting of a service, or null when the office takes no bookings for it. */
export function bookableService(office: OfficeConfig, serviceId: string) {
  const policy = appointmentPolicyOf(office);
  if (!policy.enabled) return null;
  const setting = policy.services.find((s) => s.serviceId === serviceId);
  const found = findService(office, serviceId);
  return setting && found ? { policy, setting, ...found } : null;
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hhmmOf = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

/** The slots (`HH:MM` starts) of a service on a local day: whole slots within its opening hours. */
export function slotsOn(office: OfficeConfig, serviceId: string, day: string): string[] {
  const b = bookableService(office, serviceId);
  if (!b) return [];
  const out: string[] = [];
  for (const r of [...serviceHoursOn(office, b.service, day)].sort((x, y) => minutes(x.open) - minutes(y.open)))
    for (let m = minutes(r.open); m + b.setting.slotMinutes <= minutes(r.close); m += b.setting.slotMinutes)
      out.push(hhmmOf(m));
  return out;
}

/** The days a citizen may book from `now`: today (slots not yet started) and `bookDaysAhead - 1` more. */
export function bookableDays(office: OfficeConfig, serviceId: string, now: Date): string[] {
  const b = bookableService(office, serviceId);
  if (!b) return [];
  const today = localDay(now);
  const days: string[] = [];
  for (let d = 0; d < b.policy.bookDaysAhead; d++) {
    const day = localDay(new Date(localInstant(today, '12:00').getTime() + d * 86_400_000));
    if (openSlots(office, serviceId, day, now).length) days.push(day);
  }
  return days;
}

/** Slots of a day still ahead of `now`. */
export const openSlots = (office: OfficeConfig, serviceId: string, day: string, now: Date): string[] =>
  slotsOn(office, serviceId, day).filter((s) => localInstant(day, s).getTime() > now.getTime());

/** Booking codes: 8 characters without 0/O/1/I (read aloud and typed on a code pad without doubt). */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const BookingCode = z
  .string()
  .transform((s) => s.toUpperCase().replace(/[\s-]/g, ''))
  .pipe(z.string().regex(/^[2-9A-HJ-NP-Z]{8}$/, '8 characters'));

/** The booking QR: `<central>/a/<code>`; a kiosk recognises it as kind `appointment`. */
export const bookingUrl = (base: string, code: string): string => `${base.replace(/\/+$/, '')}/a/${code}`;

/** Who booked: a Vietnamese mobile number or a 12-digit CCCD number; central keeps a hash and the last 3 digits. */
export const BookingIdentity = z.discriminatedUnion('idKind', [
  z.object({
    idKind: z.literal('phone'),
    idNumber: z.string().transform((s, ctx) => {
      const n = normalizeVnMobile(s);
      if (!n) ctx.addIssue({ code: 'custom', message: 'not a Vietnamese mobile number' });
      return n ?? '';
    }),
  }),
  z.object({
    idKind: z.literal('cccd'),
    idNumber: z
      .string()
      .transform((s) => s.replace(/\s/g, ''))
      .pipe(z.string().regex(/^\d{12}$/, '12 digits')),
  }),
]);

export const BookRequest = z.intersection(
  z.object({
    officeId: z.string().min(1).max(100),
    serviceId: z.string().min(1).max(100),
    day: z.iso.date(),
    slot: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    /** Send the code to the booking's mobile number by Zalo or SMS (a form's "Không cần" is empty). */
    notify: z.preprocess((v) => (v === '' || v === 'none' ? undefined : v), z.enum(['zalo', 'sms']).optional()),
  }),
  BookingIdentity,
);
export type BookRequest = z.infer<typeof BookRequest>;

/** `POST /v1/appointments/check-in` (a kiosk): the booking becomes a ticket with this id. */
export const CheckInRequest = z
  .object({ code: BookingCode, ticketId: TicketId, publicToken: PublicToken.optional() })
  .strict();
export type CheckInRequest = z.input<typeof CheckInRequest>;

/** Why a check-in is refused (error codes of the check-in call). */
export const CHECK_IN_ERRORS = [
  'APPOINTMENT_NOT_FOUND',
  'APPOINTMENT_OTHER_OFFICE',
  'APPOINTMENT_TOO_EARLY',
  'APPOINTMENT_TOO_LATE',
  'APPOINTMENT_USED',
] as const;
export type CheckInError = (typeof CHECK_IN_ERRORS)[number];

export const BOOK_LANGS = ['vi', 'en'] as const;
export type BookLang = (typeof BOOK_LANGS)[number];

/** The booking page's words (Vietnamese first; one respectful register). */
export const BOOK_TEXT = {
  vi: {
    title: 'Đặt lịch hẹn',
    switchLang: 'English',
    chooseOffice: 'Chọn cơ quan',
    chooseService: 'Chọn thủ tục',
    chooseDay: 'Chọn ngày',
    chooseSlot: 'Chọn giờ hẹn',
    left: 'còn {n} chỗ',
    full: 'hết chỗ',
    idKind: 'Quý khách xác nhận bằng',
    phone: 'Số điện thoại di động',
    cccd: 'Số CCCD (12 chữ số)',
    idNumber: 'Số',
    consent: 'Chỉ dùng để xác nhận lịch hẹn; cơ quan chỉ lưu 3 chữ số cuối.',
    sendBy: 'Gửi mã lịch hẹn đến số điện thoại này qua',
    sendNone: 'Không cần',
    zalo: 'Zalo',
    sms: 'Tin nhắn SMS',
    sendNote:
      'Nếu chọn Zalo hoặc SMS, số điện thoại được giữ đến khi gửi xong mã lịch hẹn (chậm nhất một ngày), rồi xóa.',
    sent: 'Mã lịch hẹn đang được gửi qua {channel}.',
    book: 'Đặt lịch',
    back: 'Quay lại',
    none: 'Hiện chưa có lịch hẹn nào để đặt.',
    booked: 'Quý khách đã đặt lịch hẹn',
    code: 'Mã lịch hẹn',
    when: 'Thời gian',
    service: 'Thủ tục',
    office: 'Cơ quan',
    who: 'Người đặt',
    howTo:
      'Khi đến, quét mã QR này tại máy lấy số (hoặc chọn "Tôi đã đặt lịch hẹn" và nhập mã) từ {early} phút trước đến {late} phút sau giờ hẹn.',
    notFound: 'Không tìm thấy lịch hẹn này. Quý khách vui lòng kiểm tra lại mã.',
    badId: 'Số điện thoại hoặc số CCCD chưa đúng. Quý khách vui lòng kiểm tra lại.',
    SLOT_FULL: 'Giờ hẹn này vừa hết chỗ. Quý khách vui lòng chọn giờ khác.',
    SLOT_UNAVAILABLE: 'Giờ hẹn này không còn nhận đặt. Quý khách vui lòng chọn giờ khác.',
    ALREADY_BOOKED: 'Quý khách đã có một lịch hẹn tại cơ quan này trong ngày đó.',
    NO_SHOW_LIMIT: 'Quý khách đã vắng mặt nhiều lần gần đây nên tạm thời chưa đặt được lịch hẹn mới.',
    NOT_BOOKABLE: 'Thủ tục này không nhận đặt lịch hẹn.',
    RATE_LIMITED: 'Có quá nhiều yêu cầu từ thiết bị này. Quý khách vui lòng thử lại sau ít phút.',
    cancel: 'Hủy lịch hẹn',
    cancelNote: 'Nếu không đến được, quý khách vui lòng hủy để nhường chỗ cho người khác.',
    cancelled: 'Đã hủy lịch hẹn. Chỗ này đã được trả lại.',
    APPOINTMENT_USED: 'Lịch hẹn này đã được dùng để lấy số, không hủy được nữa.',
    APPOINTMENT_TOO_LATE: 'Giờ hẹn đã qua, không hủy được nữa.',
  },
  en: {
    title: 'Book an appointment',
    switchLang: 'Tiếng Việt',
    chooseOffice: 'Choose an office',
    chooseService: 'Choose a procedure',
    chooseDay: 'Choose a day',
    chooseSlot: 'Choose a time',
    left: '{n} left',
    full: 'full',
    idKind: 'Confirm with',
    phone: 'Mobile number',
    cccd: 'Citizen ID (CCCD, 12 digits)',
    idNumber: 'Number',
    consent: 'Used only to confirm the appointment; the office keeps only the last 3 digits.',
    sendBy: 'Send the booking code to this mobile number by',
    sendNone: 'No need',
    zalo: 'Zalo',
    sms: 'SMS text',
    sendNote: 'If you choose Zalo or SMS, the number is kept until the code is sent (a day at most), then deleted.',
    sent: 'The booking code is being sent by {channel}.',
    book: 'Book',
    back: 'Back',
    none: 'No appointments can be booked at the moment.',
    booked: 'Your appointment is booked',
    code: 'Booking code',
    when: 'Time',
    service: 'Procedure',
    office: 'Office',
    who: 'Booked by',
    howTo:
      'When you arrive, scan this QR code at the ticket kiosk (or choose "I have an appointment" and type the code) from {early} minutes before to {late} minutes after your time.',
    notFound: 'This appointment was not found. Please check the code.',
    badId: 'The phone or CCCD number is not valid. Please check it.',
    SLOT_FULL: 'This time has just been fully booked. Please choose another.',
    SLOT_UNAVAILABLE: 'This time can no longer be booked. Please choose another.',
    ALREADY_BOOKED: 'You already have an appointment at this office on that day.',
    NO_SHOW_LIMIT: 'You missed several appointments recently and cannot book a new one for now.',
    NOT_BOOKABLE: 'This procedure takes no appointments.',
    RATE_LIMITED: 'Too many requests from this device. Please try again in a few minutes.',
    cancel: 'Cancel the appointment',
    cancelNote: 'If you cannot come, please cancel so that someone else can have the place.',
    cancelled: 'The appointment is cancelled. The place is free again.',
    APPOINTMENT_USED: 'This appointment was already used for a ticket and cannot be cancelled.',
    APPOINTMENT_TOO_LATE: 'The appointment time has passed; it can no longer be cancelled.',
  },
} as const;
export type BookTextKey = keyof (typeof BOOK_TEXT)['vi'];
export const BOOK_ERRORS = [
  'SLOT_FULL',
  'SLOT_UNAVAILABLE',
  'ALREADY_BOOKED',
  'NO_SHOW_LIMIT',
  'NOT_BOOKABLE',
  'RATE_LIMITED',
] as const;

/**
 * The booking code in a scanned booking QR (`http(s)://<any host>/a/<code>`), or null. The home
 * screen checks a scan against it, as `/t/<token>` ticket addresses are recognised.
 */
export function appointmentCodeOfScan(text: string): string | null {
  const m = /^https?:\/\/[^/\s?#]+(?:\/[^\s?#]*)?\/a\/([2-9A-HJ-NP-Z]{8})$/.exec(text.trim());
  return m ? m[1]! : null;
}
