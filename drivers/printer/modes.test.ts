import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { decodeEscPos, type EscPosOp } from '../../test/support/escpos-decode.ts';
import type { Bitmap } from './bitmap.ts';
import { cellGlyph, type CellFont } from './cells.node.ts';
import { encodeReceipt, PRINTER_MODES } from './encode.node.ts';
import { paperFromEscPos } from './paper.node.ts';
import { bitmapToPng, previewPng, renderReceiptBitmap } from './preview.node.ts';
import { createPrinter } from './printer.node.ts';
import { getProfile, profileFromUri } from './profiles.ts';
import type { ReceiptBlock, ReceiptDoc } from './receipt.ts';
import { testPageDoc, VIETNAMESE_ALPHABET } from './testpage.ts';
import { FREQUENT_LETTERS, TextCache } from './textmode.node.ts';
import { glyphMatch } from '../../test/support/glyph-match.ts';
import { receipt, ticket } from '../../test/support/receipts.ts';

const CANDIDATES = [...new Set([...VIETNAMESE_ALPHABET, ...VIETNAMESE_ALPHABET.toUpperCase(), '—'])].filter(
  (c) => c !== ' ',
);
const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The lines a text-mode job prints, read back from its bytes alone: ASCII as sent; a code that
 * holds a download is the letter whose cell the download is (any other download would not
 * match, so a wrong or missing definition shows as "?").
 */
function printedLines(ops: readonly EscPosOp[]): string[] {
  const defs: Record<CellFont, Map<number, Uint8Array>> = { A: new Map(), B: new Map() };
  let font: CellFont = 'A';
  let user = false;
  const lines: string[] = [];
  let cur = '';
  for (const o of ops) {
    if (o.op === 'init') (defs.A.clear(), defs.B.clear(), (user = false), (font = 'A'));
    if (o.op === 'font') font = o.n & 1 ? 'B' : 'A';
    if (o.op === 'user-set') user = o.on;
    if (o.op === 'cancel-char') defs[font].delete(o.code);
    if (o.op === 'define-chars') for (const c of o.chars) defs[font].set(c.code, c.data);
    if (o.op === 'text')
      for (const byte of o.bytes) {
        const d = user ? defs[font].get(byte) : undefined;
        cur += d ? (CANDIDATES.find((ch) => same(cellGlyph(ch, font), d)) ?? '?') : String.fromCharCode(byte);
      }
    if (o.op === 'lf') {
      lines.push(cur.trim().replace(/ {2,}/g, ' … '));
      cur = '';
    }
  }
  return lines;
}

/** Rows with ink only, so that line spacing does not count. */
function squeeze(b: Bitmap): Bitmap {
  const rows: Uint8Array[] = [];
  for (let y = 0; y < b.height; y++) {
    const r = b.data.subarray(y * b.bytesPerRow, (y + 1) * b.bytesPerRow);
    if (r.some((v) => v)) rows.push(r);
  }
  const data = new Uint8Array(rows.length * b.bytesPerRow);
  rows.forEach((r, i) => data.set(r, i * b.bytesPerRow));
  return { width: b.width, height: rows.length, bytesPerRow: b.bytesPerRow, data };
}
const px = (b: Bitmap, x: number, y: number) =>
  x >= 0 &&
  y >= 0 &&
  x < b.width &&
  y < b.height &&
  ((b.data[y * b.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1) === 1;

/**
 * Agreement of two paper images: blank rows removed from both, the share of black pixels of
 * each that have a black pixel within one dot in the other. 1 = the same print.
 */
function agreement(a0: Bitmap, b0: Bitmap): number {
  const a = squeeze(a0);
  const b = squeeze(b0);
  let ink = 0;
  let hit = 0;
  for (const [p, q] of [
    [a, b],
    [b, a],
  ] as const)
    for (let y = 0; y < p.height; y++)
      for (let x = 0; x < p.width; x++) {
        if (!px(p, x, y)) continue;
        ink++;
        let found = false;
        for (let dy = -1; dy <= 1 && !found; dy++)
          for (let dx = -1; dx <= 1 && !found; dx++) found = px(q, x + dx, y + dy);
        if (found) hit++;
      }
  return ink ? hit / ink : 1;
}

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  await prepareZXingModule({
    overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer },
    fireImmediately: true,
  });
});
const scan = async (png: Buffer) =>
  (await readBarcodes(new Uint8Array(png), { formats: ['QRCode', 'Code128', 'Code39'], tryHarder: true })).map(
    (r) => `${r.format}:${r.text}`,
  );

