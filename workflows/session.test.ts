import { createActor, SimulatedClock } from 'xstate';
import { describe, expect, it } from 'vitest';
import { sessionMachine } from './session.ts';
import { after, walkSimplePaths } from './testing/paths.ts';

const timeouts = { idleWarningMs: 60_000, warningMs: 30_000, attractMs: 120_000 };

function start() {
  const clock = new SimulatedClock();
  let wipes = 0;
  let leaves = 0;
  const actor = createActor(
    sessionMachine.provide({
      actions: {
        wipe: () => {
          wipes += 1;
        },
        leave: () => {
          leaves += 1;
        },
      },
    }),
    { input: { timeouts }, clock },
  ).start();
  return { actor, clock, wipes: () => wipes, leaves: () => leaves };
}

describe('session machine', () => {
  it('warns after the idle time and wipes the session when the warning runs out', () => {
    const { actor, clock, wipes } = start();
    actor.send({ type: 'START' });
    clock.increment(59_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('warning');
    clock.increment(30_000);
    expect(actor.getSnapshot().value).toBe('home');
    expect(wipes()).toBe(1);
  });

  it('extends the session as many times as the citizen asks', () => {
    const { actor, clock, wipes } = start();
    actor.send({ type: 'START' });
    for (let i = 0; i < 10; i++) {
      clock.increment(60_000);
      expect(actor.getSnapshot().value).toBe('warning');
      actor.send({ type: 'EXTEND' });
      expect(actor.getSnapshot().value).toBe('active');
    }
    expect(actor.getSnapshot().context.extensions).toBe(10);
    expect(wipes()).toBe(0);
  });

  it('waits while a screen holds the session, and counts the idle time afresh once it lets go', () => {
    const { actor, clock, wipes } = start();
    actor.send({ type: 'START' });
    actor.send({ type: 'HOLD' });
    clock.increment(10 * 60_000);
    expect(actor.getSnapshot().value).toBe('active');
    actor.send({ type: 'RELEASE' });
    clock.increment(59_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('warning');
    // A hold that arrives during the warning (the QR appeared) takes the warning away.
    actor.send({ type: 'HOLD' });
    expect(actor.getSnapshot().value).toBe('active');
    actor.send({ type: 'FINISH' });
    expect(wipes()).toBe(1);
    // A new citizen's session is not held by the last one's screen.
    actor.send({ type: 'START' });
    clock.increment(60_000);
    expect(actor.getSnapshot().value).toBe('warning');
  });

  it("keeps the citizen's choices when they go home, and ends the session on the idle time-out", () => {
    const { actor, clock, wipes, leaves } = start();
    actor.send({ type: 'SET_ASSISTED', on: true });
    actor.send({ type: 'START' });
    actor.send({ type: 'HOME' });
    expect(actor.getSnapshot().value).toBe('home');
    expect(leaves()).toBe(1);
    expect(wipes()).toBe(0);
    expect(actor.getSnapshot().context.scale).toBe(10);
    actor.send({ type: 'START' });
    clock.increment(600_000);
    expect(actor.getSnapshot().value).toBe('warning');
    clock.increment(300_000);
    expect(actor.getSnapshot().value).toBe('home');
    expect(wipes()).toBe(1);
    expect(actor.getSnapshot().context.scale).toBe(1);
  });

  it('ends the session on an explicit "Kết thúc", and when home stays idle until the attract screen', () => {
    const { actor, clock, wipes, leaves } = start();
    actor.send({ type: 'SET_ASSISTED', on: true });
    actor.send({ type: 'START' });
    actor.send({ type: 'FINISH' });
    expect(actor.getSnapshot().value).toBe('home');
    expect(wipes()).toBe(1);
    expect(leaves()).toBe(0);
    actor.send({ type: 'SET_ASSISTED', on: true });
    actor.send({ type: 'START' });
    actor.send({ type: 'HOME' });
    clock.increment(1_200_000);
    expect(actor.getSnapshot().value).toBe('attract');
    expect(wipes()).toBe(2);
    expect(actor.getSnapshot().context.scale).toBe(1);
  });

  it('restarts the idle timer on every touch', () => {
    const { actor, clock } = start();
    actor.send({ type: 'START' });
    clock.increment(50_000);
    actor.send({ type: 'ACTIVITY' });
    clock.increment(50_000);
    expect(actor.getSnapshot().value).toBe('active');
  });

  it('gives an assisted session (speech or large text) ten times longer', () => {
    const { actor, clock } = start();
    actor.send({ type: 'SET_ASSISTED', on: true });
    actor.send({ type: 'START' });
    clock.increment(599_999);
    expect(actor.getSnapshot().value).toBe('active');
    clock.increment(1);
    expect(actor.getSnapshot().value).toBe('warning');
  });

  it('shows the attract screen after a long idle on home, and wakes on a touch', () => {
    const { actor, clock } = start();
    clock.increment(120_000);
    expect(actor.getSnapshot().value).toBe('attract');
    actor.send({ type: 'ACTIVITY' });
    expect(actor.getSnapshot().value).toBe('home');
  });

  it('never keeps the warning shorter than 20 seconds, whatever the config says', () => {
    const clock = new SimulatedClock();
    const actor = createActor(sessionMachine, {
      input: { timeouts: { ...timeouts, warningMs: 5_000 } },
      clock,
    }).start();
    actor.send({ type: 'START' });
    clock.increment(60_000);
    clock.increment(19_999);
    expect(actor.getSnapshot().value).toBe('warning');
  });

  it('reaches every state along every simple path and never rests in the transient ending', () => {
    const { paths, statesReached } = walkSimplePaths(sessionMachine, {
      input: { timeouts },
      serialize: (s) => JSON.stringify([s.value, (s.context as { scale: number }).scale]),
      events: [
        { type: 'ACTIVITY' },
        { type: 'START' },
        { type: 'EXTEND' },
        { type: 'HOME' },
        { type: 'FINISH' },
        { type: 'SET_ASSISTED', on: true },
        after('idleWarning', 'session.active'),
        after('warning', 'session.warning'),
        after('attract', 'session.home'),
      ],
      check(snapshot, step) {
        // The ending and leaving states are transient: no path ever rests in them.
        expect(snapshot.value).not.toBe('ending');
        expect(snapshot.value).not.toBe('leaving');
        if (step?.type === 'HOME' || step?.type === 'xstate.after.warning.session.warning')
          expect(snapshot.context.extensions).toBe(0);
      },
    });
    expect(paths).toBeGreaterThan(5);
    expect([...statesReached].sort()).toEqual(['"active"', '"attract"', '"home"', '"warning"']);
  });
});
