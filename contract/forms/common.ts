import type { FieldSchema, SectionSchema } from './types.ts';

/** Shared building blocks: the applicant section every procedure starts with (filled by "Quét CCCD"). */
export const sexOptions = [
  { value: 'male', label: { vi: 'Nam', en: 'Male' } },
  { value: 'female', label: { vi: 'Nữ', en: 'Female' } },
];

export const applicantSection = (title = { vi: 'Người nộp hồ sơ', en: 'Applicant' }): SectionSchema => ({
  id: 'applicant',
  title,
  help: {
    vi: 'Chạm "Quét thẻ Căn cước" để điền tự động. Quý khách vẫn sửa được nếu có thông tin đã thay đổi.',
    en: 'Press "Scan ID card" to fill these in. You can still correct anything that has changed.',
  },
  fields: [
    {
      id: 'applicantName',
      type: 'text',
      label: { vi: 'Họ, chữ đệm và tên', en: 'Full name' },
      required: true,
      autofill: 'fullName',
      minLength: 2,
      pattern: { regex: "^[\\p{L} .'-]+$", message: { vi: 'Họ tên chỉ gồm chữ cái', en: 'Letters only' } },
    },
    {
      id: 'applicantId',
      type: 'id12',
      label: { vi: 'Số định danh cá nhân', en: 'Personal ID number' },
      help: { vi: '12 chữ số in trên thẻ Căn cước', en: 'The 12 digits printed on the ID card' },
      required: true,
      autofill: 'idNumber',
    },
    {
      id: 'applicantBirthDate',
      type: 'date',
      label: { vi: 'Ngày sinh', en: 'Date of birth' },
      help: { vi: 'Viết theo dạng ngày/tháng/năm, ví dụ 05/09/1980', en: 'As day/month/year, e.g. 05/09/1980' },
      required: true,
      notFuture: true,
      autofill: 'birthDate',
    },
    {
      id: 'applicantSex',
      type: 'choice',
      label: { vi: 'Giới tính', en: 'Sex' },
      required: true,
      options: sexOptions,
      autofill: 'sex',
    },
    {
      id: 'applicantAddress',
      type: 'textarea',
      label: { vi: 'Nơi cư trú', en: 'Place of residence' },
      help: {
        vi: 'Từ 1/7/2025 không còn cấp huyện: hãy sửa theo tên phường, xã, tỉnh mới nếu đã đổi.',
        en: 'Since 1 July 2025 there are no districts: correct to the new ward/commune and province if it changed.',
      },
      required: true,
      autofill: 'address',
      minLength: 5,
    },
    {
      id: 'applicantPhone',
      type: 'phone',
      label: { vi: 'Số điện thoại', en: 'Phone number' },
      help: {
        vi: 'Để cán bộ báo khi có kết quả. 10 chữ số, bắt đầu bằng số 0.',
        en: 'So the office can tell you when the result is ready. 10 digits starting with 0.',
      },
      required: true,
    },
  ],
});

export const copiesField = (id = 'copies', max = 10): FieldSchema => ({
  id,
  type: 'number',
  label: { vi: 'Số bản cần cấp', en: 'Number of copies' },
  required: true,
  min: 1,
  max,
});
