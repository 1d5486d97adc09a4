import { createActor, fromPromise, SimulatedClock, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { PaymentCheck, PaymentQuote, StartedPayment } from '../contract/domains/payments.ts';
import type { PrintOutcome } from '../contract/print.ts';
import { paymentMachine, POLL_MS, type PaymentEvent } from './payment.ts';
import { after, walkSimplePaths } from './testing/paths.ts';

const quote: PaymentQuote = {
  dossierCode: '000.31.12.H12-261129-0001',
  procedureName: 'x',
  amount: 100000,
  paid: false,
  accountName: 'UBND',
  accountNumber: '1',
  bankBin: '970405',
};
const started: StartedPayment = {
  paymentId: '01939b2e-0000-7000-8000-000000000001',
  dossierCode: quote.dossierCode,
  amount: 100000,
  qr: '000201',
  purpose: quote.dossierCode,
  accountName: 'UBND',
  accountNumber: '1',
  waitMs: 60_000,
};
const flush = () => new Promise((r) => setTimeout(r, 0));

function run(confirmAfterChecks: number) {
  let checks = 0;
  let abandoned = 0;
  const clock = new SimulatedClock();
  const m = paymentMachine.provide({
    actors: {
      quote: fromPromise(async () => quote),
      start: fromPromise(async () => started),
      check: fromPromise<PaymentCheck, { paymentId: string }>(async ({ input }) => {
        checks++;
        return {
          paymentId: input.paymentId,
          status: checks >= confirmAfterChecks ? 'confirmed' : 'waiting',
          offline: false,
          confirmedAt: null,
          bankRef: null,
        };
      }),
      printSlip: fromPromise<{ print: PrintOutcome }, { paymentId: string }>(async () => ({
        print: { printed: true },
      })),
    },
    actions: { abandon: () => void abandoned++ },
  });
  const actor = createActor(m, { input: { ref: quote.dossierCode }, clock }).start();
  return { actor, clock, checks: () => checks, abandoned: () => abandoned };
}

describe('payment machine', () => {
  it('polls central while the QR shows and prints the slip once the transfer is confirmed', async () => {
    const { actor, clock, checks } = run(2);
    await flush();
    expect(actor.getSnapshot().value).toBe('confirming');
    actor.send({ type: 'PAY' });
    await flush();
    expect(actor.getSnapshot().matches('waiting')).toBe(true);
    clock.increment(POLL_MS);
    await flush();
    expect(checks()).toBe(1);
    clock.increment(POLL_MS);
    await flush();
    await flush();
    expect(checks()).toBe(2);
    expect(actor.getSnapshot().value).toBe('receipt');
    expect(actor.getSnapshot().context.print).toEqual({ printed: true });
  });

  it('asks at once when the citizen presses "Tôi đã chuyển khoản"', async () => {
    const { actor, checks } = run(1);
    await flush();
    actor.send({ type: 'PAY' });
    await flush();
    actor.send({ type: 'CLAIM_PAID' });
    await flush();
    await flush();
    expect(checks()).toBe(1);
    expect(actor.getSnapshot().value).toBe('receipt');
  });

  it('stops waiting when the countdown runs out, without calling it a failure', async () => {
    const { actor, clock, abandoned } = run(Infinity);
    await flush();
    actor.send({ type: 'PAY' });
    await flush();
    for (let t = 0; t < 60_000; t += POLL_MS) {
      clock.increment(POLL_MS);
      await flush();
    }
    expect(actor.getSnapshot().value).toBe('expired');
    actor.send({ type: 'DONE' });
    expect(abandoned()).toBe(1);
  });

  it('starts the wait over when the citizen asks for more time, as often as they ask', async () => {
    const { actor, clock, abandoned } = run(Infinity);
    await flush();
    actor.send({ type: 'PAY' });
    await flush();
    expect(actor.getSnapshot().context.waitRound).toBe(1);
    for (let round = 2; round <= 11; round++) {
      // 57 s of a 60 s wait: then "Thêm thời gian".
      for (let t = 0; t < 57_000; t += POLL_MS) {
        clock.increment(POLL_MS);
        await flush();
      }
      expect(actor.getSnapshot().matches('waiting')).toBe(true);
      actor.send({ type: 'EXTEND' });
      expect(actor.getSnapshot().context.waitRound).toBe(round);
    }
    for (let t = 0; t < 57_000; t += POLL_MS) {
      clock.increment(POLL_MS);
      await flush();
    }
    expect(actor.getSnapshot().matches('waiting')).toBe(true);
    for (let t = 0; t < 3_000; t += POLL_MS) {
      clock.increment(POLL_MS);
      await flush();
    }
    expect(actor.getSnapshot().value).toBe('expired');
    expect(abandoned()).toBe(0);
  });

  it('reaches entering, quoting and leaving along some path (I/O states are covered by the tests above)', () => {
    const { statesReached } = walkSimplePaths(paymentMachine, {
      input: {},
      events: [
        ...([
          { type: 'LOOKUP', ref: quote.dossierCode },
          { type: 'PAY' },
          { type: 'BACK' },
          { type: 'DONE' },
        ] satisfies PaymentEvent[] as EventObject[]),
        after('waitLimit', 'payment.waiting'),
      ],
    });
    for (const s of ['"entering"', '"quoting"', '"left"']) expect(statesReached).toContain(s);
  });
});
