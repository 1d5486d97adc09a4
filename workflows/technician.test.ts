import { createActor, fromPromise, SimulatedClock, waitFor, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import { technicianMachine } from './technician.ts';
import { after, walkSimplePaths } from './testing/paths.ts';

const IDLE = 60_000;

function start(unlock: (pin: string) => Promise<void>) {
  const clock = new SimulatedClock();
  const locks: number[] = [];
  const actor = createActor(
    technicianMachine.provide({
      actors: {
        unlock: fromPromise(async ({ input }) => unlock((input as { pin: string }).pin)),
        lock: fromPromise(async () => void locks.push(1)),
      } as never,
    }),
    { input: { idleMs: IDLE }, clock },
  ).start();
  return { actor, clock, locks };
}

const rightPin = async (pin: string) => {
  if (pin !== '246810') throw { code: 'WRONG_PIN', message: 'wrong PIN', details: { retryAfterMs: 30_000 } };
};

describe('technician machine', () => {
  it('opens on the gesture and the right PIN, and closes after idle', async () => {
    const { actor, clock, locks } = start(rightPin);
    actor.send({ type: 'GESTURE' });
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    await waitFor(actor, (s) => s.matches('open'));
    actor.send({ type: 'SHOW', page: 'logs' });
    clock.increment(IDLE - 1);
    actor.send({ type: 'ACTIVITY' });
    clock.increment(IDLE - 1);
    expect(actor.getSnapshot().matches('open')).toBe(true);
    expect(actor.getSnapshot().context.page).toBe('logs');
    clock.increment(1);
    await waitFor(actor, (s) => s.matches('closed'));
    expect(locks).toHaveLength(1);
  });

  it('shows the wait the core imposes after a wrong PIN and stays on the PIN pad', async () => {
    const { actor } = start(rightPin);
    actor.send({ type: 'GESTURE' });
    actor.send({ type: 'SUBMIT_PIN', pin: '000000' });
    await waitFor(actor, (s) => s.context.error !== null);
    expect(actor.getSnapshot().matches({ pin: 'entering' })).toBe(true);
    expect(actor.getSnapshot().context.error).toEqual({
      code: 'WRONG_PIN',
      message: 'wrong PIN',
      retryAfterMs: 30_000,
    });
  });

  it('closes an abandoned PIN pad', () => {
    const { actor, clock } = start(rightPin);
    actor.send({ type: 'GESTURE' });
    clock.increment(IDLE);
    expect(actor.getSnapshot().matches('closed')).toBe(true);
  });

  it('reaches every state and never shows technician pages without passing the PIN check', () => {
    let unlocked = false;
    const machine = technicianMachine.provide({
      actors: { unlock: fromPromise(async () => undefined), lock: fromPromise(async () => undefined) } as never,
    });
    const { statesReached } = walkSimplePaths(machine, {
      input: { idleMs: IDLE },
      events: [
        { type: 'GESTURE' },
        { type: 'CANCEL' },
        { type: 'SHOW', page: 'sync' },
        { type: 'LOCK' },
        { type: 'CLOSED_BY_CORE' },
        after('idle', 'technician.open'),
        after('idle', 'technician.pin'),
        { type: 'SUBMIT_PIN', pin: '246810' },
        { type: 'xstate.done.actor.unlock', output: undefined },
        { type: 'xstate.done.actor.lock', output: undefined },
      ] as EventObject[],
      check: (snapshot, step) => {
        if (step === null) unlocked = false;
        if (snapshot.matches({ pin: 'checking' })) unlocked = true;
        if (snapshot.matches('open')) expect(unlocked).toBe(true);
      },
    });
    expect(statesReached).toContain('"closed"');
    expect([...statesReached].sort()).toEqual([
      '"closed"',
      '"closing"',
      '"open"',
      '{"pin":"checking"}',
      '{"pin":"entering"}',
    ]);
  });
});
