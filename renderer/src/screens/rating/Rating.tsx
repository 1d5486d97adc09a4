import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo } from 'react';
import { fromPromise } from 'xstate';
import type { LowReason, Overall, RatingInput } from '../../../../contract/domains/ratings.ts';
import { unwrap } from '../../../../contract/errors.ts';
import { ratingMachine } from '../../../../workflows/rating.ts';
import type { MessageKey } from '../../../i18n/index.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import type { RouteProps } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import './rating.css';

// Faces drawn as line art: a kiosk has no colour-emoji font, and the word beside each carries its meaning.
const MOUTHS: Record<Overall, string> = {
  very_satisfied: 'M7 13.5c1.2 2.6 3 3.9 5 3.9s3.8-1.3 5-3.9z',
  satisfied: 'M8 14.5c1 1.4 2.4 2.1 4 2.1s3-.7 4-2.1',
  dissatisfied: 'M8 17c1-1.4 2.4-2.1 4-2.1s3 .7 4 2.1',
};

function Face({ value }: { value: Overall }) {
  return (
    <svg
      viewBox="0 0 24 24"
      width="96"
      height="96"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.6}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="10" />
      <circle cx="8.6" cy="9.5" r="1" fill="currentColor" />
      <circle cx="15.4" cy="9.5" r="1" fill="currentColor" />
      <path d={MOUTHS[value]} />
    </svg>
  );
}

const OVERALL: Array<{ value: Overall }> = [
  { value: 'very_satisfied' },
  { value: 'satisfied' },
  { value: 'dissatisfied' },
];
const REASONS: LowReason[] = [
  'slow',
  'many_visits',
  'unclear_guidance',
  'attitude',
  'extra_documents',
  'fees',
  'facilities',
  'other',
];
const contexts = ['standalone', 'ticket', 'submission', 'payment'] as const;

