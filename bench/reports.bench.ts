/**
 * A month report of a province on PostgreSQL. Run: npx tsx bench/reports.bench.ts
 * (PostgreSQL from KIOSK_BENCH_PG_URL or KIOSK_TEST_PG_URL, default the one .ci/run starts).
 * 100 offices of one province, 600,000 tickets over November 2026 (their calls: ~90 % called,
 * some transferred) and 200,000 ratings, seeded with generate_series in a fresh schema; then
 * `buildReport` (central/reports.node.ts) for the whole province and month, the same function
 * `GET /v1/province/reports?period=month` answers with. Target (issue 14): ≤ 1 s.
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { upsertOffice } from '../central/admin.node.ts';
import { DEMO_OFFICES } from '../central/demo/seed.node.ts';
import { buildReport } from '../central/reports.node.ts';
import { openCentralStore } from '../central/store/store.node.ts';

const OFFICES = 100;
const TICKETS = 600_000;
const RATINGS = 200_000;
const TARGET_MS = 1000;

const base =
  process.env.KIOSK_BENCH_PG_URL ?? process.env.KIOSK_TEST_PG_URL ?? 'postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_test';
// KIOSK_BENCH_KEEP=1 keeps the seeded schema (bench_reports_keep) for the next run.
const keep = process.env.KIOSK_BENCH_KEEP === '1';
// Wait and service times spread over every second (a hash of the ticket number), as real ones
// are. KIOSK_BENCH_ARITH=1: the old arithmetic instead, which gives each office-day only ~5
// distinct wait and ~3 distinct service times — small histograms, flattering (for comparison).
const spread = process.env.KIOSK_BENCH_ARITH !== '1';
const schema = `${keep ? 'bench_reports_keep' : `bench_reports_${Date.now().toString(36)}`}${spread ? '_spread' : '_arith'}`;
const waitSecs = spread ? 'ABS(hashint8(g)) % 3600' : '(g * 31) % 3600';
const serviceSecs = spread ? 'ABS(hashint8(g + 1000000000)) % 900' : '(g * 13) % 900';
const admin = new pg.Client({ connectionString: base });
try {
  await admin.connect();
} catch (err) {
  console.log(`reports bench: no PostgreSQL at ${base.replace(/:[^:@/]+@/, ':***@')} (${(err as Error).message})`);
  process.exit(1);
}
await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
const url = new URL(base);
url.searchParams.set('options', `-c search_path=${schema}`);
const store = await openCentralStore(url.toString());
try {
  const t0 = performance.now();
  await admin.query(`SET search_path = ${schema}`);
  const held = await admin.query<{ n: string }>('SELECT COUNT(*) AS n FROM tickets');
  if (Number(held.rows[0]!.n) !== TICKETS) await seed();
  async function seed() {
    const template = DEMO_OFFICES[0]!;
    for (let i = 0; i < OFFICES; i++)
      await upsertOffice(store, { ...template, officeId: `bench-${i}`, name: `Bộ phận Một cửa số ${i}` });
    await admin.query(`SET search_path = ${schema}`);
    // Services of the template office; counters q1–q4; 10 % priority; 30 % at an officer's desk.
    // Ticket g: office g % 100, day 1 + (g / 100) % 30 of November, local 07:30–16:30.
    await admin.query(`
    INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
                         issued_at, received_at, status, counter_id, called_at, served_at)
    SELECT 't' || g, 'bench-' || (g % ${OFFICES}), to_char(d, 'YYYY-MM-DD'),
           (ARRAY['ho-tich','chung-thuc','dat-dai','ho-kinh-doanh','bao-tro'])[1 + g % 5], 'a',
           'N' || g, CASE WHEN g % 10 = 0 THEN 'cao-tuoi' END, CASE WHEN g % 10 = 0 THEN 20 ELSE 0 END,
           CASE WHEN g % 10 < 3 THEN 'officer' ELSE 'kiosk' END, 'central', NULL,
           to_char(iss, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), to_char(iss, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           CASE WHEN g % 10 = 9 THEN 'waiting' WHEN g % 20 = 3 THEN 'skipped' ELSE 'served' END,
           CASE WHEN g % 10 = 9 THEN NULL ELSE 'q' || (1 + g % 4) END,
           CASE WHEN g % 10 = 9 THEN NULL ELSE to_char(cal, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END,
           CASE WHEN g % 10 = 9 THEN NULL ELSE to_char(cal + make_interval(secs => 120 + ${serviceSecs}), 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') END
      FROM generate_series(CAST(1 AS BIGINT), ${TICKETS}) g,
           LATERAL (SELECT timestamp '2026-11-01' + make_interval(days => CAST((g / ${OFFICES}) % 30 AS INTEGER)) AS d) dd,
           LATERAL (SELECT d + interval '30 minutes' + make_interval(secs => (g * 7919) % 32400) AS iss) ii,
           LATERAL (SELECT iss + make_interval(secs => 60 + ${waitSecs}) AS cal) cc`);
    // One call per called ticket (by one of 4 officers per office); every 50th was transferred and called twice.
    await admin.query(`
    INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at)
    SELECT 'c' || t.id, CAST(SUBSTR(t.id, 2) AS BIGINT) * 2, t.office_id, t.id, t.number, t.counter_id, t.service_id, 'call',
           'off-' || t.office_id || '-' || t.counter_id, t.called_at
      FROM tickets t WHERE t.called_at IS NOT NULL`);
    await admin.query(`
    INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at)
    SELECT 'd' || t.id, CAST(SUBSTR(t.id, 2) AS BIGINT) * 2 - 1, t.office_id, t.id, t.number, 'q1', t.service_id, 'call',
           'off-' || t.office_id || '-q1', t.issued_at
      FROM tickets t WHERE t.called_at IS NOT NULL AND CAST(SUBSTR(t.id, 2) AS BIGINT) % 50 = 1`);
    await admin.query(`
    INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
    SELECT 'r' || g, t.office_id, 'dev', 'K', (ARRAY['very_satisfied','satisfied','satisfied','dissatisfied'])[1 + g % 4],
           '{}', '[]', NULL, NULL, t.id, 'ticket', COALESCE(t.served_at, t.issued_at), COALESCE(t.served_at, t.issued_at)
      FROM generate_series(1, ${RATINGS}) g JOIN tickets t ON t.id = 't' || (g * 3)`);
    // What autovacuum does to a month's rows long before anyone reports on them: reclaims the
    // versions left by calls (migration 066's trigger updates the ticket) and marks pages all-visible.
    await admin.query('VACUUM ANALYZE');
  }
  const seeded = performance.now() - t0;
  const counts = await admin.query<{ t: string; c: string; r: string }>(
    'SELECT (SELECT COUNT(*) FROM tickets) AS t, (SELECT COUNT(*) FROM ticket_calls) AS c, (SELECT COUNT(*) FROM ratings) AS r',
  );
  console.log(
    `seeded ${OFFICES} offices, ${counts.rows[0]!.t} tickets, ${counts.rows[0]!.c} calls, ${counts.rows[0]!.r} ratings in ${(seeded / 1000).toFixed(1)} s`,
  );

  const run = (period: 'month' | 'week' = 'month') =>
    buildReport(store, {
      officeId: 'bench-0',
      scope: 'province',
      period,
      date: '2026-11-15',
      now: new Date('2026-12-01T02:00:00.000Z'),
    });
  // The first report of the month rolls up its closed days (central/report-rollup.node.ts) and
  // warms the pool and PostgreSQL's caches; the timed reports read the roll-ups.
  const f0 = performance.now();
  const first = await run();
  const firstMs = performance.now() - f0;
  if (
    first.totals.issued !== TICKETS ||
    first.satisfaction.totals.total !== RATINGS ||
    first.byOffice.length !== OFFICES
  )
    throw new Error(
      `report does not cover the seed: ${first.totals.issued} tickets, ${first.satisfaction.totals.total} ratings, ${first.byOffice.length} offices`,
    );
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    await run();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  const median = times[1]!;
  console.log(
    `province month report (percentiles to the ${first.durationResolution}; durations ${spread ? 'spread over every second' : 'by the old arithmetic'}) (${OFFICES} offices, ${TICKETS} tickets, ${RATINGS} ratings): median ${median.toFixed(0)} ms of 3 (min ${times[0]!.toFixed(0)}, max ${times[2]!.toFixed(0)}; load ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores); target ≤ ${TARGET_MS} ms; ratio ${(median / TARGET_MS).toFixed(2)}`,
  );
  console.log(`  first report (rolls up the ${OFFICES * 30} closed office-days): ${firstMs.toFixed(0)} ms`);
  console.log(
    `  served ${first.totals.served}, no-show ${first.totals.noShow}, transferred ${first.totals.transferred}, wait median ${first.totals.waitMedian} s / p90 ${first.totals.waitP90} s`,
  );
  // A province week (7 days: exact to the second, from the per-second histograms), for comparison.
  const week: number[] = [];
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    const w = await run('week');
    week.push(performance.now() - s);
    if (w.durationResolution !== 'second') throw new Error('a week must be exact to the second');
  }
  week.sort((a, b) => a - b);
  console.log(
    `  province week report (exact to the second): median ${week[1]!.toFixed(0)} ms of 3 (min ${week[0]!.toFixed(0)}, max ${week[2]!.toFixed(0)}; load ${loadavg()[0]!.toFixed(1)})`,
  );
  process.exitCode = median <= TARGET_MS ? 0 : 1;
} finally {
  await store.close();
  if (!keep) await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
}
