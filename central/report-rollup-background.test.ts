import { afterEach, describe, expect, it } from 'vitest';
import { upsertOffice } from './admin.node.ts';
import { DEMO_OFFICES } from './demo/seed.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import { openCentralStore } from './store/store.node.ts';
import { makeTestDb, testDialects, type TestDb } from './testing.node.ts';

/**
 * Central rolls up the last closed day in the background (central/report-rollup.node.ts,
 * started by the reports route): at start-up, then shortly after each midnight office time
 * (UTC+7), on central's injectable clock — so the first report of the day does not pay for it.
 */
const A = DEMO_OFFICES[0]!;

describe.each(testDialects())('background report roll-up on %s', (dialect) => {
  let db: TestDb | undefined;
  let central: RunningCentral | undefined;
  afterEach(async () => {
    await central?.close();
    await db?.dispose();
  });

  it('rolls yesterday at start-up and the day just closed after 00:05 office time', async () => {
    db = await makeTestDb(dialect);
    const seed = await openCentralStore(db.url);
    await upsertOffice(seed, A);
    for (const [id, day] of [
      ['y1', '2026-11-24'],
      ['t1', '2026-11-25'],
    ] as const)
      await seed.run(
        `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
           issued_at, received_at, status, counter_id, called_at, served_at)
         VALUES (?, ?, ?, 'svc', 'area', ?, NULL, 0, 'kiosk', 'central', NULL, ?, ?, 'served', 'q1', ?, ?)`,
        [
          id,
          A.officeId,
          day,
          id,
          `${day}T02:00:00.000Z`,
          `${day}T02:00:00.000Z`,
          `${day}T02:10:00.000Z`,
          `${day}T02:20:00.000Z`,
        ],
      );
    await seed.close();

    let clock = new Date('2026-11-25T10:00:00+07:00');
    central = await startCentral({ db: db.url, now: () => clock, reportRollupCheckMs: 20 });
    const store = central.store;
    const rolled = async () =>
      (
        await store.all<{ day: string }>('SELECT day FROM report_rolled_days WHERE office_id = ? ORDER BY day', [
          A.officeId,
        ])
      ).map((r) => r.day);
    const issued = async (day: string) =>
      (
        await store.get<{ n: number | null }>(
          "SELECT SUM(issued) AS n FROM report_day_counts WHERE office_id = ? AND day = ? AND part = 'total'",
          [A.officeId, day],
        )
      )?.n;

    // Start-up: yesterday is rolled without any report asking; today is not (it keeps changing).
    await expect.poll(rolled, { timeout: 5000 }).toEqual(['2026-11-24']);
    expect(Number(await issued('2026-11-24'))).toBe(1);

    // 00:02 of the next day: not yet (the day's last writes get a few minutes).
    clock = new Date('2026-11-26T00:02:00+07:00');
    await new Promise((r) => setTimeout(r, 300));
    expect(await rolled()).toEqual(['2026-11-24']);

    // 00:06: the day just closed is rolled.
    clock = new Date('2026-11-26T00:06:00+07:00');
    await expect.poll(rolled, { timeout: 5000 }).toEqual(['2026-11-24', '2026-11-25']);
    expect(Number(await issued('2026-11-25'))).toBe(1);
  });
});
