import { useI18n, useKiosk } from '../kiosk-context.tsx';
import { Clock } from './Clock.tsx';
import { Icon } from './icons.tsx';

/** Office name, date and time, connection state, language and text size: on every screen. */
export function Header() {
  const { info, sync, largeText, setLargeText } = useKiosk();
  const { t, lang, setLang } = useI18n();
  return (
    <header className="header">
      <div className="header-office">
        <img className="header-emblem" src="/emblem.svg" alt="" />
        <div>
          <div className="header-office-name">{info.officeName}</div>
          <div className="header-app-name">{t('app.title')}</div>
        </div>
      </div>
      <Clock />
      <div className="header-tools">
        <div className={`net ${sync.online ? 'net-online' : 'net-offline'}`} role="status" data-testid="net-status" title={sync.online ? undefined : t('header.offlineHint')}>
          <Icon name={sync.online ? 'online' : 'offline'} size={32} />
          <span>{sync.online ? t('header.online') : t('header.offline')}</span>
        </div>
        <div className="lang-switch" role="group" aria-label={t('header.language')}>
          <button type="button" className="tool-button" aria-pressed={lang === 'vi'} onClick={() => setLang('vi')} lang="vi">
            Tiếng Việt
          </button>
          <button type="button" className="tool-button" aria-pressed={lang === 'en'} onClick={() => setLang('en')} lang="en">
            English
          </button>
        </div>
        <button type="button" className="tool-button" aria-pressed={largeText} onClick={() => setLargeText(!largeText)} data-testid="large-text-toggle">
          <Icon name="text" size={32} />
          <span>{largeText ? t('header.normalText') : t('header.largeText')}</span>
        </button>
      </div>
    </header>
  );
}
