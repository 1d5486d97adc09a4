import type { PrintOutcome } from '../../../../contract/domains/catalog.ts';
import { useI18n } from '../../kiosk-context.tsx';

export type PrintState = { kind: 'idle' } | { kind: 'printing' } | { kind: 'done'; outcome: PrintOutcome } | { kind: 'error'; code: string };

/** What happened to a print: done, or why not with the on-screen copy of the slip. */
export function PrintFeedback({ state, printedText, onClose }: { state: PrintState; printedText: string; onClose(): void }) {
  const { t, tError } = useI18n();
  if (state.kind === 'idle' || state.kind === 'printing') return null;
  if (state.kind === 'error') {
    return (
      <p className="print-result print-result-error" role="alert" data-testid="print-result">
        ⚠ {t('print.failed', { reason: tError(state.code) })}
      </p>
    );
  }
  if (state.outcome.printed) {
    return (
      <p className="print-result" role="status" data-testid="print-result">
        ✓ {printedText}
      </p>
    );
  }
  return (
    <div className="print-preview" role="alert" data-testid="print-preview">
      <p className="print-result print-result-error">⚠ {t('print.failed', { reason: tError(state.outcome.error.code) })}</p>
      <p>{t('print.preview')}</p>
      <img src={state.outcome.preview} alt={printedText} />
      <button type="button" className="button button-secondary" onClick={onClose}>
        {t('print.close')}
      </button>
    </div>
  );
}
