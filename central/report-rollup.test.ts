import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ReportRow } from '../protocol/reports.ts';
import { upsertOffice } from './admin.node.ts';
import { DEMO_OFFICES } from './demo/seed.node.ts';
import { reportSheets, toCsv } from './reports-export.node.ts';
import { buildReport } from './reports.node.ts';
import { openCentralStore, type CentralStore, type Sql } from './store/store.node.ts';
import { makeTestDb, testDialects, type TestDb } from './testing.node.ts';

/**
 * The daily roll-ups (migration 110, central/report-rollup.node.ts) must be invisible in the
 * report: a random week of two offices — tickets, calls, transfers, recalls, no-shows — is
 * reported (a) before anything is rolled (every day read from the tickets), (b) after the closed
 * days are rolled, (c) after late data (an offline ticket merged days later, a rating) for a
 * rolled day; each time every ticket figure equals what this test computes from the generated
 * tickets itself (not by the report's SQL). PostgreSQL also: a roll-up racing an uncommitted
 * late ticket of the day neither loses it nor double counts it.
 */
const A = DEMO_OFFICES[0]!;
const B = DEMO_OFFICES[1]!;
const DAYS = [
  '2026-11-23',
  '2026-11-24',
  '2026-11-25',
  '2026-11-26',
  '2026-11-27',
  '2026-11-28',
  '2026-11-29',
  '2026-11-30',
];
const TODAY = '2026-11-30';
/** 15:00 local on TODAY: the days before are closed. */
const NOW = new Date(`${TODAY}T15:00:00+07:00`);
const SERVICES = A.areas
  .flatMap((a) => a.services)
  .map((s) => s.id)
  .slice(0, 3);

