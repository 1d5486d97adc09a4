import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { loadCentralMigrations, splitStatements } from './migrations.node.ts';
import { openCentralStore, type CentralStore } from './store.node.ts';

/**
 * Migration 066: the call facts on the ticket row (first call, number of calls, officer of the
 * latest call or recall by seq), kept by the trigger on ticket_calls and back-filled from it;
 * 067: whole-second durations generated from the row's times.
 */
describe.each(testDialects())('ticket call facts on %s', (dialect) => {
  let db: TestDb;
  let store: CentralStore;
  beforeEach(async () => {
    db = await makeTestDb(dialect);
    store = await openCentralStore(db.url);
  });
  afterEach(async () => {
    await store.close();
    await db.dispose();
  });

  const ticket = (id: string, status: string, called: string | null, served: string | null) =>
    store.run(
      `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
         issued_at, received_at, status, counter_id, called_at, served_at)
       VALUES (?, 'o1', '2026-11-30', 'ho-tich', 'a', ?, NULL, 0, 'kiosk', 'central', NULL, ?, ?, ?, 'q1', ?, ?)`,
      [id, `A-${id}`, '2026-11-30T01:00:00.000Z', '2026-11-30T01:00:00.000Z', status, called, served],
    );
  const call = (seq: number, ticketId: string, kind: 'call' | 'recall', officer: string, at: string) =>
    store.run(
      'INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [`c${seq}`, seq, 'o1', ticketId, `A-${ticketId}`, 'q1', 'ho-tich', kind, officer, at],
    );
  const facts = async () =>
    (
      await store.all<Record<string, unknown>>(
        'SELECT id, first_called_at, call_count, last_officer_id, wait_s, service_s FROM tickets ORDER BY id',
      )
    ).map((r) => ({
      ...r,
      call_count: Number(r.call_count),
      wait_s: r.wait_s === null ? null : Number(r.wait_s),
      service_s: r.service_s === null ? null : Number(r.service_s),
    }));
  const expected = [
    // Called at 08:05 by u-a (seq 5), recalled by u-b (seq 6), called again at 08:20 by u-c with an
    // earlier seq (inserted last): first call 08:05, two calls, last officer u-b; served 08:20 → 08:30.
    {
      id: 't1',
      first_called_at: '2026-11-30T01:05:00.000Z',
      call_count: 2,
      last_officer_id: 'u-b',
      wait_s: 300,
      service_s: 600,
    },
    // Never called.
    { id: 't2', first_called_at: null, call_count: 0, last_officer_id: null, wait_s: null, service_s: null },
    // Only a recall row: no call, but the officer of the latest row.
    { id: 't3', first_called_at: null, call_count: 0, last_officer_id: 'u-d', wait_s: null, service_s: null },
  ];

  it('keeps the facts on insert into ticket_calls and back-fills the same facts from ticket_calls', async () => {
    await ticket('t1', 'served', '2026-11-30T01:20:00.000Z', '2026-11-30T01:30:00.000Z');
    await ticket('t2', 'waiting', null, null);
    await ticket('t3', 'waiting', null, null);
    await call(5, 't1', 'call', 'u-a', '2026-11-30T01:05:00.000Z');
    await call(6, 't1', 'recall', 'u-b', '2026-11-30T01:10:00.000Z');
    await call(4, 't1', 'call', 'u-c', '2026-11-30T01:20:00.000Z');
    await call(7, 't3', 'recall', 'u-d', '2026-11-30T01:25:00.000Z');
    expect(await facts()).toEqual(expected);

    // Rows that existed before the migration: forget the facts, run its back-fill again.
    await store.run(
      'UPDATE tickets SET first_called_at = NULL, call_count = 0, last_call_seq = NULL, last_officer_id = NULL',
    );
    expect((await facts()).map((f) => [f.call_count, f.wait_s])).toEqual([
      [0, null],
      [0, null],
      [0, null],
    ]);
    const m066 = loadCentralMigrations(dialect).find((m) => m.id.startsWith('066-'))!;
    for (const stmt of splitStatements(m066.sql).filter((s) => s.startsWith('UPDATE tickets'))) await store.run(stmt);
    expect(await facts()).toEqual(expected);
  });
});
