import { z } from 'zod';
import { LowReason, Overall, RatingAnswers, RatingCriteria } from '../../protocol/ratings.ts';
import { call } from '../define.ts';

export { LowReason, Overall, RatingCriteria };

/** The citizen's answers, with central's own rule (so the kiosk never queues a rating central refuses). */
export const RatingInput = RatingAnswers;
export type RatingInput = RatingAnswers;

export const calls = {
  /** Saves the rating with its outbox entry (one transaction): it reaches central whenever the network allows. */
  'ratings.submit': call(RatingInput, z.object({ ratingId: z.uuid(), queued: z.literal(true) })),
};

export const events = {};
