import { afterEach, describe, expect, it } from 'vitest';
import { buildReport } from '../reports.node.ts';
import { openCentralStore, type CentralStore } from '../store/store.node.ts';
import { seedReportHistory } from './report-history.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from './seed.node.ts';

/** Thursday 03/12/2026, 10:00 in the office (UTC+7). */
const NOW = new Date('2026-12-03T10:00:00+07:00');

describe('demo report history and durations across UTC midnight', () => {
  let store: CentralStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('seeds past working days once, so that a week opens on figures; today and the weekend stay empty', async () => {
    store = await openCentralStore(':memory:');
    await seedDemo(store);
    const seeded = await seedReportHistory(store, DEMO_OFFICE_ID, { days: 10, now: NOW });
    expect(seeded).toBeGreaterThan(0);
    expect(await seedReportHistory(store, DEMO_OFFICE_ID, { days: 10, now: NOW })).toBe(0);
    const week = await buildReport(store, {
      officeId: DEMO_OFFICE_ID,
      scope: 'office',
      period: 'week',
      date: '2026-11-25',
      now: NOW,
    });
    const issued = Object.fromEntries(week.byDay.map((d) => [d.key, d.issued]));
    for (const day of ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27'])
      expect(issued[day], day).toBeGreaterThanOrEqual(30);
    expect([issued['2026-11-28'], issued['2026-11-29']]).toEqual([0, 0]);
    expect(week.totals.served).toBeGreaterThan(0);
    expect(week.satisfaction.totals.total).toBeGreaterThan(0);
    expect(week.dossiers.withResult).toBeGreaterThan(0);
    const today = await buildReport(store, {
      officeId: DEMO_OFFICE_ID,
      scope: 'office',
      period: 'day',
      date: '2026-12-03',
      now: NOW,
    });
    expect(today.totals.issued).toBe(0);
  });

  it('a wait that crosses UTC midnight (06:58 → 07:02 office time) is four minutes', async () => {
    store = await openCentralStore(':memory:');
    await seedDemo(store);
    const at = (hhmm: string) => new Date(`2026-12-01T${hhmm}:00+07:00`).toISOString();
    await store.run(
      `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
         issued_at, received_at, status, counter_id, called_at, served_at)
       VALUES ('x', ?, '2026-12-01', 'ho-tich', 'tu-phap', 'A001', NULL, 0, 'kiosk', 'central', NULL, ?, ?, 'served', 'q1', ?, ?)`,
      [DEMO_OFFICE_ID, at('06:58'), at('06:58'), at('07:02'), at('07:10')],
    );
    await store.run(
      `INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at)
       VALUES ('c', 1, ?, 'x', 'A001', 'q1', 'ho-tich', 'call', NULL, ?)`,
      [DEMO_OFFICE_ID, at('07:02')],
    );
    const r = await buildReport(store, {
      officeId: DEMO_OFFICE_ID,
      scope: 'office',
      period: 'day',
      date: '2026-12-01',
      now: NOW,
    });
    expect([r.totals.waitMedian, r.totals.serviceMedian]).toEqual([240, 480]);
    expect(r.heatmap[1]![6]).toBe(1); // Tuesday, 06h office time
  });
});
