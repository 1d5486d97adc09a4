import type { Bilingual, ScanError, ScanErrorCode, ScanWarning } from './types.ts';

/** Messages for a bad read: plain words for a citizen, both languages, always "scan again". */
const ERRORS: Record<ScanErrorCode, Bilingual> = {
  EMPTY: { vi: 'Không đọc được mã. Vui lòng quét lại.', en: 'Nothing was read. Please scan again.' },
  TOO_LONG: {
    vi: 'Dữ liệu quét quá dài, không phải mã hợp lệ.',
    en: 'The scanned data is too long to be a valid code.',
  },
  GARBLED: {
    vi: 'Chưa đọc rõ mã. Vui lòng quét lại, giữ mã yên và thẳng trước máy quét.',
    en: 'The code was not read clearly. Please scan again, holding it still and straight.',
  },
  CCCD_TRUNCATED: {
    vi: 'Mã QR trên thẻ Căn cước bị đọc thiếu. Vui lòng quét lại.',
    en: 'The ID card QR code was read incompletely. Please scan again.',
  },
  CCCD_BAD_ID: {
    vi: 'Số định danh trên thẻ Căn cước không hợp lệ. Vui lòng quét lại.',
    en: 'The ID number on the card is not valid. Please scan again.',
  },
  CCCD_BAD_DATE: {
    vi: 'Ngày tháng trên thẻ Căn cước không hợp lệ. Vui lòng quét lại.',
    en: 'A date on the ID card is not valid. Please scan again.',
  },
  CCCD_BAD_SEX: {
    vi: 'Giới tính trên thẻ Căn cước không đọc được. Vui lòng quét lại.',
    en: 'The sex field on the ID card could not be read. Please scan again.',
  },
  CCCD_BAD_NAME: {
    vi: 'Họ tên trên thẻ Căn cước không đọc được. Vui lòng quét lại.',
    en: 'The name on the ID card could not be read. Please scan again.',
  },
  MRZ_MALFORMED: {
    vi: 'Dòng mã ở mặt sau thẻ Căn cước bị đọc thiếu hoặc sai. Vui lòng quét lại.',
    en: 'The machine-readable lines on the back of the card were read incompletely. Please scan again.',
  },
  MRZ_CHECK_DIGIT: {
    vi: 'Dòng mã ở mặt sau thẻ Căn cước chưa đọc đúng. Vui lòng quét lại.',
    en: 'The lines on the back of the card were misread. Please scan again.',
  },
  DOSSIER_BAD_DATE: {
    vi: 'Mã hồ sơ có ngày không hợp lệ. Vui lòng kiểm tra phiếu tiếp nhận.',
    en: 'The dossier code carries an invalid date. Please check the receipt.',
  },
  DOSSIER_AMBIGUOUS: {
    vi: 'Mã QR chứa nhiều mã hồ sơ khác nhau. Vui lòng nhập mã hồ sơ.',
    en: 'The QR code carries several different dossier codes. Please type the dossier code.',
  },
  VIETQR_MALFORMED: {
    vi: 'Mã QR thanh toán bị đọc thiếu hoặc sai cấu trúc. Vui lòng quét lại.',
    en: 'The payment QR code is incomplete or malformed. Please scan again.',
  },
  VIETQR_CRC: {
    vi: 'Mã QR thanh toán chưa đọc đúng. Vui lòng quét lại.',
    en: 'The payment QR code was misread. Please scan again.',
  },
  TICKET_MALFORMED: { vi: 'Mã QR trên phiếu số thứ tự không hợp lệ.', en: 'The queue ticket QR code is not valid.' },
  TICKET_VERSION: {
    vi: 'Phiếu số thứ tự này do phiên bản khác in ra, không đọc được ở đây.',
    en: 'This queue ticket was printed by another version and cannot be read here.',
  },
};

export const scanError = (code: ScanErrorCode): ScanError => ({ code, message: ERRORS[code] });

const WARNINGS = {
  MOJIBAKE_REPAIRED: {
    vi: 'Máy quét đọc chữ có dấu chưa chuẩn, kiosk đã đọc lại. Vui lòng kiểm tra họ tên và địa chỉ.',
    en: 'The scanner garbled the accented letters and the kiosk read them again. Please check the name and address.',
  },
  CCCD_UNKNOWN_PROVINCE: {
    vi: 'Mã tỉnh trong số định danh không có trong danh sách. Vui lòng kiểm tra số định danh; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The province code in the ID number is not known. Please check the ID number; if the card is right, tell an officer.',
  },
  CCCD_SEX_MISMATCH: {
    vi: 'Giới tính không khớp với số định danh. Vui lòng kiểm tra số định danh và giới tính; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The sex does not match the ID number. Please check the ID number and the sex; if the card is right, tell an officer.',
  },
  CCCD_BIRTH_YEAR_MISMATCH: {
    vi: 'Năm sinh không khớp với số định danh. Vui lòng kiểm tra số định danh và ngày sinh; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The birth year does not match the ID number. Please check the ID number and the date of birth; if the card is right, tell an officer.',
  },
  CCCD_ISSUED_BEFORE_BIRTH: {
    vi: 'Ngày cấp sớm hơn ngày sinh. Vui lòng kiểm tra ngày sinh; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The issue date is before the date of birth. Please check the date of birth; if the card is right, tell an officer.',
  },
  CCCD_NO_DIACRITICS: {
    vi: 'Họ tên và địa chỉ đọc được không có dấu. Vui lòng sửa lại cho có dấu như trên thẻ.',
    en: 'The name and address were read without accents. Please correct them to match the card.',
  },
  CCCD_OLD_ID_FORMAT: {
    vi: 'Số CMND cũ trên thẻ không đủ 9 chữ số. Vui lòng kiểm tra; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The old ID number on the card is not 9 digits. Please check; if the card is right, tell an officer.',
  },
  CCCD_PROVINCE_MERGED: {
    vi: 'Tỉnh đăng ký khai sinh đã sáp nhập từ 01/7/2025; địa chỉ trên thẻ có thể dùng tên cũ. Vui lòng kiểm tra địa chỉ.',
    en: 'The birth-registration province was merged on 1 July 2025; the card may carry old place names. Please check the address.',
  },
  MRZ_NOT_VIETNAMESE: {
    vi: 'Giấy tờ này không do Việt Nam cấp. Vui lòng dùng thẻ Căn cước hoặc hỏi cán bộ.',
    en: 'This document was not issued by Viet Nam. Please use a Vietnamese ID card or ask an officer.',
  },
  MRZ_ID_MISMATCH: {
    vi: 'Số thẻ và số định danh ở mặt sau không khớp nhau. Vui lòng kiểm tra số định danh; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The card number and the personal ID on the back disagree. Please check the ID number; if the card is right, tell an officer.',
  },
  MRZ_SEX_MISMATCH: {
    vi: 'Giới tính không khớp với số định danh. Vui lòng kiểm tra số định danh và giới tính; nếu thẻ đúng, hãy báo cán bộ.',
    en: 'The sex does not match the personal ID. Please check the ID number and the sex; if the card is right, tell an officer.',
  },
} satisfies Record<string, Bilingual>;
export type ScanWarningCode = keyof typeof WARNINGS;

/** Every message a scan can produce, for the test that holds them to the kiosk's words. */
export const scanMessages = { errors: ERRORS, warnings: WARNINGS } as const;

export const scanWarning = (code: ScanWarningCode): ScanWarning => ({ code, message: WARNINGS[code] });
