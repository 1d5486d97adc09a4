import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useI18n } from '../../kiosk-context.tsx';

/** A new PIN typed twice (setup wizard, technician settings). */
export interface NewPin {
  pin: string;
  again: string;
}

export const EMPTY_PIN: NewPin = { pin: '', again: '' };

/** 6–12 digits, typed the same twice: the core checks the same rule again. */
export const pinReady = ({ pin, again }: NewPin): boolean => /^\d{6,12}$/.test(pin) && pin === again;

const digits = (v: string) => v.replace(/\D/g, '').slice(0, 12);

/** The two password fields and, while they are not right yet, what is wrong with them. */
export function NewPinFields({
  value,
  onChange,
  testIds,
}: {
  value: NewPin;
  onChange(v: NewPin): void;
  testIds: readonly [string, string];
}) {
  const { t } = useI18n();
  const { pin, again } = value;
  const problem =
    pin && !/^\d{6,12}$/.test(pin) ? t('setup.pin.short') : again && again !== pin ? t('setup.pin.mismatch') : null;
  return (
    <>
      {/* A kiosk has no physical keyboard: each field opens the on-screen number pad. */}
      <TextField
        kind="number"
        password
        label={t('setup.pin.pin')}
        value={pin}
        maxLength={12}
        onChange={(v) => onChange({ pin: digits(v), again })}
        testId={testIds[0]}
      />
      <TextField
        kind="number"
        password
        label={t('setup.pin.again')}
        value={again}
        maxLength={12}
        onChange={(v) => onChange({ pin, again: digits(v) })}
        testId={testIds[1]}
      />
      {problem && (
        <p className="tech-message tech-message-error" role="alert">
          ⚠ {problem}
        </p>
      )}
    </>
  );
}
