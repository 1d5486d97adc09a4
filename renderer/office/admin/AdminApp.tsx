import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { z } from 'zod';
import {
  AdminConfigResponse,
  CatalogApplyResponse,
  CatalogPreviewResponse,
  CatalogVersionsResponse,
  EnrolCodesResponse,
  GrantableRole,
  IssueCodeResponse,
  KiosksResponse,
  OfficersResponse,
  OkResponse,
  PushKioskSettingsResponse,
  SaveConfigResponse,
  type CatalogVersionView,
} from '../../../protocol/admin.ts';
import { OfficerMe, OfficerRole } from '../../../protocol/counter.ts';
import {
  DEFAULT_TICKET_POLICY,
  type OfficeConfig,
  type OpeningHours,
  type TimeRange,
} from '../../../protocol/office.ts';
import { localDateTime } from '../../../protocol/tickets.ts';
import { translate, type Lang, type MessageKey } from '../../i18n/index.ts';
import { api, ApiError, setCsrf } from '../api.ts';

/**
 * The office administration app (issue 14), served by central at /admin to an officer with the
 * role admin on a desk PC. Five sections; the first two edit one draft of the office
 * configuration (saved with its ETag: kiosks pull it), the others act at once. Every answer
 * is parsed with its protocol/admin.ts schema.
 */

type T = (key: MessageKey, params?: Record<string, string | number>) => string;
const SECTIONS = ['hours', 'services', 'catalog', 'kiosks', 'officers'] as const;
type Section = (typeof SECTIONS)[number];
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
const when = (iso: string | null) => (iso ? localDateTime(new Date(iso)) : '—');

export function AdminApp() {
  const [lang, setLang] = useState<Lang>('vi');
  const t: T = useCallback((key, params) => translate(lang, key, params), [lang]);
  const [me, setMe] = useState<OfficerMe | null>(null);
  const [section, setSection] = useState<Section>(() => {
    const hash = window.location.hash.slice(1);
    return (SECTIONS as readonly string[]).includes(hash) ? (hash as Section) : 'hours';
  });
  const [lost, setLost] = useState(false);

  const onError = useCallback((err: unknown): string => {
    if (err instanceof ApiError && err.status === 401) {
      setLost(true);
      window.location.assign('/counter?next=/admin');
    }
    return err instanceof Error ? err.message : String(err);
  }, []);

  useEffect(() => {
    api(OfficerMe, 'GET', '/v1/officer/me').then(
      (m) => {
        setCsrf(m.csrfToken);
        setMe(m);
      },
      (err: unknown) => onError(err),
    );
  }, [onError]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = `${t(`admin.nav.${section}`)} — ${t('admin.title')}`;
  }, [lang, t, section]);

  if (lost)
    return (
      <main className="office-page">
        <p role="status">{t('admin.sessionLost')}</p>
      </main>
    );
  if (!me) return <main className="office-page" aria-busy="true" />;
  const base = `/v1/admin/offices/${encodeURIComponent(me.officer.officeId)}`;
  const signOut = async () => {
    await api(z.unknown(), 'POST', '/v1/officer/sign-out', {}).catch(() => undefined);
    window.location.assign('/counter');
  };
  return (
    <>
      <header className="office-header">
        <p className="admin-office">
          {t('admin.title')} — {me.officer.officeName}
        </p>
        <span>{t('admin.header.officer', { name: me.officer.displayName })}</span>
        <a className="admin-header-link" href="/counter">
          {t('admin.header.counter')}
        </a>
        <button type="button" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} lang={lang === 'vi' ? 'en' : 'vi'}>
          {lang === 'vi' ? 'English' : 'Tiếng Việt'}
        </button>
        <button type="button" onClick={() => void signOut()}>
          {t('admin.header.signOut')}
        </button>
      </header>
      <nav className="admin-nav" aria-label={t('admin.nav.label')}>
        {SECTIONS.map((s) => (
          <button key={s} type="button" aria-current={s === section ? 'page' : undefined} onClick={() => setSection(s)}>
            {t(`admin.nav.${s}`)}
          </button>
        ))}
      </nav>
      <main className="office-page admin-page">
        <h1>{t(`admin.nav.${section}`)}</h1>
        {section === 'hours' || section === 'services' ? (
          <ConfigEditor key={section} t={t} base={base} section={section} onError={onError} />
        ) : section === 'catalog' ? (
          <CatalogSection t={t} base={base} onError={onError} />
        ) : section === 'kiosks' ? (
          <KiosksSection t={t} base={base} onError={onError} />
        ) : (
          <OfficersSection t={t} base={base} onError={onError} selfId={me.officer.id} />
        )}
      </main>
    </>
  );
}

interface SectionProps {
  t: T;
  base: string;
  onError: (err: unknown) => string;
}

function Status({ ok, error }: { ok: string | null; error: ReactNode }) {
  return (
    <>
      {ok && (
        <p role="status" className="office-notice">
          {ok}
        </p>
      )}
      {error && (
        <div role="alert" className="office-error">
          {error}
        </div>
      )}
    </>
  );
}

// ───────── office configuration (hours, calendar, services, counters, priority) ─────────

