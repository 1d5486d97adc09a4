import type { z } from 'zod';
import type { CallSpec } from './define.ts';
import * as app from './domains/app.ts';
import * as catalog from './domains/catalog.ts';
import * as sync from './domains/sync.ts';
import * as submission from './domains/submission.ts';
import * as payments from './domains/payments.ts';
import * as ratings from './domains/ratings.ts';
import * as tickets from './domains/tickets.ts';
import * as scans from './domains/scans.ts';
import * as devices from './domains/devices.ts';
import * as speech from './domains/speech.ts';
import * as tech from './domains/tech.ts';
import * as chip from './domains/chip.ts';
import * as capture from './domains/capture.ts';

/**
 * Every call and every pushed event of the kiosk API. Each domain keeps its part in
 * `contract/<domain>.ts`; this file only joins them. Both carriers (Electron IPC, web host)
 * and the renderer client validate against these schemas.
 */
export const calls = {
  ...app.calls,
  ...catalog.calls,
  ...sync.calls,
  ...submission.calls,
  ...payments.calls,
  ...ratings.calls,
  ...tickets.calls,
  ...scans.calls,
  ...devices.calls,
  ...speech.calls,
  ...tech.calls,
  ...chip.calls,
  ...capture.calls,
} satisfies Record<string, CallSpec>;

export const events = {
  ...app.events,
  ...catalog.events,
  ...sync.events,
  ...submission.events,
  ...payments.events,
  ...ratings.events,
  ...tickets.events,
  ...scans.events,
  ...devices.events,
  ...speech.events,
  ...tech.events,
  ...chip.events,
  ...capture.events,
} satisfies Record<string, z.ZodType>;

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<K extends CallName> = z.input<Calls[K]['input']>;
export type CallOutput<K extends CallName> = z.output<Calls[K]['output']>;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<K extends EventName> = z.output<Events[K]>;

export const isCallName = (name: string): name is CallName => Object.hasOwn(calls, name);
export const isEventName = (name: string): name is EventName => Object.hasOwn(events, name);

export * from './errors.ts';
export * from './domains/app.ts';
