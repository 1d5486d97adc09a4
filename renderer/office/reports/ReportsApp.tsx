import { useCallback, useEffect, useMemo, useState } from 'react';
import { z } from 'zod';
import { OfficerMe } from '../../../protocol/counter.ts';
import {
  Report,
  RatingLevels,
  type ReportPeriod,
  type ReportRow,
  type ReportScope,
} from '../../../protocol/reports.ts';
import { localDateTime, localDay, vnDay } from '../../../protocol/tickets.ts';
import { translate, type Lang, type MessageKey } from '../../i18n/index.ts';
import { api, ApiError } from '../api.ts';
import { ChartCanvas } from './ChartCanvas.tsx';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** m:ss for tables (a duration in whole seconds); — when there is none. */
const mss = (s: number | null) => (s === null ? '—' : `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`);
/** A share as Vietnamese (66,7 %) or English (66.7 %) write it. */
const pctIn = (lang: Lang) => (n: number, of: number) =>
  of === 0
    ? '—'
    : `${((100 * n) / of).toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} %`;
const vnd = (n: number, lang: Lang) => `${n.toLocaleString(lang === 'vi' ? 'vi-VN' : 'en-US')} ₫`;

// Colour-blind-safe pairs on white (Okabe–Ito), each ≥ 3:1 against the page.
const COLOURS = { issued: '#0b4fb3', served: '#1b7f3b', noShow: '#b3121f', desk: '#7a4a00', amber: '#b35c00' };
const LEVEL_COLOURS = { very_satisfied: '#1b7f3b', satisfied: '#0b4fb3', dissatisfied: '#b3121f' } as const;

