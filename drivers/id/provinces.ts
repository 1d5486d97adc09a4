import type { ProvinceInfo } from './types.ts';

/**
 * The 63 provinces before 1 July 2025, by the 3-digit code that opens the CCCD number (the
 * province where the birth was registered; the code never changes on the card). `since2025`
 * names the province each one belongs to after the 2025 merger (Resolution 202/2025/QH15:
 * 34 provinces, districts abolished), so a form can show the current name next to the old.
 */
const TABLE: ReadonlyArray<readonly [code: string, name: string, since2025?: string]> = [
  ['001', 'Hà Nội'],
  ['002', 'Hà Giang', 'Tuyên Quang'],
  ['004', 'Cao Bằng'],
  ['006', 'Bắc Kạn', 'Thái Nguyên'],
  ['008', 'Tuyên Quang'],
  ['010', 'Lào Cai'],
  ['011', 'Điện Biên'],
  ['012', 'Lai Châu'],
  ['014', 'Sơn La'],
  ['015', 'Yên Bái', 'Lào Cai'],
  ['017', 'Hòa Bình', 'Phú Thọ'],
  ['019', 'Thái Nguyên'],
  ['020', 'Lạng Sơn'],
  ['022', 'Quảng Ninh'],
  ['024', 'Bắc Giang', 'Bắc Ninh'],
  ['025', 'Phú Thọ'],
  ['026', 'Vĩnh Phúc', 'Phú Thọ'],
  ['027', 'Bắc Ninh'],
  ['030', 'Hải Dương', 'Hải Phòng'],
  ['031', 'Hải Phòng'],
  ['033', 'Hưng Yên'],
  ['034', 'Thái Bình', 'Hưng Yên'],
  ['035', 'Hà Nam', 'Ninh Bình'],
  ['036', 'Nam Định', 'Ninh Bình'],
  ['037', 'Ninh Bình'],
  ['038', 'Thanh Hóa'],
  ['040', 'Nghệ An'],
  ['042', 'Hà Tĩnh'],
  ['044', 'Quảng Bình', 'Quảng Trị'],
  ['045', 'Quảng Trị'],
  ['046', 'Thừa Thiên Huế', 'Huế'],
  ['048', 'Đà Nẵng'],
  ['049', 'Quảng Nam', 'Đà Nẵng'],
  ['051', 'Quảng Ngãi'],
  ['052', 'Bình Định', 'Gia Lai'],
  ['054', 'Phú Yên', 'Đắk Lắk'],
  ['056', 'Khánh Hòa'],
  ['058', 'Ninh Thuận', 'Khánh Hòa'],
  ['060', 'Bình Thuận', 'Lâm Đồng'],
  ['062', 'Kon Tum', 'Quảng Ngãi'],
  ['064', 'Gia Lai'],
  ['066', 'Đắk Lắk'],
  ['067', 'Đắk Nông', 'Lâm Đồng'],
  ['068', 'Lâm Đồng'],
  ['070', 'Bình Phước', 'Đồng Nai'],
  ['072', 'Tây Ninh'],
  ['074', 'Bình Dương', 'Thành phố Hồ Chí Minh'],
  ['075', 'Đồng Nai'],
  ['077', 'Bà Rịa - Vũng Tàu', 'Thành phố Hồ Chí Minh'],
  ['079', 'Thành phố Hồ Chí Minh'],
  ['080', 'Long An', 'Tây Ninh'],
  ['082', 'Tiền Giang', 'Đồng Tháp'],
  ['083', 'Bến Tre', 'Vĩnh Long'],
  ['084', 'Trà Vinh', 'Vĩnh Long'],
  ['086', 'Vĩnh Long'],
  ['087', 'Đồng Tháp'],
  ['089', 'An Giang'],
  ['091', 'Kiên Giang', 'An Giang'],
  ['092', 'Cần Thơ'],
  ['093', 'Hậu Giang', 'Cần Thơ'],
  ['094', 'Sóc Trăng', 'Cần Thơ'],
  ['095', 'Bạc Liêu', 'Cà Mau'],
  ['096', 'Cà Mau'],
];

export const PROVINCES: ReadonlyMap<string, ProvinceInfo> = new Map(
  TABLE.map(([code, name, since2025]) => [code, { code, name, since2025: since2025 ?? name }]),
);

export const provinceByCode = (code: string): ProvinceInfo | null => PROVINCES.get(code) ?? null;
