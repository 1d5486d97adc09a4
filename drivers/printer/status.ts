import { z } from 'zod';

/**
 * Printer status and errors: pure (no Node), so the kiosk API contract and the renderer can use
 * the schema. The driver fills it from the printer's real-time status replies (DLE EOT n) where
 * the transport can read back, and from its own bookkeeping otherwise.
 */

/** Lifecycle: closed → connecting → ready ⇄ error (reconnecting in the background) → closed. */
export const PrinterState = z.enum(['closed', 'connecting', 'ready', 'error']);
export type PrinterState = z.infer<typeof PrinterState>;

export const PrinterStatus = z.object({
  /** Transport kind from the URI; `none` = the configured URI names no printer (nothing prints). */
  transport: z.enum(['serial', 'usb', 'tcp', 'file', 'sim', 'none']),
  state: PrinterState,
  /** Connected and not reporting itself offline. */
  online: z.boolean(),
  coverOpen: z.boolean(),
  paperNearEnd: z.boolean(),
  paperOut: z.boolean(),
  /** The printer reported an error (cutter jam, head overheated, …) or the transport failed. */
  error: z.boolean(),
  /** A print job holds the device. */
  busy: z.boolean(),
  /**
   * Where the paper/cover bits came from: `realtime` = the printer answered DLE EOT;
   * `none` = it cannot or did not answer (write-only transport, no back channel), so the bits
   * are our best guess and `paperNearEnd` may come from the printed-length estimate alone.
   */
  source: z.enum(['realtime', 'none']),
  /** Paper printed since the last roll change (the counter the technician resets). */
  printedMm: z.number().nonnegative(),
  /** Estimated paper left on the roll, from `printedMm` and the configured roll length. */
  estimatedRemainingMm: z.number(),
  lastError: z.string().nullable(),
  /** ISO time of the last status change or check. */
  checkedAt: z.string(),
});
export type PrinterStatus = z.infer<typeof PrinterStatus>;

/** The codes the kiosk API uses for printer failures (contract/errors.ts takes this list into its own). */
export const PrinterErrorCode = z.enum([
  'PRINTER_BUSY',
  'PRINTER_OFFLINE',
  'PRINTER_PAPER_OUT',
  'PRINTER_COVER_OPEN',
  'PRINTER_ERROR',
]);
export type PrinterErrorCode = z.infer<typeof PrinterErrorCode>;

/** What `print()` and `testPage()` throw. `code` maps one to one onto the kiosk's error codes. */
export class PrinterError extends Error {
  constructor(
    readonly code: PrinterErrorCode,
    message: string,
    readonly status?: PrinterStatus,
  ) {
    super(message);
    this.name = 'PrinterError';
  }
}

export const isPrinterError = (e: unknown): e is PrinterError =>
  e instanceof PrinterError ||
  (typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'PrinterError' &&
    PrinterErrorCode.safeParse((e as { code?: unknown }).code).success);

/** The bits of the DLE EOT replies we act on. */
export interface RealtimeBits {
  offline?: boolean;
  coverOpen?: boolean;
  paperOut?: boolean;
  paperNearEnd?: boolean;
  error?: boolean;
}

/**
 * A real-time status byte always has bits 0 and 7 clear and bits 1 and 4 set (Epson ESC/POS,
 * copied by Xprinter and most clones). Anything else is not a reply to DLE EOT.
 */
export const isRealtimeStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

/** Decodes the reply to DLE EOT n (n = 1 printer, 2 offline cause, 3 error cause, 4 paper). */
export function parseRealtimeStatus(n: 1 | 2 | 3 | 4, b: number): RealtimeBits {
  switch (n) {
    case 1:
      return { offline: (b & 0x08) !== 0 };
    case 2:
      // Bit 5 (paper end stop) is set when the printer stopped for lack of paper; bit 6 any error.
      return { coverOpen: (b & 0x04) !== 0, paperOut: (b & 0x20) !== 0, error: (b & 0x40) !== 0 };
    case 3:
      // Bit 3 auto-cutter, bit 5 unrecoverable, bit 6 auto-recoverable (head temperature).
      return { error: (b & 0x68) !== 0 };
    case 4:
      return { paperNearEnd: (b & 0x0c) !== 0, paperOut: (b & 0x60) !== 0 };
  }
}

/** The printer-side bytes a status reply is made of, for simulators and tests. */
export function realtimeStatusByte(n: 1 | 2 | 3 | 4, s: RealtimeBits): number {
  let b = 0x12;
  // A printer with its cover open or out of paper also reports itself offline, as real ones do.
  if (n === 1 && (s.offline || s.coverOpen || s.paperOut)) b |= 0x08;
  if (n === 2) {
    if (s.coverOpen) b |= 0x04;
    if (s.paperOut) b |= 0x20;
    if (s.error) b |= 0x40;
  }
  if (n === 3 && s.error) b |= 0x40;
  if (n === 4) {
    if (s.paperNearEnd || s.paperOut) b |= 0x0c;
    if (s.paperOut) b |= 0x60;
  }
  return b;
}
