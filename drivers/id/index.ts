/**
 * ID documents and scanned codes: classification and parsing. Pure (no Node, no DOM): the
 * kiosk, the renderer and kioskctl all import from here.
 */
export * from './types.ts';
export { classifyScan, MAX_SCAN_LENGTH } from './classify.ts';
export { parseCccdQr, cccdIdFacts, cccdConsistency } from './cccd.ts';
export { parseMrz, mrzLines, mrzCheckDigit } from './mrz.ts';
export { parseDossierQr, parseDossierCode, DOSSIER_CODE } from './dossier.ts';
export { parseVietQr, buildVietQr, crc16ccittFalse, readTlv, VIETQR_GUID, type VietQrInput } from './vietqr.ts';
export { buildTicketQr, parseTicketQr, parseTicketUrl, TICKET_QR_PREFIX } from './ticket.ts';
export { PROVINCES, provinceByCode } from './provinces.ts';
export { repairMojibake, fold } from './text.ts';
export { scanError, scanWarning } from './messages.ts';
