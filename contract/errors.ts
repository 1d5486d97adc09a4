import { z } from 'zod';
import { PrinterErrorCode } from '../drivers/printer/status.ts';
import { DocScannerErrorCode } from '../drivers/docscanner/types.ts';

/**
 * The closed set of error codes the kiosk API answers with. The renderer maps each code to a
 * Vietnamese/English message from its i18n catalogs; `message` is for logs and technicians.
 * Add a code here (and its message in renderer/i18n) rather than inventing strings elsewhere;
 * the printer's codes come from its driver's list.
 */
export const ErrorCode = z.enum([
  'BAD_INPUT',
  'UNKNOWN_CALL',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'OFFLINE',
  'CENTRAL_ERROR',
  'NOT_PROVISIONED',
  'LOCKED_OUT',
  'WRONG_PIN',
  'PIN_NOT_SET',
  'SERVICE_CLOSED',
  'DAILY_CAP_REACHED',
  // The printer's own closed list (drivers/printer/status.ts), passed on one to one.
  ...PrinterErrorCode.options,
  'SCAN_INVALID',
  // The document scanner's (drivers/docscanner/types.ts).
  ...DocScannerErrorCode.options,
  /** Too many pages or bytes for a document or a dossier (details: limit, max). */
  'ATTACHMENT_LIMIT',
  /** An image the kiosk cannot read as a page (not a photo, too large). */
  'IMAGE_INVALID',
  'DEVICE_ERROR',
  /** The kiosk's disk is full: it takes no new dossiers until a technician frees space. */
  'STORAGE_FULL',
  /** Appointment check-in (docs/phone.md): no booking with this code, another office's, too early (details: opensAt, slot), too late, already used. */
  'APPOINTMENT_NOT_FOUND',
  'APPOINTMENT_OTHER_OFFICE',
  'APPOINTMENT_TOO_EARLY',
  'APPOINTMENT_TOO_LATE',
  'APPOINTMENT_USED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const KioskErrorBody = z.object({
  code: ErrorCode,
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
});
export type KioskErrorBody = z.infer<typeof KioskErrorBody>;

/** Thrown by services; turned into `{ ok: false, error }` at the API boundary. */
export class KioskError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'KioskError';
  }

  toBody(): KioskErrorBody {
    return this.details
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: KioskErrorBody };

/** The value of a call's result, or its error body thrown (flows' actors turn it back into a FlowError). */
export async function unwrap<T>(result: Promise<Result<T>> | Result<T>): Promise<T> {
  const r = await result;
  if (!r.ok) throw r.error;
  return r.value;
}
