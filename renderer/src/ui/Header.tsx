import { useI18n, useKiosk } from '../kiosk-context.tsx';
import { Clock } from './Clock.tsx';
import { Icon } from './icons.tsx';
import { useOfficerGesture } from '../screens/officer/useOfficerGesture.dom.ts';

/** Office name, date and time, and whether the kiosk reaches the central system. */
export function Header() {
  const { info, sync } = useKiosk();
  const { t } = useI18n();
  const officerTap = useOfficerGesture();
  return (
    <header className="header">
      <div className="header-office">
        <img className="header-emblem" src="/emblem.svg" alt="" />
        <div>
          <div className="header-office-name" onPointerDown={officerTap} data-testid="office-name">
            {info.officeName}
          </div>
          <div className="header-app-name">{t('app.title')}</div>
        </div>
      </div>
      <Clock />
      <div className="header-tools">
        <div className={`net ${sync.online ? 'net-online' : 'net-offline'}`} role="status" data-testid="net-status">
          <Icon name={sync.online ? 'online' : 'offline'} size={32} />
          <span>
            {sync.online ? t('header.online') : t('header.offline')}
            {!sync.online && <span className="net-hint">{t('header.offlineHint')}</span>}
          </span>
        </div>
      </div>
    </header>
  );
}
