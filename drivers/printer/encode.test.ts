import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodedLines, decodeEscPos, inkCount, paperBitmap, type EscPosOp } from '../../test/support/escpos-decode.ts';
import { getPixel, type Bitmap } from './bitmap.ts';
import { decodeCp1258, encodeCp1258 } from './cp1258.ts';
import { encodeReceipt } from './encode.node.ts';
import { previewPng, renderReceiptBitmap } from './preview.node.ts';
import type { ReceiptDoc } from './receipt.ts';
import { testPageDoc, VIETNAMESE_ALPHABET } from './testpage.ts';

const NAME = 'NGUYỄN VĂN TÚ';
const only = <K extends EscPosOp['op']>(ops: EscPosOp[], op: K) =>
  ops.filter((o): o is Extract<EscPosOp, { op: K }> => o.op === op);

const ticket: ReceiptDoc = {
  kind: 'ticket',
  blocks: [
    { kind: 'text', text: 'UBND PHƯỜNG BẾN NGHÉ', align: 'center', bold: true },
    { kind: 'text', text: 'A012', size: 'huge', align: 'center' },
    { kind: 'text', text: NAME, align: 'center' },
    { kind: 'separator', style: 'dashed' },
    { kind: 'pair', left: 'Lĩnh vực', right: 'Hộ tịch' },
    { kind: 'qr', data: 'https://dichvucong.gov.vn/tra-cuu?ma=H29.240101.0001&tên=Tú' },
    { kind: 'barcode', data: 'A012' },
    { kind: 'cut' },
  ],
};

/** Rows (from the top) that hold any black pixel. */
function inkRows(b: Bitmap): number[] {
  const rows: number[] = [];
  for (let y = 0; y < b.height; y++)
    if (b.data.subarray(y * b.bytesPerRow, (y + 1) * b.bytesPerRow).some((v) => v !== 0)) rows.push(y);
  return rows;
}

describe('raster mode', () => {
  it('sends init, raster images in bands with blank stretches fed, a partial cut, and no code-page text', () => {
    const ops = decodeEscPos(encodeReceipt(ticket, { mode: 'raster', widthMm: 80 }).bytes);
    expect(ops[0]).toEqual({ op: 'init' });
    expect(ops.some((o) => o.op === 'feed-dots')).toBe(true);
    const img = paperBitmap(ops, 576);
    expect(img.height).toBeGreaterThan(300);
    expect(inkCount(img.data)).toBeGreaterThan(5_000);
    for (const r of only(ops, 'raster')) expect(r.height).toBeLessThanOrEqual(256);
    expect(only(ops, 'cut')).toEqual([{ op: 'cut', partial: true }]);
    expect(only(ops, 'text')).toEqual([]);
    expect(only(ops, 'qr')).toEqual([]);
  });

  it('uses 384 dots on 58 mm paper', () => {
    const ops = decodeEscPos(encodeReceipt(ticket, { mode: 'raster', widthMm: 58 }).bytes);
    const widest = Math.max(...only(ops, 'raster').map((r) => r.width));
    expect(widest).toBe(384);
    expect(inkCount(paperBitmap(ops, 384).data)).toBeGreaterThan(3_000);
  });

  it('prints the same pixels the preview shows', () => {
    const img = paperBitmap(decodeEscPos(encodeReceipt(ticket, { mode: 'raster', widthMm: 80 }).bytes), 576);
    const preview = renderReceiptBitmap({ kind: 'ticket', blocks: ticket.blocks.slice(0, -1) }, 80);
    expect(img.height).toBe(preview.height);
    expect(Buffer.from(img.data).equals(Buffer.from(preview.data))).toBe(true);
  });

  it('keeps the marks above capital letters (NGUYỄN has ink above NGUYEN)', () => {
    const marked = renderReceiptBitmap({ kind: 'test', blocks: [{ kind: 'text', text: NAME }] }, 80);
    const plain = renderReceiptBitmap({ kind: 'test', blocks: [{ kind: 'text', text: 'NGUYEN VAN TU' }] }, 80);
    expect(marked.height).toBe(plain.height);
    const capTop = inkRows(plain)[0]!;
    const markTop = inkRows(marked)[0]!;
    // Ễ stacks a circumflex and a tilde: clearly above the cap height, and still inside the line.
    expect(markTop).toBeLessThan(capTop - 4);
    expect(markTop).toBeGreaterThanOrEqual(0);
    expect(inkCount(marked.data)).toBeGreaterThan(inkCount(plain.data));
  });

  it('wraps long lines inside the paper width instead of cutting them off', () => {
    const long = renderReceiptBitmap({ kind: 'test', blocks: [{ kind: 'text', text: VIETNAMESE_ALPHABET }] }, 58);
    const one = renderReceiptBitmap({ kind: 'test', blocks: [{ kind: 'text', text: 'a' }] }, 58);
    expect(long.height).toBeGreaterThanOrEqual(one.height * 4);
    for (let y = 0; y < long.height; y++) expect(getPixel(long, 383, y)).toBe(false);
  });

  it('draws inverted text as white letters on a black band', () => {
    const inv = renderReceiptBitmap({ kind: 'test', blocks: [{ kind: 'text', text: 'ƯU TIÊN', invert: true }] }, 80);
    expect(inkCount(inv.data) / (inv.width * inv.height)).toBeGreaterThan(0.7);
  });

  it('adds a cut when the receipt does not end with one', () => {
    const ops = decodeEscPos(
      encodeReceipt({ kind: 'ticket', blocks: [{ kind: 'text', text: 'A1' }] }, { mode: 'raster', widthMm: 80 }).bytes,
    );
    expect(only(ops, 'cut')).toHaveLength(1);
  });

  it('estimates paper length from the image height and feeds', () => {
    const r = encodeReceipt(ticket, { mode: 'raster', widthMm: 80 });
    const img = paperBitmap(decodeEscPos(r.bytes), 576);
    expect(r.lengthMm).toBeGreaterThan(img.height / 8);
    expect(r.lengthMm).toBeLessThan(img.height / 8 + 40);
  });
});

