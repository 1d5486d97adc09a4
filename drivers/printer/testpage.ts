import type { ReceiptDoc } from './receipt.ts';
import type { PrinterStatus } from './status.ts';

/** Every Vietnamese letter with every tone, lower case; the test page prints it in both cases. */
export const VIETNAMESE_ALPHABET =
  'a à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ b c d đ e è é ẻ ẽ ẹ ê ề ế ể ễ ệ g h i ì í ỉ ĩ ị k l m n o ò ó ỏ õ ọ ô ồ ố ổ ỗ ộ ơ ờ ớ ở ỡ ợ p q r s t u ù ú ủ ũ ụ ư ừ ứ ử ữ ự v x y ỳ ý ỷ ỹ ỵ';

export interface TestPageInfo {
  uri: string;
  mode: 'text' | 'glyphs' | 'raster' | 'codepage';
  /** Printer profile the page was encoded for. */
  profile?: string;
  widthMm: 58 | 80;
  codePage?: number;
  /** The time, printed so a technician can match the paper to the log (office time from the kiosk). */
  at: string;
  kioskName?: string;
}

const yesNo = (b: boolean) => (b ? 'CÓ / YES' : 'không / no');

/**
 * The page `kioskctl print-test` and the technician screen print: the full alphabet in both
 * cases (a technician compares it with the screen to choose raster or code-page mode), sizes,
 * a QR with Vietnamese data, a barcode and the status the printer reported.
 */
export function testPageDoc(info: TestPageInfo, status: PrinterStatus): ReceiptDoc {
  return {
    kind: 'test',
    blocks: [
      { kind: 'text', text: 'TRANG IN THỬ / TEST PAGE', align: 'center', size: 'large', bold: true },
      { kind: 'text', text: info.kioskName ?? 'OneStop Kiosk', align: 'center' },
      { kind: 'separator', style: 'double' },
      { kind: 'text', text: 'NGUYỄN VĂN TÚ — TRẦN THỊ ỨNG — ĐẶNG QUỐC HUY', bold: true },
      { kind: 'text', text: 'Chữ thường / lower case:', size: 'small' },
      { kind: 'text', text: VIETNAMESE_ALPHABET },
      { kind: 'text', text: 'Chữ hoa / UPPER CASE:', size: 'small' },
      { kind: 'text', text: VIETNAMESE_ALPHABET.toUpperCase() },
      { kind: 'separator', style: 'dashed' },
      { kind: 'text', text: 'Cỡ nhỏ / small', size: 'small' },
      { kind: 'text', text: 'Cỡ thường / normal' },
      { kind: 'text', text: 'Cỡ lớn / large', size: 'large' },
      { kind: 'text', text: 'A001', size: 'huge', align: 'center', bold: true },
      { kind: 'text', text: 'ƯU TIÊN / PRIORITY', align: 'center', invert: true, bold: true },
      { kind: 'separator', style: 'line' },
      {
        kind: 'qr',
        data: 'Kiểm tra mã QR tiếng Việt: Ủy ban nhân dân',
        cell: 5,
        align: 'center',
        caption: ['QR (tiếng Việt)', 'QR code'],
      },
      { kind: 'barcode', data: 'ONESTOP-123', symbology: 'CODE128', align: 'center' },
      { kind: 'separator', style: 'line' },
      { kind: 'pair', left: 'Kết nối / URI', right: info.uri },
      {
        kind: 'pair',
        left: 'Chế độ / mode',
        right:
          info.mode === 'codepage'
            ? `code page ${info.codePage ?? ''}`.trim()
            : info.profile
              ? `${info.mode} (${info.profile})`
              : info.mode,
      },
      { kind: 'pair', left: 'Khổ giấy / paper', right: `${info.widthMm} mm` },
      {
        kind: 'pair',
        left: 'Trạng thái / status',
        right: status.source === 'realtime' ? 'đọc được / read' : 'không đọc được / none',
      },
      { kind: 'pair', left: 'Sắp hết giấy / near end', right: yesNo(status.paperNearEnd) },
      { kind: 'pair', left: 'Nắp mở / cover open', right: yesNo(status.coverOpen) },
      { kind: 'pair', left: 'Đã in / printed', right: `${Math.round(status.printedMm)} mm` },
      { kind: 'pair', left: 'Thời gian / time', right: info.at },
      { kind: 'cut', partial: true },
    ],
  };
}
