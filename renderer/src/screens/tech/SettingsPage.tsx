import { TextField } from '../../keyboard/TextField.dom.tsx';
import { useEffect, useState } from 'react';
import { PRINTER_PROFILE_CHOICES, TechSettings } from '../../../../contract/domains/tech.ts';
import { useI18n, useKiosk } from '../../kiosk-context.tsx';
import { EMPTY_PIN, NewPinFields, pinReady } from './NewPinFields.tsx';
import { useCall } from './useCall.dom.ts';

/** Office, time-outs, languages, text size, printer and scanner: validated by the core, applied live. */
export function SettingsPage() {
  const { api } = useKiosk();
  const { t } = useI18n();
  const loaded = useCall('tech.settingsGet', {});
  const [s, setS] = useState<TechSettings | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setS(loaded.value), [loaded.value]);
  if (!s) return loaded.error ? <p role="alert">⚠ {loaded.error}</p> : null;
  const set = <K extends keyof TechSettings>(k: K, v: TechSettings[K]) => setS({ ...s, [k]: v });
  // An emptied field shows empty (not "0", which the next key would follow: "Xoá hết" then 5 gave 50).
  const seconds = (ms: number) => (ms === 0 ? '' : String(Math.round(ms / 1000)));
  const toMs = (text: string) => Math.max(0, Math.round(Number(text.replace(/\D/g, '') || '0') * 1000));

  const save = async () => {
    // Checked here first to name the field; the core checks again against the whole config.
    const checked = TechSettings.safeParse(s);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      return setNote({ ok: false, text: t('tech.error', { message: `${issue.path.join('.')}: ${issue.message}` }) });
    }
    const r = await api.call('tech.settingsSet', checked.data);
    if (r.ok) {
      setS(r.value.settings);
      setNote({ ok: true, text: t('tech.settings.saved') });
    } else setNote({ ok: false, text: t('tech.error', { message: r.error.message }) });
  };

  return (
    <div className="tech-page">
      <form
        className="tech-form"
        data-testid="tech-settings-page"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {/* A kiosk has no physical keyboard: every field opens the on-screen keyboard of its kind. */}
        <TextField
          kind="text"
          label={t('tech.settings.kioskName')}
          value={s.kioskName}
          onChange={(v) => set('kioskName', v)}
          testId="settings-kiosk-name"
        />
        <TextField
          kind="text"
          label={t('tech.settings.officeName')}
          value={s.officeName}
          onChange={(v) => set('officeName', v)}
          testId="settings-office-name"
        />
        <TextField
          kind="number"
          label={t('tech.settings.idle')}
          value={seconds(s.timeouts.idleWarningMs)}
          onChange={(v) => set('timeouts', { ...s.timeouts, idleWarningMs: toMs(v) })}
          testId="settings-idle"
        />
        <TextField
          kind="number"
          label={t('tech.settings.warning')}
          value={seconds(s.timeouts.warningMs)}
          onChange={(v) => set('timeouts', { ...s.timeouts, warningMs: toMs(v) })}
          testId="settings-warning"
        />
        <TextField
          kind="number"
          label={t('tech.settings.attract')}
          value={seconds(s.timeouts.attractMs)}
          onChange={(v) => set('timeouts', { ...s.timeouts, attractMs: toMs(v) })}
          testId="settings-attract"
        />
        <label className="tech-field">
          <span>{t('tech.settings.lang')}</span>
          <select value={s.lang} onChange={(e) => set('lang', e.target.value as TechSettings['lang'])}>
            <option value="vi">Tiếng Việt</option>
            <option value="en">English</option>
          </select>
        </label>
        <fieldset className="tech-field">
          <legend>{t('tech.settings.languages')}</legend>
          {(['vi', 'en'] as const).map((l) => (
            <label key={l} className="tech-check">
              <input
                type="checkbox"
                checked={s.languages.includes(l)}
                onChange={(e) =>
                  set(
                    'languages',
                    e.target.checked ? [...new Set([...s.languages, l])] : s.languages.filter((x) => x !== l),
                  )
                }
              />
              {l === 'vi' ? 'Tiếng Việt' : 'English'}
            </label>
          ))}
        </fieldset>
        <label className="tech-field">
          <span>{t('tech.settings.textSize')}</span>
          <select value={s.textSize} onChange={(e) => set('textSize', e.target.value as TechSettings['textSize'])}>
            <option value="normal">{t('tech.settings.textNormal')}</option>
            <option value="large">{t('tech.settings.textLarge')}</option>
          </select>
        </label>
        <label className="tech-field">
          <span>{t('tech.settings.toneStyle')}</span>
          <select
            value={s.toneStyle}
            onChange={(e) => set('toneStyle', e.target.value as TechSettings['toneStyle'])}
            data-testid="settings-tone-style"
          >
            <option value="old">{t('tech.settings.toneOld')}</option>
            <option value="new">{t('tech.settings.toneNew')}</option>
          </select>
        </label>
        <TextField
          kind="url"
          label={t('tech.settings.printer')}
          value={s.printer}
          onChange={(v) => set('printer', v)}
          testId="settings-printer"
        />
        <label className="tech-field">
          <span>{t('tech.settings.width')}</span>
          <select
            value={s.printerWidthMm}
            onChange={(e) => set('printerWidthMm', Number(e.target.value) === 58 ? 58 : 80)}
          >
            <option value={80}>80</option>
            <option value={58}>58</option>
          </select>
        </label>
        <label className="tech-field">
          <span>{t('tech.settings.mode')}</span>
          <select
            value={s.printerMode}
            onChange={(e) => set('printerMode', e.target.value as TechSettings['printerMode'])}
          >
            <option value="text">text</option>
            <option value="glyphs">glyphs</option>
            <option value="raster">raster</option>
            <option value="codepage">codepage</option>
          </select>
        </label>
        <label className="tech-field">
          <span>{t('tech.settings.profile')}</span>
          <select
            value={s.printerProfile ?? ''}
            onChange={(e) =>
              set('printerProfile', e.target.value === '' ? null : (e.target.value as TechSettings['printerProfile']))
            }
            data-testid="settings-printer-profile"
          >
            <option value="">{t('tech.settings.profileAsk')}</option>
            {PRINTER_PROFILE_CHOICES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <TextField
          kind="number"
          label={t('tech.settings.codePage')}
          value={s.printerCodePage === null || s.printerCodePage === undefined ? '' : String(s.printerCodePage)}
          maxLength={3}
          onChange={(v) => set('printerCodePage', v === '' ? null : Number(v.replace(/\D/g, '').slice(0, 3)))}
          testId="settings-code-page"
        />
        <TextField
          kind="url"
          label={t('tech.settings.scanner')}
          value={s.scanner}
          onChange={(v) => set('scanner', v)}
          placeholder="serial:/dev/ttyACM0?baud=9600&terminator=CR"
          testId="settings-scanner"
        />
        <div className="tech-toolbar">
          <button type="submit" className="button button-primary" data-testid="settings-save">
            {t('tech.settings.save')}
          </button>
        </div>
        {note && (
          <p
            className={`tech-message ${note.ok ? 'tech-message-ok' : 'tech-message-error'}`}
            role={note.ok ? 'status' : 'alert'}
            data-testid="settings-note"
          >
            {note.ok ? '✓' : '⚠'} {note.text}
          </p>
        )}
      </form>
      <PinSettings />
    </div>
  );
}

