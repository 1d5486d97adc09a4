import type { FieldError, FieldSchema } from '../../../contract/forms/index.ts';
import type { Lang, MessageKey } from '../../i18n/index.ts';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A field problem in plain words, naming the field (shown beside it and in the summary). */
export function fieldErrorMessage(t: T, lang: Lang, field: FieldSchema, error: FieldError): string {
  const label = field.label[lang];
  const hint = field.pattern?.message[lang] ?? '';
  // An empty choice asks to choose, not to type.
  const code = field.type === 'choice' && error.code === 'required' ? 'choice' : error.code;
  return t(`submit.error.${code}` as MessageKey, { label, hint, ...(error.params ?? {}) });
}