describe('code-page mode', () => {
  it('selects the configured code page and sends NGUYỄN VĂN TÚ as CP1258 base letters with combining tone bytes', () => {
    const ops = decodeEscPos(
      encodeReceipt(
        { kind: 'ticket', blocks: [{ kind: 'text', text: NAME }] },
        { mode: 'codepage', widthMm: 80, codePage: 27 },
      ).bytes,
    );
    expect(ops.slice(0, 2)).toEqual([{ op: 'init' }, { op: 'codepage', n: 27 }]);
    const text = only(ops, 'text')[0]!;
    // Ễ = Ê (0xCA) + combining tilde (0xDE); Ă = 0xC3; Ú exists precomposed (0xDA).
    expect([...text.bytes]).toEqual([
      0x4e, 0x47, 0x55, 0x59, 0xca, 0xde, 0x4e, 0x20, 0x56, 0xc3, 0x4e, 0x20, 0x54, 0xda,
    ]);
    expect(text.text).toBe(NAME);
  });

  it('defaults to code page 52 (Epson WPC1258) and reselects it after the cut re-initialises the printer', () => {
    const ops = decodeEscPos(
      encodeReceipt(
        { kind: 'ticket', blocks: [{ kind: 'text', text: 'Ô' }, { kind: 'cut' }] },
        { mode: 'codepage', widthMm: 80 },
      ).bytes,
    );
    const cut = ops.findIndex((o) => o.op === 'cut');
    expect(ops[1]).toEqual({ op: 'codepage', n: 52 });
    expect(ops.slice(cut + 1)).toEqual([{ op: 'init' }, { op: 'codepage', n: 52 }]);
  });

  it('prints every Vietnamese letter in both cases so that it decodes back unchanged', () => {
    const doc: ReceiptDoc = {
      kind: 'test',
      blocks: [
        { kind: 'text', text: VIETNAMESE_ALPHABET },
        { kind: 'text', text: VIETNAMESE_ALPHABET.toUpperCase() },
      ],
    };
    const lines = decodedLines(decodeEscPos(encodeReceipt(doc, { mode: 'codepage', widthMm: 80 }).bytes));
    expect(lines.join(' ')).toBe(`${VIETNAMESE_ALPHABET} ${VIETNAMESE_ALPHABET.toUpperCase()}`);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(48);
  });

  it('writes the QR store length from the UTF-8 byte count, so Vietnamese data is not cut short', () => {
    const data = 'Mã hồ sơ: H29.240101.0001 — Nguyễn Văn Tú';
    const ops = decodeEscPos(
      encodeReceipt(
        { kind: 'dossier-receipt', blocks: [{ kind: 'qr', data, cell: 5 }] },
        { mode: 'codepage', widthMm: 80 },
      ).bytes,
    );
    const qr = only(ops, 'qr')[0]!;
    expect(qr.text).toBe(data);
    expect(qr.cell).toBe(5);
    expect(qr.model).toBe(2);
    expect(ops.some((o) => o.op === 'qr-print')).toBe(true);
  });

  it('prints CODE128 and CODE39 barcodes with GS k', () => {
    const ops = decodeEscPos(
      encodeReceipt(
        {
          kind: 'ticket',
          blocks: [
            { kind: 'barcode', data: 'A012-7' },
            { kind: 'barcode', data: 'code39', symbology: 'CODE39' },
          ],
        },
        { mode: 'codepage', widthMm: 58 },
      ).bytes,
    );
    expect(only(ops, 'barcode')).toEqual([
      { op: 'barcode', system: 73, data: '{BA012-7' },
      { op: 'barcode', system: 69, data: 'CODE39' },
    ]);
  });

  it('refuses a barcode its symbology cannot carry in both modes, before building any bytes', () => {
    for (const mode of ['raster', 'codepage'] as const) {
      expect(() =>
        encodeReceipt({ kind: 'ticket', blocks: [{ kind: 'barcode', data: 'Tú-01' }] }, { mode, widthMm: 80 }),
      ).toThrow(/CODE128/);
      expect(() =>
        encodeReceipt(
          { kind: 'ticket', blocks: [{ kind: 'barcode', data: 'a_b', symbology: 'CODE39' }] },
          { mode, widthMm: 80 },
        ),
      ).toThrow(/CODE39/);
    }
  });

  it('lays a label and a value out on one 32-column line on 58 mm paper', () => {
    const lines = decodedLines(
      decodeEscPos(
        encodeReceipt(
          { kind: 'ticket', blocks: [{ kind: 'pair', left: 'Lệ phí', right: '50.000 đ' }] },
          { mode: 'codepage', widthMm: 58 },
        ).bytes,
      ),
    );
    expect(lines[0]).toBe(`Lệ phí${' '.repeat(32 - 6 - 8)}50.000 đ`);
  });
});

