import { z } from 'zod';
import { calls, events, isCallName, type CallName, type CallOutput, type EventName, type EventPayload } from '../../contract/api.ts';
import { KioskError, type Result } from '../../contract/errors.ts';

/** Who is calling: which carrier, for audit and for calls that only some carriers allow. */
export interface CallContext {
  readonly carrier: 'ipc' | 'web' | 'test';
}

export type Handler<K extends CallName> = (
  input: z.output<(typeof calls)[K]['input']>,
  ctx: CallContext,
) => Promise<CallOutput<K>> | CallOutput<K>;

export type Handlers = { [K in CallName]: Handler<K> };

const describe = (error: z.ZodError): string =>
  error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');

/**
 * The one entry point both carriers use. Unknown names, bad input, handler failures and
 * handler outputs that break the contract all come back as a typed error value, never a throw.
 */
export function createDispatcher(handlers: Handlers, onInternalError: (name: string, err: unknown) => void) {
  return async function dispatch(name: string, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isCallName(name)) return { ok: false, error: { code: 'UNKNOWN_CALL', message: `unknown call ${JSON.stringify(name).slice(0, 80)}` } };
    const spec = calls[name];
    const input = spec.input.safeParse(rawInput ?? {});
    if (!input.success) return { ok: false, error: { code: 'BAD_INPUT', message: describe(input.error) } };
    try {
      const handler = handlers[name] as (i: unknown, c: CallContext) => Promise<unknown> | unknown;
      const value = await handler(input.data, ctx);
      const output = spec.output.safeParse(value);
      if (!output.success) {
        onInternalError(name, new Error(`output breaks contract: ${describe(output.error)}`));
        return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
      }
      return { ok: true, value: output.data };
    } catch (err) {
      if (err instanceof KioskError) return { ok: false, error: err.toBody() };
      onInternalError(name, err);
      return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
    }
  };
}
export type Dispatch = ReturnType<typeof createDispatcher>;

type Listener = (name: EventName, payload: unknown) => void;

/** Pushed events, validated before they leave the kiosk core. */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const parsed = events[name].parse(payload);
    for (const listener of this.#listeners) listener(name, parsed);
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
