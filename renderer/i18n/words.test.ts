import { describe, expect, it } from 'vitest';
import { scanMessages } from '../../drivers/id/messages.ts';
import { FORMS } from '../../contract/forms/index.ts';
import { DEFAULT_PREPARE } from '../../kiosk/tickets/ticket-doc.ts';
import { vi } from './index.ts';

/** Every Vietnamese string a citizen can read: the catalogs, the forms, scan messages, the ticket's default line. */
function vietnamese(): [where: string, text: string][] {
  // Technician screens are not the citizen's (they name both tone styles on purpose).
  const out: [string, string][] = Object.entries(vi)
    .filter(([k]) => !k.startsWith('tech.'))
    .map(([k, v]) => [`catalog ${k}`, v]);
  const walk = (where: string, node: unknown) => {
    if (Array.isArray(node)) node.forEach((n, i) => walk(`${where}[${i}]`, n));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'vi' && typeof v === 'string') out.push([where, v]);
        else walk(`${where}.${k}`, v);
      }
    }
  };
  for (const f of FORMS) walk(`form ${f.procedureCode}`, f);
  walk('scan', scanMessages);
  out.push(['ticket DEFAULT_PREPARE', DEFAULT_PREPARE]);
  return out;
}

const offending = (rule: RegExp) => vietnamese().filter(([, text]) => rule.test(text));

describe('the words a citizen reads', () => {
  it('are gathered from every source (the rules below have something to check)', () => {
    expect(vietnamese().length).toBeGreaterThan(400);
  });

  it('address the citizen as "Quý khách", never "bạn"', () => {
    expect(offending(/(^|[^\p{L}])bạn(?!\p{L})/iu)).toEqual([]);
  });

  it('put the tone mark of oa, oe, uy on the first vowel ("Xóa", "Hủy", "hòa"), one spelling throughout', () => {
    // "quý": the u belongs to "qu", so the mark is on y in either style.
    expect(offending(/(?<!q)(o[áàảãạéèẻẽẹ]|u[ýỳỷỹỵ])(?!\p{L})/iu)).toEqual([]);
  });

  it('say "Chạm" for a touch, never "Bấm"', () => {
    expect(offending(/(^|[^\p{L}])bấm(?!\p{L})/iu)).toEqual([]);
  });

  it('name the card "thẻ Căn cước" (since 1 July 2024), never "CCCD" or "Căn cước công dân"', () => {
    expect(offending(/CCCD|căn cước công dân|(^|[^\p{L}])căn cước/u)).toEqual([]);
    expect(offending(/căn cước công dân/iu)).toEqual([]);
  });

  it('never call submitting at the kiosk "trực tuyến" (the citizen is standing in the office)', () => {
    expect(offending(/nộp hồ sơ trực tuyến/iu)).toEqual([]);
  });

  it('say plainly that the kiosk is connected while it is online', () => {
    expect(vi['header.online']).not.toMatch(/^Đang/);
    expect(vi['header.online']).toMatch(/Đã kết nối/);
  });
});
