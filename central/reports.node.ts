import type { OfficeConfig } from '../protocol/office.ts';
import {
  dayStartUtc,
  nextDay,
  periodRange,
  type Report,
  type ReportPeriod,
  type ReportRow,
  type ReportScope,
  type SatisfactionRow,
} from '../protocol/reports.ts';
import { localDay } from '../protocol/tickets.ts';
import { getOfficeConfig } from './admin.node.ts';
import {
  countsOf,
  EXACT_MAX_DAYS,
  HIST_TABLE,
  histOf,
  perTicket,
  previousDay,
  rollUpDays,
  type Measure,
  type Resolution,
} from './report-rollup.node.ts';
import { HttpError } from './http.node.ts';
import { SILENT_AFTER_MS } from './routes/fleet.node.ts';
import type { CentralStore, Sql } from './store/store.node.ts';

/**
 * Manager reports (issue 14), computed by SQL over central's own tables on SQLite and
 * PostgreSQL alike — no counters kept on the side:
 * - tickets (issued, source, priority, status, and the facts of its calls: first call, number of
 *   calls, officer of the latest call — kept on the row by migration 066's trigger on every
 *   insert into ticket_calls), ratings, dossiers + dossier_events, payments, devices + fleet_heartbeats.
 * - Wait = first call − issued; service = served − (last) call, for served tickets; whole seconds
 *   (generated columns `wait_s`, `service_s` of migration 067: the same text arithmetic on both
 *   engines, done by the engine when the row changes rather than by every report).
 * - Closed days come from daily roll-ups (migration 110, report-rollup.node.ts: counts and
 *   whole-second histograms per office, day and grouping, kept current by a trigger on tickets),
 *   the other days from the tickets through the same SQL; the same statements on both engines.
 * - Medians and p90 are nearest-rank percentiles computed IN SQL: the value at rank ⌈p·n⌉ of the
 *   summed histograms (a running count per group, exactly what percentile_disc gives); no
 *   interpolation, nothing fetched row by row.
 * - Ratings carry their ticket's service and counter (migration 068's triggers): no join.
 * - Transferred: a ticket called more than once, or called and now waiting again (a transfer is
 *   the only way a called ticket goes back to the queue; recalls are `recall` rows).
 */

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

interface Dim {
  name: 'all' | 'day' | 'service' | 'counter' | 'officer' | 'office';
}

interface HeatRow {
  day: string;
  h: number;
  g: string | null;
  n: number;
}

interface AggRow {
  dim: string;
  k: string;
  issued: number;
  served: number;
  no_show: number;
  transferred: number;
  kiosk: number;
  priority: number;
  wait_med: number | null;
  wait_p90: number | null;
  svc_med: number | null;
  svc_p90: number | null;
}

/**
 * The ticket figures of `officeIds` over the local days [from, to]: counts per (dim, k), exact
 * nearest-rank median and p90 of wait and service time, and issued per day × hour × priority
 * group (the heatmap). Read from the daily roll-ups (central/report-rollup.node.ts) for the days
 * that have a current one, and from the tickets — through the same roll-up SQL — for the others
 * (today, a day a late ticket changed), in one statement per figure so both halves are one
 * snapshot. The same SQL on SQLite and PostgreSQL.
 */
