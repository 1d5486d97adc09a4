import type { FieldError, FieldSchema, FormSchema, FormValues } from '../../../contract/forms/index.ts';
import { isActive } from '../../../contract/forms/index.ts';
import { useI18n } from '../kiosk-context.tsx';
import { TextField, type FieldKind } from '../keyboard/TextField.dom.tsx';
import { fieldErrorMessage } from './messages.ts';
import './forms.css';

const kindOf: Record<Exclude<FieldSchema['type'], 'choice'>, FieldKind> = {
  text: 'text',
  textarea: 'text',
  // Digits and "/" on the code pad.
  date: 'code',
  id12: 'number',
  phone: 'phone',
  number: 'number',
};

export interface FormEngineProps {
  schema: FormSchema;
  values: FormValues;
  /** Problems to show (the screen decides when: after the first "Xem lại"). */
  errors: FieldError[];
  /** Field ids filled from the ID card. */
  scanned: string[];
  onChange(field: string, value: string): void;
}

/** Scrolls to a field and puts the caret in it (from the error summary). */
export function focusField(id: string): void {
  const el = document.getElementById(`field-${id}`);
  el?.scrollIntoView({ block: 'center' });
  el?.querySelector<HTMLElement>('input, button')?.focus();
}

/** The error summary: every problem, in field order, each with a button to go there. */
export function ErrorSummary({ schema, errors }: { schema: FormSchema; errors: FieldError[] }) {
  const { t, lang } = useI18n();
  if (!errors.length) return null;
  const byId = new Map(schema.sections.flatMap((s) => s.fields).map((f) => [f.id, f]));
  return (
    <section className="form-summary" role="alert" aria-labelledby="form-summary-title" data-testid="form-summary">
      <h2 id="form-summary-title">⚠ {t('submit.summary.title', { count: errors.length })}</h2>
      <ul>
        {errors.map((e) => (
          <li key={e.field}>
            <button type="button" className="form-summary-link" onClick={() => focusField(e.field)}>
              {fieldErrorMessage(t, lang, byId.get(e.field)!, e)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** One engine for every procedure: renders the schema's sections and fields, nothing procedure-specific. */
export function FormEngine({ schema, values, errors, scanned, onChange }: FormEngineProps) {
  const { t, lang } = useI18n();
  const errorOf = new Map(errors.map((e) => [e.field, e]));
  return (
    <div className="form-engine" data-testid={`form-${schema.procedureCode}`}>
      {schema.sections.map((section) => (
        <fieldset key={section.id} className="form-section">
          <legend className="form-section-title">{section.title[lang]}</legend>
          {section.help && <p className="form-section-help">{section.help[lang]}</p>}
          {section.fields
            .filter((f) => isActive(f, values))
            .map((field) => {
              const e = errorOf.get(field.id);
              const message = e ? fieldErrorMessage(t, lang, field, e) : undefined;
              const label = `${field.label[lang]}${field.required ? '' : ` ${t('submit.field.optional')}`}`;
              const fromCard = scanned.includes(field.id);
              return (
                <div
                  key={field.id}
                  id={`field-${field.id}`}
                  className={`form-field${fromCard ? ' form-field-scanned' : ''}`}
                >
                  {fromCard && <p className="form-field-badge">✓ {t('submit.scan.fromCard')}</p>}
                  {field.type === 'choice' ? (
                    <div
                      className="form-choice"
                      role="radiogroup"
                      aria-label={label}
                      aria-invalid={e ? true : undefined}
                    >
                      <p className="text-field-label">{label}</p>
                      <div className="form-choice-options">
                        {field.options!.map((o) => {
                          const on = values[field.id] === o.value;
                          return (
                            <button
                              key={o.value}
                              type="button"
                              role="radio"
                              aria-checked={on}
                              className={`button form-choice-option ${on ? 'button-primary' : 'button-secondary'}`}
                              onClick={() => onChange(field.id, o.value)}
                              data-testid={`field-${field.id}-${o.value}`}
                            >
                              {on ? '● ' : '○ '}
                              {o.label[lang]}
                            </button>
                          );
                        })}
                      </div>
                      {message && (
                        <p className="text-field-error" role="alert">
                          ⚠ {message}
                        </p>
                      )}
                    </div>
                  ) : (
                    <TextField
                      kind={kindOf[field.type]}
                      label={label}
                      value={values[field.id] ?? ''}
                      onChange={(v) => onChange(field.id, v)}
                      placeholder={field.type === 'date' ? 'dd/mm/yyyy' : undefined}
                      maxLength={
                        field.maxLength ??
                        (field.type === 'id12'
                          ? 12
                          : field.type === 'date'
                            ? 10
                            : field.type === 'textarea'
                              ? 600
                              : 120)
                      }
                      hint={field.help?.[lang]}
                      error={message}
                      testId={`field-${field.id}`}
                    />
                  )}
                </div>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}
