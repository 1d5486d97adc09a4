import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { z } from 'zod';
import {
  CounterState,
  OfficerMe,
  signInReturnPath,
  type CounterChoice,
  type CounterTicket,
} from '../../protocol/counter.ts';
import { translate, type Lang, type MessageKey } from '../i18n/index.ts';
import { localDateTime } from '../../protocol/tickets.ts';
import { api, ApiError, setCsrf } from './api.ts';
import { DossierProgress } from './DossierProgress.tsx';

/**
 * The counter application (issue 13), served by central at /counter for an officer's desk PC:
 * sign in → choose the counter and its services (remembered) → one screen with the ticket
 * being served, six actions with keyboard shortcuts, and the waiting lists, kept live by
 * Server-Sent Events from central.
 */

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

const ACTIONS = [
  { id: 'callNext', path: 'call-next', key: 'N', label: 'counter.action.callNext' },
  { id: 'recall', path: 'recall', key: 'R', label: 'counter.action.recall' },
  { id: 'transfer', path: 'transfer', key: 'C', label: 'counter.action.transfer' },
  { id: 'noShow', path: 'no-show', key: 'V', label: 'counter.action.noShow' },
  { id: 'served', path: 'served', key: 'H', label: 'counter.action.served' },
  { id: 'pause', path: 'pause', key: 'P', label: 'counter.action.pause' },
] as const;

export function CounterApp() {
  const [lang, setLang] = useState<Lang>('vi');
  const t: T = useCallback((key, params) => translate(lang, key, params), [lang]);
  const [me, setMe] = useState<OfficerMe | null | undefined>(undefined);
  const [choice, setChoice] = useState<CounterChoice | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const loadMe = useCallback(async () => {
    try {
      const m = await api(OfficerMe, 'GET', '/v1/officer/me');
      setCsrf(m.csrfToken);
      setMe(m);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SESSION_EXPIRED') setNotice(t('counter.signIn.expired'));
      setMe(null);
    }
  }, [t]);
  useEffect(() => {
    void loadMe();
  }, [loadMe]);
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('counter.title');
  }, [lang, t]);

  const onSessionLost = useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && (err.status === 401 || err.code === 'SESSION_EXPIRED')) {
        setNotice(t('counter.signIn.expired'));
        setMe(null);
        setChoice(null);
        return true;
      }
      return false;
    },
    [t],
  );

  // Idle sign-out: after the office's idle time without a key or a click, ask central (a
  // background read, which does not count as activity): it ends the session and says so.
  useEffect(() => {
    if (!me) return;
    let last = Date.now();
    const active = () => {
      last = Date.now();
    };
    window.addEventListener('keydown', active);
    window.addEventListener('pointerdown', active);
    const timer = setInterval(() => {
      if (Date.now() - last < me.idleSeconds * 1000) return;
      void api(OfficerMe, 'GET', '/v1/officer/me', undefined, true).catch((err: unknown) => onSessionLost(err));
    }, 10_000);
    return () => {
      clearInterval(timer);
      window.removeEventListener('keydown', active);
      window.removeEventListener('pointerdown', active);
    };
  }, [me, onSessionLost]);

  const langToggle = (
    <button
      type="button"
      className="office-lang"
      onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')}
      lang={lang === 'vi' ? 'en' : 'vi'}
    >
      {lang === 'vi' ? 'English' : 'Tiếng Việt'}
    </button>
  );

  if (me === undefined) return <main className="office-page" aria-busy="true" />;
  if (me === null)
    return (
      <SignIn
        t={t}
        notice={notice}
        langToggle={langToggle}
        onSignedIn={() => {
          // Sent here by an officer page (`/counter?next=/fleet`): back to it, if it is on the allow-list.
          const next = signInReturnPath(new URLSearchParams(window.location.search).get('next'));
          if (next) return window.location.assign(next);
          setNotice(null);
          void loadMe();
        }}
      />
    );
  const signOut = async () => {
    await api(z.unknown(), 'POST', '/v1/officer/sign-out', {}).catch(() => undefined);
    setNotice(t('counter.signIn.signedOut'));
    setChoice(null);
    setMe(null);
  };
  const header = (counterName: string | null, onChange: (() => void) | null) => (
    <header className="office-header">
      <h1>
        {me.officer.officeName}
        {counterName ? ` — ${counterName}` : ''}
      </h1>
      <span>{t('counter.header.officer', { name: me.officer.displayName })}</span>
      {me.officer.roles.some((r) => r === 'manager' || r === 'province') && (
        <a className="office-link" href="/reports">
          {t('reports.link')}
        </a>
      )}
      {onChange && (
        <button type="button" onClick={onChange}>
          {t('counter.header.change')}
        </button>
      )}
      {me.officer.roles.includes('admin') && (
        <a className="office-header-link" href="/admin">
          {t('admin.link')}
        </a>
      )}
      {langToggle}
      <button type="button" onClick={() => void signOut()}>
        {t('counter.header.signOut')}
      </button>
    </header>
  );
  if (!choice)
    return (
      <>
        {header(null, null)}
        <Choose t={t} me={me} onOpened={setChoice} onSessionLost={onSessionLost} />
      </>
    );
  return (
    <>
      {header(me.counters.find((c) => c.id === choice.counterId)?.name ?? choice.counterId, () => setChoice(null))}
      <Desk t={t} me={me} counterId={choice.counterId} onSessionLost={onSessionLost} />
    </>
  );
}

