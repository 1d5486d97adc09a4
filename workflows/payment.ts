import { assign, fromPromise, setup } from 'xstate';
import { asError, type FlowError } from './errors.ts';
import type { PaymentCheck, PaymentQuote, StartedPayment } from '../contract/domains/payments.ts';
import type { PrintOutcome } from '../contract/print.ts';

export interface PaymentContext {
  ref: string | null;
  quote: PaymentQuote | null;
  payment: StartedPayment | null;
  check: PaymentCheck | null;
  print: PrintOutcome | null;
  error: FlowError | null;
  /** Counts each (re)start of the wait, so the screen restarts its countdown with it. */
  waitRound: number;
}

export type PaymentEvent =
  | { type: 'LOOKUP'; ref: string }
  | { type: 'PAY' }
  /** "Tôi đã chuyển khoản": ask central now rather than at the next poll. */
  | { type: 'CLAIM_PAID' }
  /** "Thêm thời gian": the wait starts over with its full length. */
  | { type: 'EXTEND' }
  | { type: 'PRINT' }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'DONE' };

/** How often the kiosk asks central while the QR is shown. */
export const POLL_MS = 3_000;
/** In the wait's last minute the screen warns, reads the warning out and offers more time. */
export const WAIT_WARN_MS = 60_000;

/**
 * Thanh toán lệ phí: dossier code → amount (from central) → VietQR (the intent goes through the
 * outbox) → wait for central's confirmation with a countdown (`waitLimit`), polling every
 * `POLL_MS` and on "Tôi đã chuyển khoản" → payment slip. Running out of time is not a failure:
 * the transfer may still arrive, and the status lookup shows it later.
 */
export const paymentMachine = setup({
  types: {
    context: {} as PaymentContext,
    events: {} as PaymentEvent,
    input: {} as { ref?: string | null },
  },
  actors: {
    quote: fromPromise<PaymentQuote, { ref: string }>(async () => {
      throw new Error('quote not provided');
    }),
    start: fromPromise<StartedPayment, { dossierCode: string }>(async () => {
      throw new Error('start not provided');
    }),
    check: fromPromise<PaymentCheck, { paymentId: string }>(async () => {
      throw new Error('check not provided');
    }),
    printSlip: fromPromise<{ print: PrintOutcome }, { paymentId: string }>(async () => {
      throw new Error('printSlip not provided');
    }),
  },
  actions: {
    abandon: () => undefined,
  },
  guards: {
    confirmed: ({ event }) => (event as unknown as { output: PaymentCheck }).output.status === 'confirmed',
    nothingToPay: ({ event }) => {
      const q = (event as unknown as { output: PaymentQuote }).output;
      return q.paid || q.amount === 0;
    },
  },
  delays: {
    poll: POLL_MS,
    waitLimit: ({ context }) => context.payment?.waitMs ?? 300_000,
  },
}).createMachine({
  id: 'payment',
  context: ({ input }) => ({
    ref: input.ref ?? null,
    quote: null,
    payment: null,
    check: null,
    print: null,
    error: null,
    waitRound: 0,
  }),
  initial: 'start',
  states: {
    start: { always: [{ guard: ({ context }) => context.ref !== null, target: 'quoting' }, { target: 'entering' }] },
    entering: {
      on: {
        LOOKUP: { target: 'quoting', actions: assign({ ref: ({ event }) => event.ref.trim(), error: null }) },
        BACK: 'left',
      },
    },
    quoting: {
      invoke: {
        src: 'quote',
        input: ({ context }) => ({ ref: context.ref! }),
        onDone: [
          { guard: 'nothingToPay', target: 'nothingToPay', actions: assign({ quote: ({ event }) => event.output }) },
          { target: 'confirming', actions: assign({ quote: ({ event }) => event.output }) },
        ],
        onError: { target: 'entering', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    nothingToPay: { on: { BACK: 'entering', DONE: 'finished' } },
    confirming: {
      on: {
        PAY: 'starting',
        BACK: { target: 'entering', actions: assign({ quote: null }) },
      },
    },
    starting: {
      invoke: {
        src: 'start',
        input: ({ context }) => ({ dossierCode: context.quote!.dossierCode }),
        onDone: { target: 'waiting', actions: assign({ payment: ({ event }) => event.output }) },
        onError: { target: 'confirming', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    waiting: {
      id: 'waiting',
      initial: 'idle',
      entry: assign({ waitRound: ({ context }) => context.waitRound + 1 }),
      after: { waitLimit: 'expired' },
      on: {
        BACK: { target: 'left', actions: 'abandon' },
        EXTEND: { target: 'waiting', reenter: true },
      },
      states: {
        idle: {
          after: { poll: 'checking' },
          on: { CLAIM_PAID: 'checking' },
        },
        checking: {
          invoke: {
            src: 'check',
            input: ({ context }) => ({ paymentId: context.payment!.paymentId }),
            onDone: [
              { guard: 'confirmed', target: '#payment.paid', actions: assign({ check: ({ event }) => event.output }) },
              { target: 'idle', actions: assign({ check: ({ event }) => event.output }) },
            ],
            onError: { target: 'idle' },
          },
        },
      },
    },
    expired: {
      on: {
        // The citizen says they paid after all: one more look, then wait again.
        CLAIM_PAID: 'waiting',
        DONE: { target: 'finished', actions: 'abandon' },
      },
    },
    paid: {
      always: 'printing',
    },
    printing: {
      invoke: {
        src: 'printSlip',
        input: ({ context }) => ({ paymentId: context.payment!.paymentId }),
        onDone: { target: 'receipt', actions: assign({ print: ({ event }) => event.output.print }) },
        onError: { target: 'receipt', actions: assign({ error: ({ event }) => asError(event.error) }) },
      },
    },
    receipt: { on: { PRINT: 'printing', DONE: 'finished' } },
    left: { type: 'final' },
    finished: { type: 'final' },
  },
});
