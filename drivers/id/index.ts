/**
 * ID documents and scanned codes: classification and parsing. Pure (no Node, no DOM): the
 * kiosk, the renderer and kioskctl all import from here.
 */
export * from './types';
export { classifyScan, MAX_SCAN_LENGTH } from './classify';
export { parseCccdQr, cccdIdFacts, cccdConsistency } from './cccd';
export { parseMrz, mrzLines, mrzCheckDigit } from './mrz';
export { parseDossierQr, parseDossierCode, DOSSIER_CODE } from './dossier';
export { parseVietQr, buildVietQr, crc16ccittFalse, readTlv, VIETQR_GUID, type VietQrInput } from './vietqr';
export { buildTicketQr, parseTicketQr, TICKET_QR_PREFIX } from './ticket';
export { PROVINCES, provinceByCode } from './provinces';
export { repairMojibake, fold } from './text';
export { scanError, scanWarning } from './messages';