function SignIn({
  t,
  notice,
  onSignedIn,
  langToggle,
}: {
  t: T;
  notice: string | null;
  onSignedIn: () => void;
  langToggle: React.ReactNode;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await api(z.object({ csrfToken: z.string() }), 'POST', '/v1/officer/sign-in', { username, password });
      setCsrf(r.csrfToken);
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'SIGN_IN_LOCKED')
        setError(t('counter.signIn.locked', { seconds: Number(err.details?.retryAfter ?? 0) }));
      else if (err instanceof ApiError && err.code === 'SIGN_IN_FAILED') setError(t('counter.signIn.failed'));
      else setError(t('counter.error.generic', { message: (err as Error).message }));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="office-page office-signin">
      <form onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('counter.signIn.title')}</h1>
        {notice && (
          <p role="status" className="office-notice">
            {notice}
          </p>
        )}
        <label>
          {t('counter.signIn.username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('counter.signIn.password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p role="alert" className="office-error">
            {error}
          </p>
        )}
        <button type="submit" className="office-primary" disabled={busy}>
          {t('counter.signIn.submit')}
        </button>
        {langToggle}
      </form>
    </main>
  );
}

function Choose({
  t,
  me,
  onOpened,
  onSessionLost,
}: {
  t: T;
  me: OfficerMe;
  onOpened: (c: CounterChoice) => void;
  onSessionLost: (e: unknown) => boolean;
}) {
  const [counterId, setCounterId] = useState(me.remembered?.counterId ?? me.counters[0]?.id ?? '');
  const defaults = (id: string) => me.services.filter((s) => s.counterIds.includes(id)).map((s) => s.id);
  const [serviceIds, setServiceIds] = useState<string[]>(me.remembered?.serviceIds ?? defaults(counterId));
  const [error, setError] = useState<string | null>(null);
  const open = async (e: FormEvent) => {
    e.preventDefault();
    if (!serviceIds.length) return setError(t('counter.choose.needService'));
    try {
      await api(CounterState, 'POST', '/v1/counter/open', { counterId, serviceIds });
      onOpened({ counterId, serviceIds });
    } catch (err) {
      if (!onSessionLost(err)) setError(t('counter.error.generic', { message: (err as Error).message }));
    }
  };
  return (
    <main className="office-page office-choose">
      <form onSubmit={(e) => void open(e)} aria-labelledby="choose-title">
        <h2 id="choose-title">{t('counter.choose.title')}</h2>
        <label>
          {t('counter.choose.counter')}
          <select
            name="counter"
            value={counterId}
            onChange={(e) => {
              setCounterId(e.target.value);
              setServiceIds(defaults(e.target.value));
            }}
          >
            {me.counters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>{t('counter.choose.services')}</legend>
          {me.services.map((s) => (
            <label key={s.id} className="office-check">
              <input
                type="checkbox"
                name="service"
                value={s.id}
                checked={serviceIds.includes(s.id)}
                onChange={(e) =>
                  setServiceIds(e.target.checked ? [...serviceIds, s.id] : serviceIds.filter((x) => x !== s.id))
                }
              />
              {s.prefix} — {s.name}
            </label>
          ))}
        </fieldset>
        {error && (
          <p role="alert" className="office-error">
            {error}
          </p>
        )}
        <button type="submit" className="office-primary">
          {t('counter.choose.open')}
        </button>
      </form>
    </main>
  );
}

function useNow(ms: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

function Desk({
  t,
  me,
  counterId,
  onSessionLost,
}: {
  t: T;
  me: OfficerMe;
  counterId: string;
  onSessionLost: (e: unknown) => boolean;
}) {
  const [state, setState] = useState<CounterState | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [offline, setOffline] = useState(false);
  const [transfer, setTransfer] = useState(false);
  const [busy, setBusy] = useState(false);
  const now = useNow(15_000);
  const serviceName = useCallback((id: string) => me.services.find((s) => s.id === id)?.name ?? id, [me]);
  const groupName = useCallback(
    (id: string | null) => (id ? (me.priorityGroups.find((g) => g.id === id)?.name ?? id) : null),
    [me],
  );

  const reload = useCallback(
    async (background = true) => {
      try {
        setState(
          await api(
            CounterState,
            'GET',
            `/v1/counter/state?counterId=${encodeURIComponent(counterId)}`,
            undefined,
            background,
          ),
        );
        setOffline(false);
      } catch (err) {
        if (!onSessionLost(err)) setOffline(true);
      }
    },
    [counterId, onSessionLost],
  );

  // Live: every change in the office (issued online, merged from an offline kiosk, called elsewhere) re-reads.
  useEffect(() => {
    void reload(false);
    const events = new EventSource('/v1/counter/events');
    events.addEventListener('changed', () => void reload());
    events.addEventListener('call', () => void reload());
    events.addEventListener('hello', () => void reload());
    events.onerror = () => setOffline(true);
    return () => events.close();
  }, [reload]);

  const act = useCallback(
    async (path: string, extra: Record<string, unknown> = {}) => {
      setBusy(true);
      setError(null);
      try {
        setState(await api(CounterState, 'POST', `/v1/counter/${path}`, { counterId, ...extra }));
      } catch (err) {
        if (!onSessionLost(err)) setError(t('counter.error.generic', { message: (err as Error).message }));
      } finally {
        setBusy(false);
      }
    },
    [counterId, onSessionLost, t],
  );

  const current = state?.current ?? null;
  const enabled = (id: (typeof ACTIONS)[number]['id']) => {
    if (!state || busy) return false;
    if (id === 'callNext') return !state.paused;
    if (id === 'pause') return true;
    return current !== null;
  };
  const run = useCallback(
    (id: (typeof ACTIONS)[number]['id']) => {
      const a = ACTIONS.find((x) => x.id === id)!;
      if (id === 'transfer') return setTransfer(true);
      if (id === 'pause') return void act('pause', { paused: !state?.paused });
      void act(a.path);
    },
    [act, state],
  );

  // Keyboard shortcuts (desk PC): the letter on each button, unless typing in a field or a dialog is open.
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (transfer || e.ctrlKey || e.altKey || e.metaKey) return;
      const target = e.target as HTMLElement | null;
      if (target && ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName)) return;
      const a = ACTIONS.find((x) => x.key === e.key.toUpperCase());
      if (a && enabledRef.current(a.id)) {
        e.preventDefault();
        run(a.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, transfer]);

  return (
    <main className="office-page office-desk">
      <section className="office-current" aria-labelledby="current-title">
        <h2 id="current-title">{t('counter.current.title')}</h2>
        {offline && (
          <p role="status" className="office-error">
            {t('counter.error.offline')}
          </p>
        )}
        {state?.paused && (
          <p role="status" className="office-notice">
            {t('counter.paused')}
          </p>
        )}
        {current ? (
          <CurrentTicket t={t} ticket={current} now={now} serviceName={serviceName} groupName={groupName} />
        ) : (
          <p className="office-empty">{t('counter.current.none')}</p>
        )}
        <div className="office-actions">
          {ACTIONS.map((a) => (
            <button
              key={a.id}
              type="button"
              className={`office-action office-action-${a.id}`}
              disabled={!enabled(a.id)}
              aria-keyshortcuts={a.key}
              onClick={() => run(a.id)}
            >
              <span>{a.id === 'pause' && state?.paused ? t('counter.action.resume') : t(a.label)}</span>
              <kbd aria-hidden="true">{a.key}</kbd>
            </button>
          ))}
        </div>
        {error && (
          <p role="alert" className="office-error">
            {error}
          </p>
        )}
      </section>
      <WaitingLists t={t} state={state} serviceName={serviceName} groupName={groupName} />
      <DossierProgress t={t} code={current?.dossierCode ?? null} />
      {transfer && current && (
        <TransferDialog
          t={t}
          me={me}
          ticket={current}
          counterId={counterId}
          onCancel={() => setTransfer(false)}
          onConfirm={(to) => {
            setTransfer(false);
            void act('transfer', to);
          }}
        />
      )}
    </main>
  );
}

function CurrentTicket({
  t,
  ticket,
  now,
  serviceName,
  groupName,
}: {
  t: T;
  ticket: CounterTicket;
  now: number;
  serviceName: (id: string) => string;
  groupName: (id: string | null) => string | null;
}) {
  const waited = Math.max(
    0,
    Math.round(((ticket.calledAt ? Date.parse(ticket.calledAt) : now) - Date.parse(ticket.issuedAt)) / 60_000),
  );
  const group = groupName(ticket.priorityGroupId);
  return (
    <div className="office-ticket" data-testid="current-ticket">
      <p className="office-number" aria-label={ticket.number}>
        {ticket.number}
      </p>
      <dl>
        <dt>{t('counter.current.service')}</dt>
        <dd>{serviceName(ticket.serviceId)}</dd>
        {ticket.appointmentSlot && (
          <>
            <dt>{t('counter.current.appointment')}</dt>
            <dd>
              <strong className="office-priority" data-testid="current-appointment">
                {t('counter.appointment', { slot: ticket.appointmentSlot })}
              </strong>
            </dd>
          </>
        )}
        <dt>{t('counter.current.priority')}</dt>
        <dd>
          {group ? (
            <strong className="office-priority">{t('counter.waiting.priority', { group })}</strong>
          ) : (
            t('counter.current.normal')
          )}
        </dd>
        <dt>{t('counter.current.issuedAt')}</dt>
        <dd>{localDateTime(new Date(ticket.issuedAt))}</dd>
        <dt>{t('counter.current.waited')}</dt>
        <dd>{t('counter.current.minutes', { n: waited })}</dd>
        <dt>{t('counter.current.origin')}</dt>
        <dd>{ticket.origin === 'offline' ? t('counter.current.offline') : t('counter.current.online')}</dd>
        <dt>{t('counter.current.dossier')}</dt>
        <dd>{ticket.dossierCode ?? t('counter.current.noDossier')}</dd>
      </dl>
    </div>
  );
}

function WaitingLists({
  t,
  state,
  serviceName,
  groupName,
}: {
  t: T;
  state: CounterState | null;
  serviceName: (id: string) => string;
  groupName: (id: string | null) => string | null;
}) {
  const total = useMemo(() => state?.waiting.reduce((n, w) => n + w.tickets.length, 0) ?? 0, [state]);
  return (
    <section className="office-waiting" aria-labelledby="waiting-title">
      <h2 id="waiting-title">{t('counter.waiting.title')}</h2>
      {state && total === 0 && <p className="office-empty">{t('counter.nobodyWaiting')}</p>}
      {state?.waiting.map((w) => (
        <section
          key={w.serviceId || 'transferred'}
          className="office-queue"
          data-service={w.serviceId}
          aria-label={w.serviceId ? serviceName(w.serviceId) : t('counter.waiting.transferred')}
        >
          <h3>
            {w.serviceId ? serviceName(w.serviceId) : t('counter.waiting.transferred')}{' '}
            <span>({t('counter.waiting.count', { n: w.tickets.length })})</span>
          </h3>
          {w.tickets.length === 0 ? (
            <p className="office-empty">{t('counter.waiting.empty')}</p>
          ) : (
            <ol>
              {w.tickets.map((x) => {
                const group = groupName(x.priorityGroupId);
                return (
                  <li key={x.ticketId} data-number={x.number} className={group ? 'is-priority' : undefined}>
                    <b>{x.number}</b> <span>{localDateTime(new Date(x.issuedAt)).slice(0, 5)}</span>
                    {group && <strong className="office-priority">{t('counter.waiting.priority', { group })}</strong>}
                    {x.appointmentSlot && (
                      <strong className="office-priority">
                        {t('counter.appointment', { slot: x.appointmentSlot })}
                      </strong>
                    )}
                    {x.origin === 'offline' && <em>{t('counter.waiting.offline')}</em>}
                  </li>
                );
              })}
            </ol>
          )}
        </section>
      ))}
    </section>
  );
}

function TransferDialog({
  t,
  me,
  ticket,
  counterId,
  onCancel,
  onConfirm,
}: {
  t: T;
  me: OfficerMe;
  ticket: CounterTicket;
  counterId: string;
  onCancel: () => void;
  onConfirm: (to: { toServiceId: string } | { toCounterId: string }) => void;
}) {
  const [to, setTo] = useState(`s:${me.services.find((s) => s.id !== ticket.serviceId)?.id ?? ticket.serviceId}`);
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    ref.current?.showModal();
  }, []);
  return (
    <dialog ref={ref} className="office-dialog" aria-labelledby="transfer-title" onCancel={onCancel}>
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(to.startsWith('s:') ? { toServiceId: to.slice(2) } : { toCounterId: to.slice(2) });
        }}
      >
        <h2 id="transfer-title">{t('counter.transfer.title', { number: ticket.number })}</h2>
        <p>{t('counter.transfer.note')}</p>
        <label>
          {t('counter.transfer.to')}
          <select name="to" value={to} onChange={(e) => setTo(e.target.value)} autoFocus>
            <optgroup label={t('counter.transfer.toService')}>
              {me.services
                .filter((s) => s.id !== ticket.serviceId)
                .map((s) => (
                  <option key={s.id} value={`s:${s.id}`}>
                    {s.prefix} — {s.name}
                  </option>
                ))}
            </optgroup>
            <optgroup label={t('counter.transfer.toCounter')}>
              {me.counters
                .filter((c) => c.id !== counterId)
                .map((c) => (
                  <option key={c.id} value={`c:${c.id}`}>
                    {c.name}
                  </option>
                ))}
            </optgroup>
          </select>
        </label>
        <div className="office-dialog-buttons">
          <button type="button" onClick={onCancel}>
            {t('counter.transfer.cancel')}
          </button>
          <button type="submit" className="office-primary">
            {t('counter.transfer.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