describe('text mode', () => {
  it('prints ASCII in the printer font and each Vietnamese letter as a downloaded cell, without a code page', () => {
    const ops = decodeEscPos(encodeReceipt(ticket, { mode: 'text', widthMm: 80 }).bytes);
    expect(ops.some((o) => o.op === 'codepage')).toBe(false);
    expect(ops.filter((o) => o.op === 'raster').every((o) => o.op === 'raster' && o.m === 3)).toBe(true);
    expect(printedLines(ops)).toEqual([
      'UBND PHƯỜNG BẾN NGHÉ',
      'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ',
      'SỐ THỨ TỰ CỦA BẠN',
      'A012',
      'ƯU TIÊN — NGƯỜI CAO TUỔI',
      'Lĩnh vực … Hộ tịch',
      'Quầy … Số 3',
      'Đang chờ trước bạn … 4 người',
      // Font B: 64 columns on 80 mm.
      '28/11/2026 08:15 — Vui lòng giữ phiếu đến khi được gọi.',
    ]);
    const size = ops.find((o) => o.op === 'size' && o.width > 1);
    expect(size).toEqual({ op: 'size', width: 4, height: 4 });
  });

  it('fits a cold ticket in 2,880 bytes (1.5 s at 19,200 baud) and a receipt in proportion', () => {
    const t = encodeReceipt(ticket, { mode: 'text', widthMm: 80 });
    expect(t.bytes.length).toBeLessThanOrEqual(2880);
    const raster = encodeReceipt(ticket, { mode: 'raster', widthMm: 80 });
    expect(raster.bytes.length / t.bytes.length).toBeGreaterThan(8);
  });

  it('sends no ESC @ and no download on the next ticket of the same connection', () => {
    const first = encodeReceipt(ticket, { mode: 'text', widthMm: 80 });
    const next = encodeReceipt(ticket, { mode: 'text', widthMm: 80, textCache: first.textCache });
    const ops = decodeEscPos(next.bytes);
    expect(ops.some((o) => o.op === 'init')).toBe(false);
    expect(ops.some((o) => o.op === 'define-chars')).toBe(false);
    expect(printedLines([...decodeEscPos(first.bytes), ...ops]).slice(9, 12)).toEqual([
      'UBND PHƯỜNG BẾN NGHÉ',
      'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ',
      'SỐ THỨ TỰ CỦA BẠN',
    ]);
    expect(next.bytes.length).toBeLessThan(first.bytes.length / 1.8);
  });

  it('cancels a download before a line that prints its code as ASCII', () => {
    const first = encodeReceipt(
      { kind: 'ticket', blocks: [{ kind: 'text', text: 'Ơ' }] },
      { mode: 'text', widthMm: 80 },
    );
    const def = decodeEscPos(first.bytes).find((o) => o.op === 'define-chars');
    const code = def?.op === 'define-chars' ? def.chars[0]!.code : -1;
    const ascii = String.fromCharCode(code);
    const next = encodeReceipt(
      { kind: 'ticket', blocks: [{ kind: 'text', text: `x${ascii}y Ơ` }] },
      { mode: 'text', widthMm: 80, textCache: first.textCache },
    );
    const ops = decodeEscPos(next.bytes);
    expect(ops).toContainEqual({ op: 'cancel-char', code });
    expect(printedLines([...decodeEscPos(first.bytes), ...ops])).toContain(`x${ascii}y Ơ`);
  });

  it('prints QR codes and barcodes that scan, drawn from the bytes', async () => {
    const doc: ReceiptDoc = {
      kind: 'dossier-receipt',
      blocks: [
        { kind: 'qr', data: 'https://dichvucong.gov.vn/tra-cuu?ma=H29&tên=Tú', cell: 5 },
        { kind: 'barcode', data: 'A012-20240101' },
      ],
    };
    expect(await scan(previewPng(doc, 80, { mode: 'text' }))).toEqual([
      'QRCode:https://dichvucong.gov.vn/tra-cuu?ma=H29&tên=Tú',
      'Code128:A012-20240101',
    ]);
    const epson = decodeEscPos(
      encodeReceipt(doc, { mode: 'text', widthMm: 80, profile: getProfile('epson-tm-t88') }).bytes,
    );
    expect(epson.find((o) => o.op === 'qr')).toMatchObject({
      text: 'https://dichvucong.gov.vn/tra-cuu?ma=H29&tên=Tú',
      cell: 5,
    });
    expect(epson.find((o) => o.op === 'barcode')).toEqual({ op: 'barcode', system: 73, data: '{BA012-20240101' });
    expect(await scan(previewPng(doc, 80, { mode: 'text', profile: getProfile('epson-tm-t88') }))).toEqual([
      'QRCode:https://dichvucong.gov.vn/tra-cuu?ma=H29&tên=Tú',
      'Code128:A012-20240101',
    ]);
  });

  it("sends an even run of digits to the printer's CODE128 in code set C, and a CODE39 as CODE39", async () => {
    const doc: ReceiptDoc = {
      kind: 'ticket',
      blocks: [
        { kind: 'barcode', data: '20240101' },
        { kind: 'barcode', data: 'TICKET-42', symbology: 'CODE39' },
      ],
    };
    const ops = decodeEscPos(encodeReceipt(doc, { mode: 'text', widthMm: 80, profile: getProfile('xprinter') }).bytes);
    expect(ops.filter((o) => o.op === 'barcode')).toEqual([
      { op: 'barcode', system: 73, data: `{C${String.fromCharCode(20, 24, 1, 1)}` },
      { op: 'barcode', system: 69, data: 'TICKET-42' },
    ]);
    expect(await scan(previewPng(doc, 80, { mode: 'text', profile: getProfile('xprinter') }))).toEqual([
      'Code128:20240101',
      'Code39:TICKET-42',
    ]);
  });
});

