import type { Bilingual, ScanError, ScanErrorCode, ScanWarning } from './types.ts';

/** Messages for a bad read: plain words for a citizen, both languages, always "scan again". */
const ERRORS: Record<ScanErrorCode, Bilingual> = {
  EMPTY: { vi: 'Không đọc được mã. Vui lòng quét lại.', en: 'Nothing was read. Please scan again.' },
  TOO_LONG: { vi: 'Dữ liệu quét quá dài, không phải mã hợp lệ.', en: 'The scanned data is too long to be a valid code.' },
  GARBLED: { vi: 'Mã bị đọc sai ký tự. Vui lòng quét lại.', en: 'The code was read with damaged characters. Please scan again.' },
  CCCD_TRUNCATED: { vi: 'Mã QR trên thẻ Căn cước bị đọc thiếu. Vui lòng quét lại.', en: 'The ID card QR code was read incompletely. Please scan again.' },
  CCCD_BAD_ID: { vi: 'Số định danh trên thẻ Căn cước không hợp lệ. Vui lòng quét lại.', en: 'The ID number on the card is not valid. Please scan again.' },
  CCCD_BAD_DATE: { vi: 'Ngày tháng trên thẻ Căn cước không hợp lệ. Vui lòng quét lại.', en: 'A date on the ID card is not valid. Please scan again.' },
  CCCD_BAD_SEX: { vi: 'Giới tính trên thẻ Căn cước không đọc được. Vui lòng quét lại.', en: 'The sex field on the ID card could not be read. Please scan again.' },
  CCCD_BAD_NAME: { vi: 'Họ tên trên thẻ Căn cước không đọc được. Vui lòng quét lại.', en: 'The name on the ID card could not be read. Please scan again.' },
  MRZ_MALFORMED: { vi: 'Dòng mã ở mặt sau thẻ Căn cước bị đọc thiếu hoặc sai. Vui lòng quét lại.', en: 'The machine-readable lines on the back of the card were read incompletely. Please scan again.' },
  MRZ_CHECK_DIGIT: { vi: 'Dòng mã ở mặt sau thẻ Căn cước có chữ số kiểm tra sai. Vui lòng quét lại.', en: 'A check digit on the back of the card does not match. Please scan again.' },
  DOSSIER_BAD_DATE: { vi: 'Mã hồ sơ có ngày không hợp lệ. Vui lòng kiểm tra phiếu tiếp nhận.', en: 'The dossier code carries an invalid date. Please check the receipt.' },
  DOSSIER_AMBIGUOUS: { vi: 'Mã QR chứa nhiều mã hồ sơ khác nhau. Vui lòng nhập mã hồ sơ.', en: 'The QR code carries several different dossier codes. Please type the dossier code.' },
  VIETQR_MALFORMED: { vi: 'Mã QR thanh toán bị đọc thiếu hoặc sai cấu trúc. Vui lòng quét lại.', en: 'The payment QR code is incomplete or malformed. Please scan again.' },
  VIETQR_CRC: { vi: 'Mã QR thanh toán bị đọc sai (mã kiểm tra không khớp). Vui lòng quét lại.', en: 'The payment QR code was misread (checksum mismatch). Please scan again.' },
  TICKET_MALFORMED: { vi: 'Mã QR trên phiếu số thứ tự không hợp lệ.', en: 'The queue ticket QR code is not valid.' },
  TICKET_VERSION: { vi: 'Phiếu số thứ tự này do phiên bản khác in ra, không đọc được ở đây.', en: 'This queue ticket was printed by another version and cannot be read here.' },
};

export const scanError = (code: ScanErrorCode): ScanError => ({ code, message: ERRORS[code] });

const WARNINGS = {
  MOJIBAKE_REPAIRED: { vi: 'Đã sửa lỗi mã hóa ký tự từ máy quét.', en: 'Character encoding from the scanner was repaired.' },
  CCCD_UNKNOWN_PROVINCE: { vi: 'Mã tỉnh trong số định danh không có trong danh sách.', en: 'The province code in the ID number is not in the table.' },
  CCCD_SEX_MISMATCH: { vi: 'Giới tính không khớp với số định danh.', en: 'The sex does not match the ID number.' },
  CCCD_BIRTH_YEAR_MISMATCH: { vi: 'Năm sinh không khớp với số định danh.', en: 'The birth year does not match the ID number.' },
  CCCD_ISSUED_BEFORE_BIRTH: { vi: 'Ngày cấp sớm hơn ngày sinh.', en: 'The issue date is before the birth date.' },
  CCCD_NO_DIACRITICS: { vi: 'Họ tên và địa chỉ không có dấu: máy quét có thể đã làm mất dấu. Vui lòng kiểm tra lại.', en: 'Name and address carry no diacritics: the scanner may have dropped them. Please check.' },
  CCCD_OLD_ID_FORMAT: { vi: 'Số CMND cũ không đúng 9 chữ số.', en: 'The old ID number is not 9 digits.' },
  CCCD_PROVINCE_MERGED: { vi: 'Tỉnh đăng ký khai sinh đã sáp nhập từ 01/7/2025; địa chỉ trên thẻ có thể dùng tên cũ.', en: 'The birth-registration province was merged on 1 July 2025; the card may carry old place names.' },
  MRZ_NOT_VIETNAMESE: { vi: 'Giấy tờ không do Việt Nam cấp.', en: 'The document was not issued by Viet Nam.' },
  MRZ_ID_MISMATCH: { vi: 'Số giấy tờ và số định danh trên dòng mã không khớp nhau.', en: 'The document number and the personal ID in the MRZ disagree.' },
  MRZ_SEX_MISMATCH: { vi: 'Giới tính không khớp với số định danh.', en: 'The sex does not match the personal ID.' },
} satisfies Record<string, Bilingual>;
export type ScanWarningCode = keyof typeof WARNINGS;

/** Every message a scan can produce, for the test that holds them to the kiosk's words. */
export const scanMessages = { errors: ERRORS, warnings: WARNINGS } as const;

export const scanWarning = (code: ScanWarningCode): ScanWarning => ({ code, message: WARNINGS[code] });
