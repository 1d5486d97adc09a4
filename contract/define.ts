import { z } from 'zod';

/**
 * Who may make a call. The dispatcher enforces it, one rule for every call:
 * - `anyone`: the citizen screens (and everything else on the kiosk's own page);
 * - `setup`: the setup wizard: open while the kiosk is not provisioned, technician mode afterwards;
 * - `technician`: technician mode only (FORBIDDEN otherwise).
 */
export type CallRole = 'anyone' | 'setup' | 'technician';

/** One call of the kiosk API: what the renderer sends, what it gets back, and who may send it. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly role: CallRole;
}

export const call = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  role: CallRole = 'anyone',
): CallSpec<I, O> => ({
  input,
  output,
  role,
});

/** A technician-only call (technician mode open). */
export const techCall = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> =>
  call(input, output, 'technician');

/** A setup-wizard call (open until the kiosk is provisioned, then technician-only). */
export const setupCall = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> =>
  call(input, output, 'setup');

/** An input for calls that take nothing. */
export const noInput = z.object({}).strict();
export const okOutput = z.object({ ok: z.literal(true) });
