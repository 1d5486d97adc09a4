import { describe, expect, it } from 'vitest';
import { classifyScan } from '../../../../drivers/id/classify.ts';
import { SYNTHETIC_CCCD } from '../../../../drivers/id/fixtures.ts';
import { scanMessages } from '../../../../drivers/id/messages.ts';
import { applyIdFacts, FORMS } from '../../../../contract/forms/index.ts';
import { formIdWarnings, scanNoteWarnings } from './id-notes.ts';

describe('ID card notes on the submission form', () => {
  it('say a card whose sex does not match its ID number once, not in the scan note and again under the form', () => {
    // The synthetic card is a woman's (ID digit 4 = 1); read as "Nam" it disagrees with its number.
    const scan = classifyScan(SYNTHETIC_CCCD.replace('|Nữ|', '|Nam|'), 'sim');
    if (scan.kind !== 'cccd') throw new Error(`expected a card, got ${scan.kind}`);
    expect(scan.warnings.map((w) => w.code)).toContain('CCCD_SEX_MISMATCH');
    const form = FORMS.find((f) => f.sections.some((s) => s.fields.some((x) => x.id === 'applicantId')))!;
    const { values } = applyIdFacts(
      form,
      {},
      {
        fullName: scan.cccd.fullName,
        idNumber: scan.cccd.id,
        birthDate: scan.cccd.birthDate,
        sex: scan.cccd.sex,
        address: scan.cccd.address,
      },
    );
    const shown = [...scanNoteWarnings(scan.warnings), ...formIdWarnings(values)].map((w) => w.message.vi);
    expect(shown.filter((m) => m.startsWith('Giới tính không khớp'))).toHaveLength(1);
  });

  it('tell the citizen what to do about every card warning, in plain words', () => {
    for (const [code, message] of Object.entries(scanMessages.warnings)) {
      expect(message.vi, code).toMatch(/Vui lòng|hãy báo cán bộ/);
      expect(message.en, code).toMatch(/Please|tell an officer/);
    }
    // Nothing a citizen cannot act on: no encodings, checksums or character sets.
    for (const message of [...Object.values(scanMessages.warnings), ...Object.values(scanMessages.errors)]) {
      expect(message.vi).not.toMatch(/mã hóa|mã hoá|ký tự|mã kiểm tra|chữ số kiểm tra|MRZ|CRC/i);
      expect(message.en).not.toMatch(/encoding|checksum|check digit|character|MRZ|CRC/i);
    }
  });
});
