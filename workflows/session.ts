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
  /**
   * A screen that keeps its own, longer clock with its own warning (the VietQR wait: the
   * citizen is busy on their phone, not idle) holds the session; the idle time-out waits.
   */
  held: boolean;
}

export type SessionEvent =
  | { type: 'ACTIVITY' }
  | { type: 'START' }
  | { type: 'EXTEND' }
  | { type: 'HOME' }
  | { type: 'FINISH' }
  | { type: 'SET_ASSISTED'; on: boolean }
  | { type: 'HOLD' }
  | { type: 'RELEASE' };

/**
 * The citizen's session: home ⇄ attract when nobody is there; active while a flow is used;
 * a warning with one large "Thêm thời gian" button before the idle time-out.
 *
 * "Màn hình chính" and "Xong" (HOME) close the flow: what was entered in it is dropped (the
 * `leave` action) but the citizen's choices (large text, language, speech: the assisted
 * `scale` here) stay for their next errand. The session ends — `wipe`, everything back to its
 * defaults for the next citizen — on the idle time-out, on an explicit "Kết thúc" (FINISH),
 * and when home sits idle long enough for the attract screen.
 */
export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    input: {} as { timeouts: SessionTimeouts },
  },
  actions: {
    wipe: () => {},
    leave: () => {},
    resetSession: assign({ scale: 1, extensions: 0, held: false }),
    resetFlow: assign({ extensions: 0, held: false }),
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
  context: ({ input }) => ({ timeouts: input.timeouts, scale: 1, extensions: 0, held: false }),
  initial: 'home',
  on: {
    SET_ASSISTED: { actions: { type: 'setAssisted', params: ({ event }) => ({ on: event.on }) } },
    FINISH: '.ending',
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
      // Nobody at home for the attract time: whoever chose large text or English has left.
      entry: ['wipe', 'resetSession'],
      on: { ACTIVITY: 'home', START: 'active', HOME: 'home' },
    },
    active: {
      after: { idleWarning: { guard: ({ context }) => !context.held, target: 'warning' } },
      on: {
        ACTIVITY: { target: 'active', reenter: true },
        START: { target: 'active', reenter: true },
        HOME: 'leaving',
        HOLD: { actions: assign({ held: true }) },
        // The idle time counts again from the moment the screen lets go.
        RELEASE: { target: 'active', reenter: true, actions: assign({ held: false }) },
      },
    },
    warning: {
      after: { warning: 'ending' },
      on: {
        EXTEND: { target: 'active', actions: 'countExtension' },
        HOME: 'leaving',
        HOLD: { target: 'active', actions: assign({ held: true }) },
        RELEASE: { actions: assign({ held: false }) },
      },
    },
    leaving: {
      entry: ['leave', 'resetFlow'],
      always: 'home',
    },
    ending: {
      entry: ['wipe', 'resetSession'],
      always: 'home',
    },
  },
});
