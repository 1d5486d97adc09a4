import { useState } from 'react';
import { unwrap } from '../../../../contract/errors.ts';
import { normalizeVnMobile } from '../../../../protocol/phone.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { PhoneOptInFields } from '../../ui/PhoneOptIn.tsx';
import { Screen } from '../../ui/Screen.tsx';

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
      <PhoneOptInFields
        channels={channels}
        channel={channel}
        onChannel={setChannel}
        digits={digits}
        onDigits={setDigits}
        consent={t('tickets.notify.consent', { channel: channelName(channel) })}
        error={error}
        testPrefix="ticket-notify"
      />
    </Screen>
  );
}
