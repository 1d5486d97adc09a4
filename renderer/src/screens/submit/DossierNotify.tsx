import { useState } from 'react';
import { normalizeVnMobile } from '../../../../protocol/phone.ts';
import { useI18n } from '../../kiosk-context.tsx';
import { PhoneOptInFields, type NotifyChoice } from '../../ui/PhoneOptIn.tsx';
import { Screen } from '../../ui/Screen.tsx';

/**
 * "Nhắn tin về hồ sơ" (docs/phone.md): after the review and before the dossier is sent, the
 * citizen may give a mobile number to be told by Zalo or SMS when the dossier is received, being
 * processed and when the result is ready. Optional: "Bỏ qua" submits without it.
 */
export function DossierNotify({
  channels,
  onOptIn,
  onSkip,
  onBack,
}: {
  channels: ReadonlyArray<NotifyChoice>;
  onOptIn: (channel: NotifyChoice, phone: string) => void;
  onSkip: () => void;
  onBack: () => void;
}) {
  const { t } = useI18n();
  const [channel, setChannel] = useState<NotifyChoice>(channels[0]!);
  const [digits, setDigits] = useState('');
  const valid = normalizeVnMobile(digits) !== null;
  const channelName = t(channel === 'zalo' ? 'tickets.notify.zalo' : 'tickets.notify.sms');
  return (
    <Screen
      title={t('submit.notify.title')}
      instructions={t('submit.notify.instructions')}
      onBack={onBack}
      backTestId="submit-notify-back"
      testId="submit-notify"
      actions={
        <>
          <button
            type="button"
            className="button button-secondary"
            onClick={() => {
              setDigits('');
              onSkip();
            }}
            data-testid="submit-notify-skip"
          >
            {t('submit.notify.skip')}
          </button>
          <button
            type="button"
            className="button button-primary button-huge"
            disabled={!valid}
            onClick={() => onOptIn(channel, digits)}
            data-testid="submit-notify-submit"
          >
            {t('tickets.notify.submit')}
          </button>
        </>
      }
    >
      <PhoneOptInFields
        channels={channels}
        channel={channel}
        onChannel={setChannel}
        digits={digits}
        onDigits={setDigits}
        consent={t('submit.notify.consent', { channel: channelName })}
        error={digits.length >= 10 && !valid ? t('submit.notify.badPhone') : null}
        testPrefix="submit-notify"
      />
    </Screen>
  );
}
