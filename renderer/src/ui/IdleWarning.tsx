import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../kiosk-context.tsx';

/** The time-out warning: one large button to get more time, and a visible countdown. */
export function IdleWarning({
  durationMs,
  onExtend,
  onFinish,
}: {
  durationMs: number;
  onExtend(): void;
  onFinish(): void;
}) {
  const { t } = useI18n();
  const [left, setLeft] = useState(Math.ceil(durationMs / 1000));
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const end = Date.now() + durationMs;
    const timer = setInterval(() => setLeft(Math.max(0, Math.ceil((end - Date.now()) / 1000))), 250);
    button.current?.focus();
    return () => clearInterval(timer);
  }, [durationMs]);
  return (
    <div
      className="overlay"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="idle-title"
      aria-describedby="idle-body"
      data-testid="idle-warning"
    >
      <div className="dialog">
        <h2 id="idle-title" className="dialog-title">
          {t('idle.title')}
        </h2>
        <p id="idle-body" className="lead-text">
          {t('idle.body', { seconds: left })}
        </p>
        <div className="dialog-actions">
          <button ref={button} type="button" className="button button-primary button-huge" onClick={onExtend}>
            {t('idle.extend')}
          </button>
          <button type="button" className="button button-secondary" onClick={onFinish}>
            {t('idle.finish')}
          </button>
        </div>
      </div>
    </div>
  );
}
