import { and, assign, fromPromise, setup } from 'xstate';
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
  /** The papers the procedure asks to digitise (issue 16), in order; empty: the step is not shown. */
  docs: DocStep[];
  /** Which paper the citizen is on. */
  docIndex: number;
  /** Accepted page ids per document id ("Dùng ảnh này"). */
  pages: Record<string, string[]>;
  /** The page just captured, shown large with "Chụp lại" / "Dùng ảnh này". */
  pending: PendingPage | null;
  /** Channels the office offers for "Nhắn tin về hồ sơ" (given with SUBMIT); empty: the step is not shown. */
  notifyChannels: NotifyChoice[];
  /** The citizen's opt-in (personal data: wiped with the values). */
  notify: { channel: NotifyChoice; phone: string } | null;
}

export type NotifyChoice = 'zalo' | 'sms';

export interface DocStep {
  id: string;
  optional: boolean;
  maxPages: number;
}

export interface PendingPage {
  pageId: string;
  preview: string;
}

export type SubmissionEvent =
  | { type: 'CHOOSE'; procedureCode: string }
  | { type: 'SET'; field: string; value: string }
  /** An ID scan: the screen merged the card's facts into the values. */
  | { type: 'FILL'; values: Record<string, string>; filled: string[]; source?: IdentitySource }
  /** From the form: to the papers (when `docs` is not empty), else to review. */
  | { type: 'REVIEW'; docs?: DocStep[] }
  | { type: 'CAPTURED'; page: PendingPage }
  /** "Chụp lại": the shown page is dropped (the screen discards it on the kiosk and captures again). */
  | { type: 'RETAKE' }
  /** "Dùng ảnh này". */
  | { type: 'USE' }
  | { type: 'REMOVE_PAGE'; pageId: string }
  /** To the next paper (needs a page unless optional), or to review after the last. */
  | { type: 'NEXT' }
  /** "Bỏ qua" an optional paper. */
  | { type: 'SKIP' }
  | { type: 'EDIT' }
  | { type: 'CONSENT'; value: boolean }
  /** From review; with the office's channels the optional "Nhắn tin về hồ sơ" step comes first. */
  | { type: 'SUBMIT'; notifyChannels?: NotifyChoice[] }
  /** "Đồng ý và đăng ký" on the opt-in step (the number already checked by the screen). */
  | { type: 'OPT_IN'; channel: NotifyChoice; phone: string }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' };

export interface SubmitParams {
  procedureCode: string;
  values: Record<string, string>;
  identitySource: IdentitySource;
  documents: Array<{ docId: string; pageIds: string[] }>;
  notify?: { channel: NotifyChoice; phone: string; consent: true };
}

const empty = (): Pick<
  SubmissionContext,
  | 'values'
  | 'scanned'
  | 'showErrors'
  | 'consent'
  | 'identitySource'
  | 'docs'
  | 'docIndex'
  | 'pages'
  | 'pending'
  | 'notifyChannels'
  | 'notify'
> => ({
  values: {},
  scanned: [],
  showErrors: false,
  consent: false,
  identitySource: 'manual',
  docs: [],
  docIndex: 0,
  pages: {},
  pending: null,
  notifyChannels: [],
  notify: null,
});

const currentDoc = (c: SubmissionContext): DocStep | undefined => c.docs[c.docIndex];
const pagesOf = (c: SubmissionContext): string[] => c.pages[currentDoc(c)?.id ?? ''] ?? [];

