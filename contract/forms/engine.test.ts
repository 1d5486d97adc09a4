import { describe, expect, it } from 'vitest';
import { allFields, applyIdFacts, cleanValues, isActive, parseDmy, validateForm } from './engine.ts';
import { FORMS, formFor } from './index.ts';
import { SAMPLE_VALUES } from './samples.ts';
import type { FieldSchema } from './types.ts';

const TODAY = '2026-11-28';

/** A value each field type must refuse, and the error it must give. */
function badValueFor(field: FieldSchema): { value: string; code: string } {
  switch (field.type) {
    case 'date':
      return { value: '31/02/2020', code: 'date' };
    case 'id12':
      return { value: '09619001234', code: 'id12' };
    case 'phone':
      return { value: '12345', code: 'phone' };
    case 'number':
      return { value: '12a', code: 'number' };
    case 'choice':
      return { value: 'not-an-option', code: 'choice' };
    default:
      return { value: 'x'.repeat((field.maxLength ?? (field.type === 'textarea' ? 600 : 120)) + 1), code: 'tooLong' };
  }
}

describe('form schemas', () => {
  it('cover the five procedures the kiosk must take, each with a unique code', () => {
    expect(FORMS.map((f) => f.procedureCode).sort()).toEqual([
      '1.001193',
      '1.001612',
      '1.004194',
      '1.004227',
      '2.000635',
    ]);
    for (const form of FORMS) {
      const ids = allFields(form).map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(form.name.vi).toMatch(/\p{L}/u);
    }
  });

  it('start with an applicant section that an ID card scan can fill', () => {
    for (const form of FORMS) {
      const keys = allFields(form).flatMap((f) => (f.autofill ? [f.autofill] : []));
      expect(keys.sort()).toEqual(['address', 'birthDate', 'fullName', 'idNumber', 'sex']);
    }
  });
});

describe.each(FORMS.map((f) => [f.procedureCode, f.name.vi, f] as const))('form %s (%s)', (code, _name, form) => {
  const valid = SAMPLE_VALUES[code]!;

  it('accepts the complete sample', () => {
    expect(validateForm(form, valid, TODAY)).toEqual([]);
  });

  const fields = allFields(form).filter((f) => isActive(f, valid));
  it.each(fields.map((f) => [f.id, f] as const))('refuses a bad %s with the field named', (id, field) => {
    const bad = badValueFor(field);
    const errors = validateForm(form, { ...valid, [id]: bad.value }, TODAY);
    expect(errors).toEqual([expect.objectContaining({ field: id, code: bad.code })]);
    if (field.required)
      expect(validateForm(form, { ...valid, [id]: '  ' }, TODAY)).toEqual([{ field: id, code: 'required' }]);
    else expect(validateForm(form, { ...valid, [id]: '' }, TODAY)).toEqual([]);
  });

  it('refuses an empty form with one error per required field, in screen order', () => {
    const errors = validateForm(form, {}, TODAY);
    const required = allFields(form).filter((f) => f.required && isActive(f, {}));
    expect(errors.map((e) => e.field)).toEqual(required.map((f) => f.id));
    expect(errors.every((e) => e.code === 'required')).toBe(true);
  });
});

describe('form engine rules', () => {
  const copy = formFor('2.000635')!;
  const residence = formFor('1.004194')!;

  it('asks a conditional field only when its condition holds', () => {
    const birth = { ...SAMPLE_VALUES['2.000635']!, recordType: 'khai-sinh', spouseName: '' };
    expect(validateForm(copy, birth, TODAY)).toEqual([]);
    expect(validateForm(copy, { ...birth, recordType: 'ket-hon' }, TODAY)).toEqual([
      { field: 'spouseName', code: 'required' },
    ]);
    expect(cleanValues(copy, { ...birth, spouseName: 'Ai đó' })).not.toHaveProperty('spouseName');
  });

  it('refuses dates in the future where a past date is needed', () => {
    expect(validateForm(copy, { ...SAMPLE_VALUES['2.000635']!, subjectBirthDate: '01/01/2027' }, TODAY)).toEqual([
      { field: 'subjectBirthDate', code: 'dateFuture' },
    ]);
  });

  it('checks numbers against their bounds', () => {
    expect(validateForm(residence, { ...SAMPLE_VALUES['1.004194']!, months: '36' }, TODAY)).toEqual([
      { field: 'months', code: 'numberMax', params: { max: 24 } },
    ]);
    expect(validateForm(residence, { ...SAMPLE_VALUES['1.004194']!, months: '0' }, TODAY)).toEqual([
      { field: 'months', code: 'numberMin', params: { min: 1 } },
    ]);
  });

  it('reads real calendar dates only', () => {
    expect(parseDmy('29/02/2024')).toBe('2024-02-29');
    expect(parseDmy('29/02/2023')).toBeNull();
    expect(parseDmy('5/9/1980')).toBe('1980-09-05');
    expect(parseDmy('1980-09-05')).toBeNull();
  });

  it('fills scanned identity facts and keeps what the citizen typed elsewhere', () => {
    const { values, filled } = applyIdFacts(
      copy,
      { applicantPhone: '0912345678', applicantName: 'sai' },
      {
        fullName: 'Nguyễn Thị Ánh Tuyết',
        idNumber: '096190012345',
        birthDate: '1990-03-15',
        sex: 'female',
        address: 'Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau',
      },
    );
    expect(values).toMatchObject({
      applicantName: 'Nguyễn Thị Ánh Tuyết',
      applicantBirthDate: '15/03/1990',
      applicantSex: 'female',
      applicantPhone: '0912345678',
    });
    expect(filled).toEqual(['applicantName', 'applicantId', 'applicantBirthDate', 'applicantSex', 'applicantAddress']);
  });
});
