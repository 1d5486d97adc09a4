import { mrzCheckDigit } from './mrz.ts';

/**
 * Synthetic documents for tests and demos. Nobody real: names are invented, ID serials are
 * zeros-and-ones patterns, and every check digit is computed, not copied from a card.
 */
export const SYNTHETIC_CCCD =
  '096190012345|381234567|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau|20042021';
export const SYNTHETIC_CCCD_2024 =
  '095203000111||Trần Văn Bình|01012003|Nam|Ấp 3, Xã Vĩnh Trạch, Thành phố Bạc Liêu, Bạc Liêu|10072024||||';

export interface MrzPerson {
  id: string;
  birth: string; // YYMMDD
  sex: 'M' | 'F';
  expiry: string; // YYMMDD, 991231 = never
  surname: string;
  given: string;
  state?: string;
}

/** Three TD1 lines laid out as on the back of a CCCD, check digits computed. */
export function syntheticMrz(p: MrzPerson): [string, string, string] {
  const state = p.state ?? 'VNM';
  const doc = p.id.slice(3);
  const l1 = `ID${state}${doc}${mrzCheckDigit(doc)}${p.id}<<${mrzCheckDigit(p.id)}`;
  const l2a = `${p.birth}${mrzCheckDigit(p.birth)}${p.sex}${p.expiry}${mrzCheckDigit(p.expiry)}${state}${'<'.repeat(11)}`;
  const composite = l1.slice(5, 30) + l2a.slice(0, 7) + l2a.slice(8, 15) + l2a.slice(18, 29);
  const l2 = l2a + mrzCheckDigit(composite);
  const l3 = `${p.surname}<<${p.given.replace(/ /g, '<')}`.padEnd(30, '<').slice(0, 30);
  return [l1, l2, l3];
}

export const SYNTHETIC_MRZ = syntheticMrz({
  id: '096190012345',
  birth: '900315',
  sex: 'F',
  expiry: '300315',
  surname: 'NGUYEN',
  given: 'THI ANH TUYET',
});
