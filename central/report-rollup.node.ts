import type { Logger } from 'pino';
import { nextDay } from '../protocol/reports.ts';
import { localDay, OFFICE_UTC_OFFSET_MS } from '../protocol/tickets.ts';
import type { CentralStore } from './store/store.node.ts';

/**
 * Daily roll-ups of the report's ticket figures (issue 14, the province month bench; migration
 * 110). Per office and closed day: the counts of every grouping the report shows (the day's
 * total, per service, counter, officer, and issued per local hour × priority group) and
 * whole-second histograms of wait and service time per the same groupings. Counts add up; so do
 * histograms, so the nearest-rank percentiles of a month stay exact. The rows are made by the
 * SAME SQL (`countsOf`, `histOf`) that the report runs live over the tickets of the days that
 * are not rolled (today, or a day whose mark a late ticket removed): a day's figures are the
 * same whichever way they are read.
 *
 * Which rows are current: `report_rolled_days` (office, day). A trigger on `tickets` removes the
 * mark of the day of any inserted, changed or deleted ticket in the same transaction (a kiosk
 * merging offline tickets days later, a call, a transfer); the report reads a day from the
 * roll-up only while its mark exists (in the same statement, so one snapshot), otherwise from
 * the tickets, and rolls the closed days without a mark again before it reads.
 */

const marks = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/** One row per ticket `t` of `from` (tickets t, maybe joined) in `filter`: the facts the report groups. */
export const perTicket = (from: string, filter: string) => `
  SELECT t.office_id, t.day, t.service_id, COALESCE(t.counter_id, '') AS counter_id,
    COALESCE(t.last_officer_id, '') AS officer_id, t.status, t.source, t.weight,
    CASE WHEN t.call_count > 1 OR (t.call_count = 1 AND t.status = 'waiting') THEN 1 ELSE 0 END AS transferred,
    t.wait_s, t.service_s, t.issued_hour, t.priority_group_id
  FROM ${from} WHERE ${filter}`;

const KEYED = [
  ['service', 'service_id'],
  ['counter', 'counter_id'],
  ['officer', 'officer_id'],
] as const;

/** report_day_counts' rows of the per-ticket rows `b` (office_id, day, part, k, h, g, counts…). */
export const countsOf = (b: string) => {
  const counts = `COUNT(*) AS issued,
      SUM(CASE WHEN status = 'served' THEN 1 ELSE 0 END) AS served,
      SUM(CASE WHEN status = 'skipped' THEN 1 ELSE 0 END) AS no_show,
      SUM(transferred) AS transferred,
      SUM(CASE WHEN source = 'kiosk' THEN 1 ELSE 0 END) AS kiosk,
      SUM(CASE WHEN weight > 0 THEN 1 ELSE 0 END) AS priority`;
  return [
    `SELECT office_id, day, 'total' AS part, '' AS k, CAST(NULL AS INTEGER) AS h, CAST(NULL AS TEXT) AS g, ${counts} FROM ${b} GROUP BY office_id, day`,
    ...KEYED.map(
      ([part, col]) =>
        `SELECT office_id, day, '${part}', ${col}, NULL, NULL, ${counts} FROM ${b} GROUP BY office_id, day, ${col}`,
    ),
    `SELECT office_id, day, 'heat', '', issued_hour, priority_group_id, COUNT(*), 0, 0, 0, 0, 0 FROM ${b} GROUP BY office_id, day, issued_hour, priority_group_id`,
  ].join('\n  UNION ALL ');
};

export const MEASURES = { w: 'wait_s', s: 'service_s' } as const;
export type Measure = keyof typeof MEASURES;

/**
 * The resolution of a report's percentiles: `second` (exact, report_day_hist) or `minute`
 * (durations truncated to the whole minute, report_day_hist_min) — reports over more than
 * {@link EXACT_MAX_DAYS} days.
 */
export type Resolution = 'second' | 'minute';
export const EXACT_MAX_DAYS = 7;
export const HIST_TABLE: Record<Resolution, string> = { second: 'report_day_hist', minute: 'report_day_hist_min' };

/** The histogram value of duration column `col`: itself, or floor(col / 60) * 60 (also below 0). */
const valueOf = (col: string, res: Resolution) => (res === 'second' ? col : `(${col} - ((${col} % 60 + 60) % 60))`);

/** Histogram rows of measure `m` of the per-ticket rows `b` (office_id, day, m, part, k, v, c). */
export const histOf = (b: string, m: Measure, res: Resolution = 'second') => {
  const col = MEASURES[m];
  const v = valueOf(col, res);
  return [
    `SELECT office_id, day, '${m}' AS m, 'total' AS part, '' AS k, ${v} AS v, COUNT(*) AS c FROM ${b} WHERE ${col} IS NOT NULL GROUP BY office_id, day, ${v}`,
    ...KEYED.map(
      ([part, key]) =>
        `SELECT office_id, day, '${m}', '${part}', ${key}, ${v}, COUNT(*) FROM ${b} WHERE ${col} IS NOT NULL GROUP BY office_id, day, ${key}, ${v}`,
    ),
  ].join('\n  UNION ALL ');
};

/** The local day before `day`. */
export const previousDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - 86_400_000).toISOString().slice(0, 10);

/** Office-days rolled in one call after which the roll-up tables' statistics are refreshed. */
const ANALYZE_AFTER = 200;

/** Advisory lock class of the roll-up (the trigger of migration 110 uses the same). */
const LOCK_CLASS = 1140;

