import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { IpcMain, WebContents } from 'electron';
import { EventBus, type Dispatch } from '../api/dispatch.ts';
import { CALL_CHANNEL, EVENT_CHANNEL } from '../../contract/bridge.ts';
import { forwardEvents, registerKioskIpc, type IpcCore } from './ipc.main.ts';
import { FakeFrame, FakeIpcMain, FakeWebContents } from './testing/fake-electron.node.ts';
import type { ShellIncident } from './window.main.ts';

vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron);

let ipcMain: FakeIpcMain;
let ours: FakeWebContents;
let dispatched: Array<{ name: string; input: unknown; carrier: string }>;
let incidents: ShellIncident[];
let core: IpcCore | null;

beforeEach(() => {
  ipcMain = new FakeIpcMain();
  ours = new FakeWebContents();
  dispatched = [];
  incidents = [];
  const dispatch = (async (name: string, input: unknown, ctx: { carrier: string }) => {
    dispatched.push({ name, input, carrier: ctx.carrier });
    return { ok: true, value: { answered: name } };
  }) as unknown as Dispatch;
  core = { dispatch, events: new EventBus() };
  registerKioskIpc({
    ipcMain: ipcMain as unknown as IpcMain,
    contents: () => ours as unknown as WebContents,
    core: () => core,
    record: (i) => incidents.push(i),
  });
});

const call = (sender: FakeWebContents, frame: FakeFrame | null, ...args: unknown[]) =>
  ipcMain.handlers.get(CALL_CHANNEL)!({ sender, senderFrame: frame }, ...args) as Promise<{
    ok: boolean;
    error?: { code: string };
  }>;

describe('the kiosk:call IPC handler', () => {
  it('passes a valid call from our window main frame to the dispatcher, as the ipc carrier', async () => {
    const answer = await call(ours, ours.mainFrame, 'app.info', {});
    expect(answer).toEqual({ ok: true, value: { answered: 'app.info' } });
    expect(dispatched).toEqual([{ name: 'app.info', input: {}, carrier: 'ipc' }]);
  });

  it('treats a missing input as an empty one', async () => {
    expect((await call(ours, ours.mainFrame, 'app.info', undefined)).ok).toBe(true);
    expect(dispatched[0]?.input).toEqual({});
  });

  it('refuses a frame that is showing another origin', async () => {
    ours.mainFrame.url = 'https://example.com/';
    const answer = await call(ours, ours.mainFrame, 'app.info', {});
    expect(answer.error?.code).toBe('FORBIDDEN');
    ours.mainFrame.url = 'file:///tmp/index.html';
    expect((await call(ours, ours.mainFrame, 'app.info', {})).error?.code).toBe('FORBIDDEN');
    expect(dispatched).toEqual([]);
    expect(incidents).toContainEqual({ kind: 'ipc-refused', reason: 'not the app origin' });
  });

  it('refuses a sub-frame, even one on our origin', async () => {
    const sub = new FakeFrame('app://kiosk/index.html');
    expect((await call(ours, sub, 'app.info', {})).error?.code).toBe('FORBIDDEN');
    expect(dispatched).toEqual([]);
    expect(incidents).toContainEqual({ kind: 'ipc-refused', reason: 'not the main frame' });
  });

  it('refuses another web contents and a frame that is gone', async () => {
    const other = new FakeWebContents();
    expect((await call(other, other.mainFrame, 'app.info', {})).error?.code).toBe('FORBIDDEN');
    expect((await call(ours, null, 'app.info', {})).error?.code).toBe('FORBIDDEN');
    expect(dispatched).toEqual([]);
  });

  it.each([
    ['a number as the name', [42, {}]],
    ['no arguments', []],
    ['an empty name', ['', {}]],
    ['a huge name', ['x'.repeat(100), {}]],
    ['extra arguments', ['app.info', {}, 'more']],
  ])('answers BAD_INPUT for %s, without dispatching', async (_what, args) => {
    expect((await call(ours, ours.mainFrame, ...args)).error?.code).toBe('BAD_INPUT');
    expect(dispatched).toEqual([]);
  });

  it('answers UNKNOWN_CALL for names outside the contract, without dispatching', async () => {
    for (const name of ['app.nope', 'constructor', '__proto__', 'toString']) {
      expect((await call(ours, ours.mainFrame, name, {})).error?.code).toBe('UNKNOWN_CALL');
    }
    expect(dispatched).toEqual([]);
  });

  it('answers BAD_INPUT for input that breaks the call schema, without dispatching', async () => {
    expect((await call(ours, ours.mainFrame, 'app.info', { junk: 1 })).error?.code).toBe('BAD_INPUT');
    expect((await call(ours, ours.mainFrame, 'session.end', { reason: 'because' })).error?.code).toBe('BAD_INPUT');
    expect((await call(ours, ours.mainFrame, 'session.end', 'idle')).error?.code).toBe('BAD_INPUT');
    expect(dispatched).toEqual([]);
    expect((await call(ours, ours.mainFrame, 'session.end', { reason: 'idle' })).ok).toBe(true);
    expect(dispatched).toEqual([{ name: 'session.end', input: { reason: 'idle' }, carrier: 'ipc' }]);
  });

  it('answers OFFLINE while the core is being restarted', async () => {
    core = null;
    expect((await call(ours, ours.mainFrame, 'app.info', {})).error?.code).toBe('OFFLINE');
  });
});

describe('event forwarding', () => {
  it('sends the core pushed events to the window until unsubscribed', () => {
    const bus = new EventBus();
    const stop = forwardEvents(bus, ours as unknown as WebContents);
    const state = { online: true, pending: 2, parked: 0, lastSuccessAt: null, lastErrorKind: null };
    bus.emit('sync.state', state);
    expect(ours.sent).toEqual([[EVENT_CHANNEL, 'sync.state', state]]);
    stop();
    bus.emit('sync.state', state);
    expect(ours.sent).toHaveLength(1);
  });

  it('does not send to a destroyed window', () => {
    const bus = new EventBus();
    forwardEvents(bus, ours as unknown as WebContents);
    ours.destroyed = true;
    bus.emit('sync.state', { online: false, pending: 0, parked: 0, lastSuccessAt: null, lastErrorKind: null });
    expect(ours.sent).toEqual([]);
  });
});
