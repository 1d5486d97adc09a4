import { z } from 'zod';
import { noInput, okOutput, techCall } from '../define.ts';
import { SyncState } from './app.ts';

/** An outbox entry as technicians see it: no payload (it may hold personal data). */
export const OutboxEntryView = z.object({
  id: z.number().int(),
  key: z.string(),
  kind: z.string(),
  status: z.enum(['pending', 'inflight', 'done', 'parked']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
});
export type OutboxEntryView = z.infer<typeof OutboxEntryView>;

export const SyncDetail = SyncState.extend({
  phase: z.enum(['idle', 'sending', 'offline', 'backoff', 'stopped']),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  centralUrl: z.string(),
  enrolled: z.boolean(),
  deviceId: z.string().nullable(),
  officeId: z.string(),
  /** Pulled documents and their age (office config, catalog). */
  pulls: z.array(
    z.object({ name: z.string(), etag: z.string().nullable(), fetchedAt: z.string(), checkedAt: z.string() }),
  ),
});
export type SyncDetail = z.infer<typeof SyncDetail>;

/** Technician calls (the dispatcher refuses them outside technician mode). Citizens only see `sync.state`. */
export const calls = {
  'sync.detail': techCall(noInput, SyncDetail),
  'sync.entries': techCall(
    z
      .object({
        status: z.enum(['pending', 'inflight', 'done', 'parked']).optional(),
        afterId: z.number().int().nonnegative().optional(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    z.object({ entries: z.array(OutboxEntryView) }),
  ),
  'sync.retry': techCall(
    z.union([z.object({ id: z.number().int().positive() }).strict(), z.object({ all: z.literal(true) }).strict()]),
    z.object({ retried: z.number().int() }),
  ),
  /** Try now (after fixing the network), instead of waiting for the next probe. */
  'sync.now': techCall(noInput, okOutput),
  /** Parked entries with their payloads, as JSON text for the technician to save. */
  'sync.export': techCall(noInput, z.object({ fileName: z.string(), json: z.string(), count: z.number().int() })),
};

export const events = {};
