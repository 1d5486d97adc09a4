import { createActor, fromPromise, SimulatedClock, waitFor, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { RatingInput } from '../contract/domains/ratings.ts';
import { ratingMachine, THANKS_MS, type RatingEvent } from './rating.ts';
import { walkSimplePaths } from './testing/paths.ts';

const provide = (sent: RatingInput[]) =>
  ratingMachine.provide({
    actors: {
      submit: fromPromise<{ ratingId: string }, RatingInput>(async ({ input }) => {
        sent.push(input);
        return { ratingId: 'r1' };
      }),
    },
  });

describe('rating machine', () => {
  it('sends reasons only with a low rating, with the dossier it follows', async () => {
    const sent: RatingInput[] = [];
    const clock = new SimulatedClock();
    const a = createActor(provide(sent), {
      input: { dossierCode: '000.31.12.H12-261129-0001', context: 'submission' },
      clock,
    }).start();
    a.send({ type: 'OVERALL', value: 'dissatisfied' });
    a.send({ type: 'TOGGLE_REASON', reason: 'slow' });
    a.send({ type: 'TOGGLE_REASON', reason: 'attitude' });
    a.send({ type: 'TOGGLE_REASON', reason: 'attitude' });
    a.send({ type: 'CRITERION', criteria: { timesReturned: 2 } });
    a.send({ type: 'SUBMIT' });
    await waitFor(a, (s) => s.matches('thanks'));
    expect(sent).toEqual([
      {
        overall: 'dissatisfied',
        criteria: { timesReturned: 2 },
        reasons: ['slow'],
        context: 'submission',
        dossierCode: '000.31.12.H12-261129-0001',
      },
    ]);
    clock.increment(THANKS_MS);
    expect(a.getSnapshot().status).toBe('done');
  });

  it('drops reasons when the citizen changes to a good rating', async () => {
    const sent: RatingInput[] = [];
    const a = createActor(provide(sent), { input: {} }).start();
    a.send({ type: 'OVERALL', value: 'dissatisfied' });
    a.send({ type: 'TOGGLE_REASON', reason: 'slow' });
    a.send({ type: 'BACK' });
    a.send({ type: 'OVERALL', value: 'very_satisfied' });
    a.send({ type: 'TOGGLE_REASON', reason: 'slow' });
    a.send({ type: 'SUBMIT' });
    await waitFor(a, (s) => s.matches('thanks'));
    expect(sent[0]).toMatchObject({ overall: 'very_satisfied', reasons: [], context: 'standalone' });
  });

  it('reaches every state along some path and never sends without an overall judgement', () => {
    const { statesReached } = walkSimplePaths(ratingMachine, {
      input: {},
      events: [
        { type: 'OVERALL', value: 'satisfied' },
        { type: 'OVERALL', value: 'dissatisfied' },
        { type: 'TOGGLE_REASON', reason: 'slow' },
        { type: 'SUBMIT' },
        { type: 'BACK' },
      ] satisfies RatingEvent[] as EventObject[],
      serialize: (s) =>
        JSON.stringify([
          s.value,
          (s.context as { overall: string }).overall,
          (s.context as { reasons: string[] }).reasons,
        ]),
      check: (snap) => {
        if (snap.matches('sending')) expect(snap.context.overall).not.toBeNull();
      },
    });
    for (const s of ['"choosing"', '"details"', '"sending"', '"left"']) expect(statesReached).toContain(s);
  });
});
