import type { z } from 'zod';
import type { TextSize } from './receipt.ts';

type Size = z.output<typeof TextSize>;

/** Printer font A is 12 dots wide, font B 9. */
export const columnsFor = (width: number, size: Size): number => {
  if (size === 'small') return Math.floor(width / 9);
  return Math.floor(width / 12 / CODEPAGE_SCALE[size]);
};
export const CODEPAGE_SCALE: Record<Size, number> = { small: 1, normal: 1, large: 2, xlarge: 3, huge: 4 };

/** Wraps on whole words by character count (one NFC character = one printer cell). */
export function wrapColumns(text: string, columns: number): string[] {
  const out: string[] = [];
  for (const para of text.normalize('NFC').split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      const cand = line ? `${line} ${word}` : word;
      if ([...cand].length <= columns) {
        line = cand;
        continue;
      }
      if (line) out.push(line);
      let rest = [...word];
      while (rest.length > columns) {
        out.push(rest.slice(0, columns).join(''));
        rest = rest.slice(columns);
      }
      line = rest.join('');
    }
    out.push(line);
  }
  return out;
}