function ConfigEditor({ t, base, section, onError }: SectionProps & { section: 'hours' | 'services' }) {
  const [loaded, setLoaded] = useState<{ config: OfficeConfig; etag: string } | null>(null);
  const [draft, setDraft] = useState<OfficeConfig | null>(null);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<ReactNode>(null);
  const load = useCallback(() => {
    api(AdminConfigResponse, 'GET', `${base}/config`).then(
      (r) => {
        setLoaded(r);
        setDraft(structuredClone(r.config));
      },
      (err: unknown) => setError(t('admin.error', { message: onError(err) })),
    );
  }, [base, onError, t]);
  useEffect(load, [load]);
  if (!draft || !loaded) return <p aria-busy="true">{t('admin.loading')}</p>;
  const dirty = JSON.stringify(draft) !== JSON.stringify(loaded.config);
  const edit = (fn: (c: OfficeConfig) => void) => {
    const next = structuredClone(draft);
    fn(next);
    setDraft(next);
    setOk(null);
  };
  const save = async () => {
    setError(null);
    setOk(null);
    try {
      const r = await api(SaveConfigResponse, 'POST', `${base}/config`, { config: draft, etag: loaded.etag });
      setLoaded({ config: structuredClone(draft), etag: r.etag });
      setOk(t(r.changed ? 'admin.saved' : 'admin.unchanged'));
    } catch (err) {
      const message = onError(err);
      if (err instanceof ApiError && err.code === 'CONFLICT') return setError(t('admin.conflict'));
      const issues = z
        .array(z.object({ path: z.string(), message: z.string() }))
        .safeParse(err instanceof ApiError ? err.details?.issues : undefined);
      setError(
        issues.success ? (
          <>
            {t('admin.invalid')}
            <ul>
              {issues.data.map((i, n) => (
                <li key={n}>
                  {i.path}: {i.message}
                </li>
              ))}
            </ul>
          </>
        ) : (
          t('admin.error', { message })
        ),
      );
    }
  };
  return (
    <div className="admin-config">
      {section === 'hours' ? (
        <HoursForm t={t} config={draft} edit={edit} />
      ) : (
        <ServicesForm t={t} config={draft} edit={edit} />
      )}
      <div className="admin-savebar">
        <button type="button" className="office-primary" onClick={() => void save()}>
          {t('admin.save')}
        </button>
        {dirty && <span>{t('admin.unsaved')}</span>}
      </div>
      <Status ok={ok} error={error} />
    </div>
  );
}

type Edit = (fn: (c: OfficeConfig) => void) => void;

