import { z } from 'zod';
import { call, noInput, okOutput } from '../define.ts';

export const Lang = z.enum(['vi', 'en']);
export type Lang = z.infer<typeof Lang>;

/** Where Telex/VNI put the tone of an open oa/oe/uy: "old" hòa, thúy; "new" hoà, thuý. */
export const ToneStyle = z.enum(['old', 'new']);

export const Timeouts = z.object({
  /** Idle time before the "do you need more time?" warning. */
  idleWarningMs: z.number().int().positive(),
  /** How long the warning stays up (at least 20 s, EN 301 549 §5.2). */
  warningMs: z.number().int().min(20_000),
  /** Idle time on the home screen before the attract screen. */
  attractMs: z.number().int().positive(),
});
export type Timeouts = z.infer<typeof Timeouts>;

export const AppInfo = z.object({
  version: z.string(),
  kioskId: z.string(),
  kioskName: z.string(),
  officeName: z.string(),
  defaultLang: Lang,
  /** The languages a citizen may switch to (a technician setting). */
  languages: z.array(Lang).min(1),
  /** The text size every session starts with (a technician setting). */
  textSize: z.enum(['normal', 'large']),
  /** The tone placement the on-screen keyboard composes with (a technician setting). */
  toneStyle: ToneStyle,
  timeouts: Timeouts,
  startedAt: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const SyncState = z.object({
  online: z.boolean(),
  pending: z.number().int().nonnegative(),
  parked: z.number().int().nonnegative(),
  lastSuccessAt: z.string().nullable(),
  lastErrorKind: z.string().nullable(),
});
export type SyncState = z.infer<typeof SyncState>;

/** Whether the kiosk's disk can take new work (pushed as `storage.state`). */
export const StorageState = z.object({
  full: z.boolean(),
  freeBytes: z.number().nonnegative().nullable(),
  minFreeBytes: z.number().nonnegative(),
  /** For technicians: why it is full (free space under the threshold, a failed write). */
  reason: z.string().nullable(),
  since: z.string().nullable(),
});
export type StorageState = z.infer<typeof StorageState>;

export const calls = {
  /** What the home screen and the session machine need at start. */
  'app.info': call(noInput, AppInfo),
  /** Current sync/connectivity state (also pushed as `sync.state`). */
  'app.syncState': call(noInput, SyncState),
  /** Full disk or not (also pushed as `storage.state`): while full the kiosk takes no new dossiers. */
  'app.storageState': call(noInput, StorageState),
  /** The citizen's session ended (idle or done): main side forgets everything of it. */
  'session.end': call(z.object({ reason: z.enum(['idle', 'done', 'home']) }).strict(), okOutput),
  /** A screen failed while drawing; the renderer went back home. Logged for technicians (no personal data: the error and the screen's name). */
  'app.screenError': call(
    z
      .object({ screen: z.string().max(60), message: z.string().max(500), stack: z.string().max(4000).optional() })
      .strict(),
    okOutput,
  ),
};

export const events = {
  'sync.state': SyncState,
  'storage.state': StorageState,
};
