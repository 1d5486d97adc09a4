import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import { technicianMachine, type TechPage } from '../../../../workflows/technician.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { NavContext, type Nav } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { Diagnostics } from './Diagnostics.tsx';
import { LogsPage } from './LogsPage.tsx';
import { SettingsPage } from './SettingsPage.tsx';
import { SyncPage } from './SyncPage.tsx';
import { TechCorner } from './TechCorner.tsx';
import './tech.css';

const PAGES: TechPage[] = ['diagnostics', 'sync', 'logs', 'settings'];

/** The corner gesture, the PIN pad and the technician pages, over the citizen screens. */
export function TechnicianMode({ onOpenChange }: { onOpenChange?(open: boolean): void }) {
  const { api } = useKiosk();
  const actor = useActorRef(
    technicianMachine.provide({
      actors: {
        unlock: fromPromise(async ({ input }) => {
          const r = await api.call('tech.unlock', { pin: input.pin });
          if (!r.ok) throw r.error;
        }),
        lock: fromPromise(async () => {
          await api.call('tech.lock', {});
        }),
      },
    }),
    { input: {} },
  );
  const value = useSelector(actor, (s) => s.value);
  useEffect(() => api.on('tech.mode', ({ open }) => !open && actor.send({ type: 'CLOSED_BY_CORE' })), [api, actor]);
  const shown = value !== 'closed';
  useEffect(() => onOpenChange?.(shown), [shown, onOpenChange]);

  if (value === 'closed') return <TechCorner onOpen={() => actor.send({ type: 'GESTURE' })} />;
  return (
    <div
      className="tech-overlay"
      data-testid="tech-overlay"
      onPointerDown={() => actor.send({ type: 'ACTIVITY' })}
      onKeyDown={() => actor.send({ type: 'ACTIVITY' })}
    >
      {typeof value === 'object' && 'pin' in value ? <PinPad actor={actor} /> : <TechPages actor={actor} />}
    </div>
  );
}

type TechActor = ReturnType<typeof useActorRef<typeof technicianMachine>>;

function PinPad({ actor }: { actor: TechActor }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const error = useSelector(actor, (s) => s.context.error);
  const checking = useSelector(actor, (s) => s.matches({ pin: 'checking' }));
  const [now, setNow] = useState(() => Date.now());
  const [errorAt, setErrorAt] = useState(() => Date.now());
  useEffect(() => {
    setErrorAt(Date.now());
    setPin('');
  }, [error]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const waitS = error?.retryAfterMs ? Math.max(0, Math.ceil((error.retryAfterMs - (now - errorAt)) / 1000)) : 0;
  const message = !error
    ? null
    : error.code === 'NOT_PROVISIONED'
      ? t('tech.pin.noPin')
      : waitS > 0
        ? t('tech.pin.wait', { seconds: waitS })
        : error.code === 'WRONG_PIN'
          ? t('tech.pin.wrong')
          : t('tech.error', { message: error.message });
  const nav = useMemo<Nav>(
    () => ({
      route: { name: 'tech-pin' },
      go: () => undefined,
      back: () => actor.send({ type: 'CANCEL' }),
      home: () => actor.send({ type: 'CANCEL' }),
    }),
    [actor],
  );
  return (
    <NavContext.Provider value={nav}>
      <Screen
        title={t('tech.pin.title')}
        instructions={t('tech.pin.instructions')}
        onBack={null}
        testId="tech-pin"
        actions={
          <button
            type="button"
            className="button button-primary"
            disabled={pin.length < 6 || checking || waitS > 0}
            onClick={() => actor.send({ type: 'SUBMIT_PIN', pin })}
            data-testid="tech-pin-open"
          >
            {t('tech.pin.open')}
          </button>
        }
      >
        <div className="pin-display" aria-live="polite" data-testid="tech-pin-dots">
          {'●'.repeat(pin.length) || ' '}
        </div>
        {message && (
          <p className="tech-message tech-message-error" role="alert" data-testid="tech-pin-error">
            ⚠ {message}
          </p>
        )}
        <div className="pin-pad" role="group" aria-label={t('tech.pin.title')}>
          {['1', '2', '3', '4', '5', '6', '7', '8', '9', 'clear', '0', 'back'].map((k) => (
            <button
              key={k}
              type="button"
              className="button button-secondary pin-key"
              aria-label={k === 'clear' ? t('tech.pin.clear') : k === 'back' ? '⌫' : k}
              onClick={() =>
                setPin((p) => (k === 'clear' ? '' : k === 'back' ? p.slice(0, -1) : p.length < 12 ? p + k : p))
              }
            >
              {k === 'clear' ? t('tech.pin.clear') : k === 'back' ? '⌫' : k}
            </button>
          ))}
        </div>
      </Screen>
    </NavContext.Provider>
  );
}

function TechPages({ actor }: { actor: TechActor }) {
  const { t } = useI18n();
  const page = useSelector(actor, (s) => s.context.page);
  const nav = useMemo<Nav>(
    () => ({
      route: { name: `tech-${page}` },
      go: () => undefined,
      back: () => actor.send({ type: 'SHOW', page: 'diagnostics' }),
      home: () => actor.send({ type: 'LOCK' }),
    }),
    [actor, page],
  );
  return (
    <NavContext.Provider value={nav}>
      <Screen
        title={t(`tech.tab.${page}`)}
        onBack={null}
        testId={`tech-${page}`}
        actions={
          <button
            type="button"
            className="button button-danger"
            onClick={() => actor.send({ type: 'LOCK' })}
            data-testid="tech-lock"
          >
            {t('tech.lock')}
          </button>
        }
      >
        <nav className="tech-tabs" aria-label={t('tech.pin.title')}>
          {PAGES.map((p) => (
            <button
              key={p}
              type="button"
              className={`button ${p === page ? 'button-primary' : 'button-secondary'}`}
              aria-current={p === page ? 'page' : undefined}
              onClick={() => actor.send({ type: 'SHOW', page: p })}
              data-testid={`tech-tab-${p}`}
            >
              {t(`tech.tab.${p}`)}
            </button>
          ))}
        </nav>
        {page === 'diagnostics' && <Diagnostics />}
        {page === 'sync' && <SyncPage />}
        {page === 'logs' && <LogsPage />}
        {page === 'settings' && <SettingsPage />}
      </Screen>
    </NavContext.Provider>
  );
}
