import { assign, fromPromise, setup } from 'xstate';
import { asError } from './errors.ts';

/**
 * Technician mode on the kiosk: a discreet gesture opens the PIN pad; the right PIN opens the
 * technician screens (diagnostics, sync, logs, settings); it closes on LOCK or after `idleMs`
 * without a touch. Wrong PINs come back with the wait the core imposes (growing lockout).
 * I/O: `unlock`, `lock`.
 */
export type TechPage = 'diagnostics' | 'sync' | 'logs' | 'settings';

export interface TechnicianContext {
  idleMs: number;
  page: TechPage;
  error: { code: string; message: string; retryAfterMs?: number } | null;
}

export type TechnicianEvent =
  | { type: 'GESTURE' }
  | { type: 'SUBMIT_PIN'; pin: string }
  | { type: 'CANCEL' }
  | { type: 'SHOW'; page: TechPage }
  | { type: 'ACTIVITY' }
  | { type: 'LOCK' }
  /** The core closed technician mode (its own idle time-out, another window). */
  | { type: 'CLOSED_BY_CORE' };

/** Matches the core's own idle time-out (kiosk/tech/session.node.ts). */
export const TECHNICIAN_IDLE_MS = 5 * 60_000;

/** The technician's errors also carry how long a PIN lockout lasts. */
const techError = (e: unknown): TechnicianContext['error'] => {
  const err = asError(e);
  const retry = err.details?.retryAfterMs;
  return { code: err.code, message: err.message ?? '', ...(typeof retry === 'number' ? { retryAfterMs: retry } : {}) };
};

export const technicianMachine = setup({
  types: {
    context: {} as TechnicianContext,
    events: {} as TechnicianEvent,
    input: {} as { idleMs?: number },
  },
  actors: {
    unlock: fromPromise<void, { pin: string }>(async () => {
      throw new Error('unlock not provided');
    }),
    lock: fromPromise<void, void>(async () => undefined),
  },
  delays: {
    idle: ({ context }) => context.idleMs,
  },
}).createMachine({
  id: 'technician',
  context: ({ input }) => ({ idleMs: input.idleMs ?? TECHNICIAN_IDLE_MS, page: 'diagnostics', error: null }),
  initial: 'closed',
  states: {
    closed: {
      on: { GESTURE: { target: 'pin', actions: assign({ error: null }) } },
    },
    pin: {
      initial: 'entering',
      // An abandoned PIN pad closes too: nobody leaves it up for the next citizen.
      after: { idle: '#technician.closed' },
      states: {
        entering: {},
        checking: {
          invoke: {
            id: 'unlock',
            src: 'unlock',
            input: ({ event }) => ({ pin: (event as { pin: string }).pin }),
            onDone: { target: '#technician.open', actions: assign({ error: null, page: 'diagnostics' }) },
            onError: { target: 'entering', actions: assign({ error: ({ event }) => techError(event.error) }) },
          },
        },
      },
      on: {
        SUBMIT_PIN: { target: '.checking' },
        CANCEL: { target: 'closed', actions: assign({ error: null }) },
      },
    },
    open: {
      after: { idle: 'closing' },
      on: {
        SHOW: { actions: assign({ page: ({ event }) => event.page }) },
        ACTIVITY: { target: 'open', reenter: true },
        LOCK: 'closing',
        CLOSED_BY_CORE: 'closed',
      },
    },
    closing: {
      invoke: { id: 'lock', src: 'lock', onDone: 'closed', onError: 'closed' },
    },
  },
});
