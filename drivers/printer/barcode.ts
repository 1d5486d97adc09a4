/**
 * Bar/space module widths for CODE128 (set B, or set C for even-length digits) and CODE39, so
 * raster mode and the preview draw the same barcode the printer would (the printer's own GS k is
 * used in code-page mode). Tables from the symbology specifications; tests read the drawn
 * barcodes back with zxing.
 */
const C128 = [
  '212222',
  '222122',
  '222221',
  '121223',
  '121322',
  '131222',
  '122213',
  '122312',
  '132212',
  '221213',
  '221312',
  '231212',
  '112232',
  '122132',
  '122231',
  '113222',
  '123122',
  '123221',
  '223211',
  '221132',
  '221231',
  '213212',
  '223112',
  '312131',
  '311222',
  '321122',
  '321221',
  '312212',
  '322112',
  '322211',
  '212123',
  '212321',
  '232121',
  '111323',
  '131123',
  '131321',
  '112313',
  '132113',
  '132311',
  '211313',
  '231113',
  '231311',
  '112133',
  '112331',
  '132131',
  '113123',
  '113321',
  '133121',
  '313121',
  '211331',
  '231131',
  '213113',
  '213311',
  '213131',
  '311123',
  '311321',
  '331121',
  '312113',
  '312311',
  '332111',
  '314111',
  '221411',
  '431111',
  '111224',
  '111422',
  '121124',
  '121421',
  '141122',
  '141221',
  '112214',
  '112412',
  '122114',
  '122411',
  '142112',
  '142211',
  '241211',
  '221114',
  '413111',
  '241112',
  '134111',
  '111242',
  '121142',
  '121241',
  '114212',
  '124112',
  '124211',
  '411212',
  '421112',
  '421211',
  '212141',
  '214121',
  '412121',
  '111143',
  '111341',
  '131141',
  '114113',
  '114311',
  '411113',
  '411311',
  '113141',
  '114131',
  '311141',
  '411131',
  '211412',
  '211214',
  '211232',
  '2331112',
];
const START_B = 104;
const START_C = 105;
const STOP = 106;

/** Module widths, alternating bar/space starting with a bar; throws on characters outside the set. */
export function code128Modules(data: string): number[] {
  const codes: number[] = [];
  if (data.length >= 4 && data.length % 2 === 0 && /^\d+$/.test(data)) {
    codes.push(START_C);
    for (let i = 0; i < data.length; i += 2) codes.push(Number(data.slice(i, i + 2)));
  } else {
    codes.push(START_B);
    for (const ch of data) {
      const c = ch.charCodeAt(0);
      if (c < 32 || c > 126) throw new Error(`CODE128 cannot encode ${JSON.stringify(ch)}`);
      codes.push(c - 32);
    }
  }
  let sum = codes[0]!;
  for (let i = 1; i < codes.length; i++) sum += codes[i]! * i;
  codes.push(sum % 103, STOP);
  return codes.flatMap((c) => [...C128[c]!].map(Number));
}

const C39: Record<string, string> = {
  '0': '000110100',
  '1': '100100001',
  '2': '001100001',
  '3': '101100000',
  '4': '000110001',
  '5': '100110000',
  '6': '001110000',
  '7': '000100101',
  '8': '100100100',
  '9': '001100100',
  A: '100001001',
  B: '001001001',
  C: '101001000',
  D: '000011001',
  E: '100011000',
  F: '001011000',
  G: '000001101',
  H: '100001100',
  I: '001001100',
  J: '000011100',
  K: '100000011',
  L: '001000011',
  M: '101000010',
  N: '000010011',
  O: '100010010',
  P: '001010010',
  Q: '000000111',
  R: '100000110',
  S: '001000110',
  T: '000010110',
  U: '110000001',
  V: '011000001',
  W: '111000000',
  X: '010010001',
  Y: '110010000',
  Z: '011010000',
  '-': '010000101',
  '.': '110000100',
  ' ': '011000100',
  $: '010101000',
  '/': '010100010',
  '+': '010001010',
  '%': '000101010',
  '*': '010010100',
};

/** CODE39 module widths (wide = 3 narrow), with start/stop '*' and a narrow gap between characters. */
export function code39Modules(data: string): number[] {
  const text = `*${data.toUpperCase()}*`;
  const out: number[] = [];
  [...text].forEach((ch, i) => {
    const p = C39[ch];
    if (!p || (ch === '*' && i > 0 && i < text.length - 1))
      throw new Error(`CODE39 cannot encode ${JSON.stringify(ch)}`);
    for (const w of p) out.push(w === '1' ? 3 : 1);
    if (i < text.length - 1) out.push(1);
  });
  return out;
}
