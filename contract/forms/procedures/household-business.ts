import { applicantSection } from '../common.ts';
import type { FormSchema } from '../types.ts';

/** Đăng ký thành lập hộ kinh doanh (TTHC 1.001612, commune level since 2025). */
export const householdBusiness: FormSchema = {
  procedureCode: '1.001612',
  name: { vi: 'Đăng ký thành lập hộ kinh doanh', en: 'Household business registration' },
  field: { vi: 'Thành lập và hoạt động của hộ kinh doanh', en: 'Household businesses' },
  fee: 100000,
  feeNote: { vi: '100.000 đồng theo biểu lệ phí của tỉnh.', en: '100,000 VND per the province fee table.' },
  processingDays: 3,
  attachments: [
    {
      id: 'dia-diem-kinh-doanh',
      title: { vi: 'Giấy tờ về địa điểm kinh doanh', en: 'Documents for the business premises' },
      optional: false,
    },
    {
      id: 'bien-ban-hop',
      title: { vi: 'Biên bản họp thành viên hộ gia đình', en: 'Family meeting minutes' },
      optional: true,
    },
  ],
  documents: [
    {
      vi: 'Bản sao biên bản họp thành viên hộ gia đình (nếu các thành viên cùng đăng ký)',
      en: 'Copy of the family meeting minutes (if family members register together)',
    },
    {
      vi: 'Giấy tờ về địa điểm kinh doanh (hợp đồng thuê, giấy chứng nhận…)',
      en: 'Documents for the business premises (lease, certificate…)',
    },
  ],
  sections: [
    applicantSection({ vi: 'Chủ hộ kinh doanh', en: 'Owner of the household business' }),
    {
      id: 'business',
      title: { vi: 'Hộ kinh doanh', en: 'The business' },
      fields: [
        {
          id: 'businessName',
          type: 'text',
          label: { vi: 'Tên hộ kinh doanh', en: 'Business name' },
          help: {
            vi: 'Bắt đầu bằng "Hộ kinh doanh", ví dụ: Hộ kinh doanh Tạp hóa Ánh Tuyết',
            en: 'Starts with "Hộ kinh doanh"',
          },
          required: true,
          pattern: {
            regex: '^[Hh]ộ kinh doanh .+',
            message: { vi: 'Tên phải bắt đầu bằng "Hộ kinh doanh"', en: 'Must start with "Hộ kinh doanh"' },
          },
        },
        {
          id: 'businessAddress',
          type: 'textarea',
          label: { vi: 'Địa điểm kinh doanh', en: 'Business address' },
          required: true,
          minLength: 10,
        },
        {
          id: 'businessLines',
          type: 'textarea',
          label: { vi: 'Ngành, nghề kinh doanh', en: 'Business lines' },
          help: { vi: 'Ví dụ: bán lẻ tạp hóa; quán ăn', en: 'E.g. grocery retail; eatery' },
          required: true,
        },
        {
          id: 'capital',
          type: 'number',
          label: { vi: 'Vốn kinh doanh (đồng)', en: 'Capital (VND)' },
          required: true,
          min: 1_000_000,
        },
        {
          id: 'employees',
          type: 'number',
          label: { vi: 'Số lao động', en: 'Employees' },
          required: true,
          min: 0,
          max: 1000,
        },
      ],
    },
  ],
};