export function ReportsApp() {
  const [lang, setLang] = useState<Lang>('vi');
  const t: T = useCallback((key, params) => translate(lang, key, params), [lang]);
  const [me, setMe] = useState<OfficerMe | null>(null);
  const [period, setPeriod] = useState<ReportPeriod>('day');
  const [date, setDate] = useState(() => localDay(new Date()));
  const [scope, setScope] = useState<ReportScope>('office');
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('reports.title');
  });
  useEffect(() => {
    api(OfficerMe, 'GET', '/v1/officer/me')
      .then(setMe)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) window.location.assign('/counter?next=/reports');
        else setError((err as Error).message);
      });
  }, []);
  const province = me?.officer.roles.includes('province') ?? false;
  const manager = me?.officer.roles.includes('manager') ?? false;
  const effectiveScope: ReportScope = !manager && province ? 'province' : scope;
  const base = effectiveScope === 'province' ? '/v1/province/reports' : '/v1/reports';
  const query = `period=${period}&date=${date}`;

  useEffect(() => {
    if (!me) return;
    let live = true;
    setReport(null);
    setError(null);
    api(Report, 'GET', `${base}?${query}`)
      .then((r) => live && setReport(r))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) window.location.assign('/counter?next=/reports');
        else if (live) setError((err as Error).message);
      });
    return () => {
      live = false;
    };
  }, [me, base, query]);

  return (
    <>
      <header className="office-header">
        <h1>{t('reports.heading', { name: report?.title ?? me?.officer.officeName ?? '' })}</h1>
        <a className="office-link" href="/counter">
          {t('reports.back')}
        </a>
        <button type="button" className="office-lang" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}>
          <span lang={lang === 'vi' ? 'en' : 'vi'}>{lang === 'vi' ? 'English' : 'Tiếng Việt'}</span>
        </button>
      </header>
      <main className="office-page reports">
        <form className="reports-controls" aria-label={t('reports.controls')} onSubmit={(e) => e.preventDefault()}>
          <label>
            {t('reports.period')}
            <select value={period} onChange={(e) => setPeriod(z.enum(['day', 'week', 'month']).parse(e.target.value))}>
              {(['day', 'week', 'month'] as const).map((p) => (
                <option key={p} value={p}>
                  {t(`reports.period.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('reports.date')}
            <input type="date" value={date} required onChange={(e) => e.target.value && setDate(e.target.value)} />
          </label>
          {province && manager && (
            <label>
              {t('reports.scope')}
              <select value={scope} onChange={(e) => setScope(z.enum(['office', 'province']).parse(e.target.value))}>
                <option value="office">{t('reports.scope.office')}</option>
                <option value="province">{t('reports.scope.province')}</option>
              </select>
            </label>
          )}
          <span className="reports-actions">
            <a className="reports-button" href={`${base}/export.csv?${query}&lang=${lang}`} download>
              {t('reports.exportCsv')}
            </a>
            <a className="reports-button" href={`${base}/export.xlsx?${query}&lang=${lang}`} download>
              {t('reports.exportXlsx')}
            </a>
            <button type="button" className="reports-button" onClick={() => window.print()}>
              {t('reports.print')}
            </button>
          </span>
        </form>
        {error && (
          <p role="alert" className="office-error">
            {t('reports.error', { message: error })}
          </p>
        )}
        {!report && !error && <p aria-busy="true">{t('reports.loading')}</p>}
        {report && <ReportView report={report} t={t} lang={lang} />}
      </main>
    </>
  );
}

function ReportView({ report: r, t, lang }: { report: Report; t: T; lang: Lang }) {
  const pct = pctIn(lang);
  // Over more than 7 days central gives the percentiles to the whole minute: show minutes only.
  const minute = r.durationResolution === 'minute';
  const duration = (s: number | null) =>
    s === null
      ? t('reports.none')
      : minute
        ? t('reports.minutesOnly', { m: Math.floor(s / 60) })
        : s < 60
          ? t('reports.seconds', { s })
          : t('reports.minutes', { m: Math.floor(s / 60), s: s % 60 });
  const sat = r.satisfaction.totals;
  const nameOf = (row: { key: string; label: string }, none: MessageKey) => (row.key === '' ? t(none) : row.label);
  const range =
    r.from === r.to
      ? t('reports.range.day', { from: vnDay(r.from) })
      : t('reports.range', { from: vnDay(r.from), to: vnDay(r.to) });
  const province = r.scope === 'province';

  const trend = useMemo(
    () => ({
      labels: r.byDay.map((d) => vnDay(d.key).slice(0, 5)),
      datasets: [
        { label: t('reports.legend.issued'), data: r.byDay.map((d) => d.issued), backgroundColor: COLOURS.issued },
        { label: t('reports.legend.served'), data: r.byDay.map((d) => d.served), backgroundColor: COLOURS.served },
        { label: t('reports.legend.noShow'), data: r.byDay.map((d) => d.noShow), backgroundColor: COLOURS.noShow },
      ],
    }),
    [r, t],
  );
  const services = useMemo(
    () => ({
      labels: r.byService.map((s) => s.label),
      datasets: [
        { label: t('reports.legend.issued'), data: r.byService.map((s) => s.issued), backgroundColor: COLOURS.issued },
        { label: t('reports.legend.served'), data: r.byService.map((s) => s.served), backgroundColor: COLOURS.served },
        { label: t('reports.legend.noShow'), data: r.byService.map((s) => s.noShow), backgroundColor: COLOURS.noShow },
      ],
    }),
    [r, t],
  );
  const satisfaction = useMemo(
    () => ({
      labels: r.satisfaction.byService.map((s) => nameOf(s, 'reports.noTicket')),
      datasets: RatingLevels.map((l) => ({
        label: t(`reports.level.${l}`),
        data: r.satisfaction.byService.map((s) => (s.total ? Math.round((1000 * s[l]) / s.total) / 10 : 0)),
        backgroundColor: LEVEL_COLOURS[l],
      })),
    }),
    [r, t],
  );
  const sources = useMemo(
    () => ({
      labels: [t('reports.legend.kiosk'), t('reports.legend.desk')],
      datasets: [{ data: [r.totals.kiosk, r.totals.desk], backgroundColor: [COLOURS.issued, COLOURS.desk] }],
    }),
    [r, t],
  );
  const heatMax = Math.max(1, ...r.heatmap.flat());
  const hours = Array.from({ length: 24 }, (_, h) => h).filter(
    (h) => (h >= 6 && h <= 18) || r.heatmap.some((d) => d[h]! > 0),
  );

  return (
    <article className="reports-body" aria-labelledby="reports-range">
      <h2 id="reports-range">
        {range}
        <small>{t('reports.generated', { at: localDateTime(new Date(r.generatedAt)) })}</small>
      </h2>
      {minute && (
        <p className="reports-note" data-testid="resolution-note">
          {t('reports.resolution.minute')}
        </p>
      )}
      <ul className="reports-cards">
        <Card label={t('reports.card.issued')} value={String(r.totals.issued)} testId="issued" />
        <Card label={t('reports.card.served')} value={String(r.totals.served)} testId="served" />
        <Card label={t('reports.card.noShow')} value={String(r.totals.noShow)} testId="no-show" />
        <Card label={t('reports.card.transferred')} value={String(r.totals.transferred)} testId="transferred" />
        <Card
          label={t('reports.card.wait')}
          value={`${duration(r.totals.waitMedian)} / ${duration(r.totals.waitP90)}`}
          testId="wait"
        />
        <Card
          label={t('reports.card.service')}
          value={`${duration(r.totals.serviceMedian)} / ${duration(r.totals.serviceP90)}`}
          testId="service"
        />
        <Card
          label={t('reports.card.satisfied')}
          value={sat.total ? pct(sat.very_satisfied + sat.satisfied, sat.total) : t('reports.noRatings')}
          note={sat.total ? `${sat.very_satisfied + sat.satisfied}/${sat.total}` : undefined}
          testId="satisfied"
        />
        <Card
          label={t('reports.card.onTime')}
          value={r.dossiers.withResult ? pct(r.dossiers.onTime, r.dossiers.withResult) : t('reports.noResult')}
          note={t('reports.dossiers', { ...r.dossiers })}
          testId="on-time"
        />
        <Card
          label={t('reports.card.fees')}
          value={vnd(r.payments.amount, lang)}
          note={t('reports.payments', { n: r.payments.confirmed })}
          testId="fees"
        />
        <Card
          label={t('reports.card.kiosks')}
          value={`${r.kiosks.online}/${r.kiosks.total}`}
          note={t('reports.kiosksNote')}
          testId="kiosks"
        />
      </ul>

      {r.totals.issued === 0 && <p className="office-notice">{t('reports.empty')}</p>}

      <section className="reports-section reports-split" aria-labelledby="sec-trend">
        <h2 id="sec-trend">{r.byDay.length > 1 ? t('reports.section.trend') : t('reports.section.services')}</h2>
        <ChartCanvas
          type="bar"
          data={r.byDay.length > 1 ? trend : services}
          label={r.byDay.length > 1 ? t('reports.chart.trend') : t('reports.chart.services')}
          testId="chart-main"
        />
        {r.byDay.length > 1 ? (
          <FigureTable
            minute={minute}
            rows={r.byDay.map((d) => ({ ...d, label: vnDay(d.key) }))}
            t={t}
            nameKey="reports.period.day"
            compact
          />
        ) : (
          <FigureTable
            minute={minute}
            rows={r.byService}
            t={t}
            nameKey="reports.col.name"
            none="reports.notCalled"
            compact
          />
        )}
      </section>

      <section className="reports-section" aria-labelledby="sec-services">
        <h2 id="sec-services">{t('reports.section.services')}</h2>
        <FigureTable minute={minute} rows={r.byService} t={t} nameKey="reports.col.name" none="reports.notCalled" />
      </section>
      {province ? (
        <section className="reports-section" aria-labelledby="sec-offices">
          <h2 id="sec-offices">{t('reports.section.offices')}</h2>
          <FigureTable minute={minute} rows={r.byOffice} t={t} nameKey="reports.col.name" none="reports.notCalled" />
        </section>
      ) : (
        <>
          <section className="reports-section" aria-labelledby="sec-counters">
            <h2 id="sec-counters">{t('reports.section.counters')}</h2>
            <FigureTable minute={minute} rows={r.byCounter} t={t} nameKey="reports.col.name" none="reports.notCalled" />
          </section>
          <section className="reports-section" aria-labelledby="sec-officers">
            <h2 id="sec-officers">{t('reports.section.officers')}</h2>
            <FigureTable minute={minute} rows={r.byOfficer} t={t} nameKey="reports.col.name" none="reports.notCalled" />
          </section>
        </>
      )}

      <section className="reports-section" aria-labelledby="sec-heat">
        <h2 id="sec-heat">{t('reports.section.heatmap')}</h2>
        <div className="reports-scroll" tabIndex={0} role="region" aria-labelledby="sec-heat">
          <table className="reports-heat">
            <thead>
              <tr>
                <th scope="col">{t('reports.col.hour')}</th>
                {hours.map((h) => (
                  <th key={h} scope="col">
                    {h}h
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {r.heatmap.map((row, d) => (
                <tr key={d}>
                  <th scope="row">{t(`reports.weekday.${d + 1}` as MessageKey)}</th>
                  {hours.map((h) => {
                    const n = row[h]!;
                    const level = n === 0 ? 0 : Math.ceil((4 * n) / heatMax);
                    return (
                      <td key={h} className={`heat-${level}`}>
                        {n || ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="reports-section reports-split" aria-labelledby="sec-sat">
        <h2 id="sec-sat">{t('reports.section.satisfaction')}</h2>
        <ChartCanvas
          type="bar"
          stacked
          data={satisfaction}
          label={t('reports.chart.satisfaction')}
          testId="chart-satisfaction"
        />
        <table className="reports-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.col.name')}</th>
              <th scope="col">{t('reports.col.total')}</th>
              {RatingLevels.map((l) => (
                <th key={l} scope="col">
                  {t(`reports.level.${l}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {[
              ...r.satisfaction.byService.map((s) => ({ ...s, label: nameOf(s, 'reports.noTicket') })),
              ...r.satisfaction.byCounter.map((s) => ({
                ...s,
                key: `c:${s.key}`,
                label: `${t('reports.section.counters')}: ${nameOf(s, 'reports.noTicket')}`,
              })),
            ].map((s) => (
              <tr key={s.key}>
                <th scope="row">{s.label}</th>
                <td>{s.total}</td>
                {RatingLevels.map((l) => (
                  <td key={l}>
                    {s[l]} ({pct(s[l], s.total)})
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="reports-section reports-split" aria-labelledby="sec-sources">
        <h2 id="sec-sources">{t('reports.section.sources')}</h2>
        <ChartCanvas type="doughnut" data={sources} label={t('reports.chart.sources')} testId="chart-sources" small />
        <table className="reports-table">
          <tbody>
            <tr>
              <th scope="row">{t('reports.legend.kiosk')}</th>
              <td>
                {r.totals.kiosk} ({pct(r.totals.kiosk, r.totals.issued)})
              </td>
            </tr>
            <tr>
              <th scope="row">{t('reports.legend.desk')}</th>
              <td>
                {r.totals.desk} ({pct(r.totals.desk, r.totals.issued)})
              </td>
            </tr>
            <tr>
              <th scope="row">{t('reports.legend.normal')}</th>
              <td>
                {r.totals.issued - r.totals.priority} ({pct(r.totals.issued - r.totals.priority, r.totals.issued)})
              </td>
            </tr>
            {r.priorityGroups.map((g) => (
              <tr key={g.key}>
                <th scope="row">{g.label}</th>
                <td>
                  {g.issued} ({pct(g.issued, r.totals.issued)})
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="reports-section" aria-labelledby="sec-kiosks">
        <h2 id="sec-kiosks">{t('reports.section.kiosks')}</h2>
        <table className="reports-table">
          <thead>
            <tr>
              <th scope="col">{t('reports.col.name')}</th>
              <th scope="col">{t('reports.col.lastHeartbeat')}</th>
              <th scope="col">{t('reports.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {r.kiosks.list.map((k) => (
              <tr key={k.id}>
                <th scope="row">{k.name}</th>
                <td>{k.lastHeartbeatAt ? localDateTime(new Date(k.lastHeartbeatAt)) : t('reports.never')}</td>
                <td className={k.online ? 'ok' : 'bad'}>{k.online ? t('reports.online') : t('reports.offline')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </article>
  );
}

function Card({ label, value, note, testId }: { label: string; value: string; note?: string; testId: string }) {
  return (
    <li className="reports-card" data-testid={`card-${testId}`}>
      <span className="reports-card-label">{label}</span>
      <strong className="reports-card-value">{value}</strong>
      {note && <span className="reports-card-note">{note}</span>}
    </li>
  );
}

function FigureTable({
  rows,
  t,
  nameKey,
  none = 'reports.notCalled',
  compact = false,
  minute,
}: {
  minute: boolean;
  rows: readonly ReportRow[];
  t: T;
  nameKey: MessageKey;
  none?: MessageKey;
  compact?: boolean;
}) {
  const clock = (s: number | null) =>
    minute && s !== null ? t('reports.minutesOnly', { m: Math.floor(s / 60) }) : mss(s);
  const cols: Array<[MessageKey, (r: ReportRow) => string]> = [
    ['reports.col.issued', (r) => String(r.issued)],
    ['reports.col.served', (r) => String(r.served)],
    ['reports.col.noShow', (r) => String(r.noShow)],
    ...(compact
      ? []
      : ([
          ['reports.col.transferred', (r) => String(r.transferred)],
          ['reports.col.kiosk', (r) => String(r.kiosk)],
          ['reports.col.desk', (r) => String(r.desk)],
          ['reports.col.priority', (r) => String(r.priority)],
        ] as Array<[MessageKey, (r: ReportRow) => string]>)),
    ['reports.col.waitMedian', (r) => clock(r.waitMedian)],
    ['reports.col.waitP90', (r) => clock(r.waitP90)],
    ...(compact
      ? []
      : ([
          ['reports.col.serviceMedian', (r) => clock(r.serviceMedian)],
          ['reports.col.serviceP90', (r) => clock(r.serviceP90)],
        ] as Array<[MessageKey, (r: ReportRow) => string]>)),
  ];
  return (
    <div className="reports-scroll" tabIndex={0} role="region" aria-label={t(nameKey)}>
      <table className="reports-table">
        <thead>
          <tr>
            <th scope="col">{t(nameKey)}</th>
            {cols.map(([k]) => (
              <th key={k} scope="col">
                {t(k)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.key === '' ? t(none) : r.label}</th>
              {cols.map(([k, f]) => (
                <td key={k}>{f(r)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
