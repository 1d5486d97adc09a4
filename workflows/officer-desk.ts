import { assign, fromPromise, setup } from 'xstate';
import { asError, type FlowError } from './errors.ts';
import type { IssuedTicket, OfficerToday, TicketOptions } from '../contract/domains/tickets.ts';
import type { IssueParams } from './ticket.ts';

export interface OfficerDeskContext {
  idleMs: number;
  token: string | null;
  options: TicketOptions | null;
  today: OfficerToday | null;
  /** The last ticket this desk issued or reprinted (shown, with the on-screen copy when not printed). */
  last: IssuedTicket | null;
  error: FlowError | null;
}

export type OfficerDeskEvent =
  | { type: 'SUBMIT_PIN'; pin: string }
  | { type: 'ISSUE'; serviceId: string; priorityGroupId: string | null }
  | { type: 'REPRINT' }
  | { type: 'REFRESH' }
  | { type: 'ACTIVITY' }
  | { type: 'LOCK' }
  | { type: 'CANCEL' };

/** Default idle time before the desk locks itself (shorter than the citizen session's warning). */
export const OFFICER_DESK_IDLE_MS = 60_000;

const sessionEnded = ({ event }: { event: { error: unknown } }) => asError(event.error).code === 'UNAUTHORIZED';

/**
 * The officer desk: whether a PIN is set at all (a desk without one says so before anything is
 * typed) → PIN → one screen where each service has a "Thường" and an "Ưu tiên" button
 * (one tap per ticket), reprint of the last ticket and today's counts. Locks itself after
 * `idleMs` without a touch, and on LOCK. I/O: `status`, `unlock`, `load`, `issue`, `reprint`, `lock`.
 */
export const officerDeskMachine = setup({
  types: {
    context: {} as OfficerDeskContext,
    events: {} as OfficerDeskEvent,
    input: {} as { idleMs?: number },
  },
  actors: {
    status: fromPromise<{ pinSet: boolean }, void>(async () => {
      throw new Error('status not provided');
    }),
    unlock: fromPromise<{ token: string }, { pin: string }>(async () => {
      throw new Error('unlock not provided');
    }),
    load: fromPromise<{ options: TicketOptions; today: OfficerToday }, { token: string }>(async () => {
      throw new Error('load not provided');
    }),
    issue: fromPromise<IssuedTicket, IssueParams & { token: string }>(async () => {
      throw new Error('issue not provided');
    }),
    reprint: fromPromise<IssuedTicket, { token: string }>(async () => {
      throw new Error('reprint not provided');
    }),
    lock: fromPromise<void, { token: string | null }>(async () => undefined),
  },
  actions: {
    setError: assign({ error: ({ event }) => asError((event as unknown as { error: unknown }).error) }),
    forget: assign({ token: null, today: null, last: null, options: null }),
  },
  delays: { idle: ({ context }) => context.idleMs },
}).createMachine({
  id: 'officerDesk',
  context: ({ input }) => ({
    idleMs: input.idleMs ?? OFFICER_DESK_IDLE_MS,
    token: null,
    options: null,
    today: null,
    last: null,
    error: null,
  }),
  initial: 'checking',
  states: {
    checking: {
      invoke: {
        id: 'status',
        src: 'status',
        onDone: [
          { guard: ({ event }) => event.output.pinSet, target: 'locked' },
          {
            target: 'noPin',
            actions: assign({ error: { code: 'PIN_NOT_SET', message: 'no officer desk PIN is set' } }),
          },
        ],
        // Not knowing is no reason to keep the keypad away: unlocking answers PIN_NOT_SET anyway.
        onError: 'locked',
      },
      on: { SUBMIT_PIN: 'unlocking', CANCEL: 'closed' },
    },
    noPin: {
      on: { CANCEL: 'closed' },
    },
    locked: {
      on: {
        SUBMIT_PIN: 'unlocking',
        CANCEL: 'closed',
      },
    },
    unlocking: {
      invoke: {
        id: 'unlock',
        src: 'unlock',
        input: ({ event }) => ({ pin: (event as { pin: string }).pin }),
        onDone: { target: 'loading', actions: assign({ token: ({ event }) => event.output.token, error: null }) },
        onError: { target: 'locked', actions: 'setError' },
      },
    },
    loading: {
      invoke: {
        id: 'load',
        src: 'load',
        input: ({ context }) => ({ token: context.token! }),
        onDone: {
          target: 'desk',
          actions: assign({ options: ({ event }) => event.output.options, today: ({ event }) => event.output.today }),
        },
        onError: [
          { guard: sessionEnded, target: 'locked', actions: ['forget', 'setError'] },
          { target: 'desk', actions: 'setError' },
        ],
      },
    },
    desk: {
      after: { idle: 'locking' },
      on: {
        ACTIVITY: { target: 'desk', reenter: true },
        ISSUE: { target: 'issuing', actions: assign({ error: null }) },
        REPRINT: { target: 'reprinting', actions: assign({ error: null }) },
        REFRESH: 'loading',
        LOCK: 'locking',
      },
    },
    issuing: {
      invoke: {
        id: 'issue',
        src: 'issue',
        input: ({ context, event }) => {
          const e = event as { serviceId: string; priorityGroupId: string | null };
          return { token: context.token!, serviceId: e.serviceId, priorityGroupId: e.priorityGroupId };
        },
        onDone: { target: 'loading', actions: assign({ last: ({ event }) => event.output }) },
        onError: [
          { guard: sessionEnded, target: 'locked', actions: ['forget', 'setError'] },
          { target: 'desk', actions: 'setError' },
        ],
      },
    },
    reprinting: {
      invoke: {
        id: 'reprint',
        src: 'reprint',
        input: ({ context }) => ({ token: context.token! }),
        onDone: { target: 'desk', actions: assign({ last: ({ event }) => event.output }) },
        onError: [
          { guard: sessionEnded, target: 'locked', actions: ['forget', 'setError'] },
          { target: 'desk', actions: 'setError' },
        ],
      },
    },
    locking: {
      invoke: {
        id: 'lock',
        src: 'lock',
        input: ({ context }) => ({ token: context.token }),
        onDone: { target: 'closed', actions: 'forget' },
        onError: { target: 'closed', actions: 'forget' },
      },
    },
    closed: { type: 'final' },
  },
});
