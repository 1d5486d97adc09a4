import { useRef } from 'react';
import { useScreenSpeech } from '../../a11y/useScreenSpeech.dom.ts';
import { useScanStream } from '../../scan/useScanStream.dom.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { useNav } from '../../nav.tsx';
import { tiles } from '../../tiles.dom.ts';
import { isProvisionalScan } from '../dossier/provisional.ts';
import { appointmentCodeOfScan } from '../../../../protocol/appointments.ts';
import { Icon } from '../../ui/icons.tsx';

export function Home() {
  const { t } = useI18n();
  const { storageFull } = useKiosk();
  const nav = useNav();
  const root = useRef<HTMLElement>(null);
  useScreenSpeech(root, t('home.greeting'), t('home.instructions'));
  // A dossier receipt (or a provisional receipt's QR) scanned on the home screen goes straight to its status.
  useScanStream(({ result }) => {
    if (result.kind === 'dossier') nav.go('dossier', { scan: result.text, code: result.dossier.code });
    else if (isProvisionalScan(result)) nav.go('dossier', { scan: result.text, code: result.text.trim() });
    else {
      // A booking QR (`…/a/<code>`, docs/phone.md): checked in at once.
      const code = appointmentCodeOfScan(result.text);
      if (code) nav.go('appointment', { code });
    }
  });
  return (
    <main ref={root} className="screen home" data-testid="home" aria-labelledby="screen-title">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          {t('home.greeting')}
        </h1>
        <p className="screen-instructions">{t('home.instructions')}</p>
        {storageFull && (
          <p className="home-storage-full" role="status" data-testid="storage-full">
            {t('home.storageFull')}
          </p>
        )}
      </div>
      <div className="tiles">
        {tiles.map((tile) => (
          <button
            key={tile.id}
            type="button"
            className="tile"
            data-testid={`tile-${tile.id}`}
            onClick={() => nav.go(tile.route)}
          >
            <span className="tile-icon">
              <Icon name={tile.icon} size={72} />
            </span>
            <span className="tile-label">{t(tile.label)}</span>
            <span className="tile-hint">{t(tile.hint)}</span>
          </button>
        ))}
      </div>
      <button
        type="button"
        className="button button-secondary home-appointment"
        data-testid="home-appointment"
        onClick={() => nav.go('appointment')}
      >
        {t('tickets.appointment.open')}
      </button>
    </main>
  );
}
