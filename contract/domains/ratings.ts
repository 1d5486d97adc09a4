import { z } from 'zod';
import { LowReason, Overall, RatingCriteria } from '../../protocol/ratings.ts';
import { call } from '../define.ts';

export { LowReason, Overall, RatingCriteria };

export const RatingInput = z
  .object({
    overall: Overall,
    criteria: RatingCriteria,
    reasons: z.array(LowReason).max(8),
    comment: z.string().max(500).optional(),
    dossierCode: z.string().max(40).optional(),
    ticketId: z.string().max(60).optional(),
    context: z.enum(['standalone', 'ticket', 'submission', 'payment']),
  })
  .strict();
export type RatingInput = z.infer<typeof RatingInput>;

export const calls = {
  /** Saves the rating with its outbox entry (one transaction): it reaches central whenever the network allows. */
  'ratings.submit': call(RatingInput, z.object({ ratingId: z.uuid(), queued: z.literal(true) })),
};

export const events = {};