describe('glyph mode', () => {
  const blocks: ReceiptBlock[] = ticket.blocks.filter(
    (b) => b.kind === 'text' || b.kind === 'pair' || b.kind === 'separator',
  );
  it.each(blocks.map((b) => [('text' in b ? b.text : 'left' in b ? b.left : b.kind).slice(0, 24), b] as const))(
    'prints "%s" as the raster rendering draws it',
    (_, block) => {
      const doc: ReceiptDoc = { kind: 'ticket', blocks: [block] };
      const bytes = encodeReceipt(doc, { mode: 'glyphs', widthMm: 80 }).bytes;
      const ops = decodeEscPos(bytes);
      if (block.kind !== 'separator') expect(ops.some((o) => o.op === 'define-chars')).toBe(true);
      // Whole-dot pen positions against the canvas's own: ≥ 0.99 agreement; the ticket number, drawn at a third and scaled ×3 by the printer, ≥ 0.95.
      const min = 'size' in block && block.size === 'huge' ? 0.95 : 0.99;
      expect(agreement(paperFromEscPos(bytes, 576), renderReceiptBitmap(doc, 80))).toBeGreaterThanOrEqual(min);
    },
  );

  it('reuses one code for every repeat of the same piece', () => {
    const doc: ReceiptDoc = { kind: 'ticket', blocks: [{ kind: 'text', text: 'NGUYỄN NGUYỄN NGUYỄN NGUYỄN' }] };
    const ops = decodeEscPos(encodeReceipt(doc, { mode: 'glyphs', widthMm: 80 }).bytes);
    const defined = ops.flatMap((o) => (o.op === 'define-chars' ? o.chars : []));
    const printed = ops.flatMap((o) => (o.op === 'text' ? [...o.bytes] : []));
    expect(printed.length).toBeGreaterThan(defined.length * 3);
  });
});

describe('profiles and the preview', () => {
  it('reads profile= from the printer URI and refuses a name it does not know', () => {
    expect(profileFromUri('serial:/dev/ttyUSB0?baud=19200&profile=xprinter')).toBe('xprinter');
    expect(profileFromUri('sim')).toBeUndefined();
    expect(() => profileFromUri('tcp://10.0.0.5:9100?profile=tm-x')).toThrow(
      /profile must be one of unknown, epson-tm-t20/,
    );
    expect(createPrinter({ uri: 'file:/tmp/never-written.bin?profile=rongta', pollMs: 0 }).profile.id).toBe('rongta');
    expect(createPrinter({ uri: 'sim', pollMs: 0 }).mode).toBe('text');
  });

  it('asks the sim printer its model at connect without counting the question as a job', async () => {
    const printer = createPrinter({ uri: 'sim', pollMs: 0 });
    await printer.open();
    try {
      expect(printer.model).toBe('OneStop Sim');
      expect(printer.profile.id).toBe('unknown');
      expect(printer.sim!.jobs()).toHaveLength(0);
    } finally {
      await printer.close();
    }
  });

  it.each(['text', 'glyphs'] as const)('previews a %s job as the bytes the printer received draw it', async (mode) => {
    const printer = createPrinter({ uri: 'sim', mode, pollMs: 0 });
    await printer.open();
    try {
      await printer.print(ticket);
      const sent = printer.sim!.jobs()[0]!.bytes;
      expect((await printer.preview(ticket)).equals(bitmapToPng(paperFromEscPos(sent, 576, { tearLines: true })))).toBe(
        true,
      );
      expect((await printer.preview(ticket)).equals(previewPng(ticket, 80))).toBe(false);
    } finally {
      await printer.close();
    }
  });
});

