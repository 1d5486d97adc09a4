import { createActor, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { IssuedTicket, OfficerToday, TicketOptions } from '../contract/domains/tickets.ts';
import { officerDeskMachine } from './officer-desk.ts';
import { after, walkSimplePaths } from './testing/paths.ts';

const options: TicketOptions = {
  officeName: 'x',
  online: true,
  priorityGroups: [{ id: 'cao-tuoi', name: 'Người cao tuổi' }],
  areas: [],
};
const today: OfficerToday = { day: '2026-11-30', fromCentral: true, services: [], lastTicket: null };
const ticket = { ticket: { number: 'A001' }, print: { printed: true } } as unknown as IssuedTicket;
const done = (id: string, output: unknown): EventObject => ({ type: `xstate.done.actor.${id}`, output }) as EventObject;
const failed = (id: string, code: string): EventObject =>
  ({ type: `xstate.error.actor.${id}`, error: { code, message: code } }) as EventObject;
const pending = () => fromPromise(() => new Promise<never>(() => undefined));

describe('officer desk machine', () => {
  it('walks every path: nothing reaches the desk without a token, and a lost session locks it again', () => {
    const walkable = officerDeskMachine.provide({
      actors: {
        status: pending(),
        unlock: pending(),
        load: pending(),
        issue: pending(),
        reprint: pending(),
        lock: pending(),
      } as never,
    });
    const { paths, statesReached } = walkSimplePaths(walkable, {
      input: { idleMs: 60_000 },
      events: [
        done('status', { pinSet: true }),
        done('status', { pinSet: false }),
        failed('status', 'INTERNAL'),
        { type: 'SUBMIT_PIN', pin: '246810' } as EventObject,
        done('unlock', { token: 't'.repeat(32) }),
        failed('unlock', 'WRONG_PIN'),
        done('load', { options, today }),
        failed('load', 'UNAUTHORIZED'),
        failed('load', 'OFFLINE'),
        { type: 'ISSUE', serviceId: 'ho-tich', priorityGroupId: null } as EventObject,
        done('issue', ticket),
        failed('issue', 'UNAUTHORIZED'),
        { type: 'REPRINT' },
        done('reprint', ticket),
        { type: 'REFRESH' },
        { type: 'LOCK' },
        { type: 'CANCEL' },
        after('idle', 'officerDesk.desk'),
        done('lock', undefined),
      ],
      serialize: (s) => {
        const c = s.context as { token: string | null; error: { code: string } | null };
        return JSON.stringify([s.value, c.token !== null, c.error !== null]);
      },
      check: (snap) => {
        if ((['desk', 'issuing', 'reprinting', 'loading'] as const).some((v) => snap.matches(v)))
          expect(snap.context.token).not.toBeNull();
        if (snap.matches('locked') || snap.matches('closed'))
          expect(snap.context.last === null || snap.context.token !== null).toBe(true);
        if (snap.matches('closed')) expect(snap.context.token).toBeNull();
      },
    });
    expect(paths).toBeGreaterThan(10);
    const reached = [...statesReached].map((v) => JSON.parse(v) as string);
    expect(reached.sort()).toEqual([
      'checking',
      'closed',
      'desk',
      'issuing',
      'loading',
      'locked',
      'locking',
      'noPin',
      'reprinting',
      'unlocking',
    ]);
  });

  function run(opts: { pin?: string; pinSet?: boolean } = {}) {
    const clock = new SimulatedClock();
    const issued: unknown[] = [];
    let locks = 0;
    const actor = createActor(
      officerDeskMachine.provide({
        actors: {
          status: fromPromise(async () => ({ pinSet: opts.pinSet ?? true })),
          unlock: fromPromise(async ({ input }: { input: { pin: string } }) => {
            if (input.pin !== (opts.pin ?? '246810')) throw { code: 'WRONG_PIN', message: 'wrong' };
            return { token: 'x'.repeat(32) };
          }),
          load: fromPromise(async () => ({ options, today })),
          issue: fromPromise<IssuedTicket, unknown>(async ({ input }) => {
            issued.push(input);
            return ticket;
          }),
          reprint: fromPromise<IssuedTicket, unknown>(async () => ticket),
          lock: fromPromise(async () => {
            locks++;
          }),
        } as never,
      }),
      { clock, input: { idleMs: 60_000 } },
    ).start();
    const settle = () => new Promise((r) => setTimeout(r, 0));
    return { actor, clock, issued, settle, locks: () => locks };
  }

  it('says up front that no PIN is set, before anything is typed, and closes', async () => {
    const { actor, settle } = run({ pinSet: false });
    await settle();
    expect(actor.getSnapshot().value).toBe('noPin');
    expect(actor.getSnapshot().context.error?.code).toBe('PIN_NOT_SET');
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    expect(actor.getSnapshot().value).toBe('noPin');
    actor.send({ type: 'CANCEL' });
    expect(actor.getSnapshot().value).toBe('closed');
  });

  it('refuses a wrong PIN and opens with the right one', async () => {
    const { actor, settle } = run();
    actor.send({ type: 'SUBMIT_PIN', pin: '0000' });
    await settle();
    expect(actor.getSnapshot().value).toBe('locked');
    expect(actor.getSnapshot().context.error?.code).toBe('WRONG_PIN');
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    await settle();
    await settle();
    expect(actor.getSnapshot().value).toBe('desk');
    expect(actor.getSnapshot().context.error).toBeNull();
  });

  it('issues a priority ticket with one event and refreshes the counts', async () => {
    const { actor, settle, issued } = run();
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    await settle();
    await settle();
    actor.send({ type: 'ISSUE', serviceId: 'ho-tich', priorityGroupId: 'cao-tuoi' });
    await settle();
    await settle();
    expect(issued).toEqual([{ token: 'x'.repeat(32), serviceId: 'ho-tich', priorityGroupId: 'cao-tuoi' }]);
    expect(actor.getSnapshot().value).toBe('desk');
    expect(actor.getSnapshot().context.last).toBe(ticket);
  });

  it('locks itself after the idle time, and each touch restarts it', async () => {
    const { actor, settle, clock, locks } = run();
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    await settle();
    await settle();
    clock.increment(59_000);
    actor.send({ type: 'ACTIVITY' });
    clock.increment(59_000);
    expect(actor.getSnapshot().value).toBe('desk');
    clock.increment(1_000);
    await settle();
    expect(actor.getSnapshot().value).toBe('closed');
    expect(actor.getSnapshot().context.token).toBeNull();
    expect(locks()).toBe(1);
  });
});
