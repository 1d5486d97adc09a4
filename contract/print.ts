import { z } from 'zod';
import { KioskErrorBody } from './errors.ts';

/**
 * What became of a slip (receipt, ticket, guide, status, payment slip): printed, or not — with
 * why, and the whole slip as a PNG data URL for the screen to show (the citizen photographs it).
 * Printing never fails a call for that: every call that prints answers one of these.
 */
export const PrintOutcome = z.discriminatedUnion('printed', [
  z.object({ printed: z.literal(true) }),
  z.object({ printed: z.literal(false), error: KioskErrorBody, preview: z.string() }),
]);
export type PrintOutcome = z.infer<typeof PrintOutcome>;
