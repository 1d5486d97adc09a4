import { z } from 'zod';

/**
 * What every central error answer looks like. `code` is machine-readable and stable; `message`
 * is for logs and technicians (English, short).
 */
export const CentralErrorCode = z.enum([
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'DEVICE_REVOKED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'ENROL_CODE_INVALID',
  'RATE_LIMITED',
  /** Tickets: the service takes no tickets now / today's cap is reached. */
  'SERVICE_CLOSED',
  'DAILY_CAP_REACHED',
  'UNAVAILABLE',
  'INTERNAL',
  /** Officers: wrong username/password; too many failures (Retry-After); CSRF token missing or wrong; idle session ended. */
  'SIGN_IN_FAILED',
  'SIGN_IN_LOCKED',
  'CSRF_REJECTED',
  'SESSION_EXPIRED',
  /** Attachments: a chunk or a whole file does not hash to what was declared; a file not yet received. */
  'CHECKSUM_MISMATCH',
  'NOT_RECEIVED',
  /** Appointments (docs/phone.md): booking refused; check-in refused. */
  'SLOT_FULL',
  'SLOT_UNAVAILABLE',
  'ALREADY_BOOKED',
  'NO_SHOW_LIMIT',
  'NOT_BOOKABLE',
  'APPOINTMENT_NOT_FOUND',
  'APPOINTMENT_OTHER_OFFICE',
  'APPOINTMENT_TOO_EARLY',
  'APPOINTMENT_TOO_LATE',
  'APPOINTMENT_USED',
]);
export type CentralErrorCode = z.infer<typeof CentralErrorCode>;

export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const HealthResponse = z.object({
  ok: z.literal(true),
  service: z.literal('onestop-central'),
  version: z.string(),
  time: z.string(),
  storage: z.enum(['sqlite', 'postgres']),
});
export type HealthResponse = z.infer<typeof HealthResponse>;

/** Device ids are made by central: `dev_` + 22 url-safe characters. */
export const DeviceId = z.string().regex(/^dev_[A-Za-z0-9_-]{10,40}$/);
export const OfficeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'office id: lower-case letters, digits and dashes');
