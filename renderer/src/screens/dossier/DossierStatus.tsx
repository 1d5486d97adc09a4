import { localDateTime, vnDay } from '../../../../protocol/tickets.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { timelineSteps, type DossierStatusResult } from '../../../../contract/domains/catalog.ts';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { CameraScanner } from '../../scan/CameraScanner.dom.tsx';
import type { RouteProps } from '../../nav.tsx';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { Screen } from '../../ui/Screen.tsx';
import { PrintFeedback, type PrintState } from '../procedures/PrintFeedback.tsx';
import '../procedures/procedures.css';
import './dossier.css';
import { isProvisionalScan } from './provisional.ts';

type Found = Extract<DossierStatusResult, { kind: 'found' }>;
type View =
  | { kind: 'ask' }
  | { kind: 'looking' }
  | { kind: 'result'; result: DossierStatusResult }
  | { kind: 'not-dossier' }
  | { kind: 'error'; code: string };

function useAge() {
  const { t } = useI18n();
  return (ms: number) => {
    const min = Math.floor(ms / 60_000);
    if (min < 1) return t('dossier.age.now');
    if (min < 60) return t('dossier.age.minutes', { n: min });
    const h = Math.floor(min / 60);
    if (h < 48) return t('dossier.age.hours', { n: h });
    return t('dossier.age.days', { n: Math.floor(h / 24) });
  };
}

