import type { FormValues } from './types.ts';

/**
 * A complete, valid set of answers per procedure (synthetic people): the form engine tests
 * start from these, and the end-to-end tests type them in.
 */
const applicant: FormValues = {
  applicantName: 'Nguyễn Thị Ánh Tuyết',
  applicantId: '096190012345',
  applicantBirthDate: '15/03/1990',
  applicantSex: 'female',
  applicantAddress: 'Khóm 5, phường An Xuyên, tỉnh Cà Mau',
  applicantPhone: '0912345678',
};

export const SAMPLE_VALUES: Record<string, FormValues> = {
  '1.001193': {
    ...applicant,
    relationship: 'me',
    childName: 'Trần Gia Bảo',
    childBirthDate: '02/11/2026',
    childSex: 'male',
    birthPlace: 'Bệnh viện Sản Nhi Cà Mau',
    ethnicity: 'Kinh',
    hometown: 'Cà Mau',
    motherName: 'Nguyễn Thị Ánh Tuyết',
    motherId: '096190012345',
    fatherName: 'Trần Văn Minh',
    fatherId: '096088001234',
  },
  '2.000635': {
    ...applicant,
    recordType: 'ket-hon',
    subjectName: 'Nguyễn Thị Ánh Tuyết',
    subjectBirthDate: '15/03/1990',
    spouseName: 'Trần Văn Minh',
    registeredAt: 'UBND Phường 5, thành phố Cà Mau',
    registeredOn: '20/04/2015',
    copies: '2',
    purpose: 'thu-tuc',
  },
  '1.004194': {
    ...applicant,
    newAddress: 'Số 12 đường Lý Thường Kiệt, phường An Xuyên, tỉnh Cà Mau',
    accommodation: 'thue',
    ownerName: 'Lê Văn Hùng',
    ownerPhone: '0987654321',
    months: '12',
    reason: 'Đi làm',
  },
  '1.001612': {
    ...applicant,
    businessName: 'Hộ kinh doanh Tạp hóa Ánh Tuyết',
    businessAddress: 'Số 3 đường Phan Ngọc Hiển, phường An Xuyên, tỉnh Cà Mau',
    businessLines: 'Bán lẻ tạp hóa',
    capital: '50000000',
    employees: '2',
  },
  '1.004227': {
    ...applicant,
    parcelNo: '125',
    mapSheet: '14',
    parcelAddress: 'Ấp Tân Hưng, xã Đầm Dơi, tỉnh Cà Mau',
    certificateNo: 'CH 123456',
    infoKind: 'quy-hoach',
    copies: '1',
    purpose: 'Chuẩn bị xây nhà',
  },
};
