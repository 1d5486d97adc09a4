import { createActor, fromPromise, waitFor, type EventObject } from 'xstate';
import { describe, expect, it } from 'vitest';
import type { SubmitResult } from '../contract/domains/submission.ts';
import { submissionMachine, type SubmissionEvent, type SubmitParams } from './submission.ts';
import { walkSimplePaths } from './testing/paths.ts';

const receipt: SubmitResult = {
  provisionalNo: 'KIOSK-01-000001',
  accepted: true,
  dossierCode: '000.31.12.H12-261129-0001',
  appointmentDate: '2026-11-30',
  fee: 0,
  print: { printed: true },
  identitySource: 'qr',
  attachments: [],
};

const machine = (opts: { fail?: { code: string; message: string } } = {}) => {
  const calls: SubmitParams[] = [];
  const m = submissionMachine.provide({
    guards: { complete: ({ context }) => context.values.name === 'An' && context.values.id === '096190012345' },
    actors: {
      submit: fromPromise<SubmitResult, SubmitParams>(async ({ input }) => {
        calls.push(input);
        if (opts.fail) throw opts.fail;
        return receipt;
      }),
    },
  });
  return { m, calls };
};

describe('submission machine', () => {
  it('never lets a half-filled form reach review, and shows every problem instead', () => {
    const { m } = machine();
    const a = createActor(m, { input: { procedureCode: '1.001193' } }).start();
    expect(a.getSnapshot().value).toBe('filling');
    a.send({ type: 'SET', field: 'name', value: 'An' });
    a.send({ type: 'REVIEW' });
    expect(a.getSnapshot().value).toBe('filling');
    expect(a.getSnapshot().context.showErrors).toBe(true);
    a.send({ type: 'SET', field: 'id', value: '096190012345' });
    a.send({ type: 'REVIEW' });
    expect(a.getSnapshot().value).toBe('reviewing');
  });

  it('submits only after consent, then forgets the values and keeps the receipt', async () => {
    const { m, calls } = machine();
    const a = createActor(m, { input: {} }).start();
    a.send({ type: 'CHOOSE', procedureCode: '2.000635' });
    a.send({ type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: ['name', 'id'], source: 'qr' });
    a.send({ type: 'REVIEW' });
    a.send({ type: 'SUBMIT' });
    expect(a.getSnapshot().value).toBe('reviewing');
    a.send({ type: 'CONSENT', value: true });
    a.send({ type: 'SUBMIT' });
    const done = await waitFor(a, (s) => s.matches('done'));
    expect(calls).toEqual([
      { procedureCode: '2.000635', values: { name: 'An', id: '096190012345' }, identitySource: 'qr', documents: [] },
    ]);
    expect(done.context).toMatchObject({ values: {}, scanned: [], consent: false, result: receipt });
  });

  it('offers "Nhắn tin về hồ sơ" after consent when the office has channels: optional, skippable, back to review', async () => {
    const { m, calls } = machine();
    const a = createActor(m, { input: {} }).start();
    a.send({ type: 'CHOOSE', procedureCode: '2.000635' });
    a.send({ type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: [], source: 'qr' });
    a.send({ type: 'REVIEW' });
    a.send({ type: 'SUBMIT', notifyChannels: ['zalo', 'sms'] });
    expect(a.getSnapshot().value).toBe('reviewing'); // no consent yet
    a.send({ type: 'CONSENT', value: true });
    a.send({ type: 'SUBMIT', notifyChannels: ['zalo', 'sms'] });
    expect(a.getSnapshot().value).toBe('notifying');
    a.send({ type: 'BACK' });
    expect(a.getSnapshot().value).toBe('reviewing');
    a.send({ type: 'SUBMIT', notifyChannels: ['sms'] });
    a.send({ type: 'OPT_IN', channel: 'zalo', phone: '0912345678' }); // not offered
    expect(a.getSnapshot().value).toBe('notifying');
    a.send({ type: 'OPT_IN', channel: 'sms', phone: '0912345678' });
    const done = await waitFor(a, (s) => s.matches('done'));
    expect(calls[0]).toMatchObject({ notify: { channel: 'sms', phone: '0912345678', consent: true } });
    expect(done.context.notify).toBeNull();

    // Skipped: submitted without an opt-in.
    const second = machine();
    const b = createActor(second.m, { input: { procedureCode: '2.000635' } }).start();
    b.send({ type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: [], source: 'qr' });
    b.send({ type: 'REVIEW' });
    b.send({ type: 'CONSENT', value: true });
    b.send({ type: 'SUBMIT', notifyChannels: ['zalo'] });
    b.send({ type: 'SKIP' });
    await waitFor(b, (s) => s.matches('done'));
    expect(second.calls[0]).not.toHaveProperty('notify');
  });

  it('asks for each paper: a page is shown until "Dùng ảnh này" or "Chụp lại"; required ones need a page, optional ones may be skipped', async () => {
    const { m, calls } = machine();
    const a = createActor(m, { input: {} }).start();
    a.send({ type: 'CHOOSE', procedureCode: '1.001193' });
    a.send({ type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: [], source: 'qr' });
    const docs = [
      { id: 'giay-chung-sinh', optional: false, maxPages: 2 },
      { id: 'giay-ket-hon', optional: true, maxPages: 10 },
    ];
    a.send({ type: 'REVIEW', docs });
    expect(a.getSnapshot().value).toBe('documents');
    a.send({ type: 'SKIP' }); // required: cannot be skipped
    a.send({ type: 'NEXT' }); // nor passed without a page
    expect(a.getSnapshot().context.docIndex).toBe(0);
    a.send({ type: 'CAPTURED', page: { pageId: 'p1', preview: 'data:' } });
    a.send({ type: 'NEXT' }); // a page on show must be used or taken again first
    expect(a.getSnapshot().context.docIndex).toBe(0);
    a.send({ type: 'RETAKE' });
    expect(a.getSnapshot().context.pending).toBeNull();
    a.send({ type: 'CAPTURED', page: { pageId: 'p2', preview: 'data:' } });
    a.send({ type: 'USE' });
    a.send({ type: 'CAPTURED', page: { pageId: 'p3', preview: 'data:' } });
    a.send({ type: 'USE' });
    a.send({ type: 'CAPTURED', page: { pageId: 'p4', preview: 'data:' } }); // over maxPages: refused
    expect(a.getSnapshot().context.pending).toBeNull();
    expect(a.getSnapshot().context.pages).toEqual({ 'giay-chung-sinh': ['p2', 'p3'] });
    a.send({ type: 'NEXT' });
    expect(a.getSnapshot().context.docIndex).toBe(1);
    a.send({ type: 'SKIP' });
    expect(a.getSnapshot().value).toBe('reviewing');
    a.send({ type: 'BACK' });
    expect(a.getSnapshot()).toMatchObject({ value: 'documents', context: { docIndex: 1 } });
    a.send({ type: 'NEXT' });
    a.send({ type: 'CONSENT', value: true });
    a.send({ type: 'SUBMIT' });
    await waitFor(a, (s) => s.matches('done'));
    expect(calls[0]!.documents).toEqual([{ docId: 'giay-chung-sinh', pageIds: ['p2', 'p3'] }]);
  });

  it('an incomplete form never reaches the papers', () => {
    const { m } = machine();
    const a = createActor(m, { input: {} }).start();
    a.send({ type: 'CHOOSE', procedureCode: '1.001193' });
    a.send({ type: 'SET', field: 'name', value: 'An' });
    a.send({ type: 'REVIEW', docs: [{ id: 'x', optional: true, maxPages: 1 }] });
    expect(a.getSnapshot().value).toBe('filling');
  });

  it('wipes what was typed when the citizen goes back out of the form', () => {
    const { m } = machine();
    const a = createActor(m, { input: { procedureCode: '1.001193' } }).start();
    a.send({ type: 'SET', field: 'name', value: 'An' });
    a.send({ type: 'BACK' });
    expect(a.getSnapshot().value).toBe('choosing');
    expect(a.getSnapshot().context).toMatchObject({ values: {}, procedureCode: null });
  });

  it('sends the citizen back to the fields when the kiosk refuses the form', async () => {
    const { m } = machine({ fail: { code: 'BAD_INPUT', message: 'x' } });
    const a = createActor(m, { input: { procedureCode: 'p' } }).start();
    a.send({ type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: [] });
    a.send({ type: 'REVIEW' });
    a.send({ type: 'CONSENT', value: true });
    a.send({ type: 'SUBMIT' });
    await waitFor(a, (s) => s.matches('failed'));
    a.send({ type: 'EDIT' });
    expect(a.getSnapshot().value).toBe('filling');
    expect(a.getSnapshot().context.values.name).toBe('An');
  });

  it('reaches every state along some path, and only a consented complete form is ever submitted', () => {
    const { m } = machine();
    const { statesReached, paths } = walkSimplePaths(m, {
      input: {},
      events: [
        { type: 'CHOOSE', procedureCode: 'p' },
        { type: 'FILL', values: { name: 'An', id: '096190012345' }, filled: [] },
        { type: 'SET', field: 'name', value: 'B' },
        { type: 'REVIEW' },
        { type: 'CONSENT', value: true },
        { type: 'CONSENT', value: false },
        { type: 'EDIT' },
        { type: 'SUBMIT' },
        { type: 'BACK' },
      ] satisfies SubmissionEvent[] as EventObject[],
      serialize: (s) =>
        JSON.stringify([
          s.value,
          (s.context as { consent: boolean }).consent,
          (s.context as { values: { name?: string } }).values.name ?? '',
        ]),
      check: (snap) => {
        if (snap.matches('submitting')) expect(snap.context.consent && snap.context.values.name === 'An').toBe(true);
      },
    });
    expect(paths).toBeGreaterThan(5);
    for (const s of ['"choosing"', '"filling"', '"reviewing"', '"submitting"', '"left"'])
      expect(statesReached).toContain(s);
  });
});
