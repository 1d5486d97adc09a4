import { assign, fromPromise, setup } from 'xstate';
import type { LowReason, Overall, RatingCriteria, RatingInput } from '../contract/domains/ratings.ts';

export interface RatingContext {
  overall: Overall | null;
  criteria: RatingCriteria;
  reasons: LowReason[];
  dossierCode: string | null;
  ticketId: string | null;
  context: RatingInput['context'];
  error: { code: string; message: string } | null;
}

export type RatingEvent =
  | { type: 'OVERALL'; value: Overall }
  | { type: 'CRITERION'; criteria: RatingCriteria }
  | { type: 'TOGGLE_REASON'; reason: LowReason }
  | { type: 'SUBMIT' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' };

/** The thank-you screen goes home by itself after this long. */
export const THANKS_MS = 8_000;

/**
 * Đánh giá hài lòng: overall (three levels) → optional criteria, and reasons when unhappy →
 * saved (the kiosk queues it for central; it is never lost) → thanks. May follow a ticket or a
 * submission, carrying its ticket id or dossier code.
 */
export const ratingMachine = setup({
  types: {
    context: {} as RatingContext,
    events: {} as RatingEvent,
    input: {} as { dossierCode?: string | null; ticketId?: string | null; context?: RatingInput['context'] },
  },
  actors: {
    submit: fromPromise<{ ratingId: string }, RatingInput>(async () => {
      throw new Error('submit not provided');
    }),
  },
  delays: { thanks: THANKS_MS },
}).createMachine({
  id: 'rating',
  context: ({ input }) => ({
    overall: null,
    criteria: {},
    reasons: [],
    dossierCode: input.dossierCode ?? null,
    ticketId: input.ticketId ?? null,
    context: input.context ?? 'standalone',
    error: null,
  }),
  initial: 'choosing',
  states: {
    choosing: {
      on: {
        OVERALL: {
          target: 'details',
          actions: assign({
            overall: ({ event }) => event.value,
            reasons: ({ context, event }) => (event.value === 'dissatisfied' ? context.reasons : []),
          }),
        },
        BACK: 'left',
      },
    },
    details: {
      on: {
        CRITERION: {
          actions: assign({ criteria: ({ context, event }) => ({ ...context.criteria, ...event.criteria }) }),
        },
        TOGGLE_REASON: {
          guard: ({ context }) => context.overall === 'dissatisfied',
          actions: assign({
            reasons: ({ context, event }) =>
              context.reasons.includes(event.reason)
                ? context.reasons.filter((r) => r !== event.reason)
                : [...context.reasons, event.reason],
          }),
        },
        SUBMIT: 'sending',
        BACK: 'choosing',
      },
    },
    sending: {
      invoke: {
        src: 'submit',
        input: ({ context }) => ({
          overall: context.overall!,
          criteria: context.criteria,
          reasons: context.overall === 'dissatisfied' ? context.reasons : [],
          context: context.context,
          ...(context.dossierCode ? { dossierCode: context.dossierCode } : {}),
          ...(context.ticketId ? { ticketId: context.ticketId } : {}),
        }),
        onDone: 'thanks',
        onError: {
          target: 'failed',
          actions: assign({
            error: ({ event }) =>
              event.error && typeof event.error === 'object' && 'code' in event.error
                ? (event.error as { code: string; message: string })
                : { code: 'INTERNAL', message: String(event.error) },
          }),
        },
      },
    },
    failed: { on: { RETRY: 'sending', BACK: 'details' } },
    thanks: { after: { thanks: 'finished' }, on: { DONE: 'finished' } },
    left: { type: 'final' },
    finished: { type: 'final' },
  },
});
