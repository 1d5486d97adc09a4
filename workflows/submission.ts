import { assign, fromPromise, setup } from 'xstate';
import { asError, type FlowError } from './errors.ts';
import type { SubmitResult } from '../contract/domains/submission.ts';
import type { IdentitySource } from '../protocol/dossiers.ts';

export interface SubmissionContext {
  procedureCode: string | null;
  /** Field id → value as shown (dates dd/mm/yyyy). Personal data: wiped on leaving and after submission. */
  values: Record<string, string>;
  /** Field ids the last ID scan filled (shown as "from the card, please check"). */
  scanned: string[];
  /** Show every field's problem (after the citizen pressed "Xem lại" once). */
  showErrors: boolean;
  consent: boolean;
  /** What filled the identity: the chip (verified), the QR, the MRZ, or the keyboard. */
  identitySource: IdentitySource;
  result: SubmitResult | null;
  error: FlowError | null;
}

export type SubmissionEvent =
  | { type: 'CHOOSE'; procedureCode: string }
  | { type: 'SET'; field: string; value: string }
  /** An ID scan: the screen merged the card's facts into the values. */
  | { type: 'FILL'; values: Record<string, string>; filled: string[]; source?: IdentitySource }
  | { type: 'REVIEW' }
  | { type: 'EDIT' }
  | { type: 'CONSENT'; value: boolean }
  | { type: 'SUBMIT' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' };

export interface SubmitParams {
  procedureCode: string;
  values: Record<string, string>;
  identitySource: IdentitySource;
}

const empty = (): Pick<SubmissionContext, 'values' | 'scanned' | 'showErrors' | 'consent' | 'identitySource'> => ({
  values: {},
  scanned: [],
  showErrors: false,
  consent: false,
  identitySource: 'manual',
});

/**
 * Nộp hồ sơ: choose a procedure → fill the form (ID scan + keyboard) → review → consent
 * (Decree 13/2023) → submit → receipt. `complete` (the form engine's verdict) is provided by the
 * screen; the machine only lets a complete form reach review, and only a consented review reach
 * submission. Leaving (`BACK` from the form or the chooser, or the session ending) wipes values.
 */
export const submissionMachine = setup({
  types: {
    context: {} as SubmissionContext,
    events: {} as SubmissionEvent,
    input: {} as { procedureCode?: string | null },
  },
  actors: {
    submit: fromPromise<SubmitResult, SubmitParams>(async () => {
      throw new Error('submit not provided');
    }),
  },
  guards: {
    complete: () => false,
    consented: ({ context }) => context.consent,
    canFix: ({ context }) => context.error?.code === 'BAD_INPUT',
  },
  actions: {
    wipe: assign(() => ({ ...empty(), result: null, error: null })),
  },
}).createMachine({
  id: 'submission',
  context: ({ input }) => ({ procedureCode: input.procedureCode ?? null, ...empty(), result: null, error: null }),
  initial: 'start',
  states: {
    start: {
      always: [{ guard: ({ context }) => context.procedureCode !== null, target: 'filling' }, { target: 'choosing' }],
    },
    choosing: {
      on: {
        CHOOSE: { target: 'filling', actions: assign({ procedureCode: ({ event }) => event.procedureCode }) },
        BACK: { target: 'left', actions: 'wipe' },
      },
    },
    filling: {
      on: {
        SET: {
          actions: assign({ values: ({ context, event }) => ({ ...context.values, [event.field]: event.value }) }),
        },
        FILL: {
          actions: assign({
            values: ({ event }) => event.values,
            scanned: ({ event }) => event.filled,
            identitySource: ({ event }) => event.source ?? 'manual',
          }),
        },
        REVIEW: [{ guard: 'complete', target: 'reviewing' }, { actions: assign({ showErrors: true }) }],
        BACK: { target: 'choosing', actions: ['wipe', assign({ procedureCode: null })] },
      },
    },
    reviewing: {
      on: {
        CONSENT: { actions: assign({ consent: ({ event }) => event.value }) },
        EDIT: 'filling',
        BACK: 'filling',
        SUBMIT: { guard: 'consented', target: 'submitting' },
      },
    },
    submitting: {
      invoke: {
        src: 'submit',
        input: ({ context }) => ({
          procedureCode: context.procedureCode!,
          values: context.values,
          identitySource: context.identitySource,
        }),
        // The receipt is printed: nothing personal stays on screen state.
        onDone: { target: 'done', actions: ['wipe', assign({ result: ({ event }) => event.output })] },
        onError: { target: 'failed', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    failed: {
      on: {
        RETRY: { target: 'submitting', actions: assign({ error: null }) },
        EDIT: { guard: 'canFix', target: 'filling', actions: assign({ error: null, showErrors: true }) },
        BACK: { target: 'left', actions: 'wipe' },
      },
    },
    done: {
      on: { DONE: 'finished' },
    },
    left: { type: 'final' },
    finished: { type: 'final' },
  },
});