type PinRole = 'officer' | 'technician';

/**
 * The two PINs a technician sets: the officer desk's (the desk stays shut until it is set) and
 * their own. Each is typed twice; the core stores only a scrypt hash and audits the change.
 */
function PinSettings() {
  const { t } = useI18n();
  const status = useCall('tech.pins', {});
  return (
    <section className="tech-card" aria-labelledby="pins-title" data-testid="tech-pins">
      <h2 id="pins-title">{t('tech.pins.title')}</h2>
      {(['officer', 'technician'] as const).map((role) => (
        <PinForm key={role} role={role} isSet={status.value?.[role] ?? null} onSaved={() => void status.reload()} />
      ))}
    </section>
  );
}

function PinForm({ role, isSet, onSaved }: { role: PinRole; isSet: boolean | null; onSaved(): void }) {
  const { api } = useKiosk();
  const { t } = useI18n();
  const [pin, setPin] = useState(EMPTY_PIN);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const save = async () => {
    const r = await api.call('tech.setPin', { role, pin: pin.pin });
    if (r.ok) {
      setPin(EMPTY_PIN);
      setNote({ ok: true, text: t('tech.pins.saved') });
      onSaved();
    } else setNote({ ok: false, text: t('tech.error', { message: r.error.message }) });
  };
  return (
    <form
      className="tech-form tech-pin-form"
      data-testid={`pin-form-${role}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (pinReady(pin)) void save();
      }}
    >
      <h3>
        {t(role === 'officer' ? 'tech.pins.officer' : 'tech.pins.technician')}{' '}
        {isSet !== null && (
          <span data-testid={`pin-state-${role}`}>({t(isSet ? 'tech.pins.isSet' : 'tech.pins.notSet')})</span>
        )}
      </h3>
      {role === 'officer' && isSet === false && (
        <p className="tech-message tech-message-error" data-testid="pin-officer-shut">
          ⚠ {t('tech.pins.officerShut')}
        </p>
      )}
      <NewPinFields value={pin} onChange={setPin} testIds={[`pin-new-${role}`, `pin-again-${role}`]} />
      <div className="tech-toolbar">
        <button
          type="submit"
          className="button button-primary"
          disabled={!pinReady(pin)}
          data-testid={`pin-save-${role}`}
        >
          {t('tech.pins.save')}
        </button>
      </div>
      {note && (
        <p
          className={`tech-message ${note.ok ? 'tech-message-ok' : 'tech-message-error'}`}
          role={note.ok ? 'status' : 'alert'}
        >
          {note.ok ? '✓' : '⚠'} {note.text}
        </p>
      )}
    </form>
  );
}
