import { z } from 'zod';
import {
  calls,
  events,
  isCallName,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../contract/api.ts';
import type { CallRole } from '../../contract/define.ts';
import { illFormedPath } from '../../protocol/unicode.ts';
import { isDiskFull } from './disk-full.ts';
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
 * Decides whether a call of a role (other than `anyone`) may run now; throws a KioskError
 * (FORBIDDEN) when not. The technician service provides it (technician mode, provisioning).
 */
export type Authorize = (role: Exclude<CallRole, 'anyone'>, name: CallName, ctx: CallContext) => void;

/** Without an authorizer every call that needs a role is refused. */
const denyAll: Authorize = (role) => {
  throw new KioskError('FORBIDDEN', `${role} only`);
};

/**
 * The one entry point both carriers use. Unknown names, bad input, handler failures and
 * handler outputs that break the contract all come back as a typed error value, never a throw.
 * The role each call declares in the contract is checked here, before its input is parsed:
 * handlers never check it themselves.
 */
export function createDispatcher(
  handlers: Handlers,
  onInternalError: (name: string, err: unknown) => void,
  authorize: Authorize = denyAll,
) {
  return async function dispatch(name: string, rawInput: unknown, ctx: CallContext): Promise<Result<unknown>> {
    if (!isCallName(name))
      return {
        ok: false,
        error: { code: 'UNKNOWN_CALL', message: `unknown call ${JSON.stringify(name).slice(0, 80)}` },
      };
    const spec = calls[name];
    if (spec.role !== 'anyone') {
      try {
        authorize(spec.role, name, ctx);
      } catch (err) {
        if (err instanceof KioskError) return { ok: false, error: err.toBody() };
        onInternalError(name, err);
        return { ok: false, error: { code: 'INTERNAL', message: 'internal error' } };
      }
    }
    // Every string from outside is well-formed Unicode, checked once here rather than per field.
    const illFormed = illFormedPath(rawInput);
    if (illFormed !== null)
      return {
        ok: false,
        error: { code: 'BAD_INPUT', message: `${illFormed}: not well-formed Unicode (lone surrogate)` },
      };
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
      // A full disk is a state the citizen is told about, not an internal error.
      if (isDiskFull(err)) return { ok: false, error: { code: 'STORAGE_FULL', message: 'the kiosk disk is full' } };
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
