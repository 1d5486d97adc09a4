import type { PrintOutcome } from '../../../../contract/print.ts';
import { useI18n } from '../../kiosk-context.tsx';
import { NotPrinted } from '../../ui/NotPrinted.tsx';

export type PrintState =
  { kind: 'idle' } | { kind: 'printing' } | { kind: 'done'; outcome: PrintOutcome } | { kind: 'error'; code: string };

/** What happened to a print: done, or why not with the on-screen copy of the slip. */
export function PrintFeedback({
  state,
  printedText,
  onClose,
}: {
  state: PrintState;
  printedText: string;
  onClose(): void;
}) {
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
    <NotPrinted
      outcome={state.outcome}
      alt={printedText}
      className="print-preview"
      whyClassName="print-result print-result-error"
      testId="print-preview"
      hint={<p>{t('print.preview')}</p>}
    >
      <button type="button" className="button button-secondary" onClick={onClose}>
        {t('print.close')}
      </button>
    </NotPrinted>
  );
}
