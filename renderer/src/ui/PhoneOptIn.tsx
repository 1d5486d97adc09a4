import { useI18n } from '../kiosk-context.tsx';
import './phone-opt-in.css';

export type NotifyChoice = 'zalo' | 'sms';

const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'] as const;

/** `0912345678` → `0912 345 678`: easier to check at a glance. */
export const groupedPhone = (d: string) => [d.slice(0, 4), d.slice(4, 7), d.slice(7)].filter(Boolean).join(' ');

/**
 * The phone opt-in's body, shared by "Nhắn tin khi sắp đến lượt" (ticket) and "Nhắn tin về hồ
 * sơ" (dossier submission), docs/phone.md: Zalo or SMS, the mobile number on the on-screen
 * keypad, and the consent wording. The number lives in the caller's state only until sent.
 */
export function PhoneOptInFields({
  channels,
  channel,
  onChannel,
  digits,
  onDigits,
  consent,
  error,
  testPrefix,
}: {
  channels: ReadonlyArray<NotifyChoice>;
  channel: NotifyChoice;
  onChannel: (c: NotifyChoice) => void;
  digits: string;
  onDigits: (update: (previous: string) => string) => void;
  consent: string;
  error: string | null;
  testPrefix: string;
}) {
  const { t } = useI18n();
  const channelName = (c: NotifyChoice) => t(c === 'zalo' ? 'tickets.notify.zalo' : 'tickets.notify.sms');
  return (
    <div className="notify-form">
      {channels.length > 1 && (
        <div className="notify-channels" role="group" aria-label={t('tickets.notify.channel')}>
          {channels.map((c) => (
            <button
              key={c}
              type="button"
              className={`button ${channel === c ? 'button-primary' : 'button-secondary'} notify-channel`}
              aria-pressed={channel === c}
              onClick={() => onChannel(c)}
              data-testid={`${testPrefix}-${c}`}
            >
              {channelName(c)}
            </button>
          ))}
        </div>
      )}
      <output className="notify-phone" aria-label={t('tickets.notify.phone')} data-testid={`${testPrefix}-phone`}>
        {groupedPhone(digits) || t('tickets.notify.phoneEmpty')}
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
            onClick={() => onDigits((p) => (p.length < 11 ? p + d : p))}
            data-testid={`notify-key-${d}`}
          >
            {d}
          </button>
        ))}
        <button
          type="button"
          className="button button-secondary notify-key"
          onClick={() => onDigits((p) => p.slice(0, -1))}
          aria-label={t('tickets.notify.erase')}
          data-testid="notify-key-erase"
        >
          ⌫
        </button>
      </div>
      <p className="notify-consent" data-testid={`${testPrefix}-consent`}>
        {consent}
      </p>
    </div>
  );
}
