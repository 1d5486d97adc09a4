import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import type { IssuedTicket, TicketEstimate, TicketOptions } from '../../../../contract/domains/tickets.ts';
import { unwrap } from '../../../../contract/errors.ts';
import { ticketMachine, type IssueParams } from '../../../../workflows/ticket.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import { Icon } from '../../ui/icons.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { aheadLabel, formatOpensAt, waitLabel } from './format.ts';
import { NotifySignup } from './NotifySignup.tsx';
import { TicketCard } from './TicketCard.tsx';
import './ticket.css';

/** A failed call becomes the machine's error value (code + message), as the API answered it. */
/** "Lấy số thứ tự": the citizen flow of workflows/ticket.ts on screen. */
export function TicketFlow() {
  const { api } = useKiosk();
  const { t } = useI18n();
  const nav = useNav();
  const machine = useMemo(
    () =>
      ticketMachine.provide({
        actors: {
          loadOptions: fromPromise<TicketOptions>(() => unwrap(api.call('tickets.options', {}))),
          estimate: fromPromise<TicketEstimate, IssueParams>(({ input }) =>
            unwrap(api.call('tickets.estimate', input)),
          ),
          issue: fromPromise<IssuedTicket, IssueParams>(({ input }) => unwrap(api.call('tickets.issue', input))),
        },
      }),
    [api],
  );
  const actor = useActorRef(machine);
  const state = useSelector(actor, (s) => s.value as string);
  const c = useSelector(actor, (s) => s.context);

  useEffect(() => {
    if (state === 'left') nav.back();
    if (state === 'finished') nav.home();
  }, [state, nav]);

  const [notifying, setNotifying] = useState(false);
  const send = actor.send;
  const back = { onBack: () => send({ type: 'BACK' }), backTestId: 'ticket-back', backLabel: t('tickets.back') };
  const area = c.options?.areas.find((a) => a.id === c.areaId);
  const service = c.options?.areas.flatMap((a) => a.services).find((s) => s.id === c.serviceId);
  const priority = c.options?.priorityGroups.find((g) => g.id === c.priorityGroupId);

  switch (state) {
    case 'chooseArea':
      return (
        <Screen
          title={t('tickets.title')}
          instructions={t('tickets.area.instructions')}
          {...back}
          testId="ticket-areas"
        >
          <div className="ticket-choices">
            {c.options!.areas.map((a) => (
              <button
                key={a.id}
                type="button"
                className="ticket-choice"
                onClick={() => send({ type: 'SELECT_AREA', areaId: a.id })}
                data-testid={`area-${a.id}`}
              >
                <span className="ticket-choice-name">{a.name}</span>
              </button>
            ))}
          </div>
        </Screen>
      );
    case 'chooseService': {
      // With priority groups, each service offers "Thường" and "Ưu tiên" on its own row (issue 20, item 17):
      // a regular ticket is one touch from the confirm step, the priority question only follows "Ưu tiên".
      const twoTickets = (c.options?.priorityGroups.length ?? 0) > 0;
      const note = (s: NonNullable<typeof area>['services'][number]) => (
        <>
          {!s.open && (
            <span className="ticket-choice-note">
              <Icon name="clock" size={28} />{' '}
              {s.closedDay
                ? s.opensAt
                  ? t('tickets.service.closedDay', { name: s.closedDay, time: formatOpensAt(s.opensAt) })
                  : t('tickets.service.closedDayNoTime', { name: s.closedDay })
                : s.opensAt
                  ? t('tickets.service.closed', { time: formatOpensAt(s.opensAt) })
                  : t('tickets.service.closedNoTime')}
            </span>
          )}
          {s.open && s.capReached && <span className="ticket-choice-note">{t('tickets.service.full')}</span>}
        </>
      );
      return (
        <Screen
          title={area?.name ?? t('tickets.title')}
          instructions={t(twoTickets ? 'tickets.service.instructionsPriority' : 'tickets.service.instructions')}
          {...back}
          testId="ticket-services"
        >
          <div className="ticket-choices">
            {area?.services.map((s) => {
              const available = s.open && !s.capReached;
              return twoTickets ? (
                <div
                  key={s.id}
                  className={`ticket-service${available ? '' : ' ticket-service-closed'}`}
                  role="group"
                  aria-label={s.name}
                  data-testid={`service-${s.id}`}
                >
                  <span className="ticket-choice-name">{s.name}</span>
                  <span className="ticket-choice-meta">{t('tickets.service.counters', { counters: s.counters })}</span>
                  {note(s)}
                  <div className="ticket-service-buttons">
                    <button
                      type="button"
                      className="button button-primary ticket-service-button"
                      disabled={!available}
                      aria-label={`${t('tickets.service.regular')} – ${s.name}`}
                      onClick={() => send({ type: 'SELECT_SERVICE', serviceId: s.id, ticket: 'regular' })}
                      data-testid={`service-${s.id}-regular`}
                    >
                      <Icon name="ticket" size={36} /> {t('tickets.service.regular')}
                    </button>
                    <button
                      type="button"
                      className="button button-secondary ticket-service-button"
                      disabled={!available}
                      aria-label={`${t('tickets.service.priority')} – ${s.name}`}
                      onClick={() => send({ type: 'SELECT_SERVICE', serviceId: s.id, ticket: 'priority' })}
                      data-testid={`service-${s.id}-priority`}
                    >
                      <Icon name="priority" size={36} /> {t('tickets.service.priority')}
                    </button>
                  </div>
                </div>
              ) : (
                <button
                  key={s.id}
                  type="button"
                  className="ticket-choice"
                  disabled={!available}
                  onClick={() => send({ type: 'SELECT_SERVICE', serviceId: s.id })}
                  data-testid={`service-${s.id}`}
                >
                  <span className="ticket-choice-name">{s.name}</span>
                  <span className="ticket-choice-meta">{t('tickets.service.counters', { counters: s.counters })}</span>
                  {note(s)}
                </button>
              );
            })}
          </div>
        </Screen>
      );
    }
    case 'choosePriority':
      return (
        <Screen
          title={t('tickets.priority.title')}
          instructions={t('tickets.priority.instructions')}
          {...back}
          testId="ticket-priority"
        >
          <div className="ticket-choices">
            <button
              type="button"
              className="ticket-choice ticket-choice-main"
              onClick={() => send({ type: 'SELECT_PRIORITY', priorityGroupId: null })}
              data-testid="priority-none"
            >
              <span className="ticket-choice-name">{t('tickets.priority.none')}</span>
            </button>
            {c.options!.priorityGroups.map((g) => (
              // The screen's title already says these are priority groups: each option is its group's name alone, not the same "ƯU TIÊN" badge again.
              <button
                key={g.id}
                type="button"
                className="ticket-choice"
                onClick={() => send({ type: 'SELECT_PRIORITY', priorityGroupId: g.id })}
                data-testid={`priority-${g.id}`}
              >
                <span className="ticket-choice-name">{g.name}</span>
              </button>
            ))}
          </div>
        </Screen>
      );
    case 'confirm': {
      const e = c.estimate ?? { ahead: null, wait: null, online: false };
      return (
        <Screen
          title={t('tickets.confirm.title')}
          instructions={t('tickets.confirm.instructions')}
          {...back}
          testId="ticket-confirm"
          actions={
            <>
              <button
                type="button"
                className="button button-primary button-huge"
                onClick={() => send({ type: 'CONFIRM' })}
                data-testid="ticket-take"
              >
                <Icon name="ticket" size={40} />
                {t('tickets.confirm.take')}
              </button>
            </>
          }
        >
          {/* Focusable, so the facts can be scrolled to by keyboard when large text makes them overflow. */}
          <div role="group" tabIndex={0} aria-label={t('tickets.confirm.title')}>
            <dl className="ticket-facts">
              <dt>{t('tickets.confirm.service')}</dt>
              <dd data-speak>{service?.name}</dd>
              {priority && (
                <>
                  <dt>{t('tickets.confirm.priority')}</dt>
                  <dd>
                    <span className="ticket-mark">{t('tickets.priorityMark')}</span> {priority.name}
                  </dd>
                </>
              )}
              <dt>{t('tickets.confirm.ahead')}</dt>
              <dd data-speak data-testid="ticket-ahead">
                {aheadLabel(t, e)}
              </dd>
              <dt>{t('tickets.confirm.wait')}</dt>
              <dd data-speak data-testid="ticket-wait">
                {waitLabel(t, e)}
              </dd>
            </dl>
          </div>
        </Screen>
      );
    }
    case 'done': {
      const r = c.issued!;
      const channels = c.options?.notifyChannels ?? [];
      if (notifying && channels.length)
        return (
          <NotifySignup
            ticketId={r.ticket.ticketId}
            number={r.ticket.number}
            channels={channels}
            onClose={() => setNotifying(false)}
          />
        );
      return (
        <Screen
          title={t('tickets.done.title')}
          instructions={r.print.printed ? t('tickets.done.printed') : t('tickets.done.notPrinted')}
          onBack={null}
          testId="ticket-done"
          actions={
            <>
              {channels.length > 0 && (
                <button
                  type="button"
                  className="button button-secondary"
                  onClick={() => setNotifying(true)}
                  data-testid="ticket-notify-open"
                >
                  {t('tickets.notify.open')}
                </button>
              )}
              <button
                type="button"
                className="button button-secondary"
                onClick={() => nav.go('rating', { ticketId: r.ticket.ticketId, context: 'ticket' })}
                data-testid="ticket-rate"
              >
                {t('tile.rating')}
              </button>
              <button
                type="button"
                className="button button-primary button-huge"
                onClick={() => send({ type: 'DONE' })}
                data-testid="ticket-finish"
              >
                {t('tickets.done.finish')}
              </button>
            </>
          }
        >
          <TicketCard issued={r} />
        </Screen>
      );
    }
    case 'failed': {
      const code = c.error?.code;
      const opensAt = typeof c.error?.details?.opensAt === 'string' ? c.error.details.opensAt : null;
      const closedDay = typeof c.error?.details?.closedDay === 'string' ? c.error.details.closedDay : null;
      const message =
        code === 'SERVICE_CLOSED'
          ? `${closedDay ? t('tickets.failed.closedDay', { name: closedDay }) : t('tickets.failed.closed')}${opensAt ? ` ${t('tickets.failed.opensAt', { time: formatOpensAt(opensAt) })}` : ''}`
          : code === 'DAILY_CAP_REACHED'
            ? t('tickets.failed.full')
            : t('tickets.failed.other');
      const choice = code === 'SERVICE_CLOSED' || code === 'DAILY_CAP_REACHED';
      return (
        <Screen
          title={t('tickets.failed.title')}
          onBack={null}
          testId="ticket-failed"
          actions={
            <>
              {choice ? (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => send({ type: 'BACK' })}
                  data-testid="ticket-other"
                >
                  {t('tickets.failed.chooseOther')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button-primary"
                  onClick={() => send({ type: 'RETRY' })}
                  data-testid="ticket-retry"
                >
                  {t('tickets.retry')}
                </button>
              )}
              <button type="button" className="button button-secondary" onClick={() => send({ type: 'DONE' })}>
                {t('tickets.done.finish')}
              </button>
            </>
          }
        >
          <p className="lead-text" role="alert">
            {message}
          </p>
        </Screen>
      );
    }
    case 'unavailable':
      return (
        <Screen
          title={t('tickets.unavailable.title')}
          onBack={null}
          testId="ticket-unavailable"
          actions={
            <button type="button" className="button button-primary" onClick={() => send({ type: 'RETRY' })}>
              {t('tickets.retry')}
            </button>
          }
        >
          <p className="lead-text" role="alert">
            {t('tickets.unavailable.body')}
          </p>
        </Screen>
      );
    default:
      return (
        <Screen title={t('tickets.title')} onBack={null} testId="ticket-wait">
          <p className="lead-text" role="status" aria-live="polite">
            {state === 'issuing' ? t('tickets.issuing') : t('tickets.loading')}
          </p>
        </Screen>
      );
  }
}
