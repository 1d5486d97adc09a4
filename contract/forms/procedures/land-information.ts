import { applicantSection, copiesField } from '../common.ts';
import type { FormSchema } from '../types.ts';

/** Cung cấp thông tin, dữ liệu đất đai (a land information request; TTHC 1.004227). */
export const landInformation: FormSchema = {
  procedureCode: '1.004227',
  name: { vi: 'Cung cấp thông tin, dữ liệu đất đai', en: 'Land information request' },
  field: { vi: 'Đất đai', en: 'Land' },
  fee: 30000,
  feeNote: {
    vi: '30.000 đồng mỗi hồ sơ theo biểu phí của tỉnh; chi phí in sao tính thêm nếu có.',
    en: '30,000 VND per request per the province fee table; copying costs extra if any.',
  },
  processingDays: 1,
  attachments: [
    {
      id: 'giay-chung-nhan-qsdd',
      title: { vi: 'Giấy chứng nhận quyền sử dụng đất', en: 'Land use certificate' },
      optional: true,
    },
  ],
  documents: [
    { vi: 'Bản sao Giấy chứng nhận quyền sử dụng đất (nếu có)', en: 'Copy of the land use certificate (if any)' },
  ],
  sections: [
    applicantSection(),
    {
      id: 'parcel',
      title: { vi: 'Thửa đất', en: 'The land parcel' },
      help: {
        vi: 'Các số này ghi trên Giấy chứng nhận (sổ đỏ, sổ hồng).',
        en: 'These numbers are on the land use certificate.',
      },
      fields: [
        { id: 'parcelNo', type: 'number', label: { vi: 'Thửa đất số', en: 'Parcel number' }, required: true, min: 1 },
        {
          id: 'mapSheet',
          type: 'number',
          label: { vi: 'Tờ bản đồ số', en: 'Map sheet number' },
          required: true,
          min: 1,
        },
        {
          id: 'parcelAddress',
          type: 'textarea',
          label: { vi: 'Địa chỉ thửa đất', en: 'Parcel address' },
          required: true,
          minLength: 5,
        },
        {
          id: 'certificateNo',
          type: 'text',
          label: { vi: 'Số phát hành Giấy chứng nhận (nếu có)', en: 'Certificate serial (if any)' },
          required: false,
          maxLength: 20,
          pattern: { regex: '^[A-Z]{1,2}\\s?\\d{6,8}$', message: { vi: 'Ví dụ: CH 123456', en: 'E.g. CH 123456' } },
        },
        {
          id: 'infoKind',
          type: 'choice',
          label: { vi: 'Thông tin cần cung cấp', en: 'Information wanted' },
          required: true,
          options: [
            { value: 'thua-dat', label: { vi: 'Thông tin thửa đất, chủ sử dụng', en: 'Parcel and owner' } },
            { value: 'quy-hoach', label: { vi: 'Quy hoạch sử dụng đất', en: 'Land use plan' } },
            { value: 'bien-dong', label: { vi: 'Lịch sử biến động', en: 'History of changes' } },
            { value: 'gia-dat', label: { vi: 'Giá đất', en: 'Land price' } },
          ],
        },
        copiesField('copies', 5),
        {
          id: 'purpose',
          type: 'textarea',
          label: { vi: 'Mục đích sử dụng thông tin', en: 'Purpose' },
          required: true,
          maxLength: 300,
        },
      ],
    },
  ],
};
