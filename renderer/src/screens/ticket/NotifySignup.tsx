import { useState } from 'react';
import { unwrap } from '../../../../contract/errors.ts';
import { normalizeVnMobile } from '../../../../protocol/phone.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { Screen } from '../../ui/Screen.tsx';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** `0912345678` → `0912 345 678`: easier to check at a glance. */
const grouped = (d: string) => [d.slice(0, 4), d.slice(4, 7), d.slice(7)].filter(Boolean).join(' ');

/**
 * "Nhắn tin khi sắp đến lượt" on the ticket screen (docs/phone.md): Zalo or SMS, a mobile number
 * on the on-screen keypad, the consent wording, then "Đồng ý và đăng ký". The number lives in
 * this component only until sent; the kiosk passes it to central and keeps none of it.
 */
export function NotifySignup({
  ticketId,
  number,
  channels,
  onClose,
}: {
  ticketId: string;
  number: string;
  channels: ReadonlyArray<'zalo' | 'sms'>;
  onClose: () => void;
}) {
  const { api } = useKiosk();
  const { t, tError } = useI18n();
  const [channel, setChannel] = useState<'zalo' | 'sms'>(channels[0]!);
  const [digits, setDigits] = useState('');
  const [state, setState] = useState<'form' | 'sending' | 'done'>('form');
  const [error, setError] = useState<string | null>(null);
  const valid = normalizeVnMobile(digits) !== null;
  const channelName = (c: 'zalo' | 'sms') => t(c === 'zalo' ? 'tickets.notify.zalo' : 'tickets.notify.sms');

  if (state === 'done')
    return (
      <Screen
        title={t('tickets.notify.title')}
        instructions={t('tickets.notify.done', { number, channel: channelName(channel) })}
        onBack={null}
        testId="ticket-notify-done"
        actions={
          <button
            type="button"
            className="button button-primary button-huge"
            onClick={onClose}
            data-testid="ticket-notify-close"
          >
            {t('tickets.notify.back')}
          </button>
        }
      />
    );

  const submit = async () => {
    setState('sending');
    setError(null);
    try {
      await unwrap(api.call('tickets.notify', { ticketId, channel, phone: digits, consent: true }));
      setDigits('');
      setState('done');
    } catch (err) {
      setError(tError((err as { code?: string }).code ?? 'INTERNAL'));
      setState('form');
    }
  };

  return (
    <Screen
      title={t('tickets.notify.title')}
      instructions={t('tickets.notify.instructions', { number })}
      onBack={onClose}
      backTestId="ticket-notify-back"
      backLabel={t('tickets.notify.back')}
      testId="ticket-notify"
      actions={
        <button
          type="button"
          className="button button-primary button-huge"
          disabled={!valid || state === 'sending'}
          onClick={() => void submit()}
          data-testid="ticket-notify-submit"
        >
          {t('tickets.notify.submit')}
        </button>
      }
    >
      <div className="notify-form">
        {channels.length > 1 && (
          <div className="notify-channels" role="group" aria-label={t('tickets.notify.channel')}>
            {channels.map((c) => (
              <button
                key={c}
                type="button"
                className={`button ${channel === c ? 'button-primary' : 'button-secondary'} notify-channel`}
                aria-pressed={channel === c}
                onClick={() => setChannel(c)}
                data-testid={`ticket-notify-${c}`}
              >
                {channelName(c)}
              </button>
            ))}
          </div>
        )}
        <output className="notify-phone" aria-label={t('tickets.notify.phone')} data-testid="ticket-notify-phone">
          {grouped(digits) || t('tickets.notify.phoneEmpty')}
        </output>
        {error && (
          <p className="lead-text notify-error" role="alert">
            {error}
          </p>
        )}
        <div className="notify-keypad">
          {DIGITS.map((d) => (
            <button
              key={d}
              type="button"
              className="button button-secondary notify-key"
              onClick={() => setDigits((p) => (p.length < 11 ? p + d : p))}
              data-testid={`notify-key-${d}`}
            >
              {d}
            </button>
          ))}
          <button
            type="button"
            className="button button-secondary notify-key"
            onClick={() => setDigits((p) => p.slice(0, -1))}
            aria-label={t('tickets.notify.erase')}
            data-testid="notify-key-erase"
          >
            ⌫
          </button>
        </div>
        <p className="notify-consent" data-testid="ticket-notify-consent">
          {t('tickets.notify.consent', { channel: channelName(channel) })}
        </p>
      </div>
    </Screen>
  );
}
