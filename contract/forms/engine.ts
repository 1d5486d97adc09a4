import type { AutofillKey, FieldError, FieldSchema, FormSchema, FormValues } from './types.ts';

const DEFAULT_MAX: Record<FieldSchema['type'], number> = {
  text: 120,
  textarea: 600,
  date: 10,
  id12: 12,
  phone: 11,
  number: 15,
  choice: 60,
};

/** `dd/mm/yyyy` → ISO `yyyy-mm-dd`, or null when it is not a real calendar date. */
export function parseDmy(text: string): string | null {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900 || mo < 1 || mo > 12 || d < 1) return null;
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO `yyyy-mm-dd` → `dd/mm/yyyy`. */
export const isoToDmy = (iso: string): string => {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
};

/** Whether a field is asked given the other values (its `when` condition). */
export function isActive(field: FieldSchema, values: FormValues): boolean {
  return !field.when || field.when.in.includes(values[field.when.field] ?? '');
}

export const allFields = (schema: FormSchema): FieldSchema[] => schema.sections.flatMap((s) => s.fields);

/** One field's first problem, or null. `today` is ISO (the kiosk's local date). */
export function validateField(field: FieldSchema, raw: string | undefined, today: string): FieldError | null {
  const value = (raw ?? '').trim();
  const err = (code: FieldError['code'], params?: Record<string, number>): FieldError =>
    params ? { field: field.id, code, params } : { field: field.id, code };
  if (value === '') return field.required ? err('required') : null;
  const max = field.maxLength ?? DEFAULT_MAX[field.type];
  if ([...value].length > max) return err('tooLong', { max });
  if (field.minLength && [...value].length < field.minLength) return err('tooShort', { min: field.minLength });
  switch (field.type) {
    case 'date': {
      const iso = parseDmy(value);
      if (!iso) return err('date');
      if (field.notFuture && iso > today) return err('dateFuture');
      break;
    }
    case 'id12':
      if (!/^\d{12}$/.test(value)) return err('id12');
      break;
    case 'phone':
      if (!/^0\d{9}$/.test(value.replace(/[\s.]/g, ''))) return err('phone');
      break;
    case 'number': {
      if (!/^\d+$/.test(value)) return err('number');
      const n = Number(value);
      if (field.min !== undefined && n < field.min) return err('numberMin', { min: field.min });
      if (field.max !== undefined && n > field.max) return err('numberMax', { max: field.max });
      break;
    }
    case 'choice':
      if (!field.options?.some((o) => o.value === value)) return err('choice');
      break;
    default:
      break;
  }
  if (field.pattern && !new RegExp(field.pattern.regex, 'u').test(value)) return err('pattern');
  return null;
}

/** Every problem of a form, in the order the fields appear (the summary lists them so). */
export function validateForm(schema: FormSchema, values: FormValues, today: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of allFields(schema)) {
    if (!isActive(field, values)) continue;
    const e = validateField(field, values[field.id], today);
    if (e) errors.push(e);
  }
  return errors;
}

/** Only the fields a form asks (inactive and unknown ones dropped), trimmed. */
export function cleanValues(schema: FormSchema, values: FormValues): FormValues {
  const out: FormValues = {};
  for (const field of allFields(schema)) {
    if (!isActive(field, values)) continue;
    const v = (values[field.id] ?? '').trim();
    if (v !== '') out[field.id] = v;
  }
  return out;
}

/** The field id a schema uses for each autofill key. */
export function autofillTargets(schema: FormSchema): Partial<Record<AutofillKey, string>> {
  const out: Partial<Record<AutofillKey, string>> = {};
  for (const f of allFields(schema)) if (f.autofill) out[f.autofill] = f.id;
  return out;
}

/** What an ID scan knows, in form terms. */
export interface IdFacts {
  fullName?: string;
  idNumber?: string;
  /** ISO date. */
  birthDate?: string;
  sex?: 'male' | 'female';
  address?: string;
}

/** The values after an ID scan: scanned facts overwrite their fields, everything else is kept. */
export function applyIdFacts(
  schema: FormSchema,
  values: FormValues,
  facts: IdFacts,
): { values: FormValues; filled: string[] } {
  const targets = autofillTargets(schema);
  const next = { ...values };
  const filled: string[] = [];
  const put = (key: AutofillKey, value: string | undefined) => {
    const id = targets[key];
    if (!id || value === undefined || value === '') return;
    next[id] = value;
    filled.push(id);
  };
  put('fullName', facts.fullName);
  put('idNumber', facts.idNumber);
  put('birthDate', facts.birthDate && isoToDmy(facts.birthDate));
  put('sex', facts.sex);
  put('address', facts.address);
  return { values: next, filled };
}

/** The fee for these answers: the schema's fee, times the per-unit field when it has one. */
export function feeFor(schema: FormSchema, values: FormValues): number {
  if (!schema.feePerField) return schema.fee;
  const n = Number(values[schema.feePerField] ?? '1');
  return schema.fee * (Number.isSafeInteger(n) && n > 0 ? n : 1);
}
