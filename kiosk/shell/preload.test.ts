import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { KioskBridge } from '../../contract/bridge.ts';
import { fake } from './testing/fake-electron.node.ts';

vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron);

let bridge: KioskBridge;

beforeAll(async () => {
  fake.reset();
  await import('./preload.preload.ts');
  bridge = fake.exposed.get('kioskBridge') as KioskBridge;
});

describe('the preload', () => {
  it('exposes only window.kioskBridge with invoke and subscribe', () => {
    expect([...fake.exposed.keys()]).toEqual(['kioskBridge']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'subscribe']);
  });

  it('sends contract calls over kiosk:call and returns the answer', async () => {
    fake.ipcRenderer.answer = { ok: true, value: { version: '1' } };
    expect(await bridge.invoke('app.info', {})).toEqual({ ok: true, value: { version: '1' } });
    expect(fake.ipcRenderer.invoked.at(-1)).toEqual(['kiosk:call', 'app.info', {}]);
  });

  it('answers UNKNOWN_CALL for names outside the contract without sending anything', async () => {
    const before = fake.ipcRenderer.invoked.length;
    for (const name of ['app.nope', 'toString', '__proto__', 42 as unknown as string]) {
      expect(await bridge.invoke(name, {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    }
    expect(fake.ipcRenderer.invoked).toHaveLength(before);
  });

  it('hands listeners the event name and payload, never the IPC event', () => {
    const got: unknown[][] = [];
    const stop = bridge.subscribe((...args: unknown[]) => got.push(args));
    const ipcEvent = { sender: { secret: true }, ports: [] };
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, 'sync.state', { online: true });
    expect(got).toEqual([['sync.state', { online: true }]]);
    stop();
    fake.ipcRenderer.emit('kiosk:event', ipcEvent, 'sync.state', { online: false });
    expect(got).toHaveLength(1);
    expect(fake.ipcRenderer.listenerCount('kiosk:event')).toBe(0);
  });

  it('drops events whose name is not in the contract', () => {
    const got: unknown[] = [];
    const stop = bridge.subscribe((name) => got.push(name));
    fake.ipcRenderer.emit('kiosk:event', {}, 'evil.event', {});
    fake.ipcRenderer.emit('kiosk:event', {}, 7, {});
    expect(got).toEqual([]);
    stop();
  });

  it('refuses a subscriber that is not a function', () => {
    expect(() => bridge.subscribe('x' as never)).toThrow(TypeError);
  });
});
