import { useI18n, useKiosk } from '../kiosk-context.tsx';
import { Clock } from './Clock.tsx';

/** Shown after a long idle on the home screen; any touch wakes the kiosk. */
export function Attract({ onWake }: { onWake(): void }) {
  const { t } = useI18n();
  const { info } = useKiosk();
  return (
    <button type="button" className="attract" onClick={onWake} data-testid="attract">
      <span className="attract-office">{info.officeName}</span>
      <span className="attract-title">{t('attract.title')}</span>
      <span className="attract-subtitle">{t('attract.subtitle')}</span>
      <Clock />
    </button>
  );
}
