import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { loadCentralMigrations, splitStatements } from './migrations.node.ts';
import { openCentralStore, type CentralStore } from './store.node.ts';

/**
 * Migration 068: the rated ticket's service and counter on the rating row, kept by triggers on
 * ratings (insert) and tickets (insert — the rating came first —, change of service or counter)
 * and back-filled from the tickets.
 */
describe.each(testDialects())('rating ticket facts on %s', (dialect) => {
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

  const ticket = (id: string, office: string, service: string, counter: string | null) =>
    store.run(
      `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
         issued_at, received_at, status, counter_id, called_at, served_at)
       VALUES (?, ?, '2026-11-30', ?, 'a', ?, NULL, 0, 'kiosk', 'central', NULL, ?, ?, 'waiting', ?, NULL, NULL)`,
      [id, office, service, `A-${id}`, '2026-11-30T01:00:00.000Z', '2026-11-30T01:00:00.000Z', counter],
    );
  const rating = (id: string, office: string, ticketId: string | null) =>
    store.run(
      `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
       VALUES (?, ?, 'dev', 'K', 'satisfied', '{}', '[]', NULL, NULL, ?, 'ticket', ?, ?)`,
      [id, office, ticketId, '2026-11-30T02:00:00.000Z', '2026-11-30T02:00:00.000Z'],
    );
  const facts = () =>
    store.all<{ id: string; service_id: string | null; counter_id: string | null }>(
      'SELECT id, service_id, counter_id FROM ratings ORDER BY id',
    );
  const expected = [
    // Rated after the ticket was called at q1, then the ticket moved to q2 (transfer).
    { id: 'r1', service_id: 'ho-tich', counter_id: 'q2' },
    // Rated before its ticket reached central.
    { id: 'r2', service_id: 'dat-dai', counter_id: null },
    // A rating without a ticket.
    { id: 'r3', service_id: null, counter_id: null },
    // The ticket id of another office: not this rating's ticket.
    { id: 'r4', service_id: null, counter_id: null },
  ];

  it('keeps the ticket facts on the rating as either changes, and back-fills the same facts', async () => {
    await ticket('t1', 'o1', 'ho-tich', 'q1');
    await rating('r1', 'o1', 't1');
    await store.run("UPDATE tickets SET counter_id = 'q2' WHERE id = 't1'");
    await rating('r2', 'o1', 't2');
    await ticket('t2', 'o1', 'dat-dai', null);
    await rating('r3', 'o1', null);
    await rating('r4', 'o2', 't1');
    expect(await facts()).toEqual(expected);

    // Rows that existed before the migration: forget the facts, run its back-fill again.
    await store.run('UPDATE ratings SET service_id = NULL, counter_id = NULL');
    expect((await facts()).map((f) => f.service_id)).toEqual([null, null, null, null]);
    const m068 = loadCentralMigrations(dialect).find((m) => m.id.startsWith('068-'))!;
    for (const stmt of splitStatements(m068.sql).filter((s) => s.startsWith('UPDATE ratings'))) await store.run(stmt);
    expect(await facts()).toEqual(expected);
  });
});
