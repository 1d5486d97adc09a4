import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { previewPng } from './preview.node.ts';

// The drawn codes are read back by a real decoder: a wrong module table would not scan.
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

describe('drawn codes scan', () => {
  it('reads back a QR with Vietnamese data and its caption beside it', async () => {
    const data = 'https://dichvucong.gov.vn/tra-cuu?ma=H29.240101.0001&tên=Nguyễn Văn Tú';
    const png = previewPng(
      { kind: 'dossier-receipt', blocks: [{ kind: 'qr', data, cell: 4, caption: ['Mã hồ sơ', 'H29.240101.0001'] }] },
      80,
    );
    expect(await scan(png)).toEqual([`QRCode:${data}`]);
  });

  it.each([
    ['CODE128', 'A012-20240101', 'Code128'],
    ['CODE128', '20240101', 'Code128'],
    ['CODE39', 'TICKET-42', 'Code39'],
  ] as const)('reads back a %s barcode of %s', async (symbology, data, format) => {
    const png = previewPng({ kind: 'ticket', blocks: [{ kind: 'barcode', data, symbology }] }, 80);
    expect(await scan(png)).toEqual([`${format}:${data}`]);
  });
});
