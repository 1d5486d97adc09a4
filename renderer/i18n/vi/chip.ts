/** Reading the chip of the Căn cước card (submission flow). */
export const chip = {
  'chip.place': 'Đặt thẻ Căn cước lên đầu đọc, rồi quét dòng mã ở mặt sau thẻ. Kiosk sẽ đọc chip và điền thông tin.',
  'chip.reading': 'Đang đọc chip, Quý khách vui lòng giữ yên thẻ trên đầu đọc…',
  'chip.verified': 'Đã xác thực chip: thông tin được điền từ chip của thẻ Căn cước, có chữ ký số của cơ quan cấp thẻ.',
  'chip.qrFallback': 'Không dùng được chip? Quét mã QR trên mặt trước thẻ.',
  'chip.noCard': 'Chưa có thẻ trên đầu đọc: thông tin được điền từ dòng mã mặt sau thẻ (chưa xác thực chip).',
} as const;
