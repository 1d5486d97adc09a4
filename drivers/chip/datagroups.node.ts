import { parseMrz } from '../id/mrz.ts';
import type { MrzData } from '../id/types.ts';
import { readTlvAt } from './bac.node.ts';
import type { ChipPerson } from './types.ts';

/** LDS1 elementary files (ICAO 9303-10): short file identifiers and their outer tags. */
export const EF = {
  COM: { fid: 0x011e, tag: 0x60 },
  DG1: { fid: 0x0101, tag: 0x61 },
  DG2: { fid: 0x0102, tag: 0x75 },
  DG13: { fid: 0x010d, tag: 0x6d },
  SOD: { fid: 0x011d, tag: 0x77 },
} as const;
export const LDS1_AID = Buffer.from('A0000002471001', 'hex');

export class DataError extends Error {
  constructor(detail: string) {
    super(`chip data: ${detail}`);
    this.name = 'DataError';
  }
}

function children(value: Buffer): Array<{ tag: number; value: Buffer }> {
  const out: Array<{ tag: number; value: Buffer }> = [];
  let offset = 0;
  while (offset < value.length) {
    const t = readTlvAt(value, offset);
    out.push({ tag: t.tag, value: t.value });
    offset = t.end;
  }
  return out;
}

function outer(file: Buffer, tag: number): Buffer {
  const t = readTlvAt(file, 0);
  if (t.tag !== tag) throw new DataError(`expected tag ${tag.toString(16)}, got ${t.tag.toString(16)}`);
  return t.value;
}

/** EF.COM: the data-group tags present on the chip. */
export function parseCom(file: Buffer): number[] {
  const list = children(outer(file, EF.COM.tag)).find((c) => c.tag === 0x5c);
  if (!list) throw new DataError('EF.COM without a tag list');
  return [...list.value];
}

/** DG1: the MRZ (5F1F), parsed by the same TD1 parser as a scanned MRZ, check digits included. */
export function parseDg1(file: Buffer): MrzData {
  const mrz = children(outer(file, EF.DG1.tag)).find((c) => c.tag === 0x5f1f);
  if (!mrz) throw new DataError('DG1 without MRZ');
  const text = mrz.value.toString('latin1');
  if (text.length !== 90) throw new DataError('DG1 MRZ is not TD1');
  const parsed = parseMrz([text.slice(0, 30), text.slice(30, 60), text.slice(60)]);
  if (!parsed.ok) throw new DataError(`DG1 MRZ: ${parsed.error.code}`);
  return parsed.value;
}

/** dd/mm/yyyy → yyyy-mm-dd; null for "Không thời hạn" or empty. */
function dmy(text: string): string | null {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return null;
  const iso = `${m[3]}-${m[2]}-${m[1]}`;
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso ? null : iso;
}

/** DG13, the Vietnamese national data (layout and its source: ChipPerson in types.ts). */
export function parseDg13(file: Buffer): ChipPerson {
  const seq = children(outer(file, EF.DG13.tag)).find((c) => c.tag === 0x30);
  if (!seq) throw new DataError('DG13 without its sequence');
  const fields = new Map<number, string>();
  for (const item of children(seq.value)) {
    if (item.tag !== 0x30) continue;
    const parts = children(item.value);
    const idx = parts[0];
    const val = parts[1];
    if (!idx || idx.tag !== 0x02 || !val) continue;
    const n = idx.value.readUIntBE(0, Math.min(idx.value.length, 4));
    // UTF8String, PrintableString: strings; anything else (the parents' nested sequence) is skipped.
    if (val.tag === 0x0c || val.tag === 0x13) fields.set(n, val.value.toString('utf8'));
  }
  const get = (n: number) => fields.get(n) ?? '';
  const id = get(1);
  if (!/^\d{12}$/.test(id)) throw new DataError('DG13 ID number is not 12 digits');
  const birthDate = dmy(get(3));
  if (!get(2) || !birthDate) throw new DataError('DG13 without name or birth date');
  const sexText = get(4).normalize('NFC');
  return {
    id,
    fullName: get(2).normalize('NFC'),
    birthDate,
    sex: sexText === 'Nam' ? 'male' : sexText === 'Nữ' ? 'female' : null,
    nationality: get(5).normalize('NFC'),
    ethnicity: get(6).normalize('NFC'),
    religion: get(7).normalize('NFC'),
    placeOfOrigin: get(8).normalize('NFC'),
    placeOfResidence: get(9).normalize('NFC'),
    issueDate: dmy(get(11)),
    expiryDate: dmy(get(12)),
    oldId: /^\d{9}$/.test(get(15)) ? get(15) : null,
  };
}

/** Encodes a DG13 in the layout parseDg13 reads (card images for tests, the simulator and the bench). */
export function encodeDg13(person: Partial<Record<number, string>>): Buffer {
  const tlv = (tag: number, v: Buffer): Buffer => {
    const len =
      v.length < 0x80
        ? Buffer.from([v.length])
        : v.length < 0x100
          ? Buffer.from([0x81, v.length])
          : Buffer.from([0x82, v.length >> 8, v.length & 0xff]);
    return Buffer.concat([Buffer.from([tag]), len, v]);
  };
  const items = Object.entries(person)
    .filter((e): e is [string, string] => typeof e[1] === 'string')
    .map(([k, v]) =>
      tlv(0x30, Buffer.concat([tlv(0x02, Buffer.from([Number(k)])), tlv(0x0c, Buffer.from(v, 'utf8'))])),
    );
  return tlv(0x6d, tlv(0x30, Buffer.concat(items)));
}