/** A deterministic PRNG (mulberry32), so a failure can be replayed. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Call {
  kind: 'call' | 'recall';
  counter: string;
  officer: string;
  at: number;
}
interface T {
  id: string;
  office: string;
  day: string;
  service: string;
  group: string | null;
  source: 'kiosk' | 'officer';
  issued: number;
  status: 'waiting' | 'served' | 'skipped';
  counter: string | null;
  calledAt: number | null;
  servedAt: number | null;
  calls: Call[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const localStart = (day: string) => Date.parse(`${day}T00:00:00+07:00`);

let serial = 0;
function randomTicket(rnd: () => number, office: string, day: string): T {
  const pick = <X>(xs: readonly X[]) => xs[Math.floor(rnd() * xs.length)]!;
  const issued = localStart(day) + (7.5 * 3600 + Math.floor(rnd() * 9 * 3600)) * 1000;
  const t: T = {
    id: `r${++serial}`,
    office,
    day,
    service: pick(SERVICES),
    group: rnd() < 0.15 ? 'cao-tuoi' : null,
    source: rnd() < 0.7 ? 'kiosk' : 'officer',
    issued,
    status: 'waiting',
    counter: null,
    calledAt: null,
    servedAt: null,
    calls: [],
  };
  if (rnd() < 0.12) return t; // never called
  let at = issued + Math.floor(30 + rnd() * 3000) * 1000;
  const call = (kind: Call['kind']) => {
    const counter = pick(['q1', 'q2', 'q3']);
    t.calls.push({ kind, counter, officer: `${office}-${counter}`, at });
    t.counter = counter;
    if (kind === 'call') t.calledAt = at;
  };
  call('call');
  const r = rnd();
  if (r < 0.1) {
    // Transferred: back to the queue, then called again (or still waiting).
    at += Math.floor(60 + rnd() * 900) * 1000;
    if (rnd() < 0.5) return t; // waiting again
    call('call');
  } else if (r < 0.2) {
    at += Math.floor(20 + rnd() * 100) * 1000;
    call('recall');
  }
  if (rnd() < 0.1) {
    t.status = 'skipped';
    return t;
  }
  t.status = 'served';
  t.servedAt = at + Math.floor(60 + rnd() * 1500) * 1000;
  return t;
}

let seq = 0;
async function insertTicket(q: Sql, t: T) {
  await q.run(
    `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
       issued_at, received_at, status, counter_id, called_at, served_at)
     VALUES (?, ?, ?, ?, 'area', ?, ?, ?, ?, 'central', NULL, ?, ?, ?, ?, ?, ?)`,
    [
      t.id,
      t.office,
      t.day,
      t.service,
      t.id.toUpperCase(),
      t.group,
      t.group ? 20 : 0,
      t.source,
      iso(t.issued),
      iso(t.issued),
      t.status,
      t.counter,
      t.calledAt === null ? null : iso(t.calledAt),
      t.servedAt === null ? null : iso(t.servedAt),
    ],
  );
  for (const c of t.calls)
    await q.run(
      'INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [`${t.id}-${++seq}`, seq, t.office, t.id, t.id.toUpperCase(), c.counter, t.service, c.kind, c.officer, iso(c.at)],
    );
}

// ---- The expected figures, computed here from the generated tickets --------------------------

/** Nearest rank: the value at rank ⌈p·n⌉ of the sorted values. */
const nearest = (values: number[], p: number) => {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(Math.round(p * 10 * values.length) / 10) - 1]!;
};
/** Over more than 7 days the report's durations are truncated to whole minutes: floor(s / 60) · 60. */
type Res = 'second' | 'minute';
const toRes = (s: number, res: Res) => (res === 'minute' ? Math.floor(s / 60) * 60 : s);
function figures(ts: T[], res: Res): Omit<ReportRow, 'key' | 'label'> {
  const waits = ts.filter((t) => t.calls.some((c) => c.kind === 'call'));
  const wait = waits.map((t) =>
    toRes(Math.round((Math.min(...t.calls.filter((c) => c.kind === 'call').map((c) => c.at)) - t.issued) / 1000), res),
  );
  const served = ts.filter((t) => t.status === 'served');
  const svc = served.map((t) => toRes(Math.round((t.servedAt! - t.calledAt!) / 1000), res));
  const calls = (t: T) => t.calls.filter((c) => c.kind === 'call').length;
  const kiosk = ts.filter((t) => t.source === 'kiosk').length;
  return {
    issued: ts.length,
    served: served.length,
    noShow: ts.filter((t) => t.status === 'skipped').length,
    transferred: ts.filter((t) => calls(t) > 1 || (calls(t) === 1 && t.status === 'waiting')).length,
    kiosk,
    desk: ts.length - kiosk,
    priority: ts.filter((t) => t.group).length,
    waitMedian: nearest(wait, 0.5),
    waitP90: nearest(wait, 0.9),
    serviceMedian: nearest(svc, 0.5),
    serviceP90: nearest(svc, 0.9),
  };
}
function groupBy(ts: T[], key: (t: T) => string, res: Res) {
  const groups = new Map<string, T[]>();
  for (const t of ts) groups.set(key(t), [...(groups.get(key(t)) ?? []), t]);
  return Object.fromEntries([...groups].map(([k, g]) => [k, figures(g, res)]));
}
function expected(ts: T[], from: string, to: string, province: boolean) {
  const days = (Date.parse(to) - Date.parse(from)) / 86_400_000 + 1;
  const res: Res = days > 7 ? 'minute' : 'second';
  const inPeriod = ts.filter((t) => t.day >= from && t.day <= to && (province || t.office === A.officeId));
  const heat = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const t of inPeriod) {
    const local = new Date(t.issued + 7 * 3600_000);
    heat[(local.getUTCDay() + 6) % 7]![local.getUTCHours()]! += 1;
  }
  const lastOfficer = (t: T) => t.calls.at(-1)?.officer ?? '';
  return {
    durationResolution: res,
    totals: figures(inPeriod, res),
    byDay: groupBy(inPeriod, (t) => t.day, res),
    byService: groupBy(inPeriod, (t) => t.service, res),
    byCounter: province ? {} : groupBy(inPeriod, (t) => t.counter ?? '', res),
    byOfficer: province ? {} : groupBy(inPeriod, lastOfficer, res),
    byOffice: province ? groupBy(inPeriod, (t) => t.office, res) : {},
    heatmap: heat,
    priority: inPeriod.filter((t) => t.group).length,
  };
}
/** The report's ticket figures in the same shape (labels left out: they come from the office's names). */
function actual(r: Report) {
  const keyed = (rows: ReportRow[]) => Object.fromEntries(rows.map(({ key, label: _label, ...f }) => [key, f]));
  const { key: _k, label: _l, ...totals } = r.totals;
  return {
    durationResolution: r.durationResolution,
    totals,
    byDay: keyed(r.byDay.filter((d) => d.issued > 0)),
    byService: keyed(r.byService),
    byCounter: keyed(r.byCounter),
    byOfficer: keyed(r.byOfficer),
    byOffice: keyed(r.byOffice),
    heatmap: r.heatmap,
    priority: r.priorityGroups.reduce((n, g) => n + g.issued, 0),
  };
}

