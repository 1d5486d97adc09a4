import { z } from 'zod';
import { ChipRead } from '../../drivers/chip/types.ts';
import { IdentitySource } from '../../protocol/dossiers.ts';
import { MrzKeyInput } from '../../drivers/chip/reader.ts';
import { call, noInput } from '../define.ts';

export { ChipRead, IdentitySource, MrzKeyInput };

export const IdReaderStatus = z.object({
  uri: z.string(),
  kind: z.enum(['pcsc', 'sim', 'none', 'invalid']),
  state: z.enum(['closed', 'opening', 'ready', 'error', 'reconnecting']),
  detail: z.string().nullable(),
  since: z.string(),
  readers: z.array(z.string()),
  card: z.boolean(),
  /** Certificates in the CSCA list (0: a chip can never be verified here). */
  cscaCount: z.number().int(),
});
export type IdReaderStatus = z.infer<typeof IdReaderStatus>;

export const calls = {
  /** The chip reader and whether a card is on it (also pushed as `chip.status`). */
  'chip.status': call(noInput, IdReaderStatus),
  /**
   * Reads the card on the reader with the MRZ key from the back of the card (BAC), then passive
   * authentication. Never throws for a card problem: `ok: false` with a code and a vi/en message.
   */
  'chip.read': call(MrzKeyInput, ChipRead),
  /** `sim` reader only (demos, tests): place a synthetic card (optionally tampered) or lift it. FORBIDDEN otherwise. */
  'chip.simulate': call(
    z.discriminatedUnion('action', [
      z.object({ action: z.literal('insert'), tampered: z.boolean().default(false) }).strict(),
      z.object({ action: z.literal('remove') }).strict(),
    ]),
    z.object({ ok: z.literal(true), mrz: z.array(z.string()).nullable() }),
  ),
};

export const events = {
  'chip.status': IdReaderStatus,
};
