/**
 * The carrier between the page and the kiosk core under Electron: what the preload exposes as
 * `window.kioskBridge` (kiosk/shell/preload.preload.ts implements it, renderer/src/api/client.dom.ts
 * uses it) and the two IPC channel names the preload and the main process share. The page never
 * sees a channel name: only `invoke` and `subscribe`.
 */
export interface KioskBridge {
  invoke(name: string, input: unknown): Promise<unknown>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

/** Renderer → main: one call of the kiosk API (`invoke(CALL_CHANNEL, name, input)`). */
export const CALL_CHANNEL = 'kiosk:call';
/** Main → renderer: one pushed event (`send(EVENT_CHANNEL, name, payload)`). */
export const EVENT_CHANNEL = 'kiosk:event';
