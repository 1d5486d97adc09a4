/**
 * The page's only door to the kiosk core: `window.kioskBridge = { invoke, subscribe }`, the
 * shape contract/bridge.ts declares. No ipcRenderer, no channel names, no IPC event
 * objects reach the page. Bundled as CommonJS (sandboxed preloads cannot be ES modules).
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { IpcRendererEvent } from 'electron';
import { isCallName, isEventName } from '../../contract/api.ts';
import { CALL_CHANNEL, EVENT_CHANNEL, type KioskBridge } from '../../contract/bridge.ts';

export const kioskBridge: KioskBridge = {
  invoke(name, input) {
    if (typeof name !== 'string' || !isCallName(name)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CALL', message: `unknown call ${String(name).slice(0, 80)}` },
      });
    }
    return ipcRenderer.invoke(CALL_CHANNEL, name, input);
  },
  subscribe(listener) {
    if (typeof listener !== 'function') throw new TypeError('subscribe(listener) needs a function');
    // The IPC event (sender, ports, reply…) is dropped here: the page sees name and payload.
    const onEvent = (_event: IpcRendererEvent, name: unknown, payload: unknown) => {
      if (typeof name === 'string' && isEventName(name)) listener(name, payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, onEvent);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, onEvent);
    };
  },
};

contextBridge.exposeInMainWorld('kioskBridge', kioskBridge);
