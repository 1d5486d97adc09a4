/**
 * Receipt render + ESC/POS encode time, raster vs code-page mode, for a queue ticket and a full
 * dossier receipt. Run: npx tsx bench/printer.bench.ts
 */
import { cpus, loadavg } from 'node:os';
import ntp from 'node-thermal-printer';
import { PNG } from 'pngjs';
import { encodeReceipt, type PrinterMode } from '../drivers/printer/encode.node.ts';
import { renderReceiptBitmap } from '../drivers/printer/preview.node.ts';
import { rasterPaper } from '../drivers/printer/escpos.ts';
import type { ReceiptDoc } from '../drivers/printer/receipt.ts';

const ticket: ReceiptDoc = {
  kind: 'ticket',
  blocks: [
    { kind: 'text', text: 'UBND PHƯỜNG BẾN NGHÉ', align: 'center', bold: true },
    { kind: 'text', text: 'BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ', align: 'center', size: 'small' },
    { kind: 'separator', style: 'line' },
    { kind: 'text', text: 'SỐ THỨ TỰ CỦA BẠN', align: 'center' },
    { kind: 'text', text: 'A012', align: 'center', size: 'huge', bold: true },
    { kind: 'text', text: 'ƯU TIÊN — NGƯỜI CAO TUỔI', align: 'center', invert: true, bold: true },
    { kind: 'pair', left: 'Lĩnh vực', right: 'Hộ tịch' },
    { kind: 'pair', left: 'Quầy', right: 'Số 3' },
    { kind: 'pair', left: 'Đang chờ trước bạn', right: '4 người' },
    { kind: 'qr', data: 'OSK1:T:A012:20261128:H29', cell: 5 },
    { kind: 'text', text: '28/11/2026 08:15 — Vui lòng giữ phiếu đến khi được gọi.', align: 'center', size: 'small' },
    { kind: 'cut' },
  ],
};

