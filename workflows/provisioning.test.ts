import { createActor, fromPromise, waitFor, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import { provisioningMachine, type ProvisioningInput } from './provisioning.ts';
import { walkSimplePaths } from './testing/paths.ts';

const input: ProvisioningInput = {
  centralUrl: 'http://127.0.0.1:8620',
  kioskName: 'Kiosk',
  printer: 'sim',
  scanner: 'sim',
  enrolled: false,
};
const office = { id: 'ca-mau', name: 'UBND phường', address: 'x', province: 'Cà Mau' };

function actors(
  fail: Partial<
    Record<'loadOffices' | 'enrol' | 'useDevices' | 'testPrint' | 'finish', { code: string; message: string }>
  > = {},
  calls: string[] = [],
) {
  const step = <T>(name: keyof typeof fail, value: T) =>
    fromPromise(async () => {
      calls.push(name);
      if (fail[name]) throw fail[name];
      return value;
    });
  return provisioningMachine.provide({
    actors: {
      loadOffices: step('loadOffices', [office]),
      enrol: step('enrol', { deviceId: 'dev_x', officeId: 'ca-mau', officeName: 'UBND phường', officeMatches: true }),
      useDevices: step('useDevices', undefined),
      testPrint: step('testPrint', undefined),
      finish: step('finish', undefined),
    } as never,
  });
}

describe('provisioning machine', () => {
  it('walks office, code, devices, tests and PIN to done', async () => {
    const calls: string[] = [];
    const actor = createActor(actors({}, calls), { input }).start();
    actor.send({ type: 'LOAD_OFFICES', centralUrl: 'http://127.0.0.1:8620' });
    await waitFor(actor, (s) => s.context.offices.length === 1);
    actor.send({ type: 'CHOOSE_OFFICE', officeId: 'ca-mau', kioskName: 'Kiosk sảnh' });
    actor.send({ type: 'SUBMIT_CODE', code: 'ABCD-EFGH' });
    await waitFor(actor, (s) => s.matches('devices'));
    actor.send({ type: 'CHOOSE_DEVICES', printer: 'serial:/dev/ttyUSB0', scanner: 'sim' });
    await waitFor(actor, (s) => s.matches('tests'));
    actor.send({ type: 'NEXT' });
    expect(actor.getSnapshot().matches('tests')).toBe(true);
    actor.send({ type: 'TEST_PRINT' });
    await waitFor(actor, (s) => s.context.testPrintOk);
    actor.send({ type: 'SCAN_SEEN', kind: 'plain' });
    actor.send({ type: 'NEXT' });
    actor.send({ type: 'SUBMIT_PIN', pin: '246810' });
    await waitFor(actor, (s) => s.status === 'done');
    expect(calls).toEqual(['loadOffices', 'enrol', 'useDevices', 'testPrint', 'finish']);
    expect(actor.getSnapshot().context).toMatchObject({
      deviceId: 'dev_x',
      printer: 'serial:/dev/ttyUSB0',
      lastScanKind: 'plain',
    });
  });

  it('keeps the technician on the code step with the error when central refuses the code', async () => {
    const actor = createActor(actors({ enrol: { code: 'UNAUTHORIZED', message: 'enrolment code already used' } }), {
      input,
    }).start();
    actor.send({ type: 'CHOOSE_OFFICE', officeId: 'ca-mau', kioskName: 'Kiosk' });
    actor.send({ type: 'SUBMIT_CODE', code: 'ABCD-EFGH' });
    await waitFor(actor, (s) => s.context.error !== null);
    expect(actor.getSnapshot().matches({ enrol: 'idle' })).toBe(true);
    expect(actor.getSnapshot().context.error?.code).toBe('UNAUTHORIZED');
  });

  it('resumes at the devices step after a restart of an enrolled kiosk', () => {
    const actor = createActor(actors(), { input: { ...input, enrolled: true, deviceId: 'dev_y' } }).start();
    expect(actor.getSnapshot().matches('devices')).toBe(true);
  });

  it('never reaches done without a test print and a test scan, on any path', () => {
    const { statesReached } = walkSimplePaths(actors(), {
      input,
      events: [
        { type: 'CHOOSE_OFFICE', officeId: 'ca-mau', kioskName: 'K' },
        { type: 'SUBMIT_CODE', code: 'ABCD-EFGH' },
        {
          type: 'xstate.done.actor.enrol',
          output: { deviceId: 'dev_x', officeId: 'ca-mau', officeName: 'X', officeMatches: true },
        },
        { type: 'CHOOSE_DEVICES', printer: 'sim', scanner: 'sim' },
        { type: 'xstate.done.actor.useDevices', output: undefined },
        { type: 'TEST_PRINT' },
        { type: 'xstate.done.actor.testPrint', output: undefined },
        { type: 'SCAN_SEEN', kind: 'plain' },
        { type: 'NEXT' },
        { type: 'SUBMIT_PIN', pin: '246810' },
        { type: 'xstate.done.actor.finish', output: undefined },
        { type: 'BACK' },
      ] as EventObject[],
      serialize: (s) =>
        JSON.stringify([
          s.value,
          (s.context as { testScanOk: boolean }).testScanOk,
          (s.context as { testPrintOk: boolean }).testPrintOk,
        ]),
      check: (snapshot) => {
        if (snapshot.matches('pin') || snapshot.status === 'done')
          expect(snapshot.context.testPrintOk && snapshot.context.testScanOk).toBe(true);
      },
    });
    expect(statesReached).toContain('"done"');
    expect(statesReached).toContain('{"pin":"finishing"}');
  });
});
