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
import { getOfficeConfig } from './admin.node.ts';
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
 * - Medians and p90 are nearest-rank percentiles computed IN SQL: the value at rank ⌈p·n⌉. On
 *   SQLite with window functions (ROW_NUMBER and COUNT over the group), on PostgreSQL from
 *   per-group histograms of the whole-second values over GROUPING SETS (exactly what
 *   percentile_disc gives); no interpolation, nothing fetched row by row.
 * - Ratings carry their ticket's service and counter (migration 068's triggers): no join.
 * - Transferred: a ticket called more than once, or called and now waiting again (a transfer is
 *   the only way a called ticket goes back to the queue; recalls are `recall` rows).
 */

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

interface Dim {
  name: 'all' | 'day' | 'service' | 'counter' | 'officer' | 'office';
  /** SQL over the per-ticket rows `b`. */
  key: string;
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

/** Nearest-rank median and p90 of `col` per (dim, k), from the union `u`. */
const percentiles = (col: string, alias: string) => `
  ${alias} AS (
    SELECT dim, k,
      MAX(CASE WHEN rn = (n + 1) / 2 THEN v END) AS med,
      MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN v END) AS p90
    FROM (
      SELECT dim, k, ${col} AS v,
        ROW_NUMBER() OVER (PARTITION BY dim, k ORDER BY ${col}) AS rn,
        COUNT(*) OVER (PARTITION BY dim, k) AS n
      FROM u WHERE ${col} IS NOT NULL
    ) ranked
    GROUP BY dim, k
  )`;

async function ticketFigures(
  store: CentralStore,
  officeIds: readonly string[],
  from: string,
  to: string,
  dims: readonly Dim[],
): Promise<{ rows: AggRow[]; heat: HeatRow[] }> {
  const inOffices = marks(officeIds.length);
  const union = dims
    .map(
      (d) => `SELECT '${d.name}' AS dim, ${d.key} AS k, status, source, weight, transferred, wait_s, service_s FROM b`,
    )
    .join(' UNION ALL ');
  // One row per ticket of the period: its facts from the ticket row alone (call facts are kept
  // there by migration 066's trigger on ticket_calls).
  const perTicket = `
  b AS (
    SELECT t.office_id, t.day, t.service_id, COALESCE(t.counter_id, '') AS counter_id,
      COALESCE(t.last_officer_id, '') AS officer_id, t.status, t.source, t.weight,
      CASE WHEN t.call_count > 1 OR (t.call_count = 1 AND t.status = 'waiting') THEN 1 ELSE 0 END AS transferred,
      t.wait_s, t.service_s, t.issued_hour, t.priority_group_id
    FROM tickets t
    WHERE t.office_id IN (${inOffices}) AND t.day >= ? AND t.day <= ?
  )`;
  const sql = `
  WITH ${perTicket},
  u AS (${union}),
  agg AS (
    SELECT dim, k, COUNT(*) AS issued,
      SUM(CASE WHEN status = 'served' THEN 1 ELSE 0 END) AS served,
      SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END) AS no_show,
      SUM(transferred) AS transferred,
      SUM(CASE WHEN source = 'kiosk' THEN 1 ELSE 0 END) AS kiosk,
      SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS priority
    FROM u GROUP BY dim, k
  ),
  ${percentiles('wait_s', 'w')},
  ${percentiles('service_s', 's')}
  SELECT agg.dim, agg.k, agg.issued, agg.served, agg.no_show, agg.transferred, agg.kiosk, agg.priority,
    w.med AS wait_med, w.p90 AS wait_p90, s.med AS svc_med, s.p90 AS svc_p90
  FROM agg
  LEFT JOIN w ON w.dim = agg.dim AND w.k = agg.k
  LEFT JOIN s ON s.dim = agg.dim AND s.k = agg.k
  ORDER BY agg.dim, agg.k`;
  const params = [...officeIds, from, to];
  // Issued per local day × local hour × priority group: the heatmap (weekdays folded by the
  // caller) and the priority groups are sums of these few hundred groups.
  if (store.dialect === 'sqlite') {
    const [rows, heat] = await Promise.all([
      store.all<AggRow>(sql, params),
      store.all<HeatRow>(
        `SELECT day, issued_hour AS h, priority_group_id AS g, COUNT(*) AS n
           FROM tickets WHERE office_id IN (${inOffices}) AND day >= ? AND day <= ? GROUP BY day, issued_hour, priority_group_id`,
        params,
      ),
    ]);
    return { rows, heat };
  }
  // PostgreSQL: grouped by every dimension at once (GROUPING SETS; keys compared bytewise —
  // COLLATE "C", the order SQLite gives — so sorts and hashes skip the locale). The percentiles
  // from histograms: the tickets counted per (group, whole-second value), a running count per
  // group in value order, and the value at rank r is the smallest whose running count reaches
  // r. With r = ⌈p·n⌉ computed as PostgreSQL's percentile_disc(p) computes it (in double
  // precision) this is exactly percentile_disc — the same nearest rank as the window version
  // above — but it sorts a few distinct values per group instead of every ticket. The counts,
  // the wait and the service histograms are three queries on three pool connections, run at
  // the same time; their rows are joined here by (dim, k). A province's month groups ~600,000
  // tickets: give each query the memory to hash them without spilling to disk, and no JIT
  // (compiling costs more than it saves here). SET LOCAL ends with the transaction.
  const keyed = dims.filter((d) => d.name !== 'all');
  const key = (d: Dim) => `${d.key} COLLATE "C"`;
  const pick = (then: (d: Dim) => string, otherwise: string) =>
    `CASE ${keyed.map((d) => `WHEN GROUPING(${key(d)}) = 0 THEN ${then(d)}`).join(' ')} ELSE ${otherwise} END`;
  const dimK = `${pick((d) => `'${d.name}'`, "'all'")} AS dim, ${pick((d) => `CAST(${key(d)} AS TEXT)`, "''")} AS k`;
  // The heatmap's groups ride with the counts as one more grouping set (dim 'heat', k = day).
  const heatSet = 'GROUPING(issued_hour) = 0';
  const counted = `
  WITH ${perTicket}
  SELECT * FROM (SELECT CASE WHEN ${heatSet} THEN 'heat' ELSE ${pick((d) => `'${d.name}'`, "'all'")} END AS dim,
    CASE WHEN ${heatSet} THEN CAST(day COLLATE "C" AS TEXT) ELSE ${pick((d) => `CAST(${key(d)} AS TEXT)`, "''")} END AS k,
    CASE WHEN ${heatSet} THEN issued_hour END AS h, CASE WHEN ${heatSet} THEN priority_group_id END AS g, COUNT(*) AS issued,
    SUM(CASE WHEN status = 'served' THEN 1 ELSE 0 END) AS served,
    SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END) AS no_show,
    SUM(transferred) AS transferred,
    SUM(CASE WHEN source = 'kiosk' THEN 1 ELSE 0 END) AS kiosk,
    SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS priority
  FROM b GROUP BY GROUPING SETS (${dims.map((d) => (d.name === 'all' ? '()' : `(${key(d)})`)).join(', ')},
    (day COLLATE "C", issued_hour, priority_group_id))) c
  ORDER BY dim, k COLLATE "C"`;
  const rank = (p: string) => `CEIL(CAST(${p} AS DOUBLE PRECISION) * n)`;
  const nearestRank = (col: string) => `
  WITH ${perTicket},
  h AS (
    SELECT ${dimK}, ${col} AS v, COUNT(*) AS c FROM b WHERE ${col} IS NOT NULL
    GROUP BY GROUPING SETS (${dims.map((d) => (d.name === 'all' ? `(${col})` : `(${key(d)}, ${col})`)).join(', ')})
  ),
  r AS (
    SELECT dim, k, v, SUM(c) OVER (PARTITION BY dim, k ORDER BY v) AS cum, SUM(c) OVER (PARTITION BY dim, k) AS n FROM h
  )
  SELECT dim, k, MIN(CASE WHEN cum >= ${rank('0.5')} THEN v END) AS med, MIN(CASE WHEN cum >= ${rank('0.9')} THEN v END) AS p90
  FROM r GROUP BY dim, k`;
  const inTx = <T extends object>(sql: string) =>
    store.tx(async (q) => {
      await q.run("SET LOCAL work_mem = '128MB'");
      await q.run('SET LOCAL jit = off');
      return q.all<T>(sql, params);
    });
  type Pct = { dim: string; k: string; med: number | null; p90: number | null };
  const [rows, wait, svc] = await Promise.all([
    inTx<AggRow & { h: number | null; g: string | null }>(counted),
    inTx<Pct>(nearestRank('wait_s')),
    inTx<Pct>(nearestRank('service_s')),
  ]);
  // A group without a single wait (or service) time has no histogram row: NULL, as percentile_disc.
  const byKey = (list: Pct[]) => new Map(list.map((r) => [`${r.dim}\u0000${r.k}`, r]));
  const waitOf = byKey(wait);
  const svcOf = byKey(svc);
  const heat = rows.filter((r) => r.dim === 'heat').map((r) => ({ day: r.k, h: Number(r.h), g: r.g, n: r.issued }));
  const figures = rows
    .filter((r) => r.dim !== 'heat')
    .map((r) => {
      const w = waitOf.get(`${r.dim}\u0000${r.k}`);
      const t = svcOf.get(`${r.dim}\u0000${r.k}`);
      return {
        ...r,
        wait_med: w?.med ?? null,
        wait_p90: w?.p90 ?? null,
        svc_med: t?.med ?? null,
        svc_p90: t?.p90 ?? null,
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
    { name: 'all', key: "''" },
    { name: 'day', key: 'day' },
    { name: 'service', key: 'service_id' },
    ...(province
      ? ([{ name: 'office', key: 'office_id' }] as const)
      : ([
          { name: 'counter', key: 'counter_id' },
          { name: 'officer', key: 'officer_id' },
        ] as const)),
  ];

  const ticketQ = ticketFigures(store, ids, from, to, dims);
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
