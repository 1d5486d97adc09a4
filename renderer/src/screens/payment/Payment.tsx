import { useActorRef, useSelector } from '@xstate/react';
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import type { PaymentCheck, PaymentQuote, StartedPayment } from '../../../../contract/domains/payments.ts';
import type { ScanReceived } from '../../../../contract/domains/scans.ts';
import type { PrintOutcome } from '../../../../contract/print.ts';
import { unwrap } from '../../../../contract/errors.ts';
import { paymentMachine, WAIT_WARN_MS } from '../../../../workflows/payment.ts';
import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { NotPrinted } from '../../ui/NotPrinted.tsx';
import { useNav, useSessionHold } from '../../nav.tsx';
import type { RouteProps } from '../../nav.tsx';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { Screen } from '../../ui/Screen.tsx';
import { formatVnd } from '../submit/Submit.tsx';
import './payment.css';

const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** Thanh toán lệ phí: workflows/payment.ts on screen. */
export function Payment({ params }: RouteProps) {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const nav = useNav();
  const machine = useMemo(
    () =>
      paymentMachine.provide({
        actors: {
          quote: fromPromise<PaymentQuote, { ref: string }>(({ input }) => unwrap(api.call('payments.quote', input))),
          start: fromPromise<StartedPayment, { dossierCode: string }>(({ input }) =>
            unwrap(api.call('payments.start', input)),
          ),
          check: fromPromise<PaymentCheck, { paymentId: string }>(({ input }) =>
            unwrap(api.call('payments.check', input)),
          ),
          printSlip: fromPromise<{ print: PrintOutcome }, { paymentId: string }>(({ input }) =>
            unwrap(api.call('payments.printSlip', input)),
          ),
        },
        actions: {
          abandon: ({ context }) => {
            if (context.payment) void api.call('payments.abandon', { paymentId: context.payment.paymentId });
          },
        },
      }),
    [api],
  );
  const actor = useActorRef(machine, { input: { ref: typeof params.ref === 'string' ? params.ref : null } });
  const state = useSelector(actor, (s) => s.value);
  const c = useSelector(actor, (s) => s.context);
  const send = actor.send;
  const top = typeof state === 'string' ? state : Object.keys(state)[0]!;
  const [ref, setRef] = useState('');
  const [qr, setQr] = useState<string | null>(null);
  // When the current round of the wait started (the screen's clock for its countdown).
  const [started, setStarted] = useState({ round: -1, at: 0 });
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    if (top === 'left') nav.back();
    if (top === 'finished') nav.home();
  }, [top, nav]);

  useEffect(() => {
    if (!c.payment) return;
    void QRCode.toDataURL(c.payment.qr, { errorCorrectionLevel: 'M', margin: 2, width: 480 }).then(setQr);
  }, [c.payment]);

  // Each (re)start of the wait — the first, "Thêm thời gian", "Tôi đã chuyển khoản" after it
  // ran out — starts the countdown over, as the machine's own timer does.
  useEffect(() => {
    const at = Date.now();
    setStarted({ round: c.waitRound, at });
    setNow(at);
  }, [c.waitRound]);

  // The citizen is on their phone, not idle: the wait has its own clock and warning.
  useSessionHold(top === 'waiting');

  useEffect(() => {
    if (top !== 'waiting') return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [top]);

  useScanStream((scan: ScanReceived) => {
    if (top !== 'entering') return;
    if (scan.result.kind === 'dossier') send({ type: 'LOOKUP', ref: scan.result.dossier.code });
  });

  const back = { onBack: () => send({ type: 'BACK' }), backTestId: 'payment-back' };

  if (top === 'entering' || top === 'quoting' || top === 'start') {
    return (
      <Screen
        title={t('payment.title')}
        instructions={t('payment.enter.instructions')}
        {...back}
        testId="payment-enter"
        actions={
          <>
            <button
              type="button"
              className="button button-primary button-huge"
              disabled={top === 'quoting' || ref.trim() === ''}
              onClick={() => send({ type: 'LOOKUP', ref })}
              data-testid="payment-lookup"
            >
              {t('payment.enter.go')}
            </button>
          </>
        }
      >
        <div className="payment-panel">
          <TextField
            kind="code"
            autoOpen
            label={t('payment.enter.label')}
            hint={t('payment.enter.hint')}
            value={ref}
            onChange={setRef}
            onEnter={() => ref.trim() && send({ type: 'LOOKUP', ref })}
            testId="payment-ref"
          />
          {top === 'quoting' && <p role="status">{t('payment.quoting')}</p>}
          {c.error && (
            <p className="payment-error" role="alert">
              ⚠ {tError(c.error.code)}
            </p>
          )}
        </div>
      </Screen>
    );
  }

  if (top === 'nothingToPay') {
    return (
      <Screen
        title={t('payment.title')}
        {...back}
        testId="payment-nothing"
        actions={
          <>
            <button type="button" className="button button-primary button-huge" onClick={() => send({ type: 'DONE' })}>
              {t('payment.done')}
            </button>
          </>
        }
      >
        <p className="lead-text">{c.quote?.paid ? t('payment.nothing.paid') : t('payment.nothing.free')}</p>
      </Screen>
    );
  }

  if (top === 'confirming' || top === 'starting') {
    const q = c.quote!;
    return (
      <Screen
        title={t('payment.title')}
        instructions={t('payment.confirm.instructions')}
        {...back}
        testId="payment-confirm"
        actions={
          <>
            <button
              type="button"
              className="button button-primary button-huge"
              disabled={top === 'starting'}
              onClick={() => send({ type: 'PAY' })}
              data-testid="payment-pay"
            >
              {t('payment.confirm.pay')}
            </button>
          </>
        }
      >
        <dl className="payment-facts" data-speak tabIndex={0} aria-label={t('payment.title')}>
          <dt>{t('payment.confirm.code')}</dt>
          <dd>{q.dossierCode}</dd>
          <dt>{t('payment.confirm.procedure')}</dt>
          <dd>{q.procedureName}</dd>
          <dt>{t('payment.confirm.amount')}</dt>
          <dd className="payment-amount" data-testid="payment-amount">
            {formatVnd(q.amount)}
          </dd>
          <dt>{t('payment.confirm.to')}</dt>
          <dd>
            {q.accountName} — {q.accountNumber}
          </dd>
        </dl>
        {c.error && (
          <p className="payment-error" role="alert">
            ⚠ {tError(c.error.code)}
          </p>
        )}
      </Screen>
    );
  }

  if (top === 'waiting' || top === 'expired') {
    const p = c.payment!;
    // A round that has just begun is whole until its start is recorded (no flash of the warning).
    const left = started.round === c.waitRound ? started.at + p.waitMs - now : p.waitMs;
    const checking = typeof state === 'object' && (state as Record<string, string>).waiting === 'checking';
    const warn = top === 'waiting' && left <= WAIT_WARN_MS;
    return (
      <Screen
        title={t('payment.title')}
        instructions={top === 'waiting' ? t('payment.wait.instructions') : undefined}
        {...back}
        testId={top === 'waiting' ? 'payment-wait' : 'payment-expired'}
        actions={
          top === 'waiting' ? (
            <>
              {/*
               * In the last minute the one large button is "Thêm thời gian", where the finger
               * already is. "Tôi đã chuyển khoản" steps aside: the kiosk asks the bank every few
               * seconds anyway, and the screen keeps room for the whole QR in large text.
               */}
              {warn ? (
                <button
                  type="button"
                  className="button button-primary button-huge"
                  onClick={() => send({ type: 'EXTEND' })}
                  data-testid="payment-extend"
                >
                  {t('payment.wait.extend')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button-primary button-huge"
                  onClick={() => send({ type: 'CLAIM_PAID' })}
                  disabled={checking}
                  data-testid="payment-claim"
                >
                  {t('payment.wait.claim')}
                </button>
              )}
            </>
          ) : (
            <>
              <button
                type="button"
                className="button button-secondary"
                onClick={() => send({ type: 'CLAIM_PAID' })}
                data-testid="payment-again"
              >
                {t('payment.expired.again')}
              </button>
              <button
                type="button"
                className="button button-primary button-huge"
                onClick={() => send({ type: 'DONE' })}
              >
                {t('payment.done')}
              </button>
            </>
          )
        }
      >
        {top === 'waiting' ? (
          <div className="payment-qr-layout" tabIndex={0} role="region" aria-label={t('payment.title')}>
            {qr && (
              <img
                className="payment-qr"
                src={qr}
                alt={t('payment.wait.qrAlt', {
                  amount: formatVnd(p.amount),
                  account: p.accountName,
                  purpose: p.purpose,
                })}
                data-testid="payment-qr"
                data-payload={p.qr}
              />
            )}
            <div className="payment-qr-facts">
              {warn && (
                <p className="payment-warn" role="alert" data-testid="payment-warn">
                  ⚠ {t('payment.wait.warn')}
                </p>
              )}
              <p className="payment-amount" data-speak>
                {formatVnd(p.amount)}
              </p>
              <p data-speak>
                {t('payment.wait.purpose')}: <strong>{p.purpose}</strong>
              </p>
              <p>
                {p.accountName} — {p.accountNumber}
              </p>
              <p className="payment-countdown" role="timer" aria-live="off" data-testid="payment-countdown">
                ⏱ {t('payment.wait.countdown', { time: mmss(left) })}
              </p>
              {checking && <p role="status">{t('payment.wait.checking')}</p>}
              {c.check?.offline && <p role="status">{t('payment.wait.offline')}</p>}
              {c.check && !c.check.offline && c.check.status === 'waiting' && (
                <p role="status">{t('payment.wait.notYet')}</p>
              )}
            </div>
          </div>
        ) : (
          <>
            <h2 className="payment-subtitle">{t('payment.expired.title')}</h2>
            <p className="lead-text">{t('payment.expired.text')}</p>
          </>
        )}
      </Screen>
    );
  }

  // Left or finished: the effect above is taking the citizen away; nothing of this flow to draw
  // (there may be no payment at all, e.g. "Quay lại" on the first step).
  if (top === 'left' || top === 'finished' || !c.payment) return null;

  // printing / receipt
  const p = c.payment;
  return (
    <Screen
      title={t('payment.paid.title')}
      onBack={null}
      testId="payment-paid"
      actions={
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => send({ type: 'PRINT' })}
            disabled={top === 'printing'}
          >
            {t('payment.paid.reprint')}
          </button>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => nav.go('rating', { dossierCode: p.dossierCode, context: 'payment' })}
          >
            {t('payment.rate')}
          </button>
          <button
            type="button"
            className="button button-primary button-huge"
            onClick={() => send({ type: 'DONE' })}
            data-testid="payment-done"
          >
            {t('payment.done')}
          </button>
        </>
      }
    >
      <p className="lead-text">✓ {t('payment.paid.text')}</p>
      <dl className="payment-facts" data-speak tabIndex={0} aria-label={t('payment.title')}>
        <dt>{t('payment.confirm.code')}</dt>
        <dd>{p.dossierCode}</dd>
        <dt>{t('payment.confirm.amount')}</dt>
        <dd className="payment-amount">{formatVnd(p.amount)}</dd>
        <dt>{t('payment.paid.ref')}</dt>
        <dd data-testid="payment-bank-ref">{c.check?.bankRef}</dd>
      </dl>
      {c.print && !c.print.printed && (
        <NotPrinted outcome={c.print} why={`⚠ ${t('payment.printFailed')}`} alt={p.dossierCode} />
      )}
    </Screen>
  );
}