describe('CP1258', () => {
  it('round-trips every letter with every tone in upper and lower case', () => {
    for (const ch of `${VIETNAMESE_ALPHABET}${VIETNAMESE_ALPHABET.toUpperCase()}`.replace(/ /g, '')) {
      const bytes = encodeCp1258(ch);
      expect(bytes.length, ch).toBeLessThanOrEqual(2);
      expect(bytes.includes(0x3f), ch).toBe(false);
      expect(decodeCp1258(bytes), ch).toBe(ch);
    }
  });

  it('accepts decomposed input the same as precomposed', () => {
    expect(encodeCp1258(NAME.normalize('NFD'))).toEqual(encodeCp1258(NAME));
  });

  it('turns control characters into spaces so text cannot smuggle printer commands', () => {
    expect([...encodeCp1258('A\x1b@B\x1dV\x00\n')]).toEqual([0x41, 0x20, 0x40, 0x42, 0x20, 0x56, 0x20, 0x20]);
  });

  it('replaces characters the code page cannot show with a question mark', () => {
    expect([...encodeCp1258('€✓')]).toEqual([0x80, 0x3f]);
  });
});

describe('preview', () => {
  it('is a PNG of the paper width plus margins', () => {
    const png = PNG.sync.read(previewPng(ticket, 58));
    expect(png.width).toBe(384 + 24);
    expect(png.height).toBeGreaterThan(300);
  });

  it('renders the test page with the alphabet, a QR and a status table', () => {
    const status = {
      transport: 'sim' as const,
      state: 'ready' as const,
      online: true,
      coverOpen: false,
      paperNearEnd: false,
      paperOut: false,
      error: false,
      busy: false,
      source: 'realtime' as const,
      printedMm: 12,
      estimatedRemainingMm: 49_988,
      lastError: null,
      checkedAt: new Date(0).toISOString(),
    };
    const doc = testPageDoc({ uri: 'sim', mode: 'raster', widthMm: 80, at: '2026-01-01T00:00:00Z' }, status);
    const bmp = renderReceiptBitmap(doc, 80);
    expect(bmp.height).toBeGreaterThan(1000);
    expect(JSON.stringify(doc)).toContain('NGUYỄN VĂN TÚ');
  });
});