/** Đánh giá hài lòng: workflows/rating.ts on screen. */
export function Rating({ params }: RouteProps) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const nav = useNav();
  const machine = useMemo(
    () =>
      ratingMachine.provide({
        actors: {
          submit: fromPromise<{ ratingId: string }, RatingInput>(({ input }) =>
            unwrap(api.call('ratings.submit', input)),
          ),
        },
      }),
    [api],
  );
  const context = contexts.find((k) => k === params.context) ?? 'standalone';
  const actor = useActorRef(machine, {
    input: {
      context,
      dossierCode: typeof params.dossierCode === 'string' ? params.dossierCode : null,
      ticketId: typeof params.ticketId === 'string' ? params.ticketId : null,
    },
  });
  const state = useSelector(actor, (s) => s.value as string);
  const c = useSelector(actor, (s) => s.context);
  const send = actor.send;

  useEffect(() => {
    if (state === 'left') nav.back();
    if (state === 'finished') nav.home();
  }, [state, nav]);

  const back = { onBack: () => send({ type: 'BACK' }), backTestId: 'rating-back' };
  const forLine = c.dossierCode ? <p className="rating-for">{t('rating.for', { code: c.dossierCode })}</p> : null;

  if (state === 'choosing') {
    return (
      <Screen title={t('rating.title')} instructions={t('rating.instructions')} {...back} testId="rating-choose">
        {forLine}
        <div className="rating-overall" role="group" aria-label={t('rating.instructions')}>
          {OVERALL.map((o) => (
            <button
              key={o.value}
              type="button"
              className={`rating-face rating-face-${o.value}`}
              onClick={() => send({ type: 'OVERALL', value: o.value })}
              data-testid={`rating-${o.value}`}
            >
              <span className="rating-emoji" aria-hidden="true">
                <Face value={o.value} />
              </span>
              <span>{t(`rating.overall.${o.value}` as MessageKey)}</span>
            </button>
          ))}
        </div>
      </Screen>
    );
  }

  if (state === 'details' || state === 'sending' || state === 'failed') {
    const option = <K extends string>(group: string, value: K, on: boolean, onClick: () => void, label: string) => (
      <button
        key={value}
        type="button"
        role="radio"
        aria-checked={on}
        className={`button ${on ? 'button-primary' : 'button-secondary'}`}
        onClick={onClick}
        data-testid={`rating-${group}-${value}`}
      >
        {on ? '● ' : '○ '}
        {label}
      </button>
    );
    return (
      <Screen
        title={t('rating.title')}
        instructions={t('rating.details.instructions')}
        onBack={null}
        testId="rating-details"
        actions={
          <>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => send({ type: 'BACK' })}
              data-testid="rating-change"
            >
              {t('rating.change')}
            </button>
            <button
              type="button"
              className="button button-primary button-huge"
              disabled={state === 'sending'}
              onClick={() => send(state === 'failed' ? { type: 'RETRY' } : { type: 'SUBMIT' })}
              data-testid="rating-send"
            >
              {state === 'failed' ? t('rating.retry') : t('rating.send')}
            </button>
          </>
        }
      >
        {forLine}
        <p className="rating-chosen" data-speak>
          {t('rating.chosen', { overall: t(`rating.overall.${c.overall!}` as MessageKey) })}
        </p>
        {c.overall === 'dissatisfied' && (
          <fieldset className="rating-group">
            <legend data-speak>{t('rating.reasons.title')}</legend>
            <div className="rating-options">
              {REASONS.map((r) => {
                const on = c.reasons.includes(r);
                return (
                  <button
                    key={r}
                    type="button"
                    role="checkbox"
                    aria-checked={on}
                    className={`button ${on ? 'button-primary' : 'button-secondary'}`}
                    onClick={() => send({ type: 'TOGGLE_REASON', reason: r })}
                    data-testid={`rating-reason-${r}`}
                  >
                    {on ? '☑ ' : '☐ '}
                    {t(`rating.reason.${r}` as MessageKey)}
                  </button>
                );
              })}
            </div>
          </fieldset>
        )}
        <fieldset className="rating-group">
          <legend>{t('rating.criteria.processingTime')}</legend>
          <div className="rating-options" role="radiogroup" aria-label={t('rating.criteria.processingTime')}>
            {(['early', 'on_time', 'late'] as const).map((v) =>
              option(
                'time',
                v,
                c.criteria.processingTime === v,
                () => send({ type: 'CRITERION', criteria: { processingTime: v } }),
                t(`rating.criteria.processingTime.${v}` as MessageKey),
              ),
            )}
          </div>
        </fieldset>
        <fieldset className="rating-group">
          <legend>{t('rating.criteria.timesReturned')}</legend>
          <div className="rating-options" role="radiogroup" aria-label={t('rating.criteria.timesReturned')}>
            {[0, 1, 2, 3].map((n) =>
              option(
                'returned',
                String(n),
                c.criteria.timesReturned === n,
                () => send({ type: 'CRITERION', criteria: { timesReturned: n } }),
                n === 3 ? t('rating.criteria.timesReturned.more') : t('rating.criteria.timesReturned.n', { n }),
              ),
            )}
          </div>
        </fieldset>
        <fieldset className="rating-group">
          <legend>{t('rating.criteria.officerAttitude')}</legend>
          <div className="rating-options" role="radiogroup" aria-label={t('rating.criteria.officerAttitude')}>
            {(['good', 'normal', 'poor'] as const).map((v) =>
              option(
                'attitude',
                v,
                c.criteria.officerAttitude === v,
                () => send({ type: 'CRITERION', criteria: { officerAttitude: v } }),
                t(`rating.criteria.officerAttitude.${v}` as MessageKey),
              ),
            )}
          </div>
        </fieldset>
        {state === 'sending' && <p role="status">{t('rating.sending')}</p>}
        {state === 'failed' && (
          <p className="rating-error" role="alert">
            ⚠ {t('rating.failed')}
          </p>
        )}
      </Screen>
    );
  }

  return (
    <Screen
      title={t('rating.thanks.title')}
      onBack={null}
      testId="rating-thanks"
      actions={
        <button
          type="button"
          className="button button-primary button-huge"
          onClick={() => send({ type: 'DONE' })}
          data-testid="rating-done"
        >
          {t('rating.done')}
        </button>
      }
    >
      <p className="lead-text">✓ {t('rating.thanks.text')}</p>
    </Screen>
  );
}
