import { z } from 'zod';

/**
 * The shapes of a classified scan. Zod schemas are the single source: the kiosk API contract
 * (`contract/domains/scans.ts`) reuses them, and the types below are inferred from them.
 */

/** Where a scan came from. `manual` = typed by a technician (kioskctl decode, tests). */
export const ScanSource = z.enum(['serial', 'hid', 'camera', 'sim', 'manual']);
export type ScanSource = z.infer<typeof ScanSource>;

export const Bilingual = z.object({ vi: z.string(), en: z.string() });
export type Bilingual = z.infer<typeof Bilingual>;

/** Something to tell a person or a technician that does not stop the scan being used. */
export const ScanWarning = z.object({ code: z.string(), message: Bilingual });
export type ScanWarning = z.infer<typeof ScanWarning>;

export const ScanErrorCode = z.enum([
  'EMPTY',
  'TOO_LONG',
  'GARBLED',
  'CCCD_TRUNCATED',
  'CCCD_BAD_ID',
  'CCCD_BAD_DATE',
  'CCCD_BAD_SEX',
  'CCCD_BAD_NAME',
  'MRZ_MALFORMED',
  'MRZ_CHECK_DIGIT',
  'DOSSIER_BAD_DATE',
  'DOSSIER_AMBIGUOUS',
  'VIETQR_MALFORMED',
  'VIETQR_CRC',
  'TICKET_MALFORMED',
  'TICKET_VERSION',
]);
export type ScanErrorCode = z.infer<typeof ScanErrorCode>;

/** A bad read: the citizen is asked to scan again; nothing partial is handed on. */
export const ScanError = z.object({ code: ScanErrorCode, message: Bilingual });
export type ScanError = z.infer<typeof ScanError>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
export const Sex = z.enum(['male', 'female']);
export type Sex = z.infer<typeof Sex>;

export const ProvinceInfo = z.object({
  code: z.string().regex(/^\d{3}$/),
  name: z.string(),
  /** The province it belongs to since 1 July 2025 (same name when unchanged). */
  since2025: z.string(),
});
export type ProvinceInfo = z.infer<typeof ProvinceInfo>;

export const CccdData = z.object({
  id: z.string().regex(/^\d{12}$/),
  /** Old 9-digit CMND number, when the card carries one. */
  oldId: z.string().nullable(),
  fullName: z.string().min(1),
  birthDate: isoDate,
  sex: Sex,
  address: z.string(),
  issueDate: isoDate,
  /** Province of birth registration read from the ID; null when the code is not in the table. */
  province: ProvinceInfo.nullable(),
});
export type CccdData = z.infer<typeof CccdData>;

export const MrzData = z.object({
  documentCode: z.string(),
  issuingState: z.string(),
  documentNumber: z.string(),
  /** The full 12-digit personal ID (Vietnamese cards carry it in the optional data). */
  personalId: z.string().nullable(),
  birthDate: isoDate,
  sex: Sex.nullable(),
  /** Null when the card never expires (`991231`). */
  expiryDate: isoDate.nullable(),
  nationality: z.string(),
  surname: z.string(),
  givenNames: z.string(),
  lines: z.array(z.string()).length(3),
});
export type MrzData = z.infer<typeof MrzData>;

export const DossierData = z.object({
  code: z.string(),
  agencyId: z.string(),
  receivedOn: isoDate,
  sequence: z.string(),
  via: z.enum(['bare', 'url', 'structured']),
  url: z.string().optional(),
  procedureCode: z.string().optional(),
  applicant: z.string().optional(),
  documentName: z.string().optional(),
  issuingSystem: z.string().optional(),
  receivedAt: z.string().optional(),
  appointmentDate: z.string().optional(),
});
export type DossierData = z.infer<typeof DossierData>;

export const VietQrData = z.object({
  initMethod: z.enum(['static', 'dynamic']),
  bin: z.string(),
  account: z.string(),
  /** `QRIBFTTA` transfer to an account, `QRIBFTTC` to a card. */
  service: z.string(),
  /** Whole VND; null when the payer types the amount. */
  amount: z.number().nullable(),
  currency: z.string(),
  country: z.string(),
  purpose: z.string().nullable(),
  merchantName: z.string().nullable(),
  crc: z.string(),
});
export type VietQrData = z.infer<typeof VietQrData>;

/**
 * Our ticket QR: `OSK1:T:<ticketId>` (older paper) or the live ticket page's address `…/t/<token>`
 * (`token`; the kiosk that issued it fills in `ticketId` from its own records).
 */
export const TicketQrData = z.object({ ticketId: z.string().optional(), token: z.string().optional() });
export type TicketQrData = z.infer<typeof TicketQrData>;

const base = {
  source: ScanSource,
  /** The text as understood (trailing CR/LF trimmed, mojibake repaired). */
  text: z.string(),
  warnings: z.array(ScanWarning),
};

export const ScanKind = z.enum(['cccd', 'mrz', 'dossier', 'vietqr', 'ticket', 'plain', 'unknown', 'error']);
export type ScanKind = z.infer<typeof ScanKind>;

export const ScanResult = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cccd'), ...base, cccd: CccdData }),
  z.object({ kind: z.literal('mrz'), ...base, mrz: MrzData }),
  z.object({ kind: z.literal('dossier'), ...base, dossier: DossierData }),
  z.object({ kind: z.literal('vietqr'), ...base, vietqr: VietQrData }),
  z.object({ kind: z.literal('ticket'), ...base, ticket: TicketQrData }),
  z.object({ kind: z.literal('plain'), ...base }),
  /** Readable but not something the kiosk acts on (a foreign payment QR, a long free text…). */
  z.object({ kind: z.literal('unknown'), ...base }),
  z.object({
    kind: z.literal('error'),
    ...base,
    /** What the scan looked like before it failed to parse. */
    attempted: z.enum(['scan', 'cccd', 'mrz', 'dossier', 'vietqr', 'ticket']),
    error: ScanError,
  }),
]);
export type ScanResult = z.infer<typeof ScanResult>;
export type ScanResultOf<K extends ScanKind> = Extract<ScanResult, { kind: K }>;

/** What a parser for one kind answers: the data, or the typed error. */
export type Parsed<T> = { ok: true; value: T; warnings: ScanWarning[] } | { ok: false; error: ScanError };
