import { afterEach, describe, expect, it } from 'vitest';
import { openCentralStore, type CentralStore } from '../store/store.node.ts';
import { makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { demoDossiers, seedDemoDossiers } from './catalog-seed.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from './seed.node.ts';

const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);

describe.each(testDialects())('demo dossiers (%s)', (dialect) => {
  let db: TestDb;
  let store: CentralStore | undefined;
  afterEach(async () => {
    await store?.close();
    await db.dispose();
  });

  it('were received a few days ago, carry that day in their code, and are due within weeks of it', async () => {
    db = await makeTestDb(dialect);
    store = await openCentralStore(db.url);
    await seedDemo(store);
    const now = new Date('2026-12-03T03:00:00Z');
    await seedDemoDossiers(store, DEMO_OFFICE_ID, now);
    const rows = await store.all<{ code: string; received_at: string; appointment_date: string }>(
      "SELECT code, received_at, appointment_date FROM dossiers WHERE device_id = 'demo-seed' ORDER BY code",
      [],
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const received = r.received_at.slice(0, 10);
      expect(r.code.split('-')[1]).toBe(received.slice(2).replace(/-/g, ''));
      expect(days(received, '2026-12-03')).toBeGreaterThan(0);
      expect(days(received, '2026-12-03')).toBeLessThan(21);
      expect(days(received, r.appointment_date)).toBeGreaterThanOrEqual(0);
      expect(days(received, r.appointment_date)).toBeLessThan(30);
    }
    // Seeded again on a later day: that day's dossiers replace the old ones, not pile up.
    await seedDemoDossiers(store, DEMO_OFFICE_ID, new Date('2026-12-10T03:00:00Z'));
    const codes = (
      await store.all<{ code: string }>("SELECT code FROM dossiers WHERE device_id = 'demo-seed' ORDER BY code", [])
    ).map((r) => r.code);
    expect(codes).toEqual(
      demoDossiers(new Date('2026-12-10T03:00:00Z'))
        .map((d) => d.code)
        .sort(),
    );
  });
});
