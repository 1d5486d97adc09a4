import {
  BatchRequest,
  MAX_BATCH_ITEMS,
  ReconcileRequest,
  type BatchResponse,
  type ItemResult,
  type ReconcileResponse,
} from '../../protocol/batch.ts';
import { deviceOf, RejectItem, type CentralContext, type CentralRoute, type Device } from '../context.node.ts';
import { describeZod, HttpError, parse, sha256 } from '../http.node.ts';
import type { TxSql } from '../store/store.node.ts';
import type { BatchItem } from '../../protocol/batch.ts';

class AlreadyHeld extends Error {}

/** The fast pass met an item that must be undone alone (refused, failed): the batch goes item by item. */
class ItemByItem extends Error {}

const hashOf = (item: BatchItem) => sha256(JSON.stringify([item.kind, item.payload ?? null]));

interface Held {
  device_id: string;
  payload_hash: string;
  result_json: string | null;
}

/** A key held before (or earlier in this batch): a duplicate of the same item, or the key reused for another. */
function answerHeld(item: BatchItem, payloadHash: string, held: Held | undefined, device: Device): ItemResult {
  if (!held || held.device_id !== device.id || held.payload_hash !== payloadHash)
    return {
      key: item.key,
      status: 'rejected',
      reason: { code: 'KEY_REUSED', message: 'this key was used for a different item' },
    };
  return held.result_json === null
    ? { key: item.key, status: 'duplicate' }
    : { key: item.key, status: 'duplicate', result: JSON.parse(held.result_json) };
}

/**
 * The whole batch in a few statements, for the common case where every item is new or a
 * duplicate and every handler accepts: all keys claimed in one INSERT, duplicates read in one
 * SELECT, each handler run once, all results stored in one UPDATE. No savepoint per item (five
 * round trips per rating became one; the province load test was waiting on them). When any item
 * is refused or its handler fails, the pass throws ItemByItem: the caller rolls the whole
 * transaction back and runs `intake` item by item, as before, so what is committed and answered
 * is exactly what the item-by-item path gives.
 */
async function fastPass(q: TxSql, items: readonly BatchItem[], device: Device, ctx: CentralContext) {
  const receivedAt = ctx.now().toISOString();
  const hashes = items.map(hashOf);
  // A key sent twice in one batch: the first occurrence is the item, the others answer as duplicates.
  const first = new Map<string, number>();
  items.forEach((item, i) => void (first.has(item.key) || first.set(item.key, i)));
  const unique = [...first.values()];
  const claimed = new Set(
    (
      await q.all<{ item_key: string }>(
        `INSERT INTO batch_items (item_key, device_id, kind, payload_hash, client_seq, created_at, received_at)
         VALUES ${unique.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ON CONFLICT (item_key) DO NOTHING RETURNING item_key`,
        unique.flatMap((i) => {
          const item = items[i]!;
          return [item.key, device.id, item.kind, hashes[i]!, item.seq, item.createdAt, receivedAt];
        }),
      )
    ).map((r) => r.item_key),
  );
  const heldKeys = unique.map((i) => items[i]!.key).filter((k) => !claimed.has(k));
  const held = new Map<string, Held>();
  if (heldKeys.length)
    for (const r of await q.all<Held & { item_key: string }>(
      `SELECT item_key, device_id, payload_hash, result_json FROM batch_items WHERE item_key IN (${heldKeys.map(() => '?').join(', ')})`,
      heldKeys,
    ))
      held.set(r.item_key, r);

  const results: ItemResult[] = [];
  const stored: Array<[string, string]> = [];
  for (const [i, item] of items.entries()) {
    const payloadHash = hashes[i]!;
    if (first.get(item.key) !== i || !claimed.has(item.key)) {
      if (!held.has(item.key)) throw new ItemByItem();
      results.push(answerHeld(item, payloadHash, held.get(item.key), device));
      continue;
    }
    const handler = ctx.batchKind(item.kind);
    const payload = handler?.payload.safeParse(item.payload);
    if (!handler || !payload?.success) throw new ItemByItem();
    let result: unknown;
    try {
      result = await handler.accept(
        q,
        { key: item.key, kind: item.kind, payload: payload.data, createdAt: item.createdAt, seq: item.seq },
        device,
        ctx,
      );
    } catch {
      throw new ItemByItem();
    }
    const json = result === undefined ? null : JSON.stringify(result);
    if (json !== null) stored.push([item.key, json]);
    held.set(item.key, { device_id: device.id, payload_hash: payloadHash, result_json: json });
    results.push(
      result === undefined ? { key: item.key, status: 'accepted' } : { key: item.key, status: 'accepted', result },
    );
  }
  if (stored.length)
    await q.run(
      `UPDATE batch_items SET result_json = CASE item_key ${stored.map(() => 'WHEN ? THEN ?').join(' ')} END
       WHERE item_key IN (${stored.map(() => '?').join(', ')})`,
      [...stored.flat(), ...stored.map(([key]) => key)],
    );
  return results;
}

