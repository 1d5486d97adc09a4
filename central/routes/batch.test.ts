import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchResponse } from '../../protocol/batch.ts';
import { formatOfflineNumber, localDay, TICKET_ISSUED_KIND } from '../../protocol/tickets.ts';
import { buildCentral } from '../server.node.ts';
import type { CentralStore, Sql, TxSql } from '../store/store.node.ts';
import { openCentralStore } from '../store/store.node.ts';
import {
  enrolTestDevice,
  makeTestDb,
  PROBE_KIND,
  probeCounts,
  routesWithProbe,
  testDialects,
  type TestDb,
} from '../testing.node.ts';

/**
 * A batch goes in a few statements when every item is taken (the province load test waited on
 * five round trips per item), and item by item, exactly as before, when one is refused.
 */
const dbs: TestDb[] = [];
const stores: CentralStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const db of dbs.splice(0)) await db.dispose();
});

/** The store with every statement central sends counted (savepoints too). */
function counting(store: CentralStore) {
  let n = 0;
  const sql = <Q extends Sql>(q: Q): Q => ({
    ...q,
    all: (s: string, p?: never[]) => (n++, q.all(s, p)),
    get: (s: string, p?: never[]) => (n++, q.get(s, p)),
    run: (s: string, p?: never[]) => (n++, q.run(s, p)),
  });
  const tx = (q: TxSql): TxSql => ({ ...sql(q), savepoint: (fn) => ((n += 2), q.savepoint((sq) => fn(tx(sq)))) });
  const wrapped: CentralStore = { ...sql(store), tx: (fn) => store.tx((q) => fn(tx(q))) };
  return { store: wrapped, statements: () => n };
}

const probe = (n: number, payload: unknown = { n }) => ({
  key: uuidv7(),
  kind: PROBE_KIND,
  payload,
  createdAt: new Date().toISOString(),
  seq: n,
});

describe.each(testDialects())('a batch on %s', (dialect) => {
  const open = async () => {
    const db = await makeTestDb(dialect);
    dbs.push(db);
    const raw = await openCentralStore(db.url);
    stores.push(raw);
    const { token } = await enrolTestDevice(raw);
    const counted = counting(raw);
    const { app, ctx } = await buildCentral(counted.store, { routes: routesWithProbe });
    const send = async (items: unknown[]) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batch',
        headers: { authorization: `Bearer ${token}` },
        payload: { items },
      });
      expect(res.statusCode).toBe(200);
      return BatchResponse.parse(res.json()).results;
    };
    return { app, ctx, raw, send, statements: counted.statements };
  };

  it('takes 50 new items in a few statements, not several per item', async () => {
    const { app, raw, send, statements } = await open();
    const items = Array.from({ length: 50 }, (_, i) => probe(i + 1));
    const before = statements();
    const results = await send(items);
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    // Device check (and its last-seen), one claim, 50 handler inserts, one result update, plus
    // whatever central's background work read meanwhile (the notifier): was 5 per item, 250+.
    expect(statements() - before).toBeLessThanOrEqual(70);
    // Sent again: 50 duplicates with their first results, in a few statements, nothing stored twice.
    const again = await send(items);
    expect(again.map((r) => r.status)).toEqual(items.map(() => 'duplicate'));
    expect(again[49]).toMatchObject({ result: { receivedN: 50 } });
    expect(statements() - before).toBeLessThanOrEqual(70 + 10);
    expect(await probeCounts(raw)).toEqual({ rows: 50, distinct: 50 });
    await app.close();
  });

  it('replays results for duplicates sent together with new items', async () => {
    const { app, raw, send } = await open();
    const first = [probe(1), probe(2)];
    await send(first);
    const results = await send([first[0], probe(3), first[1], first[0]]);
    expect(results.map((r) => r.status)).toEqual(['duplicate', 'accepted', 'duplicate', 'duplicate']);
    expect(results[0]).toMatchObject({ result: { receivedN: 1 } });
    expect(results[1]).toMatchObject({ result: { receivedN: 3 } });
    expect(results[2]).toMatchObject({ result: { receivedN: 2 } });
    expect(await probeCounts(raw)).toEqual({ rows: 3, distinct: 3 });
    await app.close();
  });

  it('with one item refused, takes the others once and counts merged offline tickets once', async () => {
    const { app, ctx, raw, send } = await open();
    const day = localDay(new Date());
    const offline = (seq: number) => ({
      key: uuidv7(),
      kind: TICKET_ISSUED_KIND,
      payload: {
        ticketId: uuidv4(),
        serviceId: 'ho-tich',
        priorityGroupId: null,
        source: 'kiosk',
        issuedAt: new Date().toISOString(),
        day,
        number: formatOfflineNumber('A', 7, seq),
        slot: 7,
        seq,
      },
      createdAt: new Date().toISOString(),
      seq,
    });
    const results = await send([offline(1), probe(2, { n: 'two' }), offline(2)]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'rejected', 'accepted']);
    const merged = await raw.get<{ n: number }>("SELECT COUNT(*) AS n FROM tickets WHERE origin = 'offline'");
    expect(Number(merged?.n)).toBe(2);
    const counted = (await ctx.metrics.ticketsIssued.get()).values.find((v) => v.labels.origin === 'offline');
    expect(counted?.value).toBe(2);
    await app.close();
  });
});