/**
 * Rolls up every (office, day) of `officeIds` × [from, to] that has no current roll-up, one
 * transaction per day. `to` must be a closed day (before today): today keeps changing and is
 * read live. On PostgreSQL a day is rolled only when its exclusive advisory lock is free (no
 * ticket write of that day in flight); otherwise it is skipped and the report reads it live.
 * Returns the number of (office, day) rolled.
 */
export async function rollUpDays(
  store: CentralStore,
  officeIds: readonly string[],
  from: string,
  to: string,
  now: Date,
): Promise<number> {
  if (from > to || officeIds.length === 0) return 0;
  const held = await store.all<{ office_id: string; day: string }>(
    `SELECT office_id, day FROM report_rolled_days WHERE office_id IN (${marks(officeIds.length)}) AND day >= ? AND day <= ?`,
    [...officeIds, from, to],
  );
  const current = new Set(held.map((r) => `${r.office_id}|${r.day}`));
  let rolled = 0;
  for (let day = from; day <= to; day = nextDay(day)) {
    const missing = officeIds.filter((o) => !current.has(`${o}|${day}`));
    if (missing.length === 0) continue;
    rolled += await store.tx(async (q) => {
      let offices = missing;
      if (store.dialect === 'postgres') {
        // Before the tickets are read (each statement sees what committed before it started).
        const locked = await q.all<{ o: string }>(
          `SELECT o FROM (VALUES ${missing.map(() => '(CAST(? AS TEXT))').join(', ')}) AS v (o)
            WHERE pg_try_advisory_xact_lock(${LOCK_CLASS}, hashtext(current_schema() || '|' || o || '|' || CAST(? AS TEXT)))`,
          [...missing, day],
        );
        offices = locked.map((r) => r.o);
        if (offices.length === 0) return 0;
      }
      const inOffices = marks(offices.length);
      const params = [day, ...offices];
      const b = `b AS (${perTicket('tickets t', `t.day = ? AND t.office_id IN (${inOffices})`)})`;
      await q.run(`DELETE FROM report_day_counts WHERE day = ? AND office_id IN (${inOffices})`, params);
      await q.run(`DELETE FROM report_day_hist WHERE day = ? AND office_id IN (${inOffices})`, params);
      await q.run(`DELETE FROM report_day_hist_min WHERE day = ? AND office_id IN (${inOffices})`, params);
      await q.run(
        `WITH ${b} INSERT INTO report_day_counts (office_id, day, part, k, h, g, issued, served, no_show, transferred, kiosk, priority)
         ${countsOf('b')}`,
        params,
      );
      await q.run(
        `WITH ${b} INSERT INTO report_day_hist (office_id, day, m, part, k, v, c)
         ${histOf('b', 'w')} UNION ALL ${histOf('b', 's')}`,
        params,
      );
      await q.run(
        `WITH ${b} INSERT INTO report_day_hist_min (office_id, day, m, part, k, v, c)
         ${histOf('b', 'w', 'minute')} UNION ALL ${histOf('b', 's', 'minute')}`,
        params,
      );
      await q.run(
        `INSERT INTO report_rolled_days (office_id, day, rolled_at) VALUES ${offices.map(() => '(?, ?, ?)').join(', ')}
         ON CONFLICT (office_id, day) DO UPDATE SET rolled_at = excluded.rolled_at`,
        offices.flatMap((o) => [o, day, now.toISOString()]),
      );
      return offices.length;
    });
  }
  // Many fresh rows (the first report of a month, or after a migration): refresh the planner's
  // statistics now rather than when autovacuum gets to it — with none, PostgreSQL may plan the
  // report's joins over a few rows it believes are there. ANALYZE samples; it takes a moment.
  if (store.dialect === 'postgres' && rolled >= ANALYZE_AFTER)
    await store.run('ANALYZE report_day_counts, report_day_hist, report_day_hist_min, report_rolled_days');
  return rolled;
}

/** Local minutes after midnight before the background roll-up takes the day just closed. */
export const ROLLUP_AFTER_MIDNIGHT_MIN = 5;

/**
 * Rolls up every office's last closed day in the background, so the first report of the day
 * does not pay for it: once at start-up, then at the first check after 00:05 office time
 * (UTC+7) of each new day. Checks every `checkMs` against `now()` (central's clock, injectable);
 * the timer is unref'd; `stop()` clears it and waits for a roll-up in flight. A failure is
 * logged and tried again at the next check; it never throws.
 */
export function startBackgroundRollup(
  store: CentralStore,
  log: Pick<Logger, 'info' | 'error'>,
  now: () => Date,
  checkMs: number,
): { stop(): Promise<void> } {
  let done = '';
  let running: Promise<void> | null = null;
  let stopped = false;
  const check = () => {
    if (running || stopped) return;
    const at = now();
    const closed = previousDay(localDay(at));
    if (closed === done) return;
    // Shortly after midnight: a few minutes for the day's last writes (a late one only removes
    // the day's mark again; the next report rolls it). At start-up, whatever the hour.
    const local = new Date(at.getTime() + OFFICE_UTC_OFFSET_MS);
    if (done !== '' && local.getUTCHours() * 60 + local.getUTCMinutes() < ROLLUP_AFTER_MIDNIGHT_MIN) return;
    running = (async () => {
      try {
        const offices = await store.all<{ id: string }>('SELECT id FROM offices ORDER BY id');
        const n = await rollUpDays(
          store,
          offices.map((o) => o.id),
          closed,
          closed,
          at,
        );
        done = closed;
        log.info({ day: closed, rolled: n }, 'report roll-up of the closed day');
      } catch (err) {
        log.error({ err, day: closed }, 'report roll-up failed; tried again at the next check');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(check, checkMs);
  timer.unref();
  check();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