/**
 * Nộp hồ sơ: choose a procedure → fill the form (ID scan + keyboard) → review → consent
 * (Decree 13/2023) → optionally "Nhắn tin về hồ sơ" (when the office offers Zalo/SMS) → submit → receipt. `complete` (the form engine's verdict) is provided by the
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
    /** The current paper has a page, or may be skipped. */
    docReady: ({ context }) => pagesOf(context).length > 0 || !!currentDoc(context)?.optional,
    lastDoc: ({ context }) => context.docIndex >= context.docs.length - 1,
    optionalDoc: ({ context }) => !!currentDoc(context)?.optional,
    roomForPage: ({ context }) => pagesOf(context).length < (currentDoc(context)?.maxPages ?? 0),
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
        REVIEW: [
          {
            guard: and(['complete', ({ context, event }) => !!event.docs?.length && context.docs.length === 0]),
            target: 'documents',
            actions: assign({ docs: ({ event }) => event.docs ?? [], docIndex: 0 }),
          },
          { guard: and(['complete', ({ context }) => context.docs.length > 0]), target: 'documents' },
          { guard: 'complete', target: 'reviewing' },
          { actions: assign({ showErrors: true }) },
        ],
        BACK: { target: 'choosing', actions: ['wipe', assign({ procedureCode: null })] },
      },
    },
    documents: {
      // Only a complete form reaches the papers.
      always: { guard: ({ context }) => context.docs.length === 0, target: 'reviewing' },
      on: {
        CAPTURED: { guard: 'roomForPage', actions: assign({ pending: ({ event }) => event.page }) },
        RETAKE: { actions: assign({ pending: null }) },
        USE: {
          guard: ({ context }) => context.pending !== null,
          actions: assign({
            pages: ({ context }) => {
              const id = currentDoc(context)!.id;
              return { ...context.pages, [id]: [...(context.pages[id] ?? []), context.pending!.pageId] };
            },
            pending: null,
          }),
        },
        REMOVE_PAGE: {
          actions: assign({
            pages: ({ context, event }) => {
              const id = currentDoc(context)!.id;
              return { ...context.pages, [id]: (context.pages[id] ?? []).filter((p) => p !== event.pageId) };
            },
          }),
        },
        NEXT: [
          { guard: ({ context }) => context.pending !== null },
          { guard: and(['docReady', 'lastDoc']), target: 'reviewing' },
          { guard: 'docReady', actions: assign({ docIndex: ({ context }) => context.docIndex + 1 }) },
        ],
        SKIP: [
          {
            guard: and(['optionalDoc', 'lastDoc']),
            target: 'reviewing',
            actions: assign({
              pages: ({ context }) => ({ ...context.pages, [currentDoc(context)!.id]: [] }),
              pending: null,
            }),
          },
          {
            guard: 'optionalDoc',
            actions: assign({
              pages: ({ context }) => ({ ...context.pages, [currentDoc(context)!.id]: [] }),
              pending: null,
              docIndex: ({ context }) => context.docIndex + 1,
            }),
          },
        ],
        BACK: [
          { guard: ({ context }) => context.pending !== null, actions: assign({ pending: null }) },
          {
            guard: ({ context }) => context.docIndex > 0,
            actions: assign({ docIndex: ({ context }) => context.docIndex - 1 }),
          },
          { target: 'filling' },
        ],
      },
    },
    reviewing: {
      on: {
        CONSENT: { actions: assign({ consent: ({ event }) => event.value }) },
        EDIT: 'filling',
        BACK: [
          {
            guard: ({ context }) => context.docs.length > 0,
            target: 'documents',
            actions: assign({ docIndex: ({ context }) => context.docs.length - 1 }),
          },
          { target: 'filling' },
        ],
        SUBMIT: [
          {
            guard: and(['consented', ({ event }) => !!event.notifyChannels?.length]),
            target: 'notifying',
            actions: assign({ notifyChannels: ({ event }) => event.notifyChannels ?? [], notify: null }),
          },
          { guard: 'consented', target: 'submitting', actions: assign({ notify: null }) },
        ],
      },
    },
    // "Nhắn tin về hồ sơ": optional; skipping it submits the dossier the same way.
    notifying: {
      on: {
        OPT_IN: {
          guard: ({ context, event }) => context.notifyChannels.includes(event.channel),
          target: 'submitting',
          actions: assign({ notify: ({ event }) => ({ channel: event.channel, phone: event.phone }) }),
        },
        SKIP: { target: 'submitting', actions: assign({ notify: null }) },
        BACK: { target: 'reviewing', actions: assign({ notify: null }) },
      },
    },
    submitting: {
      invoke: {
        src: 'submit',
        input: ({ context }) => ({
          procedureCode: context.procedureCode!,
          values: context.values,
          identitySource: context.identitySource,
          documents: context.docs
            .map((d) => ({ docId: d.id, pageIds: context.pages[d.id] ?? [] }))
            .filter((d) => d.pageIds.length > 0),
          ...(context.notify ? { notify: { ...context.notify, consent: true as const } } : {}),
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
