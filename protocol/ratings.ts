import { z } from 'zod';

/** Satisfaction ratings (outbox kind `rating.submitted`): feed the province's service index; never lost. */
export const RATING_KIND = 'rating.submitted';

export const Overall = z.enum(['very_satisfied', 'satisfied', 'dissatisfied']);
export type Overall = z.infer<typeof Overall>;

/** The official assessment's criteria (vietnam.md §5), each optional. */
export const RatingCriteria = z
  .object({
    /** Total processing time against the rule. */
    processingTime: z.enum(['early', 'on_time', 'late']).optional(),
    /** How many times the citizen had to come back. */
    timesReturned: z.number().int().min(0).max(20).optional(),
    officerAttitude: z.enum(['good', 'normal', 'poor']).optional(),
  })
  .strict();
export type RatingCriteria = z.infer<typeof RatingCriteria>;

/** Reasons offered for "Không hài lòng". */
export const LowReason = z.enum([
  'slow',
  'many_visits',
  'unclear_guidance',
  'attitude',
  'extra_documents',
  'fees',
  'facilities',
  'other',
]);
export type LowReason = z.infer<typeof LowReason>;

/** What the citizen answers (the kiosk API takes exactly this: contract/domains/ratings.ts). */
const answers = {
  overall: Overall,
  criteria: RatingCriteria,
  reasons: z.array(LowReason).max(8),
  comment: z.string().max(500).optional(),
  dossierCode: z.string().max(40).optional(),
  ticketId: z.string().max(60).optional(),
  /** What the rating follows: the standalone tile, a ticket, a submission, a payment. */
  context: z.enum(['standalone', 'ticket', 'submission', 'payment']),
};
/** The one rule across fields: reasons belong to "Không hài lòng" only. */
const reasonsForLowOnly = (r: { overall: Overall; reasons: LowReason[] }) =>
  r.overall === 'dissatisfied' || r.reasons.length === 0;
const reasonsMessage = { message: 'reasons are for a low rating only', path: ['reasons'] };

export const RatingAnswers = z.object(answers).strict().refine(reasonsForLowOnly, reasonsMessage);
export type RatingAnswers = z.infer<typeof RatingAnswers>;

export const RatingSubmission = z
  .object({ ratingId: z.uuid(), kioskId: z.string().min(1), ...answers, createdAt: z.iso.datetime({ offset: true }) })
  .strict()
  .refine(reasonsForLowOnly, reasonsMessage);
export type RatingSubmission = z.infer<typeof RatingSubmission>;

/** `GET /v1/ratings/summary` (device credential): counts for the asking kiosk's office. */
export const RatingSummary = z.object({
  officeId: z.string(),
  total: z.number().int(),
  byOverall: z.record(Overall, z.number().int()),
});
export type RatingSummary = z.infer<typeof RatingSummary>;