function WeekTable({
  t,
  hours,
  onChange,
  caption,
}: {
  t: T;
  hours: OpeningHours;
  onChange: (h: OpeningHours) => void;
  caption: string;
}) {
  const parts = [t('admin.hours.morning'), t('admin.hours.afternoon')];
  const set = (wd: (typeof WEEKDAYS)[number], i: number, key: keyof TimeRange, value: string) => {
    const next = structuredClone(hours);
    const ranges: Array<Partial<TimeRange>> = [...(next[wd] ?? [])];
    while (ranges.length <= i) ranges.push({ open: '', close: '' });
    ranges[i] = { ...ranges[i], [key]: value };
    const kept = ranges.filter((r): r is TimeRange => Boolean(r.open || r.close)) as TimeRange[];
    if (kept.length) next[wd] = kept;
    else delete next[wd];
    onChange(next);
  };
  return (
    <table className="admin-table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('admin.hours.day')}</th>
          <th scope="col">{parts[0]}</th>
          <th scope="col">{parts[1]}</th>
        </tr>
      </thead>
      <tbody>
        {WEEKDAYS.map((wd) => {
          const day = t(`admin.weekday.${wd}`);
          return (
            <tr key={wd}>
              <th scope="row">{day}</th>
              {[0, 1].map((i) => (
                <td key={i}>
                  <input
                    type="time"
                    aria-label={t('admin.hours.open', { day, part: parts[i]! })}
                    value={hours[wd]?.[i]?.open ?? ''}
                    onChange={(e) => set(wd, i, 'open', e.target.value)}
                  />
                  {' – '}
                  <input
                    type="time"
                    aria-label={t('admin.hours.close', { day, part: parts[i]! })}
                    value={hours[wd]?.[i]?.close ?? ''}
                    onChange={(e) => set(wd, i, 'close', e.target.value)}
                  />
                </td>
              ))}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Fixed-date public holidays (Labour Code 2019 art. 112; National Day's second day is 1/9 or 3/9 by the year's notice); lunar ones are entered per year. */
const fixedHolidays = (year: number) => [
  { date: `${year}-01-01`, name: 'Tết Dương lịch' },
  { date: `${year}-04-30`, name: 'Ngày Chiến thắng' },
  { date: `${year}-05-01`, name: 'Ngày Quốc tế Lao động' },
  { date: `${year}-09-01`, name: 'Quốc khánh' },
  { date: `${year}-09-02`, name: 'Quốc khánh' },
];

function HoursForm({ t, config, edit }: { t: T; config: OfficeConfig; edit: Edit }) {
  const services = config.areas.flatMap((a) => a.services);
  const [serviceId, setServiceId] = useState(services[0]?.id ?? '');
  const service = services.find((s) => s.id === serviceId);
  const [newDay, setNewDay] = useState({ date: '', name: '' });
  const [newSpecial, setNewSpecial] = useState({ date: '', name: '', open: '07:30', close: '11:30' });
  const year = new Date().getFullYear();
  const withService = (fn: (s: NonNullable<typeof service>) => void) =>
    edit((c) => {
      const s = c.areas.flatMap((a) => a.services).find((x) => x.id === serviceId);
      if (s) fn(s);
    });
  return (
    <>
      <p>{t('admin.hours.help')}</p>
      <WeekTable
        t={t}
        caption={t('admin.hours.office')}
        hours={config.openingHours}
        onChange={(h) => edit((c) => void (c.openingHours = h))}
      />
      <section aria-labelledby="service-hours">
        <h2 id="service-hours">{t('admin.hours.service')}</h2>
        <label>
          {t('admin.hours.serviceChoose')}
          <select name="service" value={serviceId} onChange={(e) => setServiceId(e.target.value)}>
            {services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="office-check">
          <input
            type="checkbox"
            checked={Boolean(service?.openingHours)}
            onChange={(e) =>
              withService((s) => {
                if (e.target.checked) s.openingHours = structuredClone(config.openingHours);
                else delete s.openingHours;
              })
            }
          />
          {t('admin.hours.serviceOwn')}
        </label>
        {service?.openingHours && (
          <WeekTable
            t={t}
            caption={service.name}
            hours={service.openingHours}
            onChange={(h) => withService((s) => void (s.openingHours = h))}
          />
        )}
      </section>
      <section aria-labelledby="closed-days">
        <h2 id="closed-days">{t('admin.closed.title')}</h2>
        <p>{t('admin.closed.help')}</p>
        {(config.closedDays ?? []).length === 0 ? (
          <p>{t('admin.closed.none')}</p>
        ) : (
          <ul className="admin-list">
            {[...(config.closedDays ?? [])]
              .sort((a, b) => a.date.localeCompare(b.date))
              .map((d) => (
                <li key={d.date}>
                  <span>
                    {d.date.split('-').reverse().join('/')} — {d.name}
                  </span>
                  <button
                    type="button"
                    aria-label={`${t('admin.remove')} ${d.date.split('-').reverse().join('/')}`}
                    onClick={() =>
                      edit((c) => void (c.closedDays = (c.closedDays ?? []).filter((x) => x.date !== d.date)))
                    }
                  >
                    {t('admin.remove')}
                  </button>
                </li>
              ))}
          </ul>
        )}
        <div className="admin-row">
          <label>
            {t('admin.closed.date')}
            <input
              type="date"
              name="closed-date"
              value={newDay.date}
              onChange={(e) => setNewDay({ ...newDay, date: e.target.value })}
            />
          </label>
          <label>
            {t('admin.closed.name')}
            <input
              name="closed-name"
              value={newDay.name}
              onChange={(e) => setNewDay({ ...newDay, name: e.target.value })}
            />
          </label>
          <button
            type="button"
            disabled={!newDay.date || !newDay.name.trim()}
            onClick={() => {
              edit(
                (c) =>
                  void (c.closedDays = [
                    ...(c.closedDays ?? []).filter((x) => x.date !== newDay.date),
                    { date: newDay.date, name: newDay.name.trim() },
                  ]),
              );
              setNewDay({ date: '', name: '' });
            }}
          >
            {t('admin.closed.add')}
          </button>
          <button
            type="button"
            onClick={() =>
              edit((c) => {
                const have = new Set((c.closedDays ?? []).map((d) => d.date));
                c.closedDays = [...(c.closedDays ?? []), ...fixedHolidays(year).filter((d) => !have.has(d.date))];
              })
            }
          >
            {t('admin.closed.fixed', { year })}
          </button>
        </div>
      </section>
      <section aria-labelledby="special-days">
        <h2 id="special-days">{t('admin.special.title')}</h2>
        <p>{t('admin.special.help')}</p>
        {(config.specialDays ?? []).length === 0 ? (
          <p>{t('admin.special.none')}</p>
        ) : (
          <ul className="admin-list">
            {(config.specialDays ?? []).map((d) => (
              <li key={d.date}>
                <span>
                  {d.date.split('-').reverse().join('/')} {d.name ? `— ${d.name}` : ''}:{' '}
                  {d.hours.map((h) => `${h.open}–${h.close}`).join(', ') || '—'}
                </span>
                <button
                  type="button"
                  aria-label={`${t('admin.remove')} ${d.date.split('-').reverse().join('/')}`}
                  onClick={() =>
                    edit((c) => void (c.specialDays = (c.specialDays ?? []).filter((x) => x.date !== d.date)))
                  }
                >
                  {t('admin.remove')}
                </button>
              </li>
            ))}
          </ul>
        )}
        <div className="admin-row">
          <label>
            {t('admin.closed.date')}
            <input
              type="date"
              name="special-date"
              value={newSpecial.date}
              onChange={(e) => setNewSpecial({ ...newSpecial, date: e.target.value })}
            />
          </label>
          <label>
            {t('admin.closed.name')}
            <input
              name="special-name"
              value={newSpecial.name}
              onChange={(e) => setNewSpecial({ ...newSpecial, name: e.target.value })}
            />
          </label>
          <label>
            {t('admin.special.open')}
            <input
              type="time"
              name="special-open"
              value={newSpecial.open}
              onChange={(e) => setNewSpecial({ ...newSpecial, open: e.target.value })}
            />
          </label>
          <label>
            {t('admin.special.close')}
            <input
              type="time"
              name="special-close"
              value={newSpecial.close}
              onChange={(e) => setNewSpecial({ ...newSpecial, close: e.target.value })}
            />
          </label>
          <button
            type="button"
            disabled={!newSpecial.date}
            onClick={() => {
              edit(
                (c) =>
                  void (c.specialDays = [
                    ...(c.specialDays ?? []).filter((x) => x.date !== newSpecial.date),
                    {
                      date: newSpecial.date,
                      ...(newSpecial.name.trim() ? { name: newSpecial.name.trim() } : {}),
                      hours: [{ open: newSpecial.open, close: newSpecial.close }],
                    },
                  ]),
              );
              setNewSpecial({ ...newSpecial, date: '', name: '' });
            }}
          >
            {t('admin.special.add')}
          </button>
        </div>
      </section>
    </>
  );
}

function ServicesForm({ t, config, edit }: { t: T; config: OfficeConfig; edit: Edit }) {
  const text = (label: string, value: string, set: (v: string) => void, name?: string) => (
    <label>
      {label}
      <input name={name} value={value} onChange={(e) => set(e.target.value)} />
    </label>
  );
  return (
    <>
      <section aria-labelledby="office-info">
        <h2 id="office-info">{t('admin.office.title')}</h2>
        <div className="admin-grid">
          {text(t('admin.office.name'), config.name, (v) => edit((c) => void (c.name = v)), 'office-name')}
          {text(t('admin.office.address'), config.address, (v) => edit((c) => void (c.address = v)))}
          {text(t('admin.office.agencyCode'), config.agencyCode, (v) => edit((c) => void (c.agencyCode = v)))}
          {config.payment && (
            <>
              {text(t('admin.office.bankBin'), config.payment.bankBin, (v) =>
                edit((c) => void (c.payment!.bankBin = v)),
              )}
              {text(t('admin.office.accountNumber'), config.payment.accountNumber, (v) =>
                edit((c) => void (c.payment!.accountNumber = v)),
              )}
              {text(t('admin.office.accountName'), config.payment.accountName, (v) =>
                edit((c) => void (c.payment!.accountName = v)),
              )}
            </>
          )}
        </div>
      </section>
      <section aria-labelledby="services">
        <h2 id="services">{t('admin.services.title')}</h2>
        {config.areas.map((area, ai) => (
          <fieldset key={area.id}>
            <legend>{area.name}</legend>
            {area.services.map((s, si) => {
              const at = (fn: (x: typeof s) => void) => edit((c) => fn(c.areas[ai]!.services[si]!));
              return (
                <div key={s.id} className="admin-service" role="group" aria-label={s.name}>
                  <div className="admin-grid">
                    {text(t('admin.services.name'), s.name, (v) => at((x) => void (x.name = v)))}
                    {text(t('admin.services.prefix'), s.prefix, (v) => at((x) => void (x.prefix = v.toUpperCase())))}
                    <label>
                      {t('admin.services.cap')}
                      <input
                        type="number"
                        min={1}
                        value={s.dailyCap ?? ''}
                        onChange={(e) => at((x) => void (x.dailyCap = e.target.value ? Number(e.target.value) : null))}
                      />
                    </label>
                    {text(t('admin.services.prepare'), s.prepare ?? '', (v) =>
                      at((x) => {
                        if (v) x.prepare = v;
                        else delete x.prepare;
                      }),
                    )}
                  </div>
                  <fieldset className="admin-inline">
                    <legend>{t('admin.services.counters')}</legend>
                    {config.counters.map((counter) => (
                      <label key={counter.id} className="office-check">
                        <input
                          type="checkbox"
                          checked={s.counterIds.includes(counter.id)}
                          onChange={(e) =>
                            at(
                              (x) =>
                                void (x.counterIds = e.target.checked
                                  ? [...x.counterIds, counter.id]
                                  : x.counterIds.filter((id) => id !== counter.id)),
                            )
                          }
                        />
                        {counter.name}
                      </label>
                    ))}
                  </fieldset>
                </div>
              );
            })}
            <button
              type="button"
              onClick={() =>
                edit((c) => {
                  const used = new Set(c.areas.flatMap((a) => a.services.map((x) => x.prefix)));
                  const prefix = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('').find((l) => !used.has(l)) ?? 'Z';
                  let n = 1;
                  while (c.areas.some((a) => a.services.some((x) => x.id === `dich-vu-${n}`))) n++;
                  c.areas[ai]!.services.push({
                    id: `dich-vu-${n}`,
                    name: `Dịch vụ ${n}`,
                    prefix,
                    counterIds: [],
                    dailyCap: null,
                  });
                })
              }
            >
              {t('admin.services.add')}
            </button>
          </fieldset>
        ))}
      </section>
      <section aria-labelledby="policy">
        <h2 id="policy">{t('admin.policy.title')}</h2>
        <div className="admin-grid">
          <label>
            {t('admin.policy.order')}
            <select
              name="priority-order"
              value={config.ticketPolicy?.priorityOrder ?? 'weight'}
              onChange={(e) =>
                edit(
                  (c) =>
                    void (c.ticketPolicy = {
                      ...DEFAULT_TICKET_POLICY,
                      ...(c.ticketPolicy ?? {}),
                      priorityOrder: e.target.value === 'arrival' ? 'arrival' : 'weight',
                    }),
                )
              }
            >
              <option value="weight">{t('admin.policy.weight')}</option>
              <option value="arrival">{t('admin.policy.arrival')}</option>
            </select>
          </label>
          <label>
            {t('admin.policy.maxInARow')}
            <input
              type="number"
              name="max-priority-in-a-row"
              min={1}
              value={config.ticketPolicy?.maxPriorityInARow ?? ''}
              onChange={(e) =>
                edit(
                  (c) =>
                    void (c.ticketPolicy = {
                      ...DEFAULT_TICKET_POLICY,
                      ...(c.ticketPolicy ?? {}),
                      maxPriorityInARow: e.target.value ? Number(e.target.value) : null,
                    }),
                )
              }
            />
          </label>
        </div>
      </section>
      <section aria-labelledby="counters">
        <h2 id="counters">{t('admin.counters.title')}</h2>
        {config.counters.map((counter, i) => (
          <div key={counter.id} className="admin-row" role="group" aria-label={counter.name}>
            {text(t('admin.counters.name'), counter.name, (v) => edit((c) => void (c.counters[i]!.name = v)))}
            {text(t('admin.counters.location'), counter.location ?? '', (v) =>
              edit((c) => void (c.counters[i]!.location = v)),
            )}
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            edit((c) => {
              let n = c.counters.length + 1;
              while (c.counters.some((x) => x.id === `q${n}`)) n++;
              c.counters.push({ id: `q${n}`, name: `Quầy ${n}` });
            })
          }
        >
          {t('admin.counters.add')}
        </button>
      </section>
      <section aria-labelledby="priority">
        <h2 id="priority">{t('admin.priority.title')}</h2>
        {config.priorityGroups.map((g, i) => (
          <div key={g.id} className="admin-row" role="group" aria-label={g.name}>
            {text(t('admin.priority.name'), g.name, (v) => edit((c) => void (c.priorityGroups[i]!.name = v)))}
            <label>
              {t('admin.priority.weight')}
              <input
                type="number"
                value={g.weight}
                onChange={(e) => edit((c) => void (c.priorityGroups[i]!.weight = Number(e.target.value)))}
              />
            </label>
            <button type="button" onClick={() => edit((c) => void c.priorityGroups.splice(i, 1))}>
              {t('admin.remove')}
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() =>
            edit((c) => {
              let n = c.priorityGroups.length + 1;
              while (c.priorityGroups.some((x) => x.id === `nhom-${n}`)) n++;
              c.priorityGroups.push({ id: `nhom-${n}`, name: `Nhóm ưu tiên ${n}`, weight: 10 });
            })
          }
        >
          {t('admin.priority.add')}
        </button>
      </section>
    </>
  );
}

// ───────── procedure catalog ─────────

async function fileBody(file: File) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return {
    format: /\.xlsx$/i.test(file.name) ? ('xlsx' as const) : ('csv' as const),
    fileName: file.name,
    dataBase64: btoa(binary),
  };
}

function CatalogSection({ t, base, onError }: SectionProps) {
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<CatalogPreviewResponse | null>(null);
  const [busy, setBusy] = useState(false);
  const [versions, setVersions] = useState<CatalogVersionView[]>([]);
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadVersions = useCallback(() => {
    api(CatalogVersionsResponse, 'GET', `${base}/catalog/versions`).then(
      (r) => setVersions(r.versions),
      (err: unknown) => setError(t('admin.error', { message: onError(err) })),
    );
  }, [base, onError, t]);
  useEffect(loadVersions, [loadVersions]);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    setOk(null);
    try {
      await fn();
    } catch (err) {
      setError(t('admin.error', { message: onError(err) }));
    } finally {
      setBusy(false);
    }
  };
  const check = () =>
    run(async () => {
      setPreview(null);
      setPreview(await api(CatalogPreviewResponse, 'POST', `${base}/catalog/preview`, await fileBody(file!)));
    });
  const apply = () =>
    run(async () => {
      const r = await api(CatalogApplyResponse, 'POST', `${base}/catalog/apply`, {
        ...(await fileBody(file!)),
        baseEtag: preview!.baseEtag,
      });
      setPreview(null);
      setOk(t('admin.catalog.applied', { seq: r.version.seq }));
      loadVersions();
    });
  const rollback = (seq: number) =>
    run(async () => {
      const r = await api(CatalogVersionsResponse, 'POST', `${base}/catalog/rollback`, { seq });
      setVersions(r.versions);
      setOk(t('admin.catalog.applied', { seq: r.versions[0]?.seq ?? seq }));
    });
  return (
    <>
      <section aria-labelledby="catalog-import">
        <h2 id="catalog-import">{t('admin.catalog.title')}</h2>
        <p>{t('admin.catalog.help')}</p>
        <div className="admin-row">
          <label>
            {t('admin.catalog.file')}
            <input
              type="file"
              name="catalog-file"
              accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setPreview(null);
              }}
            />
          </label>
          <button type="button" className="office-primary" disabled={!file || busy} onClick={() => void check()}>
            {busy ? t('admin.catalog.checking') : t('admin.catalog.preview')}
          </button>
        </div>
        {preview && (
          <div className="admin-preview">
            <p role="status">
              {t('admin.catalog.summary', {
                rows: preview.rows,
                procedures: preview.procedures,
                errors: preview.errors.length,
                ms: preview.ms,
              })}
            </p>
            {preview.errors.length > 0 ? (
              <table className="admin-table" data-testid="catalog-errors">
                <caption>{t('admin.catalog.errors')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.catalog.line')}</th>
                    <th scope="col">{t('admin.catalog.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.errors.map((e, i) => (
                    <tr key={i}>
                      <td>{e.line}</td>
                      <td>{e.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <>
                <p data-testid="catalog-diff">
                  {t('admin.catalog.diff', {
                    added: preview.diff.added,
                    changed: preview.diff.changed,
                    removed: preview.diff.removed,
                  })}
                </p>
                {(['added', 'changed', 'removed'] as const).map(
                  (k) =>
                    preview.diff.sample[k].length > 0 && (
                      <details key={k}>
                        <summary>
                          {t(`admin.catalog.${k}`)} ({preview.diff[k]})
                        </summary>
                        <ul>
                          {preview.diff.sample[k].map((p) => (
                            <li key={p.code}>
                              {p.code} — {p.name}
                            </li>
                          ))}
                        </ul>
                      </details>
                    ),
                )}
                <button type="button" className="office-primary" disabled={busy} onClick={() => void apply()}>
                  {t('admin.catalog.apply')}
                </button>
              </>
            )}
          </div>
        )}
        <Status ok={ok} error={error} />
      </section>
      <section aria-labelledby="catalog-versions">
        <h2 id="catalog-versions">{t('admin.catalog.versions')}</h2>
        {versions.length === 0 ? (
          <p>{t('admin.catalog.noVersions')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.catalog.version')}</th>
                <th scope="col">{t('admin.catalog.when')}</th>
                <th scope="col">{t('admin.catalog.who')}</th>
                <th scope="col">{t('admin.catalog.fileName')}</th>
                <th scope="col">{t('admin.catalog.count')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.catalog.rollback', { seq: '' })}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.seq}>
                  <td>{v.seq}</td>
                  <td>{when(v.createdAt)}</td>
                  <td>{v.username ?? '—'}</td>
                  <td>{v.fileName ?? '—'}</td>
                  <td>
                    {v.procedures} (+{v.summary.added} / ~{v.summary.changed} / −{v.summary.removed})
                  </td>
                  <td>
                    {v.current ? (
                      <strong>{t('admin.catalog.current')}</strong>
                    ) : (
                      <button type="button" disabled={busy} onClick={() => void rollback(v.seq)}>
                        {t('admin.catalog.rollback', { seq: v.seq })}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

// ───────── kiosks and enrolment codes ─────────

const PUSH_CHOICES = {
  lang: ['vi', 'en'],
  textSize: ['normal', 'large'],
  printerWidthMm: ['58', '80'],
  printerMode: ['text', 'glyphs', 'raster', 'codepage'],
} as const;
type PushChoice = keyof typeof PUSH_CHOICES;

/** Settings from the safe list for one kiosk (protocol/fleet.ts KioskPushSettings); empty = unchanged. */
function PushSettingsForm({
  t,
  kiosks,
  act,
  base,
}: {
  t: T;
  kiosks: ReadonlyArray<{ deviceId: string; name: string }>;
  act: (fn: () => Promise<string | null>) => Promise<void>;
  base: string;
}) {
  const [deviceId, setDeviceId] = useState(kiosks[0]!.deviceId);
  const [officeName, setOfficeName] = useState('');
  const [choice, setChoice] = useState<Partial<Record<PushChoice, string>>>({});
  const values = {
    ...(officeName.trim() ? { officeName: officeName.trim() } : {}),
    ...(choice.lang ? { lang: choice.lang } : {}),
    ...(choice.textSize ? { textSize: choice.textSize } : {}),
    ...(choice.printerWidthMm ? { printerWidthMm: Number(choice.printerWidthMm) } : {}),
    ...(choice.printerMode ? { printerMode: choice.printerMode } : {}),
  };
  const name = kiosks.find((k) => k.deviceId === deviceId)?.name ?? '';
  return (
    <form
      aria-labelledby="push-settings"
      onSubmit={(e) => {
        e.preventDefault();
        void act(async () => {
          const r = await api(PushKioskSettingsResponse, 'POST', `${base}/kiosks/settings`, { deviceId, values });
          setOfficeName('');
          setChoice({});
          return t('admin.push.sent', { name, revision: r.revision });
        });
      }}
    >
      <h3 id="push-settings">{t('admin.push.title')}</h3>
      <p>{t('admin.push.help')}</p>
      <div className="admin-row">
        <label>
          {t('admin.push.kiosk')}
          <select name="push-kiosk" value={deviceId} onChange={(e) => setDeviceId(e.target.value)}>
            {kiosks.map((k) => (
              <option key={k.deviceId} value={k.deviceId}>
                {k.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.push.officeName')}
          <input
            name="push-officeName"
            value={officeName}
            maxLength={100}
            onChange={(e) => setOfficeName(e.target.value)}
          />
        </label>
        {(Object.keys(PUSH_CHOICES) as PushChoice[]).map((key) => (
          <label key={key}>
            {t(`admin.push.${key}`)}
            <select
              name={`push-${key}`}
              value={choice[key] ?? ''}
              onChange={(e) => setChoice({ ...choice, [key]: e.target.value || undefined })}
            >
              <option value="">{t('admin.push.unchanged')}</option>
              {PUSH_CHOICES[key].map((v) => (
                <option key={v} value={v}>
                  {t(`admin.push.${key}.${v}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        ))}
        <button type="submit" className="office-primary" disabled={Object.keys(values).length === 0}>
          {t('admin.push.send')}
        </button>
      </div>
    </form>
  );
}

function KiosksSection({ t, base, onError }: SectionProps) {
  const [kiosks, setKiosks] = useState<z.infer<typeof KiosksResponse>['kiosks']>([]);
  const [codes, setCodes] = useState<z.infer<typeof EnrolCodesResponse>['codes']>([]);
  const [names, setNames] = useState<Record<string, string>>({});
  const [ttl, setTtl] = useState(72);
  const [note, setNote] = useState('');
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    Promise.all([
      api(KiosksResponse, 'GET', `${base}/kiosks`),
      api(EnrolCodesResponse, 'GET', `${base}/enrol-codes`),
    ]).then(
      ([k, c]) => {
        setKiosks(k.kiosks);
        setCodes(c.codes);
      },
      (err: unknown) => setError(t('admin.error', { message: onError(err) })),
    );
  }, [base, onError, t]);
  useEffect(load, [load]);
  const act = async (fn: () => Promise<string | null>) => {
    setError(null);
    setOk(null);
    try {
      setOk(await fn());
      load();
    } catch (err) {
      setError(t('admin.error', { message: onError(err) }));
    }
  };
  return (
    <>
      <section aria-labelledby="kiosks">
        <h2 id="kiosks">{t('admin.kiosks.title')}</h2>
        {kiosks.length === 0 ? (
          <p>{t('admin.kiosks.none')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.kiosks.name')}</th>
                <th scope="col">{t('admin.kiosks.health')}</th>
                <th scope="col">{t('admin.kiosks.lastSeen')}</th>
                <th scope="col">{t('admin.push.column')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.kiosks.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {kiosks.map((k) => (
                <tr key={k.deviceId}>
                  <td>
                    <input
                      aria-label={`${t('admin.kiosks.name')}: ${k.name}`}
                      value={names[k.deviceId] ?? k.name}
                      onChange={(e) => setNames({ ...names, [k.deviceId]: e.target.value })}
                    />{' '}
                    <button
                      type="button"
                      disabled={!names[k.deviceId] || names[k.deviceId] === k.name}
                      onClick={() =>
                        void act(async () => {
                          await api(OkResponse, 'POST', `${base}/kiosks/rename`, {
                            deviceId: k.deviceId,
                            name: names[k.deviceId],
                          });
                          return null;
                        })
                      }
                    >
                      {t('admin.kiosks.rename')}
                    </button>
                  </td>
                  <td>
                    {t(`admin.health.${k.health}`)}
                    {k.problems.length > 0 &&
                      `: ${k.problems.map((p) => t(`admin.problem.${p.code}`, { n: p.n ?? '' })).join(', ')}`}
                  </td>
                  <td>{when(k.lastSeenAt)}</td>
                  <td data-testid={`pushed-${k.deviceId}`}>
                    {k.pushed
                      ? t(k.pushed.applied ? 'admin.push.applied' : 'admin.push.waiting', {
                          revision: k.pushed.revision,
                        })
                      : '—'}
                  </td>
                  <td>
                    {k.problems.some((p) => p.code === 'revoked') ? (
                      t('admin.kiosks.revoked')
                    ) : (
                      <button
                        type="button"
                        onClick={() =>
                          window.confirm(t('admin.kiosks.confirmRevoke', { name: k.name })) &&
                          void act(async () => {
                            await api(OkResponse, 'POST', `${base}/kiosks/revoke`, { deviceId: k.deviceId });
                            return null;
                          })
                        }
                      >
                        {t('admin.kiosks.revoke')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {kiosks.length > 0 && <PushSettingsForm t={t} kiosks={kiosks} act={act} base={base} />}
      </section>
      <section aria-labelledby="codes">
        <h2 id="codes">{t('admin.codes.title')}</h2>
        <div className="admin-row">
          <label>
            {t('admin.codes.ttl')}
            <input type="number" min={1} max={720} value={ttl} onChange={(e) => setTtl(Number(e.target.value))} />
          </label>
          <label>
            {t('admin.codes.note')}
            <input value={note} maxLength={120} onChange={(e) => setNote(e.target.value)} />
          </label>
          <button
            type="button"
            className="office-primary"
            onClick={() =>
              void act(async () => {
                const r = await api(IssueCodeResponse, 'POST', `${base}/enrol-codes`, {
                  ttlHours: ttl,
                  ...(note.trim() ? { note: note.trim() } : {}),
                });
                setNote('');
                return t('admin.codes.issued', { code: r.code, at: when(r.expiresAt) });
              })
            }
          >
            {t('admin.codes.issue')}
          </button>
        </div>
        <Status ok={ok} error={error} />
        {codes.length === 0 ? (
          <p>{t('admin.codes.none')}</p>
        ) : (
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.codes.note')}</th>
                <th scope="col">{t('admin.codes.expires')}</th>
                <th scope="col">{t('admin.codes.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.codes.expire')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {codes.map((c) => (
                <tr key={c.id}>
                  <td>{c.note ?? '—'}</td>
                  <td>{when(c.expiresAt)}</td>
                  <td>{t(`admin.codes.${c.state}`)}</td>
                  <td>
                    {c.state === 'active' && (
                      <button
                        type="button"
                        onClick={() =>
                          void act(async () => {
                            await api(OkResponse, 'POST', `${base}/enrol-codes/expire`, { id: c.id });
                            return null;
                          })
                        }
                      >
                        {t('admin.codes.expire')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

// ───────── officer accounts ─────────

function OfficersSection({ t, base, onError, selfId }: SectionProps & { selfId: string }) {
  const [officers, setOfficers] = useState<z.infer<typeof OfficersResponse>['officers']>([]);
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    password: '',
    roles: ['counter'] as GrantableRole[],
  });
  const [ok, setOk] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    api(OfficersResponse, 'GET', `${base}/officers`).then(
      (r) => setOfficers(r.officers),
      (err: unknown) => setError(t('admin.error', { message: onError(err) })),
    );
  }, [base, onError, t]);
  useEffect(load, [load]);
  const act = async (fn: () => Promise<string>) => {
    setError(null);
    setOk(null);
    try {
      setOk(await fn());
      load();
    } catch (err) {
      setError(t('admin.error', { message: onError(err) }));
    }
  };
  const update = (o: { id: string; username: string }, change: Record<string, unknown>) =>
    act(async () => {
      await api(OkResponse, 'POST', `${base}/officers/update`, { officerId: o.id, ...change });
      return t('admin.officers.done', { username: o.username });
    });
  return (
    <>
      <Status ok={ok} error={error} />
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.officers.username')}</th>
            <th scope="col">{t('admin.officers.displayName')}</th>
            <th scope="col">{t('admin.officers.roles')}</th>
            <th scope="col">{t('admin.officers.state')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('admin.officers.reset')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {officers.map((o) => (
            <tr key={o.id}>
              <td>{o.username}</td>
              <td>{o.displayName}</td>
              <td>
                {GrantableRole.options.map((role) => (
                  <label key={role} className="office-check admin-role">
                    <input
                      type="checkbox"
                      aria-label={t('admin.rolesOf', { username: o.username, role: t(`admin.role.${role}`) })}
                      checked={o.roles.includes(role)}
                      disabled={o.id === selfId && role === 'admin'}
                      onChange={(e) => {
                        const grantable = o.roles.filter((r): r is GrantableRole => GrantableRole.safeParse(r).success);
                        const roles = e.target.checked ? [...grantable, role] : grantable.filter((r) => r !== role);
                        if (roles.length) void update(o, { roles });
                      }}
                    />
                    {t(`admin.role.${role}`)}
                  </label>
                ))}
              </td>
              <td>
                {o.disabledAt ? t('admin.officers.disabled') : t('admin.officers.active')}{' '}
                {o.id !== selfId && (
                  <button type="button" onClick={() => void update(o, { disabled: !o.disabledAt })}>
                    {o.disabledAt ? t('admin.officers.enable') : t('admin.officers.disable')}
                  </button>
                )}
              </td>
              <td>
                <button
                  type="button"
                  onClick={() => {
                    const password = window.prompt(t('admin.officers.newPassword', { username: o.username }));
                    if (password) void update(o, { password });
                  }}
                >
                  {t('admin.officers.reset')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="new-officer">
        <h2 id="new-officer">{t('admin.officers.create')}</h2>
        <form
          className="admin-grid"
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              await api(z.object({ id: z.string() }), 'POST', `${base}/officers`, form);
              const username = form.username;
              setForm({ username: '', displayName: '', password: '', roles: ['counter'] });
              return t('admin.officers.created', { username });
            });
          }}
        >
          <label>
            {t('admin.officers.username')}
            <input
              name="new-username"
              required
              value={form.username}
              onChange={(e) => setForm({ ...form, username: e.target.value })}
            />
          </label>
          <label>
            {t('admin.officers.displayName')}
            <input
              name="new-name"
              required
              value={form.displayName}
              onChange={(e) => setForm({ ...form, displayName: e.target.value })}
            />
          </label>
          <label>
            {t('admin.officers.password')}
            <input
              name="new-password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          </label>
          <fieldset className="admin-inline">
            <legend>{t('admin.officers.roles')}</legend>
            {GrantableRole.options.map((role) => (
              <label key={role} className="office-check">
                <input
                  type="checkbox"
                  checked={form.roles.includes(role)}
                  onChange={(e) =>
                    setForm({
                      ...form,
                      roles: e.target.checked ? [...form.roles, role] : form.roles.filter((r) => r !== role),
                    })
                  }
                />
                {t(`admin.role.${role}`)}
              </label>
            ))}
          </fieldset>
          <button type="submit" className="office-primary">
            {t('admin.officers.create')}
          </button>
        </form>
      </section>
    </>
  );
}
