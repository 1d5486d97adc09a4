import { assign, setup } from 'xstate';

export interface SessionTimeouts {
  idleWarningMs: number;
  warningMs: number;
  attractMs: number;
}

export interface SessionContext {
  timeouts: SessionTimeouts;
  /** 10 when the citizen turned on speech or large text: they get ten times longer. */
  scale: number;
  /** How many times "Thêm thời gian" was pressed in this session. */
  extensions: number;
}

export type SessionEvent =
  | { type: 'ACTIVITY' }
  | { type: 'START' }
  | { type: 'EXTEND' }
  | { type: 'HOME' }
  | { type: 'SET_ASSISTED'; on: boolean };

/**
 * The citizen's session: home ⇄ attract when nobody is there; active while a flow is used;
 * a warning with one large "Thêm thời gian" button before the idle time-out; ending wipes
 * everything the citizen entered (the `wipe` action, provided by the renderer) and goes home.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { timeouts: SessionTimeouts },
  },
  actions: {
    wipe: () => {},
    resetSession: assign({ scale: 1, extensions: 0 }),
    countExtension: assign({ extensions: ({ context }) => context.extensions + 1 }),
    setAssisted: assign({ scale: (_, params: { on: boolean }) => (params.on ? 10 : 1) }),
  },
  delays: {
    idleWarning: ({ context }) => context.timeouts.idleWarningMs * context.scale,
    warning: ({ context }) => Math.max(20_000, context.timeouts.warningMs) * context.scale,
    attract: ({ context }) => context.timeouts.attractMs * context.scale,
  },
}).createMachine({
  id: 'session',
  context: ({ input }) => ({ timeouts: input.timeouts, scale: 1, extensions: 0 }),
  initial: 'home',
  on: {
    SET_ASSISTED: { actions: { type: 'setAssisted', params: ({ event }) => ({ on: event.on }) } },
  },
  states: {
    home: {
      after: { attract: 'attract' },
      on: {
        ACTIVITY: { target: 'home', reenter: true },
        START: 'active',
        HOME: { target: 'home', reenter: true },
      },
    },
    attract: {
      entry: 'resetSession',
      on: { ACTIVITY: 'home', START: 'active', HOME: 'home' },
    },
    active: {
      after: { idleWarning: 'warning' },
      on: {
        ACTIVITY: { target: 'active', reenter: true },
        START: { target: 'active', reenter: true },
        HOME: 'ending',
      },
    },
    warning: {
      after: { warning: 'ending' },
      on: {
        EXTEND: { target: 'active', actions: 'countExtension' },
        HOME: 'ending',
      },
    },
    ending: {
      entry: ['wipe', 'resetSession'],
      always: 'home',
    },
  },
});
