import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo, useState } from 'react';
import { fromPromise } from 'xstate';
import type { IssuedTicket, OfficerToday, TicketOptions } from '../../../../contract/domains/tickets.ts';
import { officerDeskMachine } from '../../../../workflows/officer-desk.ts';
import type { IssueParams } from '../../../../workflows/ticket.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { TicketCard } from '../ticket/TicketCard.tsx';
import { unwrap } from '../../../../contract/errors.ts';
import '../ticket/ticket.css';
import './officer.css';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

/** The officer desk (workflows/officer-desk.ts): PIN, then one tap per ticket for any service. */
export function OfficerDesk() {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const nav = useNav();
  const machine = useMemo(
    () =>
      officerDeskMachine.provide({
        actors: {
          status: fromPromise<{ pinSet: boolean }, void>(() => unwrap(api.call('tickets.officerStatus', {}))),
          unlock: fromPromise<{ token: string }, { pin: string }>(({ input }) =>
            unwrap(api.call('tickets.officerUnlock', input)),
          ),
          load: fromPromise<{ options: TicketOptions; today: OfficerToday }, { token: string }>(async ({ input }) => {
            const [options, today] = await Promise.all([
              unwrap(api.call('tickets.options', {})),
              unwrap(api.call('tickets.officerToday', input)),
            ]);
            return { options, today };
          }),
          issue: fromPromise<IssuedTicket, IssueParams & { token: string }>(({ input }) =>
            unwrap(api.call('tickets.officerIssue', input)),
          ),
          reprint: fromPromise<IssuedTicket, { token: string }>(({ input }) =>
            unwrap(api.call('tickets.officerReprint', input)),
          ),
          lock: fromPromise<void, { token: string | null }>(async ({ input }) => {
            if (input.token) await api.call('tickets.officerLock', { token: input.token });
          }),
        },
      }),
    [api],
  );
  const actor = useActorRef(machine, { input: {} });
  const state = useSelector(actor, (s) => s.value as string);
  const c = useSelector(actor, (s) => s.context);
  const [pin, setPin] = useState('');
  const [groupId, setGroupId] = useState<string | null>(null);

  useEffect(() => {
    if (state === 'closed') nav.home();
  }, [state, nav]);

  const error = c.error ? (
    <p className="lead-text officer-error" role="alert">
      {tError(c.error.code)}
    </p>
  ) : null;

  if (state === 'noPin') {
    return (
      <Screen title={t('officer.title')} instructions={t('error.PIN_NOT_SET')} onBack={null} testId="officer-no-pin">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => actor.send({ type: 'CANCEL' })}
          data-testid="officer-close"
        >
          {t('officer.pin.close')}
        </button>
      </Screen>
    );
  }

  if (state === 'checking' || state === 'locked' || state === 'unlocking') {
    const submit = () => {
      actor.send({ type: 'SUBMIT_PIN', pin });
      setPin('');
    };
    return (
      <Screen
        title={t('officer.title')}
        instructions={t('officer.pin.instructions')}
        onBack={null}
        testId="officer-pin"
      >
        {error}
        <div className="officer-pin">
          <output className="officer-pin-dots" aria-label={t('officer.pin.label')} data-testid="officer-pin-dots">
            {'●'.repeat(pin.length) || '\u00a0'}
          </output>
          <div className="officer-keypad">
            {DIGITS.map((d) => (
              <button
                key={d}
                type="button"
                className="button button-secondary officer-key"
                onClick={() => setPin((p) => (p.length < 12 ? p + d : p))}
                data-testid={`pin-${d}`}
              >
                {d}
              </button>
            ))}
            <button type="button" className="button button-secondary officer-key" onClick={() => setPin('')}>
              {t('officer.pin.clear')}
            </button>
            <button
              type="button"
              className="button button-primary officer-key"
              disabled={pin.length < 4 || state !== 'locked'}
              onClick={submit}
              data-testid="pin-open"
            >
              {t('officer.pin.open')}
            </button>
          </div>
          <button type="button" className="button button-secondary" onClick={() => actor.send({ type: 'CANCEL' })}>
            {t('officer.pin.cancel')}
          </button>
        </div>
      </Screen>
    );
  }

  const options = c.options;
  const groups = options?.priorityGroups ?? [];
  // No group is chosen for the officer: a priority ticket takes a deliberate choice each time.
  const group = groups.find((g) => g.id === groupId) ?? null;
  const busy = state !== 'desk';
  const count = (serviceId: string) => c.today?.services.find((s) => s.serviceId === serviceId);
  return (
    <div className="officer-frame" onPointerDownCapture={() => actor.send({ type: 'ACTIVITY' })}>
      <Screen
        title={t('officer.title')}
        instructions={t('officer.desk.instructions')}
        onBack={null}
        testId="officer-desk"
        actions={
          <>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy || !c.today?.lastTicket}
              onClick={() => actor.send({ type: 'REPRINT' })}
              data-testid="officer-reprint"
            >
              {t('officer.reprint')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              disabled={busy}
              onClick={() => actor.send({ type: 'REFRESH' })}
            >
              {t('officer.refresh')}
            </button>
            <button
              type="button"
              className="button button-primary"
              onClick={() => actor.send({ type: 'LOCK' })}
              data-testid="officer-lock"
            >
              {t('officer.lock')}
            </button>
          </>
        }
      >
        {error}
        {groups.length > 0 && (
          <fieldset className="officer-groups">
            <legend>{t('officer.priorityGroup')}</legend>
            {groups.map((g) => (
              <button
                key={g.id}
                type="button"
                className="officer-group"
                aria-pressed={group?.id === g.id}
                onClick={() => setGroupId(group?.id === g.id ? null : g.id)}
                data-testid={`officer-group-${g.id}`}
              >
                {g.name}
              </button>
            ))}
          </fieldset>
        )}
        {c.today && !c.today.fromCentral && <p className="officer-note">{t('officer.localOnly')}</p>}
        <table className="officer-table">
          <thead>
            <tr>
              <th scope="col">{t('tickets.confirm.service')}</th>
              <th scope="col">{t('officer.issued')}</th>
              <th scope="col">{t('officer.waiting')}</th>
              <th scope="col">{t('officer.served')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('tickets.confirm.take')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {options?.areas.flatMap((a) =>
              a.services.map((s) => {
                const n = count(s.id);
                return (
                  <tr key={s.id} data-testid={`officer-row-${s.id}`}>
                    <th scope="row">
                      <span className="officer-prefix">{s.prefix}</span> {s.name}
                    </th>
                    <td data-testid={`officer-issued-${s.id}`}>{n?.issued ?? '—'}</td>
                    <td>{n?.waiting ?? '—'}</td>
                    <td>{n?.served ?? '—'}</td>
                    <td className="officer-actions">
                      <button
                        type="button"
                        className="button button-primary"
                        disabled={busy}
                        onClick={() => actor.send({ type: 'ISSUE', serviceId: s.id, priorityGroupId: null })}
                        data-testid={`officer-normal-${s.id}`}
                      >
                        {t('officer.normal')}
                      </button>
                      {group && (
                        <button
                          type="button"
                          className="button button-secondary officer-priority"
                          disabled={busy}
                          onClick={() => {
                            actor.send({ type: 'ISSUE', serviceId: s.id, priorityGroupId: group.id });
                            setGroupId(null);
                          }}
                          data-testid={`officer-priority-${s.id}`}
                        >
                          <span className="ticket-mark">{t('tickets.priorityMark')}</span>
                        </button>
                      )}
                    </td>
                  </tr>
                );
              }),
            )}
          </tbody>
        </table>
        {busy && <p role="status">{t('officer.busy')}</p>}
        {c.last && (
          <div className="officer-last" data-testid="officer-last" role="status">
            <p className="officer-last-line">
              {c.last.ticket.priorityName && <span className="ticket-mark">{t('tickets.priorityMark')}</span>}{' '}
              {t('officer.last', { number: c.last.ticket.number, service: c.last.ticket.serviceName })}
            </p>
            {!c.last.print.printed && (
              <>
                <p className="officer-error">
                  {t('officer.lastNotPrinted', { reason: tError(c.last.print.error.code) })}
                </p>
                <TicketCard issued={c.last} />
              </>
            )}
          </div>
        )}
      </Screen>
    </div>
  );
}
