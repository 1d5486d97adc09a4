import type { IssuedTicket } from '../../../../contract/domains/tickets.ts';
import { useI18n } from '../../kiosk-context.tsx';
import { NotPrinted } from '../../ui/NotPrinted.tsx';
import { aheadLabel, waitLabel } from './format.ts';

/**
 * The issued ticket on screen: the number as large as the screen allows, the facts of the paper
 * ticket and its QR. When the printer failed, the paper's image too, large enough to photograph.
 */
export function TicketCard({ issued }: { issued: IssuedTicket }) {
  const { t, tError } = useI18n();
  const k = issued.ticket;
  const online = k.origin === 'central';
  return (
    // Focusable: when large text or the paper's image make the result overflow, it can be scrolled by keyboard too.
    <div className="ticket-result" tabIndex={0} role="group" aria-label={`${t('tickets.done.number')} ${k.number}`}>
      <section className="ticket-card" aria-label={t('tickets.done.title')} data-testid="ticket-card">
        <div className="ticket-card-service">{k.serviceName}</div>
        <div className="ticket-number" data-speak data-testid="ticket-number">
          {k.number}
        </div>
        {k.priorityName && (
          <div className="ticket-priority">
            <span className="ticket-mark">{t('tickets.priorityMark')}</span> {k.priorityName}
          </div>
        )}
        <dl className="ticket-facts ticket-facts-compact">
          <dt>{t('tickets.done.counters')}</dt>
          <dd data-speak>{k.counters}</dd>
          {k.location && (
            <>
              <dt>{t('tickets.done.where')}</dt>
              <dd>{k.location}</dd>
            </>
          )}
          <dt>{t('tickets.done.time')}</dt>
          <dd>{k.issuedAtLocal}</dd>
          <dt>{t('tickets.done.ahead')}</dt>
          <dd>{aheadLabel(t, { ahead: k.ahead, online })}</dd>
          <dt>{t('tickets.done.wait')}</dt>
          <dd>{waitLabel(t, { wait: k.wait, online })}</dd>
        </dl>
        {k.origin === 'offline' && <p className="ticket-note">{t('tickets.done.offline')}</p>}
      </section>
      {issued.print.printed ? (
        <img className="ticket-qr" src={k.qr} alt="" data-testid="ticket-qr" />
      ) : (
        <NotPrinted
          outcome={issued.print}
          why={tError(issued.print.error.code)}
          alt={`${t('tickets.done.number')} ${k.number}`}
          className="ticket-fallback"
          whyClassName="ticket-fallback-why"
          imageClassName="ticket-preview"
          testId="ticket-not-printed"
          imageTestId="ticket-preview"
        />
      )}
    </div>
  );
}