describe('text mode on any printer: bars as bit images, the warm-up, the goal', () => {
  const bars = (doc: ReceiptDoc) =>
    decodeEscPos(encodeReceipt(doc, { mode: 'text', widthMm: 80 }).bytes).filter((o) => o.op === 'bit-image');

  it('sends barcode bars as ESC * 8-dot strips (a byte a column for 24 rows), the bars raster draws', async () => {
    // 3-dot modules: double density, a byte a dot; 'A012' is short enough for 3-dot modules.
    const doc: ReceiptDoc = { kind: 'ticket', blocks: [{ kind: 'barcode', data: 'A012-2024', align: 'center' }] };
    const ops = decodeEscPos(encodeReceipt(doc, { mode: 'text', widthMm: 80 }).bytes);
    expect(ops.some((o) => o.op === 'raster')).toBe(false);
    const strips = bars(doc);
    expect(strips).toHaveLength(3);
    for (const s of strips) expect(s).toMatchObject({ m: 1 });
    expect(ops.filter((o) => o.op === 'position')).toHaveLength(3);
    // The decoded paper's bars are the raster rendering's bars, dot for dot, for their 72 rows.
    const paper = paperFromEscPos(encodeReceipt(doc, { mode: 'text', widthMm: 80 }).bytes, 576);
    const drawn = renderReceiptBitmap(doc, 80);
    const row = (b: Bitmap, y: number) => Buffer.from(b.data.subarray(y * b.bytesPerRow, (y + 1) * b.bytesPerRow));
    const top = (b: Bitmap) => [...Array(b.height).keys()].find((y) => row(b, y).some((v) => v))!;
    for (let y = 0; y < 72; y++) expect(row(paper, top(paper) + y).equals(row(drawn, top(drawn)))).toBe(true);
    expect(await scan(bitmapToPng(paper))).toEqual(['Code128:A012-2024']);
    // 2-dot modules (bars on even dots): single density, a byte for 2 dots across.
    const long: ReceiptDoc = { kind: 'ticket', blocks: [{ kind: 'barcode', data: '000.00.30.H29-2611' }] };
    expect(bars(long).map((o) => o.op === 'bit-image' && o.m)).toEqual([0, 0, 0]);
    expect(await scan(previewPng(long, 80, { mode: 'text' }))).toEqual(['Code128:000.00.30.H29-2611']);
  });

  it('warms up with the frequent letters in both fonts, on codes receipts do not print, and the next job relies on them', () => {
    const cache = new TextCache();
    const warm = decodeEscPos(cache.warmUp());
    expect(warm[0]).toEqual({ op: 'init' });
    const defined = { A: [] as string[], B: [] as string[] };
    let font: CellFont = 'A';
    for (const o of warm) {
      if (o.op === 'font') font = o.n & 1 ? 'B' : 'A';
      if (o.op === 'define-chars')
        for (const c of o.chars) {
          defined[font].push(CANDIDATES.find((ch) => same(cellGlyph(ch, font), c.data)) ?? '?');
          expect(String.fromCharCode(c.code)).toMatch(/^[^\p{L}\d ]|[FJWZfjwz]$/u);
        }
    }
    expect(defined.A.sort()).toEqual(FREQUENT_LETTERS.slice(0, defined.A.length).sort());
    expect(defined.A.length).toBeGreaterThanOrEqual(30);
    expect(defined.B.sort()).toEqual(defined.A);
    const job = encodeReceipt(receipt, { mode: 'text', widthMm: 80, textCache: cache });
    const ops = decodeEscPos(job.bytes);
    expect(ops.some((o) => o.op === 'init')).toBe(false);
    // Read back through the warm-up's definitions: every line word for word.
    const lines = printedLines([...warm, ...ops]);
    expect(lines.slice(0, 5)).toEqual([
      'ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ',
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'Độc lập - Tự do - Hạnh phúc',
      'GIẤY TIẾP NHẬN HỒ SƠ VÀ',
      'HẸN TRẢ KẾT QUẢ',
    ]);
    expect(lines).toContain('Người nộp … NGUYỄN VĂN TÚ');
    expect(lines).toContain('1. Tờ khai đăng ký khai sinh theo mẫu (bản chính): 01');
    expect(lines.join('\n')).not.toContain('?');
  });

  it('brings a receipt within its goal at 19,200 baud after the warm-up (1.5 s × its paper length ÷ the ticket’s)', () => {
    const ticketMm = encodeReceipt(ticket, { mode: 'raster', widthMm: 80 }).lengthMm;
    const cache = new TextCache();
    cache.warmUp();
    const job = encodeReceipt(receipt, { mode: 'text', widthMm: 80, textCache: cache });
    const budget = 1.5 * (job.lengthMm / ticketMm) * 1920;
    expect(job.bytes.length).toBeLessThanOrEqual(budget);
    // Cold (no warm-up), the same receipt is over it: the warm-up is what meets the goal.
    expect(encodeReceipt(receipt, { mode: 'text', widthMm: 80 }).bytes.length).toBeGreaterThan(budget);
  });
});

