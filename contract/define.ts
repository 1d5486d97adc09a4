import { z } from 'zod';

/** One call of the kiosk API: what the renderer sends and what it gets back. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
}

export const call = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): CallSpec<I, O> => ({
  input,
  output,
});

/** An input for calls that take nothing. */
export const noInput = z.object({}).strict();
export const okOutput = z.object({ ok: z.literal(true) });