async function ticketFigures(
  store: CentralStore,
  officeIds: readonly string[],
  from: string,
  to: string,
  dims: readonly Dim[],
  res: Resolution,
): Promise<{ rows: AggRow[]; heat: HeatRow[] }> {
  const inOffices = marks(officeIds.length);
  const range = [...officeIds, from, to];
  const inRange = (t: string) => `${t}.office_id IN (${inOffices}) AND ${t}.day >= ? AND ${t}.day <= ?`;
  const rolled = (t: string) =>
    `EXISTS (SELECT 1 FROM rolled x WHERE x.office_id = ${t}.office_id AND x.day = ${t}.day)`;
  // Days with a current roll-up; the tickets of every other day of the period, live.
  // Read by (office, day) of the period without a current roll-up, through the index, so the
  // tickets of rolled days are not even scanned.
  const days: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) days.push(d);
  const values = (n: number) => Array.from({ length: n }, () => '(CAST(? AS TEXT))').join(', ');
  const head = `rolled AS (SELECT office_id, day FROM report_rolled_days x WHERE ${inRange('x')}),
  o (office_id) AS (VALUES ${values(officeIds.length)}),
  d (day) AS (VALUES ${values(days.length)}),
  pending AS (
    SELECT o.office_id, d.day FROM o CROSS JOIN d
    WHERE NOT EXISTS (SELECT 1 FROM rolled x WHERE x.office_id = o.office_id AND x.day = d.day)
  ),
  b AS (${perTicket('pending p JOIN tickets t ON t.office_id = p.office_id AND t.day = p.day', '1 = 1')})`;
  const has = (name: Dim['name']) => dims.some((d) => d.name === name);
  // The roll-up parts this report reads (a province report has no counters or officers).
  const parts = ['total', ...(['service', 'counter', 'officer'] as const).filter((d) => has(d))]
    .map((p) => `'${p}'`)
    .join(', ');
  // A report dimension over the roll-up's parts: all, day and office from the day totals.
  const groupings = (select: (dim: string, k: string, part: string, by: string[]) => string) =>
    [
      select("'all'", "''", 'total', []),
      select("'day'", 'day', 'total', ['day']),
      ...(has('office') ? [select("'office'", 'office_id', 'total', ['office_id'])] : []),
      ...(['service', 'counter', 'officer'] as const).filter((d) => has(d)).map((d) => select(`'${d}'`, 'k', d, ['k'])),
    ].join('\n  UNION ALL ');
  const sums = `SUM(issued) AS issued, SUM(served) AS served, SUM(no_show) AS no_show, SUM(transferred) AS transferred,
      SUM(kiosk) AS kiosk, SUM(priority) AS priority`;
  const counted = `
  WITH ${head},
  src AS (
    SELECT office_id, day, part, k, h, g, issued, served, no_show, transferred, kiosk, priority
      FROM report_day_counts r WHERE ${inRange('r')} AND ${rolled('r')}
    UNION ALL ${countsOf('b')}
  )
  ${groupings(
    (dim, k, part, by) =>
      `SELECT ${dim} AS dim, ${k} AS k, CAST(NULL AS INTEGER) AS h, CAST(NULL AS TEXT) AS g, ${sums}
      FROM src WHERE part = '${part}'${by.length ? ` GROUP BY ${by.join(', ')}` : ''}`,
  )}
  UNION ALL SELECT 'heat', day, h, g, SUM(issued), 0, 0, 0, 0, 0 FROM src WHERE part = 'heat' GROUP BY day, h, g`;
  // Nearest rank ⌈p·n⌉ in integer arithmetic on both engines: (n + 1) / 2 and (9n + 9) / 10.
  // The histograms of the groups summed per value (whole second, or whole minute over a long range); a running count per group in
  // value order; the percentile is the smallest value whose running count reaches the rank.
  const nearestRank = (m: Measure) => `
  WITH ${head},
  src AS (
    SELECT office_id, day, m, part, k, v, c FROM ${HIST_TABLE[res]} r
      WHERE ${inRange('r')} AND r.m = '${m}' AND r.part IN (${parts}) AND ${rolled('r')}
    UNION ALL ${histOf('b', m, res)}
  ),
  h AS (
  ${groupings(
    (dim, k, part, by) =>
      `SELECT ${dim} AS dim, ${k} AS k, v, CAST(SUM(c) AS BIGINT) AS c FROM src WHERE part = '${part}' GROUP BY ${[...by, 'v'].join(', ')}`,
  )}
  ),
  r AS (
    SELECT dim, k, v, CAST(SUM(c) OVER (PARTITION BY dim, k ORDER BY v) AS BIGINT) AS cum,
      CAST(SUM(c) OVER (PARTITION BY dim, k) AS BIGINT) AS n FROM h
  )
  SELECT dim, k, MIN(CASE WHEN cum >= (n + 1) / 2 THEN v END) AS med, MIN(CASE WHEN cum >= (9 * n + 9) / 10 THEN v END) AS p90
  FROM r GROUP BY dim, k`;
  const params = [...range, ...officeIds, ...days, ...range];
  // PostgreSQL: the three statements on three pool connections at the same time; no JIT
  // (compiling the expressions cost more than it saved), memory to hash without spilling.
  const run = <T extends object>(sql: string) =>
    store.dialect === 'sqlite'
      ? store.all<T>(sql, params)
      : store.tx(async (q) => {
          await q.run("SET LOCAL work_mem = '64MB'");
          await q.run('SET LOCAL jit = off');
          return q.all<T>(sql, params);
        });
  type Counted = Omit<AggRow, 'wait_med' | 'wait_p90' | 'svc_med' | 'svc_p90'> & { h: number | null; g: string | null };
  type Pct = { dim: string; k: string; med: number | null; p90: number | null };
  const [rows, wait, svc] = await Promise.all([
    run<Counted>(counted),
    run<Pct>(nearestRank('w')),
    run<Pct>(nearestRank('s')),
  ]);
  // A group without a single wait (or service) time has no histogram row: no percentile.
  const byKey = (list: Pct[]) => new Map(list.map((r) => [`${r.dim}\u0000${r.k}`, r]));
  const waitOf = byKey(wait);
  const svcOf = byKey(svc);
  const heat = rows.filter((r) => r.dim === 'heat').map((r) => ({ day: r.k, h: Number(r.h), g: r.g, n: r.issued }));
  // Groups in key order, compared by code unit (the same on both engines, whatever the locale).
  const byDimKey = (a: Counted, b: Counted) =>
    a.dim < b.dim ? -1 : a.dim > b.dim ? 1 : a.k < b.k ? -1 : a.k > b.k ? 1 : 0;
  const figures = rows
    // 'all' is one row even over no ticket (SUM of nothing); the other groups exist only with tickets.
    .filter((r) => r.dim !== 'heat' && (r.dim !== 'all' || Number(r.issued) > 0))
    .sort(byDimKey)
    .map((r) => {
      const w = waitOf.get(`${r.dim}\u0000${r.k}`);
      const t = svcOf.get(`${r.dim}\u0000${r.k}`);
      return {
        ...r,
        wait_med: numOrNull(w?.med),
        wait_p90: numOrNull(w?.p90),
        svc_med: numOrNull(t?.med),
        svc_p90: numOrNull(t?.p90),
      };
    });
  return { rows: figures, heat };
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const toRow = (r: AggRow | undefined, key: string, label: string): ReportRow => ({
  key,
  label,
  issued: num(r?.issued),
  served: num(r?.served),
  noShow: num(r?.no_show),
  transferred: num(r?.transferred),
  kiosk: num(r?.kiosk),
  desk: num(r?.issued) - num(r?.kiosk),
  priority: num(r?.priority),
  waitMedian: numOrNull(r?.wait_med),
  waitP90: numOrNull(r?.wait_p90),
  serviceMedian: numOrNull(r?.svc_med),
  serviceP90: numOrNull(r?.svc_p90),
});

