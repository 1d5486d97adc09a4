import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { useScreenSpeech } from '../a11y/useScreenSpeech.dom.ts';
import { useI18n } from '../kiosk-context.tsx';
import { useNav } from '../nav.tsx';
import { Icon } from './icons.tsx';

export interface ScreenProps {
  /** The screen's title, already translated. Spoken first by speech output. */
  title: string;
  /**
   * What the citizen should do here, already translated. Spoken after the title; then every
   * element marked `data-speak` (a ticket number, a receipt's key facts), then the choices.
   */
  instructions?: string;
  /**
   * "Quay lại": by default the route's own way back; a flow passes its step back (it sends the
   * flow's BACK); `null` hides it (a result screen whose only way out is "Xong").
   */
  onBack?: (() => void) | null;
  /** The back button's test id and label when the flow gives its own (default `nav-back`, "Quay lại"). */
  backTestId?: string;
  backLabel?: string;
  /** Shown at the bottom beside back/home: the screen's main actions. */
  actions?: ReactNode;
  children?: ReactNode;
  testId?: string;
}

/** The frame of every citizen screen: title, instructions, content, and the way back. */
export function Screen({
  title,
  instructions,
  onBack,
  backTestId = 'nav-back',
  backLabel,
  actions,
  children,
  testId,
}: ScreenProps) {
  const nav = useNav();
  const { t } = useI18n();
  const root = useRef<HTMLElement>(null);
  useScreenSpeech(root, title, instructions);
  // A flow's steps share this frame (React keeps the same element), so a step would open
  // scrolled wherever the last one was left: a QR cut off at the top. Each step starts at the top.
  const body = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    body.current?.scrollTo({ top: 0 });
  }, [testId, title]);
  return (
    <main ref={root} className="screen" data-testid={testId} aria-labelledby="screen-title">
      <div className="screen-head">
        <h1 id="screen-title" className="screen-title">
          {title}
        </h1>
        {instructions && <p className="screen-instructions">{instructions}</p>}
      </div>
      <div ref={body} className="screen-body">
        {children}
      </div>
      <nav className="screen-nav" aria-label={t('nav.home')}>
        {onBack !== null && (
          <BackButton onClick={onBack ?? nav.back} testId={backTestId} {...(backLabel ? { label: backLabel } : {})} />
        )}
        <button type="button" className="button button-secondary" onClick={nav.home} data-testid="nav-home">
          <Icon name="home" size={36} />
          {t('nav.home')}
        </button>
        <div className="screen-actions">{actions}</div>
      </nav>
    </main>
  );
}

/** "Quay lại": the screen's own, or a flow's step back (`onClick` sends the flow's BACK). */
export function BackButton({
  onClick,
  testId,
  label,
  disabled,
}: {
  onClick(): void;
  testId?: string;
  label?: string;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  return (
    <button
      type="button"
      className="button button-secondary"
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
    >
      <Icon name="back" size={36} />
      {label ?? t('nav.back')}
    </button>
  );
}