describe('text mode against the raster rendering, glyph by glyph', () => {
  const lines = ticket.blocks.filter((b) => b.kind === 'text' || b.kind === 'pair');
  const papers = (block: ReceiptBlock, rasterText?: string) => {
    const doc: ReceiptDoc = { kind: 'ticket', blocks: [block] };
    const shown: ReceiptDoc =
      rasterText === undefined ? doc : { kind: 'ticket', blocks: [{ ...block, text: rasterText } as ReceiptBlock] };
    return [
      paperFromEscPos(encodeReceipt(doc, { mode: 'text', widthMm: 80 }).bytes, 576),
      renderReceiptBitmap(shown, 80),
    ] as const;
  };

  // Measured 0.88–0.96 per line, the control 0.47–0.70 (test/support/glyph-match.ts states the measure).
  it.each(lines.map((b) => [('text' in b ? b.text : `${b.left} … ${b.right}`).slice(0, 32), b] as const))(
    '"%s": every character the raster shape, marks included (≥ 0.85)',
    (_, block) => {
      const [text, raster] = papers(block);
      const m = glyphMatch(block, text, raster);
      expect(m.score).toBeGreaterThanOrEqual(0.85);
      expect(Math.min(...m.glyphs.map((g) => g.score))).toBeGreaterThan(0.3);
    },
  );

  it('scores a line low against the raster of other letters (the control: each letter its neighbour)', () => {
    for (const block of lines.filter((b) => b.kind === 'text' && [...b.text].length > 8)) {
      const text = (block as Extract<ReceiptBlock, { kind: 'text' }>).text;
      const chars = [...text];
      const letters = chars.filter((c) => c !== ' ');
      let k = 0;
      const shifted = chars.map((c) => (c === ' ' ? c : letters[++k % letters.length]!)).join('');
      const [paper, raster] = papers(block, shifted);
      expect(glyphMatch(block, paper, raster).score).toBeLessThan(0.75);
    }
  });
});

describe('the test decoder knows every command each mode sends', () => {
  const page = testPageDoc(
    { uri: 'sim', mode: 'text', widthMm: 80, at: '2026-11-28T01:15:00.000Z' },
    {
      transport: 'sim',
      state: 'ready',
      online: true,
      coverOpen: false,
      paperNearEnd: false,
      paperOut: false,
      error: false,
      busy: false,
      source: 'realtime',
      printedMm: 0,
      estimatedRemainingMm: 50_000,
      lastError: null,
      checkedAt: '2026-11-28T01:15:00.000Z',
    },
  );
  it.each(PRINTER_MODES.flatMap((mode) => (['unknown', 'epson-tm-t20'] as const).map((p) => [mode, p] as const)))(
    '%s mode, profile %s: ticket, receipt and test page decode with no unknown command',
    (mode, profile) => {
      for (const doc of [ticket, receipt, page]) {
        const bytes = encodeReceipt(doc, { mode, widthMm: 80, profile: getProfile(profile) }).bytes;
        expect(decodeEscPos(bytes).filter((o) => o.op === 'unknown')).toEqual([]);
      }
      expect(decodeEscPos(new TextCache().warmUp()).filter((o) => o.op === 'unknown')).toEqual([]);
    },
  );
});
