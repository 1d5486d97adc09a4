import type { ReceiptDoc } from '../../drivers/printer/receipt.ts';

/**
 * The ticket and the dossier receipt the printer bench times and the text-mode tests hold to the
 * goal of issue 17 (a real office's header, a long procedure name, six documents, QR, CODE128).
 */
export const ticket: ReceiptDoc = {
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

export const receipt: ReceiptDoc = {
  kind: 'dossier-receipt',
  blocks: [
    { kind: 'text', text: 'ỦY BAN NHÂN DÂN PHƯỜNG BẾN NGHÉ', align: 'center', bold: true },
    { kind: 'text', text: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', align: 'center', bold: true, size: 'small' },
    { kind: 'text', text: 'Độc lập - Tự do - Hạnh phúc', align: 'center', size: 'small' },
    { kind: 'separator', style: 'double' },
    { kind: 'text', text: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ', align: 'center', size: 'large', bold: true },
    {
      kind: 'qr',
      data: 'https://dichvucong.hochiminhcity.gov.vn/tra-cuu?ma=000.00.30.H29-261128-0012',
      cell: 4,
      caption: ['Mã hồ sơ:', '000.00.30.H29-261128-0012', 'Tra cứu bằng mã QR'],
    },
    { kind: 'pair', left: 'Người nộp', right: 'NGUYỄN VĂN TÚ' },
    { kind: 'pair', left: 'Số CCCD', right: '079 2xx xxx 123' },
    { kind: 'pair', left: 'Địa chỉ', right: '12 Lê Thánh Tôn, P. Bến Nghé, Q.1' },
    { kind: 'pair', left: 'Điện thoại', right: '090x xxx 456' },
    {
      kind: 'text',
      text: 'Thủ tục: Đăng ký khai sinh có yếu tố nước ngoài (cấp xã) — liên thông đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      bold: true,
    },
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
    {
      kind: 'text',
      text: 'Khi đến nhận kết quả, ông/bà mang theo giấy tiếp nhận này và giấy tờ tùy thân. Mọi thắc mắc xin liên hệ đường dây nóng 1022.',
      size: 'small',
    },
    { kind: 'cut' },
  ],
};
