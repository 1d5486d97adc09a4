import { applicantSection, sexOptions } from '../common.ts';
import type { FormSchema } from '../types.ts';

/** Đăng ký khai sinh (TTHC 1.001193, commune level). */
export const birthRegistration: FormSchema = {
  procedureCode: '1.001193',
  name: { vi: 'Đăng ký khai sinh', en: 'Birth registration' },
  field: { vi: 'Hộ tịch', en: 'Civil status' },
  fee: 0,
  feeNote: {
    vi: 'Miễn lệ phí khi đăng ký khai sinh đúng hạn (trong 60 ngày kể từ ngày sinh).',
    en: 'Free when registered on time (within 60 days of birth).',
  },
  processingDays: 0,
  attachments: [
    {
      id: 'giay-chung-sinh',
      title: { vi: 'Giấy chứng sinh', en: 'Birth certificate from the hospital' },
      optional: false,
    },
    {
      id: 'giay-ket-hon',
      title: { vi: 'Giấy chứng nhận kết hôn của cha mẹ', en: "Parents' marriage certificate" },
      optional: true,
    },
  ],
  documents: [
    { vi: 'Giấy chứng sinh (bản chính)', en: 'Birth certificate from the hospital (original)' },
    { vi: 'Giấy tờ chứng minh quan hệ hôn nhân của cha mẹ (nếu có)', en: "Proof of the parents' marriage (if any)" },
  ],
  sections: [
    {
      ...applicantSection({ vi: 'Người đi đăng ký khai sinh', en: 'Person registering the birth' }),
      fields: [
        ...applicantSection().fields,
        {
          id: 'relationship',
          type: 'choice',
          label: { vi: 'Quan hệ với trẻ', en: 'Relationship to the child' },
          required: true,
          options: [
            { value: 'cha', label: { vi: 'Cha', en: 'Father' } },
            { value: 'me', label: { vi: 'Mẹ', en: 'Mother' } },
            { value: 'ong-ba', label: { vi: 'Ông, bà', en: 'Grandparent' } },
            { value: 'khac', label: { vi: 'Người thân khác', en: 'Other relative' } },
          ],
        },
      ],
    },
    {
      id: 'child',
      title: { vi: 'Người được khai sinh', en: 'The child' },
      fields: [
        {
          id: 'childName',
          type: 'text',
          label: { vi: 'Họ, chữ đệm và tên của trẻ', en: "Child's full name" },
          required: true,
          minLength: 2,
        },
        {
          id: 'childBirthDate',
          type: 'date',
          label: { vi: 'Ngày sinh của trẻ', en: "Child's date of birth" },
          help: { vi: 'Ngày/tháng/năm, ví dụ 02/11/2026', en: 'Day/month/year, e.g. 02/11/2026' },
          required: true,
          notFuture: true,
        },
        {
          id: 'childSex',
          type: 'choice',
          label: { vi: 'Giới tính của trẻ', en: "Child's sex" },
          required: true,
          options: sexOptions,
        },
        {
          id: 'birthPlace',
          type: 'textarea',
          label: { vi: 'Nơi sinh', en: 'Place of birth' },
          help: { vi: 'Tên bệnh viện, trạm y tế, hoặc địa chỉ nơi sinh', en: 'Hospital, health station, or address' },
          required: true,
        },
        { id: 'ethnicity', type: 'text', label: { vi: 'Dân tộc', en: 'Ethnicity' }, required: true, maxLength: 40 },
        { id: 'hometown', type: 'text', label: { vi: 'Quê quán', en: 'Home town' }, required: true },
      ],
    },
    {
      id: 'parents',
      title: { vi: 'Cha, mẹ của trẻ', en: 'Parents' },
      help: {
        vi: 'Để trống phần của cha nếu chưa xác định được cha.',
        en: "Leave the father's part empty if the father is not established.",
      },
      fields: [
        { id: 'motherName', type: 'text', label: { vi: 'Họ tên mẹ', en: "Mother's full name" }, required: true },
        {
          id: 'motherId',
          type: 'id12',
          label: { vi: 'Số định danh của mẹ', en: "Mother's ID number" },
          required: true,
        },
        { id: 'fatherName', type: 'text', label: { vi: 'Họ tên cha', en: "Father's full name" }, required: false },
        {
          id: 'fatherId',
          type: 'id12',
          label: { vi: 'Số định danh của cha', en: "Father's ID number" },
          required: false,
        },
      ],
    },
  ],
};
