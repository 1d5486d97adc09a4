import { useEffect, useId, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import { useOptionalSpeech } from '../a11y/speech.tsx';
import { useI18n, useKiosk } from '../kiosk-context.tsx';
import type { FieldKind } from './layouts.ts';
import { markKeys } from './layouts.ts';
import { OnScreenKeyboard } from './OnScreenKeyboard.dom.tsx';
import { applyMark, backspace, moveCaret, typeKey, type EditState, type InputMethod } from './telex.ts';

export type { FieldKind } from './layouts.ts';

/** Only one field's keyboard is open at a time, across the screen. */
let activeField: string | null = null;
const listeners = new Set<() => void>();
const setActive = (id: string | null) => {
  activeField = id;
  listeners.forEach((l) => l());
};
const subscribe = (l: () => void) => {
  listeners.add(l);
  return () => listeners.delete(l);
};

export interface TextFieldProps {
  kind: FieldKind;
  /** Visible label, already translated. */
  label: string;
  value: string;
  onChange(value: string): void;
  /** The keyboard's "Xong" key (and Enter). */
  onEnter?(): void;
  /** Open the keyboard on this field as soon as it shows. */
  autoOpen?: boolean;
  placeholder?: string;
  maxLength?: number;
  hint?: string;
  testId?: string;
  /** Shown under the field as an error (with an icon and words, never colour alone). */
  error?: string | undefined;
  /**
   * The typing method a text field starts with until the citizen picks one (then their pick,
   * for the rest of their session). Search folds marks anyway: it starts without marks.
   */
  defaultMethod?: InputMethod;
  /** A PIN: drawn as dots. */
  password?: boolean;
}

const filters: Record<FieldKind, (key: string) => boolean> = {
  text: () => true,
  code: (k) => /^[0-9A-Za-z.\-/]$/.test(k),
  number: (k) => /^[0-9]$/.test(k),
  phone: (k) => /^[0-9+]$/.test(k),
  url: (k) => /^[\x21-\x7e]$/.test(k),
};

/**
 * A kiosk text field: a large input that opens the on-screen keyboard fitting its kind
 * (Vietnamese letters with Telex/VNI, a code pad, a number pad). The system keyboard never
 * shows (`inputMode="none"`); a physical keyboard or a keyboard-wedge scanner still works.
 */
export function TextField({
  kind,
  label,
  value,
  onChange,
  onEnter,
  autoOpen,
  placeholder,
  maxLength,
  hint,
  testId,
  error,
  defaultMethod = 'telex',
  password,
}: TextFieldProps) {
  const { t } = useI18n();
  const { info, inputMethod, setInputMethod } = useKiosk();
  const style = info.toneStyle;
  const speech = useOptionalSpeech();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const caret = useRef(value.length);
  const method: InputMethod = kind === 'text' ? (inputMethod ?? defaultMethod) : 'plain';
  const active = useSyncExternalStore(subscribe, () => activeField === id);

  useEffect(() => {
    if (autoOpen) {
      setActive(id);
      input.current?.focus();
    }
    return () => {
      if (activeField === id) setActive(null);
    };
  }, [autoOpen, id]);

  // After each keyboard edit, put the caret where the engine says.
  const pendingCaret = useRef<number | null>(null);
  useLayoutEffect(() => {
    const el = input.current;
    if (el && pendingCaret.current !== null) {
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  });

  // The keys typed for the word at the caret (Telex restores a word that is no Vietnamese
  // syllable to them); kept only while nothing else changed the field.
  const lastEdit = useRef<EditState | null>(null);

  const current = (): EditState => {
    const el = input.current;
    const at = el && document.activeElement === el && el.selectionStart !== null ? el.selectionStart : caret.current;
    const state = { text: value, caret: Math.min(at, value.length) };
    const last = lastEdit.current;
    return last?.keys !== undefined && last.text === state.text && last.caret === state.caret
      ? { ...state, keys: last.keys }
      : state;
  };

  const commit = (next: EditState) => {
    lastEdit.current = next;
    const text = maxLength ? next.text.slice(0, maxLength) : next.text;
    caret.current = Math.min(next.caret, text.length);
    pendingCaret.current = caret.current;
    if (text !== value) onChange(text);
    else if (input.current) input.current.setSelectionRange(caret.current, caret.current);
  };

  const onButton = (button: string) => {
    const opts = { method: kind === 'text' ? method : 'plain', style } as const;
    const state = current();
    switch (button) {
      case '{bksp}':
        return commit(backspace(state, opts));
      case '{clear}':
        return commit({ text: '', caret: 0 });
      case '{space}':
        return commit(typeKey(state, ' ', opts));
      case '{left}':
        return commit(moveCaret(state, -1));
      case '{right}':
        return commit(moveCaret(state, 1));
      case '{enter}':
        // "Xong": say what was typed, so a citizen who cannot read the field knows.
        if (speech?.enabled) speech.say(`${label.replace(/:$/, '')}: ${value.trim() || t('speech.fieldEmpty')}`);
        onEnter?.();
        return;
      default: {
        const mark = markKeys[button];
        if (mark) return commit(applyMark(state, mark, style));
        if (button.length !== 1 || !filters[kind](button)) return;
        const key = kind === 'code' ? button.toUpperCase() : button;
        return commit(typeKey(state, key, opts));
      }
    }
  };

  return (
    <div className={`text-field text-field-${kind}`}>
      <label htmlFor={id} className="text-field-label">
        {label}
      </label>
      <div className="text-field-row">
        <input
          ref={input}
          id={id}
          className="text-field-input"
          value={value}
          type={password ? 'password' : 'text'}
          placeholder={placeholder}
          inputMode="none"
          autoComplete={password ? 'new-password' : 'off'}
          autoCorrect="off"
          spellCheck={false}
          maxLength={maxLength}
          aria-invalid={error ? true : undefined}
          aria-describedby={hint || error ? `${id}-hint` : undefined}
          data-testid={testId}
          onFocus={() => setActive(id)}
          onSelect={(e) => {
            caret.current = e.currentTarget.selectionStart ?? value.length;
          }}
          onChange={(e) => {
            // A physical keyboard or a wedge scanner typed directly.
            caret.current = e.currentTarget.selectionStart ?? e.currentTarget.value.length;
            onChange(e.currentTarget.value);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') onEnter?.();
          }}
        />
        <button
          type="button"
          className="button button-secondary text-field-toggle"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => {
            if (active) setActive(null);
            else {
              setActive(id);
              input.current?.focus();
            }
          }}
          aria-expanded={active}
          data-testid={testId ? `${testId}-keyboard-toggle` : undefined}
        >
          {active ? t('keyboard.hide') : t('keyboard.show')}
        </button>
      </div>
      {(hint || error) && (
        <p
          id={`${id}-hint`}
          className={error ? 'text-field-error' : 'text-field-hint'}
          role={error ? 'alert' : undefined}
        >
          {error ? `⚠ ${error}` : hint}
        </p>
      )}
      {active && (
        <OnScreenKeyboard
          kind={kind}
          method={method}
          onMethod={(m) => {
            setInputMethod(m);
            input.current?.focus();
          }}
          onButton={onButton}
        />
      )}
    </div>
  );
}
