/**
 * The receipt printer driver (Node side). Flows build a ReceiptDoc and call:
 *
 *   const printer = createPrinter({ uri: 'serial:/dev/ttyUSB0?baud=19200', widthMm: 80 });
 *   await printer.open();              // never throws for a missing device; retries in background
 *   await printer.print(doc);          // throws PrinterError { code: 'PRINTER_PAPER_OUT' | … }
 *   const png = await printer.preview(doc);   // PNG bytes (Buffer); pngDataUrl(png) for <img src>
 *
 * `preview()` returns PNG bytes, not a data URL: Node callers write or hash them, the kiosk API
 * turns them into a data URL with `pngDataUrl()` at the boundary.
 *
 * Pure parts (no Node) for the renderer and the API contract: `./receipt` (ReceiptDoc) and
 * `./status` (PrinterStatus schema, PrinterError). Import those files directly from browser code.
 */
export { ReceiptDoc, ReceiptBlock, Align, TextSize, type ReceiptDocParsed } from './receipt.ts';
export {
  PrinterStatus,
  PrinterState,
  PrinterErrorCode,
  PrinterError,
  isPrinterError,
  parseRealtimeStatus,
  realtimeStatusByte,
  isRealtimeStatusByte,
  type RealtimeBits,
} from './status.ts';
export {
  createPrinter,
  type Printer,
  type PrinterOptions,
  type PrinterEvent,
  type PrintResult,
} from './printer.node.ts';
export {
  encodeReceipt,
  DEFAULT_CODE_PAGE,
  PRINTER_MODES,
  type PrinterMode,
  type EncodeOptions,
  type EncodedReceipt,
} from './encode.node.ts';
export {
  PRINTER_PROFILES,
  PrinterProfileId,
  getProfile,
  profileFromUri,
  profileForModelName,
  type PrinterProfile,
} from './profiles.ts';
export { paperFromEscPos } from './paper.node.ts';
export { previewPng, renderReceiptBitmap, bitmapToPng, pngDataUrl } from './preview.node.ts';
export { encodeCp1258, decodeCp1258 } from './cp1258.ts';
export { testPageDoc, VIETNAMESE_ALPHABET, type TestPageInfo } from './testpage.ts';
export { parsePrinterUri, type PrinterUri } from './transports/uri.ts';
export type { SimControl, SimState, SimJob } from './transports/sim.node.ts';
export { dotsForWidth, countInk, type Bitmap } from './bitmap.ts';
