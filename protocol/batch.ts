import { z } from 'zod';

/** Central refuses larger batches with 413; the kiosk sends 100–500. */
export const MAX_BATCH_ITEMS = 500;

/** `domain.verb`, e.g. `ticket.issued`, `dossier.submitted`, `rating.submitted`. */
export const ItemKind = z
  .string()
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'kind like "domain.event"')
  .max(64);

export const BatchItem = z
  .object({
    /** Client-made idempotency key (UUIDv7). A replay with the same key is answered `duplicate`. */
    key: z.uuid(),
    kind: ItemKind,
    payload: z.unknown(),
    /** When the kiosk recorded it (ISO 8601); central keeps it for ordering and audit. */
    createdAt: z.iso.datetime({ offset: true }),
    /** The kiosk's outbox sequence number: arrival order within one kiosk. */
    seq: z.number().int().nonnegative(),
  })
  .strict();
export type BatchItem = z.infer<typeof BatchItem>;

export const BatchRequest = z.object({ items: z.array(BatchItem).min(1).max(MAX_BATCH_ITEMS) }).strict();
export type BatchRequest = z.infer<typeof BatchRequest>;

export const ItemReason = z.object({ code: z.string(), message: z.string() });
export type ItemReason = z.infer<typeof ItemReason>;

export const ItemResult = z.discriminatedUnion('status', [
  /** Stored now. `result` is what the domain answered (e.g. the dossier code). */
  z.object({ key: z.string(), status: z.literal('accepted'), result: z.unknown().optional() }),
  /** Stored before; `result` is the first answer again, so a lost answer is never lost. */
  z.object({ key: z.string(), status: z.literal('duplicate'), result: z.unknown().optional() }),
  /** Will never be accepted as sent (unknown kind, invalid payload, key reused). */
  z.object({ key: z.string(), status: z.literal('rejected'), reason: ItemReason }),
  /** Central could not take it now (a domain failure); try again later. */
  z.object({ key: z.string(), status: z.literal('retry'), reason: ItemReason }),
]);
export type ItemResult = z.infer<typeof ItemResult>;

export const BatchResponse = z.object({ results: z.array(ItemResult) });
export type BatchResponse = z.infer<typeof BatchResponse>;

/** `POST /v1/sync/reconcile`: which of these keys does central hold? */
export const MAX_RECONCILE_KEYS = 1000;
export const ReconcileRequest = z.object({ keys: z.array(z.uuid()).min(1).max(MAX_RECONCILE_KEYS) }).strict();
export type ReconcileRequest = z.infer<typeof ReconcileRequest>;
export const ReconcileResponse = z.object({ known: z.array(z.string()), unknown: z.array(z.string()) });
export type ReconcileResponse = z.infer<typeof ReconcileResponse>;