describe.each(testDialects())('daily report roll-ups on %s', (dialect) => {
  let db: TestDb;
  let store: CentralStore;
  const tickets: T[] = [];
  const rnd = prng(14_110);
  const report = (scope: 'office' | 'province', period: 'week' | 'month' | 'day', date: string, now = NOW) =>
    buildReport(store, { officeId: A.officeId, scope, period, date, now });
  const rolledDays = async () =>
    (
      await store.all<{ office_id: string; day: string }>(
        'SELECT office_id, day FROM report_rolled_days ORDER BY office_id, day',
      )
    ).map((r) => `${r.office_id}/${r.day}`);

  beforeAll(async () => {
    db = await makeTestDb(dialect);
    store = await openCentralStore(db.url);
    for (const office of [A, B]) await upsertOffice(store, office);
    for (const office of [A.officeId, B.officeId])
      for (const day of DAYS) {
        // Some days empty (a closed Sunday), most with a few dozen tickets.
        const n = day === '2026-11-29' ? 0 : 5 + Math.floor(rnd() * 40);
        for (let i = 0; i < n; i++) tickets.push(randomTicket(rnd, office, day));
      }
    await store.tx(async (q) => {
      for (const t of tickets) await insertTicket(q, t);
    });
  });
  afterAll(async () => {
    await store?.close();
    await db?.dispose();
  });

  it('reads the same figures from the tickets and from the roll-ups of the closed days, plus today', async () => {
    // Reported on the month's first day: nothing is closed yet, everything is read from the tickets.
    const live = await report('office', 'month', TODAY, new Date('2026-11-01T08:00:00+07:00'));
    expect(await rolledDays()).toEqual([]);
    const want = expected(tickets, '2026-11-01', '2026-11-30', false);
    expect(actual(live)).toEqual(want);
    // Today: the 22 closed days of the month (the office's) are rolled, today is read live.
    const rolled = await report('office', 'month', TODAY);
    expect((await rolledDays()).length).toBe(29);
    expect(await rolledDays()).not.toContain(`${A.officeId}/${TODAY}`);
    expect(actual(rolled)).toEqual(want);
    // Twice: the second report reads the roll-ups it made.
    expect(actual(await report('office', 'month', TODAY))).toEqual(want);
    // A week that spans rolled days and today; a single rolled day; the province (both offices).
    expect(actual(await report('office', 'week', TODAY))).toEqual(expected(tickets, '2026-11-30', '2026-12-06', false));
    expect(actual(await report('office', 'week', '2026-11-25'))).toEqual(
      expected(tickets, '2026-11-23', '2026-11-29', false),
    );
    expect(actual(await report('office', 'day', '2026-11-26'))).toEqual(
      expected(tickets, '2026-11-26', '2026-11-26', false),
    );
    expect(actual(await report('province', 'month', TODAY))).toEqual(
      expected(tickets, '2026-11-01', '2026-11-30', true),
    );
    expect(await rolledDays()).toContain(`${B.officeId}/2026-11-24`);
  });

  it('says in the export when the durations are whole minutes (over more than 7 days), not for a week', async () => {
    const month = await report('office', 'month', TODAY);
    expect(month.durationResolution).toBe('minute');
    expect(toCsv(reportSheets(month, 'vi'))).toContain(
      'Ghi chú\r\nGhi chú\r\n"Khoảng thời gian trên 7 ngày: thời gian chờ và phục vụ (trung vị, p90) tính theo phút tròn',
    );
    expect(reportSheets(month, 'en').map((s) => s.name)).toContain('Note');
    const week = await report('office', 'week', '2026-11-25');
    expect(week.durationResolution).toBe('second');
    expect(reportSheets(week, 'vi').map((s) => s.name)).not.toContain('Ghi chú');
  });

  it('counts a late offline ticket and a late rating of a rolled-up day', async () => {
    const day = '2026-11-25';
    await report('office', 'month', TODAY);
    expect(await rolledDays()).toContain(`${A.officeId}/${day}`);
    const before = await report('office', 'day', day);
    // A kiosk that was offline merges, five days later, a ticket of that day: called after 2 h
    // (longer than any other wait), served — and its rating.
    const late: T = {
      ...randomTicket(prng(1), A.officeId, day),
      id: 'late-1',
      service: SERVICES[0]!,
      group: null,
      source: 'kiosk',
      status: 'served',
      counter: 'q2',
      calls: [],
    };
    late.calls = [{ kind: 'call', counter: 'q2', officer: `${A.officeId}-q2`, at: late.issued + 7200_000 }];
    late.calledAt = late.issued + 7200_000;
    late.servedAt = late.calledAt + 4000_000;
    await store.tx(async (q) => {
      await insertTicket(q, late);
      await q.run(
        `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
         VALUES ('late-r', ?, 'dev', 'K', 'dissatisfied', '{}', '[]', NULL, NULL, 'late-1', 'ticket', ?, ?)`,
        [A.officeId, iso(late.servedAt!), iso(NOW.getTime())],
      );
    });
    tickets.push(late);
    // The day's mark is gone with the ticket's transaction…
    expect(await rolledDays()).not.toContain(`${A.officeId}/${day}`);
    const after = await report('office', 'day', day);
    expect(after.totals.issued).toBe(before.totals.issued + 1);
    expect(after.totals.waitP90).toBeGreaterThanOrEqual(before.totals.waitP90 ?? 0);
    expect(after.satisfaction.totals.dissatisfied).toBe(before.satisfaction.totals.dissatisfied + 1);
    // …and the month (which rolls the day again) has every figure right.
    expect(actual(await report('office', 'month', TODAY))).toEqual(
      expected(tickets, '2026-11-01', '2026-11-30', false),
    );
    expect(await rolledDays()).toContain(`${A.officeId}/${day}`);
    expect(actual(await report('office', 'month', TODAY))).toEqual(
      expected(tickets, '2026-11-01', '2026-11-30', false),
    );
    // A later change of a rolled day's ticket (a correction) also reaches the report.
    await store.run("UPDATE tickets SET status = 'skipped' WHERE id = 'late-1'");
    late.status = 'skipped';
    expect(actual(await report('office', 'month', TODAY))).toEqual(
      expected(tickets, '2026-11-01', '2026-11-30', false),
    );
  });

  // PostgreSQL runs transactions side by side; SQLite writes one at a time (BEGIN IMMEDIATE).
  if (dialect === 'postgres')
    it('a roll-up racing an uncommitted late ticket of the day neither misses nor double counts it', async () => {
      const day = '2026-11-24';
      const first = randomTicket(prng(2), A.officeId, day);
      const second = randomTicket(prng(3), A.officeId, day);
      // The day is rolled, then a late ticket makes it dirty.
      await report('office', 'month', TODAY);
      await store.tx((q) => insertTicket(q, { ...first, id: 'race-1' }));
      tickets.push({ ...first, id: 'race-1' });
      // Another late ticket of the day, its transaction still open while a report rolls up.
      await store.tx(async (q) => {
        await insertTicket(q, { ...second, id: 'race-2' });
        const during = await report('office', 'month', TODAY);
        expect(actual(during)).toEqual(expected(tickets, '2026-11-01', '2026-11-30', false));
      });
      tickets.push({ ...second, id: 'race-2' });
      expect(actual(await report('office', 'month', TODAY))).toEqual(
        expected(tickets, '2026-11-01', '2026-11-30', false),
      );
      expect(await rolledDays()).toContain(`${A.officeId}/${day}`);
    });
});
