/** The camera QR reader and scan feedback. */
export const scan = {
  'scan.camera.label': 'Máy ảnh đọc mã QR',
  'scan.camera.starting': 'Đang mở máy ảnh…',
  'scan.camera.scanning': 'Đưa mã QR vào trong khung, giữ yên một chút.',
  'scan.camera.read': 'Đã đọc được mã.',
  'scan.camera.denied': 'Không mở được máy ảnh. Vui lòng dùng máy quét hoặc báo cán bộ.',
  'scan.camera.unavailable': 'Kiosk này không có máy ảnh. Vui lòng dùng máy quét.',
} as const;
