import sharp from 'sharp';

/**
 * A printed A4 page with known Vietnamese words, as a camera or a careless scan sees it: on a
 * darker table, turned by a few degrees. The simulator's source and the OCR proof's ground
 * truth (the words are what tesseract must find again in central's copy).
 */
export const SAMPLE_PAGE_LINES = [
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Độc lập - Tự do - Hạnh phúc',
  '',
  'GIẤY CHỨNG NHẬN',
  '',
  'Họ và tên: NGUYỄN THỊ HƯỜNG',
  'Ngày sinh: 15 tháng 3 năm 1990',
  'Nơi thường trú: phường An Xuyên, tỉnh Cà Mau',
  'Quê quán: xã Tân Thành, tỉnh Cà Mau',
  'Dân tộc: Kinh   Quốc tịch: Việt Nam',
  '',
  'Bản sao này được chứng thực từ bản chính.',
];

/** Words the OCR check looks for (distinctive, with Vietnamese letters). */
export const SAMPLE_PAGE_WORDS = [
  'CỘNG',
  'NGHĨA',
  'Hạnh',
  'phúc',
  'NGUYỄN',
  'HƯỜNG',
  'thường',
  'Xuyên',
  'Quốc',
  'chứng',
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface SamplePageOptions {
  /** Page number printed at the bottom ("Trang 2/3"). */
  page?: number;
  pages?: number;
  /** Turn on the table, degrees (positive: clockwise). */
  tiltDeg?: number;
  /** Pixels per mm of the page (150 dpi ≈ 5.9). */
  pxPerMm?: number;
  /** Paper on a table (grey margin around it), as a camera sees it; false: the bare page. */
  onTable?: boolean;
}

/** PNG bytes of the sample page. */
export async function renderSamplePage(o: SamplePageOptions = {}): Promise<Buffer> {
  const k = o.pxPerMm ?? 5.9;
  const w = Math.round(210 * k);
  const h = Math.round(297 * k);
  const fs = Math.round(5.2 * k);
  const lines = [...SAMPLE_PAGE_LINES];
  if (o.page) lines.push('', `Trang ${o.page}/${o.pages ?? o.page}`);
  const text = lines
    .map((l, i) => {
      const centred = i < 4;
      const x = centred ? w / 2 : 22 * k;
      return `<text x="${x}" y="${Math.round(35 * k + i * fs * 1.6)}" text-anchor="${centred ? 'middle' : 'start'}" font-weight="${i === 3 || i === 0 ? 'bold' : 'normal'}">${esc(l)}</text>`;
    })
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<rect width="100%" height="100%" fill="#f4f2ea"/>
<g font-family="DejaVu Serif, Noto Serif, serif" font-size="${fs}" fill="#1e1e1e">${text}</g></svg>`;
  const page = await sharp(Buffer.from(svg)).png().toBuffer();
  if (o.onTable === false && !o.tiltDeg) return page;
  const tilted = await sharp(page)
    .rotate(o.tiltDeg ?? 0, { background: '#6b5a48' })
    .extend({
      top: Math.round(h * 0.06),
      bottom: Math.round(h * 0.06),
      left: Math.round(w * 0.08),
      right: Math.round(w * 0.08),
      background: '#6b5a48',
    })
    .png()
    .toBuffer();
  return tilted;
}