/**
 * One item: claim its key in the ledger, let the domain handler take it, record the answer —
 * all in one savepoint, so a refused item leaves nothing behind and the rest of the batch goes on.
 */
async function intake(q: TxSql, item: BatchItem, device: Device, ctx: CentralContext): Promise<ItemResult> {
  const payloadHash = hashOf(item);
  const handler = ctx.batchKind(item.kind);
  try {
    return await q.savepoint(async (sq) => {
      const claimed = await sq.get(
        `INSERT INTO batch_items (item_key, device_id, kind, payload_hash, client_seq, created_at, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_key) DO NOTHING RETURNING item_key`,
        [item.key, device.id, item.kind, payloadHash, item.seq, item.createdAt, ctx.now().toISOString()],
      );
      if (!claimed) throw new AlreadyHeld();
      if (!handler) throw new RejectItem('UNKNOWN_KIND', `central does not accept kind ${item.kind}`);
      const payload = handler.payload.safeParse(item.payload);
      if (!payload.success) throw new RejectItem('INVALID_PAYLOAD', describeZod(payload.error));
      const result = await handler.accept(
        sq,
        { key: item.key, kind: item.kind, payload: payload.data, createdAt: item.createdAt, seq: item.seq },
        device,
        ctx,
      );
      if (result !== undefined)
        await sq.run('UPDATE batch_items SET result_json = ? WHERE item_key = ?', [JSON.stringify(result), item.key]);
      return result === undefined
        ? { key: item.key, status: 'accepted' as const }
        : { key: item.key, status: 'accepted' as const, result };
    });
  } catch (err) {
    if (err instanceof AlreadyHeld) {
      const held = await q.get<Held>(
        'SELECT device_id, payload_hash, result_json FROM batch_items WHERE item_key = ?',
        [item.key],
      );
      return answerHeld(item, payloadHash, held, device);
    }
    if (err instanceof RejectItem)
      return { key: item.key, status: 'rejected', reason: { code: err.code, message: err.message } };
    ctx.log.error({ err, kind: item.kind, key: item.key }, 'batch item handler failed');
    return {
      key: item.key,
      status: 'retry',
      reason: { code: 'DOMAIN_ERROR', message: 'central could not process this item now' },
    };
  }
}

export const route: CentralRoute = {
  name: 'batch',
  register(app, ctx) {
    app.post('/v1/batch', { bodyLimit: 32 * 1024 * 1024 }, async (req): Promise<BatchResponse> => {
      const device = deviceOf(req);
      const items = (req.body as { items?: unknown } | null)?.items;
      if (Array.isArray(items) && items.length > MAX_BATCH_ITEMS)
        throw new HttpError(
          413,
          'PAYLOAD_TOO_LARGE',
          `batch has ${items.length} items; at most ${MAX_BATCH_ITEMS} per request`,
        );
      const body = parse(BatchRequest, req.body);
      ctx.metrics.batchItems.observe(body.items.length);
      // One transaction per batch: the kiosk's answer reflects exactly what was committed.
      let results: ItemResult[];
      try {
        results = await ctx.store.tx((q) => fastPass(q, body.items, device, ctx));
      } catch (err) {
        if (!(err instanceof ItemByItem)) throw err;
        results = await ctx.store.tx(async (q) => {
          const out: ItemResult[] = [];
          for (const item of body.items) out.push(await intake(q, item, device, ctx));
          return out;
        });
      }
      for (const [i, r] of results.entries())
        if (r.status === 'accepted') ctx.batchKind(body.items[i]!.kind)?.committed?.(r.result, device);
      // Merged tickets (offline numbers) join the queues: counters and displays re-read.
      if (results.some((r) => r.status === 'accepted')) ctx.live.publish(device.officeId, { type: 'changed' });
      return { results };
    });

    // Lets a kiosk find items central lost (restored from an older backup) and send them again.
    app.post('/v1/sync/reconcile', async (req): Promise<ReconcileResponse> => {
      const device = deviceOf(req);
      const { keys } = parse(ReconcileRequest, req.body);
      const rows = await ctx.store.all<{ item_key: string }>(
        `SELECT item_key FROM batch_items WHERE device_id = ? AND item_key IN (${keys.map(() => '?').join(', ')})`,
        [device.id, ...keys],
      );
      const held = new Set(rows.map((r) => r.item_key));
      return { known: keys.filter((k) => held.has(k)), unknown: keys.filter((k) => !held.has(k)) };
    });
  },
};
