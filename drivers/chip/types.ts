import { z } from 'zod';
import { Bilingual, MrzData, Sex } from '../id/types.ts';

/**
 * What the kiosk learns from a Căn cước chip. Pure (no Node): the renderer, kioskctl and the
 * kiosk core share these types.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/**
 * DG13 of the Vietnamese card (national data). Not specified by ICAO and not published by the
 * issuer; the layout we parse is the one described by public community readers of CCCD chips:
 * tag '6D', a SEQUENCE of SEQUENCE { INTEGER index, string value }, index 1 ID number, 2 full
 * name, 3 birth date (dd/mm/yyyy), 4 sex (Nam/Nữ), 5 nationality, 6 ethnicity, 7 religion,
 * 8 place of origin, 9 place of residence, 10 identifying marks, 11 issue date, 12 expiry date
 * (dd/mm/yyyy or "Không thời hạn"), 15 old ID number. Unknown indices (parents, spouse…) are
 * skipped, never logged. An assumption to check against a real card (docs/idcard.md).
 */
export const ChipPerson = z.object({
  id: z.string().regex(/^\d{12}$/),
  fullName: z.string().min(1),
  birthDate: isoDate,
  sex: Sex.nullable(),
  nationality: z.string(),
  ethnicity: z.string(),
  religion: z.string(),
  placeOfOrigin: z.string(),
  placeOfResidence: z.string(),
  issueDate: isoDate.nullable(),
  /** Null when the card never expires. */
  expiryDate: isoDate.nullable(),
  oldId: z.string().nullable(),
});
export type ChipPerson = z.infer<typeof ChipPerson>;

export const ChipErrorCode = z.enum([
  'NO_CARD',
  'CARD_REMOVED',
  'NOT_EMRTD',
  'ACCESS_DENIED',
  'READ_FAILED',
  'DATA_MALFORMED',
  'PA_NO_CSCA',
  'PA_SIGNATURE',
  'PA_HASH',
  'PA_UNTRUSTED',
  'MRZ_MISMATCH',
]);
export type ChipErrorCode = z.infer<typeof ChipErrorCode>;

export const ChipPhases = z.object({ accessMs: z.number(), readMs: z.number(), verifyMs: z.number() });
export type ChipPhases = z.infer<typeof ChipPhases>;

const message = Bilingual;

export const ChipRead = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** Passive authentication held: SOD signature, DG hashes and the signer's chain to a CSCA. */
    verified: z.literal(true),
    mrz: MrzData,
    person: ChipPerson,
    /** Subject of the document signer, for the technician (no personal data). */
    signer: z.string(),
    phases: ChipPhases,
  }),
  z.object({ ok: z.literal(false), code: ChipErrorCode, message, phases: ChipPhases.partial() }),
]);
export type ChipRead = z.infer<typeof ChipRead>;

const MESSAGES: Record<ChipErrorCode, Bilingual> = {
  NO_CARD: {
    vi: 'Chưa có thẻ trên đầu đọc. Quý khách vui lòng đặt thẻ căn cước lên đầu đọc.',
    en: 'No card on the reader. Please place your ID card on the reader.',
  },
  CARD_REMOVED: {
    vi: 'Thẻ đã được nhấc ra khi đang đọc. Quý khách vui lòng đặt lại thẻ và giữ yên.',
    en: 'The card was lifted while it was being read. Please place it again and hold it still.',
  },
  NOT_EMRTD: { vi: 'Thẻ này không có chip căn cước điện tử.', en: 'This card has no electronic ID chip.' },
  ACCESS_DENIED: {
    vi: 'Không mở được chip: thông tin mặt sau thẻ (số thẻ, ngày sinh, ngày hết hạn) không khớp. Quý khách vui lòng quét lại mặt sau thẻ.',
    en: 'The chip could not be opened: the details from the back of the card (number, birth date, expiry) do not match. Please scan the back of the card again.',
  },
  READ_FAILED: {
    vi: 'Không đọc được dữ liệu trong chip. Quý khách vui lòng đặt lại thẻ.',
    en: 'The chip data could not be read. Please place the card again.',
  },
  DATA_MALFORMED: {
    vi: 'Dữ liệu trong chip không đúng định dạng. Thẻ không được chấp nhận; Quý khách vui lòng liên hệ cán bộ.',
    en: 'The chip data is malformed. The card is not accepted; please see an officer.',
  },
  PA_NO_CSCA: {
    vi: 'Kiosk chưa được cài danh sách chứng thư gốc (CSCA) nên không xác thực được chip. Quý khách vui lòng dùng mã QR hoặc liên hệ cán bộ.',
    en: 'The kiosk has no CSCA list installed, so the chip cannot be verified. Please use the QR code or see an officer.',
  },
  PA_SIGNATURE: {
    vi: 'Chữ ký số của dữ liệu chip không hợp lệ. Thẻ không được chấp nhận; Quý khách vui lòng liên hệ cán bộ.',
    en: 'The chip data signature is not valid. The card is not accepted; please see an officer.',
  },
  PA_HASH: {
    vi: 'Dữ liệu trong chip đã bị thay đổi so với dữ liệu được ký. Thẻ không được chấp nhận; Quý khách vui lòng liên hệ cán bộ.',
    en: 'The chip data was altered after it was signed. The card is not accepted; please see an officer.',
  },
  PA_UNTRUSTED: {
    vi: 'Chip không do cơ quan cấp thẻ được tin cậy ký. Thẻ không được chấp nhận; Quý khách vui lòng liên hệ cán bộ.',
    en: 'The chip was not signed by a trusted issuing authority. The card is not accepted; please see an officer.',
  },
  MRZ_MISMATCH: {
    vi: 'Dữ liệu chip không khớp với mặt sau thẻ. Thẻ không được chấp nhận; Quý khách vui lòng liên hệ cán bộ.',
    en: 'The chip data does not match the back of the card. The card is not accepted; please see an officer.',
  },
};

export const chipMessage = (code: ChipErrorCode): Bilingual => MESSAGES[code];
