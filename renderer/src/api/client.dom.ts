import { z } from 'zod';
import {
  calls,
  events,
  isEventName,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
  type Result,
} from '../../../contract/api.ts';
import type { KioskBridge } from '../../../contract/bridge.ts';

declare global {
  interface Window {
    kioskBridge?: KioskBridge;
  }
}

export interface KioskApi {
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<Result<CallOutput<K>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

const ResultShape = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }).passthrough() }),
]);

type Carrier = { invoke: KioskBridge['invoke']; subscribe: KioskBridge['subscribe'] };

/** The web host carrier: HTTP calls and a WebSocket of events, with the page's launch token. */
function webCarrier(): Carrier {
  const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')?.content ?? '';
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let socket: WebSocket | null = null;
  let retry = 500;
  const connect = () => {
    const url = new URL('/api/events', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    url.searchParams.set('token', token);
    socket = new WebSocket(url);
    socket.onopen = () => {
      retry = 500;
    };
    socket.onmessage = (msg) => {
      try {
        const { event, payload } = JSON.parse(String(msg.data)) as { event: string; payload: unknown };
        listeners.forEach((l) => l(event, payload));
      } catch {
        // a malformed frame is dropped; the next state push corrects the screen
      }
    };
    socket.onclose = () => {
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    };
  };
  return {
    async invoke(name, input) {
      const res = await fetch(`/api/call/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
        body: JSON.stringify({ input }),
      });
      return res.json();
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!socket) connect();
      return () => listeners.delete(listener);
    },
  };
}

/**
 * The renderer's only way to the kiosk: the same typed API over Electron IPC or the web host.
 * Inputs are checked before they leave and answers and events are checked when they arrive.
 */
export function createKioskApi(carrier: Carrier = window.kioskBridge ?? webCarrier()): KioskApi {
  return {
    async call(name, input) {
      const spec = calls[name];
      const parsedInput = spec.input.safeParse(input);
      if (!parsedInput.success) return { ok: false, error: { code: 'BAD_INPUT', message: parsedInput.error.message } };
      let raw: unknown;
      try {
        raw = await carrier.invoke(name, parsedInput.data);
      } catch (err) {
        return { ok: false, error: { code: 'OFFLINE', message: `kiosk core unreachable: ${(err as Error).message}` } };
      }
      const result = ResultShape.safeParse(raw);
      if (!result.success) return { ok: false, error: { code: 'INTERNAL', message: 'malformed answer' } };
      if (!result.data.ok) return result.data as Result<never>;
      const value = spec.output.safeParse(result.data.value);
      if (!value.success)
        return { ok: false, error: { code: 'INTERNAL', message: `answer breaks contract: ${value.error.message}` } };
      return { ok: true, value: value.data as CallOutput<typeof name> };
    },
    on(event, listener) {
      return carrier.subscribe((name, payload) => {
        if (name !== event || !isEventName(name)) return;
        const parsed = events[event].safeParse(payload);
        if (parsed.success) listener(parsed.data as EventPayload<typeof event>);
      });
    },
  };
}
