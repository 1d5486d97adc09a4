import { z } from 'zod';
import { AttachmentRefs } from './attachments.ts';
import { VnMobile } from './phone.ts';

/**
 * Dossier submission (`dossier.submitted` outbox kind) and dossier lookup
 * (`GET /v1/dossiers/:ref`). A dossier is made at the kiosk with a provisional number
 * (`T<slot>-<NNNNNN>`) and gets its official code `<agency>-yyMMdd-NNNN` from central.
 */
export const DOSSIER_KIND = 'dossier.submitted';

/** Circular 01/2023 dossier code, e.g. `000.31.12.H12-251128-0001` (the counter may pass 4 digits). */
export const DOSSIER_CODE_RE = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4,})$/;
export const DossierCode = z.string().regex(DOSSIER_CODE_RE, 'dossier code like 000.00.12.H12-250315-0001');

/**
 * What the kiosk prints before central answered, short enough to read out and type on the
 * kiosk's code pad: `T` (tạm), the kiosk's slot in its office (central's offline ticket
 * series, unique per office), a dash and the kiosk's own sequence, e.g. `T2-000015`. Only digits
 * besides the T: no O/0, I/1, S/5 to confuse, no `_`. Unique within an office, which is where
 * central looks it up.
 */
export const SHORT_PROVISIONAL_RE = /^T\d{1,3}-\d{6}$/;
export const formatProvisionalNo = (slot: number, localNo: number): string =>
  `T${slot}-${String(localNo).padStart(6, '0')}`;
/** Every provisional number central accepts: the short form, and the `<kioskId>-NNNNNN` form older kiosks printed. */
export const PROVISIONAL_RE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,40}-\d{6}$/;
export const ProvisionalNo = z.string().regex(PROVISIONAL_RE, 'provisional number like T2-000007');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * Where the applicant's identity came from: `chip-verified` only when the kiosk read the card's
 * chip and passive authentication held, and the submitted identity equals what the chip said.
 */
export const IdentitySource = z.enum(['chip-verified', 'qr', 'mrz', 'manual']);
export type IdentitySource = z.infer<typeof IdentitySource>;

export const Applicant = z.object({
  fullName: z.string().min(1).max(120),
  idNumber: z.string().regex(/^\d{12}$/),
  birthDate: isoDate,
  sex: z.enum(['male', 'female']),
  address: z.string().min(1).max(300),
  phone: z.string().max(20).optional(),
  /** Absent from kiosks older than the chip reader (read as `manual`). */
  identitySource: IdentitySource.optional(),
});
export type Applicant = z.infer<typeof Applicant>;

/**
 * The opt-in taken at submission: Zalo or SMS, the mobile number (`84…`), the consent wording's
 * version. Personal data: central keeps it only until the result-ready message is sent (or the
 * dossier ends), at most `DOSSIER_CONTACT_DAYS` after the appointment date; the kiosk drops it
 * with the rest of the payload once central holds the dossier.
 */
export const DossierNotifyOptIn = z
  .object({ channel: z.enum(['zalo', 'sms']), phone: VnMobile, consent: z.literal('v1') })
  .strict();
export type DossierNotifyOptIn = z.input<typeof DossierNotifyOptIn>;
/** Days after the dossier's appointment date after which central forgets an opt-in in any case. */
export const DOSSIER_CONTACT_DAYS = 30;
/** The statuses a citizen who opted in is told of: received, processing, result ready. */
export const DOSSIER_NOTIFY_STATUSES: readonly number[] = [2, 4, 9];
/** Statuses after which nothing more is sent (the contact is forgotten). */
export const DOSSIER_FINAL_STATUSES: readonly number[] = [3, 7, 8, 9, 10];

