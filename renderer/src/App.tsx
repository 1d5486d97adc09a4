import { useActorRef, useSelector } from '@xstate/react';
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo } from '../../contract/api.ts';
import { sessionMachine } from '../../workflows/session.ts';
import type { KioskApi } from './api/client.dom.ts';
import { SpeechProvider, useSpeech } from './a11y/speech.tsx';
import { useAlertSpeech } from './a11y/useScreenSpeech.dom.ts';
import { KioskProvider, useI18n, useKiosk } from './kiosk-context.tsx';
import { NavContext, SessionHoldContext, type Nav, type Route } from './nav.tsx';
import { routes } from './routes.tsx';
import { A11yBar } from './ui/A11yBar.tsx';
import { Attract } from './ui/Attract.tsx';
import { Header } from './ui/Header.tsx';
import { IdleWarning } from './ui/IdleWarning.tsx';
import { ScreenErrorBoundary } from './ui/ScreenErrorBoundary.tsx';
import { ProvisioningGate } from './screens/setup/Gate.tsx';

const HOME: Route = { name: 'home' };

/** The setup wizard until the kiosk is provisioned; then the citizen screens (with technician mode on top). */
export function App({ api, info }: { api: KioskApi; info: AppInfo }) {
  return (
    <ProvisioningGate api={api} info={info}>
      {(current) => <CitizenApp api={api} info={current} />}
    </ProvisioningGate>
  );
}

function CitizenApp({ api, info }: { api: KioskApi; info: AppInfo }) {
  const [history, setHistory] = useState<Route[]>([HOME]);
  const [sessionKey, setSessionKey] = useState(0);
  const [flowKey, setFlowKey] = useState(0);

  const wipe = useCallback(() => {
    // Remounting every screen under a new key drops all state the citizen entered, and their
    // choices (language, text size, contrast, speech) with it.
    setSessionKey((k) => k + 1);
    setHistory([HOME]);
    void api.call('session.end', { reason: 'idle' });
  }, [api]);

  const leave = useCallback(() => {
    // "Màn hình chính" / "Xong": the flow's screens (and what was typed in them) go; the
    // citizen's choices stay for their next errand.
    setFlowKey((k) => k + 1);
    setHistory([HOME]);
    void api.call('session.end', { reason: 'home' });
  }, [api]);

  const session = useActorRef(sessionMachine.provide({ actions: { wipe, leave } }), {
    input: { timeouts: info.timeouts },
  });
  const phase = useSelector(session, (s) => s.value as string);
  const setAssisted = useCallback((on: boolean) => session.send({ type: 'SET_ASSISTED', on }), [session]);
  const scale = useSelector(session, (s) => s.context.scale);
  const holdSession = useCallback((held: boolean) => session.send({ type: held ? 'HOLD' : 'RELEASE' }), [session]);

  // Any touch, key or scan counts as activity and restarts the idle timer (a citizen holding a
  // card at the scanner is not idle).
  const lastActivity = useRef(0);
  const phaseRef = useRef(phase);
  phaseRef.current = phase;
  useEffect(() => {
    const onActivity = (event?: Event) => {
      // The touch that wakes the attract screen only wakes it: the home screen is drawn before
      // the finger lifts, and the click that follows would otherwise press the tile under it.
      if (event?.type === 'pointerdown' && phaseRef.current === 'attract') swallowNextClick();
      const now = Date.now();
      if (now - lastActivity.current < 500) return;
      lastActivity.current = now;
      session.send({ type: 'ACTIVITY' });
    };
    window.addEventListener('pointerdown', onActivity, true);
    window.addEventListener('keydown', onActivity, true);
    const offScan = api.on('scan.received', () => onActivity());
    return () => {
      window.removeEventListener('pointerdown', onActivity, true);
      window.removeEventListener('keydown', onActivity, true);
      offScan();
    };
  }, [session, api]);

  const nav = useMemo<Nav>(
    () => ({
      route: history.at(-1) ?? HOME,
      go(name, params) {
        session.send({ type: 'START' });
        setHistory((h) => [...h, { name, ...(params ? { params } : {}) }]);
      },
      back() {
        setHistory((h) => (h.length > 1 ? h.slice(0, -1) : h));
      },
      home() {
        session.send({ type: 'HOME' });
      },
    }),
    [history, session],
  );

  // After a screen failed: a fresh session at home, ended the usual way (its `wipe`).
  const startOver = useCallback(() => session.send({ type: 'FINISH' }), [session]);

  const route = nav.route;
  const Current = routes[route.name] ?? routes.home!;

  // The whole citizen-facing tree, including language, text size, contrast and speech, lives
  // under the session key: a new session starts with every default again.
  return (
    <KioskProvider key={sessionKey} api={api} info={info}>
      <SpeechLayer api={api} onAssistedChange={setAssisted}>
        <NavContext.Provider value={nav}>
          <SessionHoldContext.Provider value={holdSession}>
            <div className="app">
              {phase === 'attract' ? (
                <Attract onWake={() => session.send({ type: 'ACTIVITY' })} />
              ) : (
                <>
                  <Header />
                  <SafeScreen key={flowKey} name={route.name} onReset={startOver}>
                    <Current params={route.params ?? {}} />
                  </SafeScreen>
                  <A11yBar />
                </>
              )}
              {phase === 'warning' && (
                <IdleWarning
                  durationMs={Math.max(20_000, info.timeouts.warningMs) * scale}
                  onExtend={() => session.send({ type: 'EXTEND' })}
                  onFinish={() => session.send({ type: 'FINISH' })}
                />
              )}
            </div>
          </SessionHoldContext.Provider>
        </NavContext.Provider>
      </SpeechLayer>
    </KioskProvider>
  );
}

/** Drops the next click anywhere in the window (if it comes within a second). */
function swallowNextClick() {
  const swallow = (e: MouseEvent) => {
    e.preventDefault();
    e.stopPropagation();
    done();
  };
  const timer = window.setTimeout(() => done(), 1000);
  function done() {
    window.clearTimeout(timer);
    window.removeEventListener('click', swallow, true);
  }
  window.addEventListener('click', swallow, true);
}

/** The current screen, caught if it throws while drawing (ui/ScreenErrorBoundary.tsx). */
function SafeScreen({ name, onReset, children }: { name: string; onReset(): void; children: ReactNode }) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const report = useCallback(
    (error: Error) =>
      void api.call('app.screenError', {
        screen: name.slice(0, 60),
        message: String(error.message).slice(0, 500),
        ...(error.stack ? { stack: error.stack.slice(0, 4000) } : {}),
      }),
    [api, name],
  );
  return (
    <ScreenErrorBoundary message={t('app.screenError')} onError={report} onReset={onReset}>
      {children}
    </ScreenErrorBoundary>
  );
}

function SpeechLayer({
  api,
  children,
  onAssistedChange,
}: {
  api: KioskApi;
  children: ReactNode;
  onAssistedChange(on: boolean): void;
}) {
  const { lang } = useKiosk();
  return (
    <SpeechProvider api={api} lang={lang}>
      <Assistance onAssistedChange={onAssistedChange} />
      {children}
    </SpeechProvider>
  );
}

/** Speech or large text on: the session gets ten times longer; errors are read aloud. */
function Assistance({ onAssistedChange }: { onAssistedChange(on: boolean): void }) {
  const { largeText } = useKiosk();
  const { enabled } = useSpeech();
  const assisted = largeText || enabled;
  useEffect(() => onAssistedChange(assisted), [assisted, onAssistedChange]);
  useAlertSpeech();
  return null;
}
