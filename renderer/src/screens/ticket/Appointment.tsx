import { useEffect, useRef, useState } from 'react';
import type { IssuedTicket } from '../../../../contract/domains/tickets.ts';
import { unwrap } from '../../../../contract/errors.ts';
import { CODE_ALPHABET } from '../../../../protocol/appointments.ts';
import { localTime } from '../../../../protocol/tickets.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav, type RouteProps } from '../../nav.tsx';
import { Screen } from '../../ui/Screen.tsx';
import { TicketCard } from './TicketCard.tsx';
import './ticket.css';

const KEYS = [...CODE_ALPHABET];

/**
 * "Tôi đã đặt lịch hẹn" (docs/phone.md): the booking code on an on-screen code pad (the 32
 * characters of booking codes: no 0/O/1/I), or the code of a booking QR scanned on the home
 * screen (`params.code`, checked in at once). Central checks the booking in; the kiosk prints a
 * ticket marked "LỊCH HẸN 09:30".
 */
export function Appointment({ params }: RouteProps) {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const nav = useNav();
  const scanned = typeof params.code === 'string' ? params.code : null;
  const [code, setCode] = useState(scanned ?? '');
  const [state, setState] = useState<'form' | 'sending'>(scanned ? 'sending' : 'form');
  const [error, setError] = useState<string | null>(null);
  const [issued, setIssued] = useState<IssuedTicket | null>(null);
  const started = useRef(false);

  const submit = async (value: string) => {
    setState('sending');
    setError(null);
    try {
      setIssued(await unwrap(api.call('tickets.checkIn', { code: value })));
    } catch (err) {
      const e = err as { code?: string; details?: { opensAt?: unknown } };
      const why = tError(e.code ?? 'INTERNAL');
      setError(
        e.code === 'APPOINTMENT_TOO_EARLY' && typeof e.details?.opensAt === 'string'
          ? `${why} ${t('tickets.appointment.opensAt', { time: localTime(new Date(e.details.opensAt)) })}`
          : why,
      );
      setState('form');
    }
  };
  useEffect(() => {
    if (scanned && !started.current) {
      started.current = true;
      void submit(scanned);
    }
  }, [scanned]);

  if (issued)
    return (
      <Screen
        title={t('tickets.appointment.done', { slot: issued.ticket.appointmentSlot ?? '' })}
        instructions={issued.print.printed ? t('tickets.done.printed') : t('tickets.done.notPrinted')}
        onBack={null}
        testId="appointment-done"
        actions={
          <button
            type="button"
            className="button button-primary button-huge"
            onClick={() => nav.home()}
            data-testid="appointment-finish"
          >
            {t('tickets.done.finish')}
          </button>
        }
      >
        <p className="appointment-mark" data-testid="appointment-mark">
          {t('tickets.appointment.mark', { slot: issued.ticket.appointmentSlot ?? '' })}
        </p>
        <TicketCard issued={issued} />
      </Screen>
    );

  return (
    <Screen
      title={t('tickets.appointment.title')}
      instructions={t('tickets.appointment.instructions')}
      testId="appointment"
      actions={
        <button
          type="button"
          className="button button-primary button-huge"
          disabled={code.length !== 8 || state === 'sending'}
          onClick={() => void submit(code)}
          data-testid="appointment-submit"
        >
          {t('tickets.appointment.submit')}
        </button>
      }
    >
      <div className="appointment-form">
        <output className="appointment-code" aria-label={t('tickets.appointment.code')} data-testid="appointment-code">
          {code || t('tickets.appointment.codeEmpty')}
        </output>
        {error && (
          <p className="lead-text notify-error" role="alert" data-testid="appointment-error">
            {error}
          </p>
        )}
        <div className="appointment-keypad">
          {KEYS.map((k) => (
            <button
              key={k}
              type="button"
              className="button button-secondary appointment-key"
              onClick={() => setCode((p) => (p.length < 8 ? p + k : p))}
              data-testid={`appointment-key-${k}`}
            >
              {k}
            </button>
          ))}
          <button
            type="button"
            className="button button-secondary appointment-key appointment-erase"
            onClick={() => setCode((p) => p.slice(0, -1))}
            aria-label={t('tickets.notify.erase')}
            data-testid="appointment-key-erase"
          >
            ⌫
          </button>
        </div>
      </div>
    </Screen>
  );
}