/** The status card: where the dossier is, the timeline, the appointment, what to do next. */
function StatusCard({ found }: { found: Found }) {
  const { t } = useI18n();
  const age = useAge();
  const d = found.dossier;
  const note = d.timeline.filter((e) => e.status === d.status).at(-1)?.note;
  return (
    <div className="dossier-result" data-testid="dossier-result" data-status={d.status}>
      {found.stale && (
        <p className="dossier-stale" role="alert" data-testid="dossier-stale">
          ⚠ {t('dossier.stale', { age: age(found.ageMs) })}
        </p>
      )}
      <section className="dossier-card dossier-status-card" aria-labelledby="dossier-status">
        <h2 id="dossier-status">{t('dossier.status')}</h2>
        <p className="dossier-status-label" data-testid="dossier-status-label" data-speak>
          {d.statusLabel}
        </p>
        <dl className="proc-facts">
          <dt>{t('dossier.code')}</dt>
          <dd data-testid="dossier-code" data-speak>
            {d.dossierCode}
          </dd>
          <dt>{t('dossier.procedure')}</dt>
          <dd>{d.procedureName}</dd>
          <dt>{t('dossier.applicant')}</dt>
          <dd>{d.applicantMasked}</dd>
          <dt>{t('dossier.received')}</dt>
          <dd>{localDateTime(new Date(d.receivedAt))}</dd>
          <dt>{t('dossier.appointment')}</dt>
          <dd className="dossier-appointment" data-testid="dossier-appointment" data-speak>
            {vnDay(d.appointmentDate)}
          </dd>
          <dt>{t('dossier.fee')}</dt>
          <dd>
            {d.fee === 0
              ? t('dossier.free')
              : `${d.fee.toLocaleString('vi-VN')} đ — ${d.paid ? t('dossier.paid') : t('dossier.unpaid')}`}
          </dd>
        </dl>
      </section>
      <section className="dossier-card dossier-next" aria-labelledby="dossier-next">
        <h2 id="dossier-next">{t('dossier.next')}</h2>
        <p data-testid="dossier-next" data-speak>
          {t(`dossier.next.${d.status}` as 'dossier.next.1', { date: vnDay(d.appointmentDate) })}
        </p>
        {note && <p className="dossier-note">{t('dossier.note', { note })}</p>}
      </section>
      <section className="dossier-card" aria-labelledby="dossier-timeline">
        <h2 id="dossier-timeline">{t('dossier.timeline')}</h2>
        <ol className="dossier-timeline" data-testid="dossier-timeline">
          {timelineSteps(d.status, d.timeline).map((s) => {
            const { event, state } = s;
            return (
              <li
                key={s.stage}
                className={`dossier-step dossier-step-${state}`}
                data-stage={s.stage}
                data-state={state}
              >
                <span className="dossier-step-mark">{t(`dossier.stage.${state}`)}</span>
                <span className="dossier-step-name">
                  {t(s.stage === 'done' ? 'dossier.stage.done.label' : `dossier.stage.${s.stage}`)}
                </span>
                {event && <span className="dossier-step-at">{localDateTime(new Date(event.at))}</span>}
                {event?.note && <span className="dossier-step-note">{event.note}</span>}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}

/**
 * "Tra cứu hồ sơ": scan the receipt QR (any scanner, or the camera) or type the code on the
 * code pad; the kiosk core extracts the code and answers in one of five ways, each worded here.
 */
export function DossierStatus({ params }: Partial<RouteProps> = {}) {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const [code, setCode] = useState('');
  const [view, setView] = useState<View>({ kind: 'ask' });
  const [camera, setCamera] = useState(false);
  const [print, setPrint] = useState<PrintState>({ kind: 'idle' });
  const asked = useRef(0);

  const lookup = useCallback(
    async (text: string) => {
      if (!text.trim()) return;
      const n = ++asked.current;
      setView({ kind: 'looking' });
      setPrint({ kind: 'idle' });
      const r = await api.call('dossier.status', { text });
      if (n !== asked.current) return;
      setView(r.ok ? { kind: 'result', result: r.value } : { kind: 'error', code: r.error.code });
    },
    [api],
  );

  // A receipt scanned on the home screen opens this screen with the scan: look it up at once.
  const scanned = typeof params?.scan === 'string' ? params.scan : null;
  useEffect(() => {
    if (!scanned) return;
    if (typeof params?.code === 'string') setCode(params.code);
    void lookup(scanned);
  }, [scanned, lookup, params?.code]);

  const result = view.kind === 'result' ? view.result : null;
  const found = result?.kind === 'found' ? result : null;

  useScanStream(({ result: scan }) => {
    if (scan.kind === 'dossier') {
      setCode(scan.dossier.code);
      void lookup(scan.text);
    } else if (isProvisionalScan(scan)) {
      setCode(scan.text.trim());
      void lookup(scan.text);
    } else setView({ kind: 'not-dossier' });
  });

  const doPrint = async () => {
    if (!found) return;
    setPrint({ kind: 'printing' });
    const r = await api.call('dossier.printStatus', { code: found.dossier.dossierCode });
    setPrint(r.ok ? { kind: 'done', outcome: r.value } : { kind: 'error', code: r.error.code });
  };

  const message = (() => {
    if (view.kind === 'not-dossier') return t('dossier.notDossierScan');
    if (view.kind === 'error') return tError(view.code);
    if (!result) return null;
    switch (result.kind) {
      case 'malformed':
        return t('dossier.malformed', { text: result.text });
      case 'unknown':
        return t('dossier.unknown', { code: result.code });
      case 'other-province':
        return t('dossier.otherProvince', { code: result.code });
      case 'offline':
        return t('dossier.offline', { code: result.code });
      default:
        return null;
    }
  })();

  const actions = found ? (
    <>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => {
          setView({ kind: 'ask' });
          setCode('');
        }}
        data-testid="dossier-another"
      >
        {t('dossier.another')}
      </button>
      <button
        type="button"
        className="button button-primary"
        onClick={() => void doPrint()}
        disabled={print.kind === 'printing'}
        data-testid="dossier-print"
      >
        {t('dossier.print')}
      </button>
    </>
  ) : null;

  return (
    <Screen title={t('dossier.title')} instructions={t('dossier.instructions')} actions={actions} testId="dossier">
      {found ? (
        <div className="scroll-region" tabIndex={0} role="region" aria-label={t('dossier.status')}>
          <PrintFeedback state={print} printedText={t('dossier.printed')} onClose={() => setPrint({ kind: 'idle' })} />
          <StatusCard found={found} />
        </div>
      ) : (
        <div className="dossier-ask">
          <div className="dossier-entry">
            <TextField
              kind="code"
              label={t('dossier.code')}
              value={code}
              onChange={setCode}
              onEnter={() => void lookup(code)}
              autoOpen
              placeholder={t('dossier.codePlaceholder')}
              hint={t('dossier.codeHint')}
              maxLength={40}
              testId="dossier-code-input"
            />
          </div>
          <div className="dossier-side">
            <button
              type="button"
              className="button button-primary button-huge"
              onClick={() => void lookup(code)}
              disabled={view.kind === 'looking' || !code.trim()}
              data-testid="dossier-lookup"
            >
              {view.kind === 'looking' ? t('dossier.looking') : t('dossier.lookup')}
            </button>
            {message && (
              <p
                className="dossier-message"
                role="alert"
                data-testid="dossier-message"
                data-kind={result?.kind ?? view.kind}
              >
                ⚠ {message}
              </p>
            )}
            <p className="dossier-scan-hint">{t('dossier.scanHint')}</p>
            {camera ? (
              <CameraScanner onScan={() => undefined} />
            ) : (
              <button
                type="button"
                className="button button-secondary"
                onClick={() => setCamera(true)}
                data-testid="dossier-camera"
              >
                📷 {t('scan.camera.label')}
              </button>
            )}
          </div>
        </div>
      )}
    </Screen>
  );
}
