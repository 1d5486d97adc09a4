import { isMessageKey } from '../../../i18n/index.ts';
import { useI18n } from '../../kiosk-context.tsx';
import type { RouteProps } from '../../routes.tsx';
import { Screen } from '../../ui/Screen.tsx';

/** What a tile whose flow is not on this kiosk yet honestly says. */
export function NotBuilt({ params }: RouteProps) {
  const { t } = useI18n();
  const label = typeof params.label === 'string' && isMessageKey(params.label) ? t(params.label) : '';
  return (
    <Screen title={t('notBuilt.title')} testId="not-built">
      <p className="lead-text" data-speak>{t('notBuilt.body', { name: label })}</p>
    </Screen>
  );
}