export interface ReportRequest {
  /** The officer's office: the report's office, or the province it belongs to. */
  officeId: string;
  scope: ReportScope;
  period: ReportPeriod;
  date: string;
  now: Date;
}

/** The offices a report covers: the officer's own, or every office of its province. */
async function officesOf(q: Sql, officeId: string, scope: ReportScope) {
  const own = await q.get<{ id: string; name: string; province: string }>(
    'SELECT id, name, province FROM offices WHERE id = ?',
    [officeId],
  );
  if (!own) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
  if (scope === 'office') return { title: own.name, offices: [{ id: own.id, name: own.name }] };
  const all = await q.all<{ id: string; name: string }>('SELECT id, name FROM offices WHERE province = ? ORDER BY id', [
    own.province,
  ]);
  return { title: own.province, offices: all };
}

export async function buildReport(store: CentralStore, req: ReportRequest): Promise<Report> {
  const { from, to } = periodRange(req.period, req.date);
  const { title, offices } = await officesOf(store, req.officeId, req.scope);
  const ids = offices.map((o) => o.id);
  const province = req.scope === 'province';
  const start = dayStartUtc(from);
  const end = dayStartUtc(nextDay(to));
  const inOffices = marks(ids.length);

  // One office's names; in a province report keys are `office/id`.
  const configs = new Map<string, OfficeConfig>();
  for (const id of ids) {
    const found = await getOfficeConfig(store, id);
    if (found) configs.set(id, found.config);
  }
  const services = new Map<string, string>();
  const counters = new Map<string, string>();
  const groups = new Map<string, string>();
  for (const office of configs.values()) {
    for (const s of office.areas.flatMap((a) => a.services)) services.set(s.id, s.name);
    for (const c of office.counters) counters.set(c.id, c.name);
    for (const g of office.priorityGroups) groups.set(g.id, g.name);
  }

  const dims: Dim[] = [
    { name: 'all' },
    { name: 'day' },
    { name: 'service' },
    ...(province ? ([{ name: 'office' }] as const) : ([{ name: 'counter' }, { name: 'officer' }] as const)),
  ];

  // Closed days of the period without a current roll-up are rolled up first (once per day, or
  // again after a late ticket changed it); today and later days are read from the tickets.
  const lastClosed = previousDay(localDay(req.now));
  await rollUpDays(store, ids, from, to < lastClosed ? to : lastClosed, req.now);
  // Over more than a week, percentiles to the whole minute (per-minute histograms: a province
  // month of realistic durations has millions of distinct (group, second) pairs); up to a week,
  // exact to the second.
  let span = 0;
  for (let d = from; d <= to; d = nextDay(d)) span += 1;
  const resolution: Resolution = span > EXACT_MAX_DAYS ? 'minute' : 'second';
  const ticketQ = ticketFigures(store, ids, from, to, dims, resolution);
  // Ratings by the ticket they follow (service, counter; kept on the rating row by migration
  // 068's triggers, so no join to the tickets); without a ticket: key ''. One group per
  // (service, counter, level), summed per dimension below.
  const ratingQ = store.all<{ service_id: string; counter_id: string; overall: string; n: number }>(
    `SELECT COALESCE(service_id, '') AS service_id, COALESCE(counter_id, '') AS counter_id, overall, COUNT(*) AS n
       FROM ratings WHERE office_id IN (${inOffices}) AND created_at >= ? AND created_at < ?
      GROUP BY COALESCE(service_id, ''), COALESCE(counter_id, ''), overall`,
    [...ids, start, end],
  );
  // Dossiers taken at kiosks in the period; a result (status 9/10) is on time when it came
  // before the end of the appointment day (local midnight = 17:00 UTC of that date).
  const dossierQ = store.get<{ submitted: number; with_result: number; on_time: number }>(
    `SELECT COUNT(*) AS submitted,
        SUM(CASE WHEN r.done_at IS NOT NULL THEN 1 ELSE 0 END) AS with_result,
        SUM(CASE WHEN r.done_at IS NOT NULL AND r.done_at < d.appointment_date || 'T17:00:00.000Z' THEN 1 ELSE 0 END) AS on_time
       FROM dossiers d
       LEFT JOIN (SELECT dossier_code, MIN(at) AS done_at FROM dossier_events WHERE status IN (9, 10) GROUP BY dossier_code) r
         ON r.dossier_code = d.code
      WHERE d.office_id IN (${inOffices}) AND d.submitted_at >= ? AND d.submitted_at < ?`,
    [...ids, start, end],
  );
  const paymentQ = store.get<{ n: number; amount: number | null }>(
    `SELECT COUNT(*) AS n, SUM(amount) AS amount FROM payments
      WHERE office_id IN (${inOffices}) AND status = 'confirmed' AND confirmed_at >= ? AND confirmed_at < ?`,
    [...ids, start, end],
  );
  const kioskQ = store.all<{ id: string; name: string; office_id: string; received_at: string | null }>(
    `SELECT d.id, d.name, d.office_id, h.received_at FROM devices d LEFT JOIN fleet_heartbeats h ON h.device_id = d.id
      WHERE d.office_id IN (${inOffices}) AND d.revoked_at IS NULL ORDER BY d.office_id, d.name`,
    ids,
  );
  const officerQ = province
    ? Promise.resolve([])
    : store.all<{ id: string; display_name: string }>(
        `SELECT id, display_name FROM officers WHERE office_id IN (${inOffices})`,
        ids,
      );

  const [{ rows: tickets, heat }, ratingRows, dossiers, paid, kiosks, officerRows] = await Promise.all([
    ticketQ,
    ratingQ,
    dossierQ,
    paymentQ,
    kioskQ,
    officerQ,
  ]);

  const officers = new Map(officerRows.map((o) => [o.id, o.display_name]));
  const officeNames = new Map(offices.map((o) => [o.id, o.name]));
  const rowsOf = (dim: Dim['name'], label: (k: string) => string) =>
    tickets.filter((r) => r.dim === dim).map((r) => toRow(r, r.k, label(r.k)));
  const byDay = rowsOf('day', (k) => k);
  // Every day of the period has a row, with zeros when nothing happened.
  const days: ReportRow[] = [];
  for (let d = from; d <= to; d = nextDay(d)) days.push(byDay.find((r) => r.key === d) ?? toRow(undefined, d, d));

  const heatmap = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of heat) {
    const weekday = (new Date(`${r.day}T00:00:00.000Z`).getUTCDay() + 6) % 7;
    heatmap[weekday]![Number(r.h)]! += Number(r.n);
  }
  const byGroup = new Map<string, number>();
  for (const r of heat) if (r.g !== null) byGroup.set(r.g, (byGroup.get(r.g) ?? 0) + Number(r.n));
  const groupRows = [...byGroup.keys()].sort().map((g) => ({ g, n: byGroup.get(g)! }));

  const satisfaction = (dim: 'all' | 'service' | 'counter', label: (k: string) => string): SatisfactionRow[] => {
    const rows = new Map<string, SatisfactionRow>();
    for (const r of ratingRows) {
      const k = dim === 'service' ? r.service_id : dim === 'counter' ? r.counter_id : '';
      const row = rows.get(k) ?? {
        key: k,
        label: label(k),
        total: 0,
        very_satisfied: 0,
        satisfied: 0,
        dissatisfied: 0,
      };
      const n = Number(r.n);
      row.total += n;
      if (r.overall === 'very_satisfied' || r.overall === 'satisfied' || r.overall === 'dissatisfied')
        row[r.overall] += n;
      rows.set(k, row);
    }
    return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  };
  const now = req.now.getTime();

  return {
    scope: req.scope,
    period: req.period,
    from,
    to,
    title,
    offices,
    generatedAt: req.now.toISOString(),
    durationResolution: resolution,
    totals: toRow(
      tickets.find((r) => r.dim === 'all'),
      '',
      '',
    ),
    byDay: days,
    byService: rowsOf('service', (k) => services.get(k) ?? k),
    byCounter: rowsOf('counter', (k) => counters.get(k) ?? k),
    byOfficer: rowsOf('officer', (k) => officers.get(k) ?? k),
    byOffice: rowsOf('office', (k) => officeNames.get(k) ?? k),
    heatmap,
    priorityGroups: groupRows.map((g) => ({ key: g.g, label: groups.get(g.g) ?? g.g, issued: Number(g.n) })),
    satisfaction: {
      totals: satisfaction('all', () => '')[0] ?? {
        key: '',
        label: '',
        total: 0,
        very_satisfied: 0,
        satisfied: 0,
        dissatisfied: 0,
      },
      byService: satisfaction('service', (k) => services.get(k) ?? k),
      // Counter ids are per office: a province report does not add up "Quầy 1" of different offices.
      byCounter: province ? [] : satisfaction('counter', (k) => counters.get(k) ?? k),
    },
    dossiers: {
      submitted: num(dossiers?.submitted),
      withResult: num(dossiers?.with_result),
      onTime: num(dossiers?.on_time),
    },
    payments: { confirmed: num(paid?.n), amount: num(paid?.amount) },
    kiosks: {
      total: kiosks.length,
      online: kiosks.filter((k) => k.received_at && Date.parse(k.received_at) > now - SILENT_AFTER_MS).length,
      onlineWithinSeconds: SILENT_AFTER_MS / 1000,
      list: kiosks.map((k) => ({
        id: k.id,
        name: k.name,
        officeId: k.office_id,
        lastHeartbeatAt: k.received_at,
        online: Boolean(k.received_at && Date.parse(k.received_at) > now - SILENT_AFTER_MS),
      })),
    },
  };
}
