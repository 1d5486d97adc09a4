import type { ReactNode } from 'react';
import type { PrintOutcome } from '../../../contract/print.ts';
import { useI18n } from '../kiosk-context.tsx';

type NotPrintedOutcome = Extract<PrintOutcome, { printed: false }>;

/**
 * The one rendering of a slip the printer could not print (ticket, receipt, payment slip, guide,
 * status): why, in the citizen's words, and the whole slip on screen to photograph. `why`
 * replaces the printer's reason where a screen says it its own way; the class and test ids keep
 * each screen's layout; `children` come after the slip (a close button).
 */
export function NotPrinted({
  outcome,
  alt,
  why,
  hint,
  className = 'print-fallback',
  whyClassName,
  imageClassName,
  testId = 'print-fallback',
  imageTestId,
  children,
}: {
  outcome: NotPrintedOutcome;
  alt: string;
  why?: string;
  hint?: ReactNode;
  className?: string;
  whyClassName?: string;
  imageClassName?: string;
  testId?: string;
  imageTestId?: string;
  children?: ReactNode;
}) {
  const { t, tError } = useI18n();
  return (
    <div className={className} role="alert" data-testid={testId}>
      <p className={whyClassName}>{why ?? `⚠ ${t('print.failed', { reason: tError(outcome.error.code) })}`}</p>
      {hint}
      <img className={imageClassName} src={outcome.preview} alt={alt} data-testid={imageTestId} />
      {children}
    </div>
  );
}