const receipt: ReceiptDoc = {
  kind: 'dossier-receipt',
  blocks: [
    { kind: 'text', text: 'ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ', align: 'center', bold: true },
    { kind: 'text', text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', align: 'center', bold: true, size: 'small' },
    { kind: 'text', text: 'Độc lập - Tự do - Hạnh phúc', align: 'center', size: 'small' },
    { kind: 'separator', style: 'double' },
    { kind: 'text', text: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', align: 'center', size: 'large', bold: true },
    { kind: 'qr', data: 'https://dichvucong.hochiminhcity.gov.vn/tra-cuu?ma=000.00.30.H29-261128-0012', cell: 4, caption: ['Mã hồ sơ:', '000.00.30.H29-261128-0012', 'Tra cứu bằng mã QR'] },
    { kind: 'pair', left: 'Người nộp', right: 'NGUYỄN VĂN TÚ' },
    { kind: 'pair', left: 'Số CCCD', right: '079 2xx xxx 123' },
    { kind: 'pair', left: 'Địa chỉ', right: '12 Lê Thánh Tôn, P. Bến Nghé, Q.1' },
    { kind: 'pair', left: 'Điện thoại', right: '090x xxx 456' },
    { kind: 'text', text: 'Thủ tục: Đăng ký khai sinh có yếu tố nước ngoài (cấp xã) — liên thông đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', bold: true },
    { kind: 'separator', style: 'dashed' },
    { kind: 'text', text: 'Thành phần hồ sơ:' },
    ...[
      'Tờ khai đăng ký khai sinh theo mẫu (bản chính): 01',
      'Giấy chứng sinh do cơ sở y tế cấp (bản chính): 01',
      'Giấy tờ tùy thân của cha, mẹ (bản sao có chứng thực): 02',
      'Giấy chứng nhận kết hôn của cha, mẹ (bản sao): 01',
      'Văn bản thỏa thuận chọn quốc tịch cho con (bản chính): 01',
      'Tờ khai đăng ký thường trú (bản chính): 01',
    ].map((t, i) => ({ kind: 'text' as const, text: `${i + 1}. ${t}`, size: 'small' as const })),
    { kind: 'separator', style: 'dashed' },
    { kind: 'pair', left: 'Ngày nhận', right: '28/11/2026 08:32' },
    { kind: 'pair', left: 'Ngày hẹn trả', right: '05/12/2026 14:00', bold: true },
    { kind: 'pair', left: 'Lệ phí', right: '0 đ (miễn)' },
    { kind: 'pair', left: 'Nơi trả kết quả', right: 'Quầy số 3' },
    { kind: 'pair', left: 'Cán bộ tiếp nhận', right: 'TRẦN THỊ ỨNG' },
    { kind: 'barcode', data: '000.00.30.H29-261128-0012', symbology: 'CODE128' },
    { kind: 'text', text: 'Khi đến nhận kết quả, ông/bà mang theo giấy tiếp nhận này và giấy tờ tùy thân. Mọi thắc mắc xin liên hệ đường dây nóng 1022.', size: 'small' },
    { kind: 'cut' },
  ],
};

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

function measure(fn: () => unknown, runs: number): { p50: number; p95: number } {
  for (let i = 0; i < 3; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

/** node-thermal-printer's own raster path (PNG in, a JS object per pixel), for comparison. */
function ntpRaster(doc: ReceiptDoc): number {
  const bmp = renderReceiptBitmap(doc, 80);
  const png = new PNG({ width: bmp.width, height: bmp.height });
  for (let y = 0; y < bmp.height; y++)
    for (let x = 0; x < bmp.width; x++) {
      const i = (y * bmp.width + x) * 4;
      const ink = (bmp.data[y * bmp.bytesPerRow + (x >> 3)]! >> (7 - (x & 7))) & 1;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = ink ? 0 : 255;
      png.data[i + 3] = 255;
    }
  const tp = new ntp.ThermalPrinter({ type: ntp.PrinterTypes.EPSON });
  // printImageBuffer is async only in name: it appends synchronously.
  void tp.printImageBuffer(PNG.sync.write(png));
  return tp.getBuffer()?.length ?? 0;
}

const RUNS = 40;
const TARGET_MS: Record<string, number> = { ticket: 100, receipt: 300 };
console.log('receipt render + ESC/POS encode (80 mm, 576 dots)');
console.log(`load average ${loadavg()[0]!.toFixed(2)} on ${cpus().length} cores (times inflate when it exceeds the core count; ratios hold)\n`);
console.log('doc       mode       p50 ms   p95 ms   bytes   at 19200 baud   at 115200 baud   target p95');
const results: Record<string, Record<PrinterMode, { p50: number; p95: number; bytes: number }>> = {};
for (const [name, doc] of [
  ['ticket', ticket],
  ['receipt', receipt],
] as const) {
  results[name] = {} as Record<PrinterMode, { p50: number; p95: number; bytes: number }>;
  for (const mode of ['raster', 'codepage'] as const) {
    const bytes = encodeReceipt(doc, { mode, widthMm: 80 }).bytes.length;
    const t = measure(() => encodeReceipt(doc, { mode, widthMm: 80 }), RUNS);
    results[name]![mode] = { ...t, bytes };
    const target = TARGET_MS[name]!;
    console.log(
      `${name.padEnd(9)} ${mode.padEnd(9)} ${t.p50.toFixed(1).padStart(7)}  ${t.p95.toFixed(1).padStart(7)}  ${String(bytes).padStart(6)}  ${`${(bytes / 1920).toFixed(1)} s`.padStart(14)}  ${`${(bytes / 11520).toFixed(1)} s`.padStart(15)}   ≤ ${target} ms ${t.p95 <= target ? 'MET' : 'MISSED'}`,
    );
  }
}
console.log('');
for (const name of Object.keys(results)) {
  const r = results[name]!;
  console.log(`${name}: raster / code page — time ×${(r.raster.p50 / r.codepage.p50).toFixed(1)}, bytes ×${(r.raster.bytes / r.codepage.bytes).toFixed(1)}`);
}

const bmp = renderReceiptBitmap(receipt, 80);
const own = measure(() => rasterPaper(bmp.bytesPerRow, bmp.height, bmp.data), RUNS);
const viaNtp = measure(() => ntpRaster(receipt), 10);
console.log(
  `\nraster packing of the full receipt (${bmp.width}×${bmp.height}): our GS v 0 + ESC J writer p50 ${own.p50.toFixed(2)} ms vs node-thermal-printer printImageBuffer (PNG round trip) p50 ${viaNtp.p50.toFixed(1)} ms — ×${(viaNtp.p50 / Math.max(own.p50, 0.01)).toFixed(0)}`,
);