export const DossierSubmission = z
  .object({
    provisionalNo: ProvisionalNo,
    kioskId: z.string().min(1),
    procedureCode: z.string().min(1).max(40),
    procedureName: z.string().min(1).max(300),
    applicant: Applicant,
    /** The procedure's own fields, by field id, as validated by the form engine. */
    fields: z.record(z.string(), z.string().max(2000)),
    /** Fee (VND) and processing time (working days) as the kiosk's catalog/form says. */
    fee: z.number().int().nonnegative(),
    processingDays: z.number().int().min(0).max(365),
    /** When the citizen agreed to personal-data processing (Decree 13/2023). */
    consentAt: z.iso.datetime({ offset: true }),
    submittedAt: z.iso.datetime({ offset: true }),
    /** The papers digitised at the kiosk (one PDF per document); the bytes travel by `PUT /v1/attachments`. */
    attachments: AttachmentRefs.optional(),
    /** "Nhắn tin về hồ sơ": the citizen asked at the kiosk to be told of status changes (docs/phone.md). */
    notify: DossierNotifyOptIn.optional(),
  })
  .strict();
export type DossierSubmission = z.infer<typeof DossierSubmission>;

/** Central's answer to a `dossier.submitted` item (replayed verbatim for duplicates). */
export const DossierAccepted = z.object({
  dossierCode: DossierCode,
  receivedAt: z.iso.datetime({ offset: true }),
  appointmentDate: isoDate,
  fee: z.number().int().nonnegative(),
});
export type DossierAccepted = z.infer<typeof DossierAccepted>;

/** National portal statuses (vietnam.md §3). */
export const DOSSIER_STATUSES = {
  1: 'Mới đăng ký',
  2: 'Được tiếp nhận',
  3: 'Không được tiếp nhận',
  4: 'Đang xử lý',
  5: 'Yêu cầu bổ sung giấy tờ',
  6: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  7: 'Công dân yêu cầu rút hồ sơ',
  8: 'Dừng xử lý',
  9: 'Đã xử lý xong',
  10: 'Đã trả kết quả',
} as const;
export const DossierStatus = z.number().int().min(1).max(10);

/** The statuses an officer records (`POST /v1/officer/dossiers/:code/status`), in the order the counter app offers them. */
export const OFFICER_DOSSIER_STATUSES = [4, 5, 6, 9, 10, 3, 8] as const;
export const DossierStatusChange = z
  .object({
    status: DossierStatus.refine(
      (n) => (OFFICER_DOSSIER_STATUSES as readonly number[]).includes(n),
      'a status an officer records',
    ),
    note: z.string().max(300).optional(),
  })
  .strict();
export type DossierStatusChange = z.input<typeof DossierStatusChange>;
export const DossierStatusChanged = z.object({
  dossierCode: DossierCode,
  status: DossierStatus,
  /** false: the dossier already had this status (nothing recorded, nothing sent). */
  changed: z.boolean(),
});
export type DossierStatusChanged = z.infer<typeof DossierStatusChanged>;

/**
 * `GET /v1/dossiers/:ref` — `ref` is a dossier code or a provisional number (looked up within
 * the asking kiosk's office). No personal data beyond a masked name.
 */
export const DossierLookup = z.object({
  dossierCode: DossierCode,
  provisionalNo: z.string().nullable(),
  procedureCode: z.string(),
  procedureName: z.string(),
  /** e.g. `N**** T** Á** T****`: enough for the citizen to recognise, not to identify. */
  applicantMasked: z.string(),
  status: DossierStatus,
  statusLabel: z.string(),
  receivedAt: z.string(),
  appointmentDate: isoDate,
  fee: z.number().int().nonnegative(),
  paid: z.boolean(),
  timeline: z.array(
    z.object({ status: DossierStatus, label: z.string(), at: z.string(), note: z.string().nullable() }),
  ),
});
export type DossierLookup = z.infer<typeof DossierLookup>;

/** Masks every word but its first letter: `Nguyễn Thị Ánh` → `N***** T** Á**`. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((w) => {
      const chars = [...w];
      return chars[0] + '*'.repeat(Math.max(0, chars.length - 1));
    })
    .join(' ');
}
