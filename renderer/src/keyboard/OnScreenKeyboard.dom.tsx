import { useState } from 'react';
import KeyboardReact from 'react-simple-keyboard';
import 'simple-keyboard/build/css/index.css';
import { useI18n } from '../kiosk-context.tsx';
import './keyboard.css';
import { layouts, markDisplay, vniTextLayout, type FieldKind } from './layouts.ts';
import type { InputMethod } from './telex.ts';

export interface KeyboardProps {
  kind: FieldKind;
  method: InputMethod;
  onMethod(method: InputMethod): void;
  /** A simple-keyboard button name: a character, or `{bksp}`, `{t1}`… for function keys. */
  onButton(button: string): void;
}

/**
 * Large-key on-screen keyboard for the field's kind. simple-keyboard draws the keys (as real
 * buttons, so they have names for speech and tests); the field does the typing.
 */
export function OnScreenKeyboard({ kind, method, onMethod, onButton }: KeyboardProps) {
  const { t } = useI18n();
  const [shift, setShift] = useState(false);
  const [numbers, setNumbers] = useState(false);
  const spec = layouts[kind];
  const layout = kind === 'text' && method === 'vni' ? vniTextLayout : spec.layout;
  const layoutName = numbers && layout.numbers ? 'numbers' : shift && layout.shift ? 'shift' : 'default';

  const display: Record<string, string> = {
    ...markDisplay,
    '{bksp}': `⌫ ${t('keyboard.backspace')}`,
    '{enter}': t('keyboard.enter'),
    '{shift}': `⇧ ${t('keyboard.shift')}`,
    '{space}': t('keyboard.space'),
    '{clear}': t('keyboard.clear'),
    '{left}': t('keyboard.left'),
    '{right}': t('keyboard.right'),
    '{numbers}': '123',
    '{abc}': 'abc',
  };

  const press = (button: string) => {
    if (button === '{shift}') {
      setShift((s) => !s);
      return;
    }
    if (button === '{numbers}' || button === '{abc}') {
      setNumbers(button === '{numbers}');
      return;
    }
    onButton(button);
    // One capital, then back to small letters (names start with one).
    if (shift && button.length === 1) setShift(false);
  };

  return (
    <div
      className={`osk osk-${kind}`}
      role="group"
      aria-label={t('keyboard.label')}
      data-testid={`keyboard-${kind}`}
      // Inside a form (technician settings) a key is a button too: pressing it must type, never submit the form.
      onClickCapture={(e) => {
        if ((e.target as Element).closest('.hg-button')) e.preventDefault();
      }}
    >
      {spec.vietnamese && (
        <div className="osk-options">
          <div className="osk-switch" role="radiogroup" aria-label={t('keyboard.method')}>
            {(['telex', 'vni', 'plain'] as const).map((m) => (
              <button
                key={m}
                type="button"
                role="radio"
                aria-checked={method === m}
                className="osk-option"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => onMethod(m)}
                data-testid={`keyboard-method-${m}`}
              >
                {t(`keyboard.${m}`)}
              </button>
            ))}
          </div>
        </div>
      )}
      <KeyboardReact
        layout={layout}
        layoutName={layoutName}
        display={display}
        onKeyPress={press}
        useButtonTag
        preventMouseDownDefault
        disableButtonHold
        physicalKeyboardHighlight={false}
        theme={`hg-theme-default osk-theme ${shift ? 'osk-shifted' : ''}`}
        buttonTheme={[
          { class: 'osk-fn', buttons: '{bksp} {enter} {shift} {clear} {left} {right} {numbers} {abc}' },
          { class: 'osk-mark', buttons: Object.keys(markDisplay).join(' ') },
          { class: 'osk-space', buttons: '{space}' },
        ]}
      />
    </div>
  );
}
