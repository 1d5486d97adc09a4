import { applicantSection, copiesField } from '../common.ts';
import type { FormSchema } from '../types.ts';

/** Cấp bản sao trích lục hộ tịch (TTHC 2.000635, commune level). */
export const civilStatusCopy: FormSchema = {
  procedureCode: '2.000635',
  name: { vi: 'Cấp bản sao trích lục hộ tịch', en: 'Certified copy of a civil status extract' },
  field: { vi: 'Hộ tịch', en: 'Civil status' },
  fee: 8000,
  feeNote: { vi: '8.000 đồng cho mỗi bản sao trích lục.', en: '8,000 VND per copy.' },
  feePerField: 'copies',
  processingDays: 0,
  attachments: [{ id: 'giay-uy-quyen', title: { vi: 'Giấy ủy quyền', en: 'Power of attorney' }, optional: true }],
  documents: [
    { vi: 'Giấy ủy quyền (nếu xin cấp cho người khác)', en: 'Power of attorney (if requesting for someone else)' },
  ],
  sections: [
    applicantSection(),
    {
      id: 'record',
      title: { vi: 'Sự kiện hộ tịch cần cấp bản sao', en: 'The record to copy' },
      fields: [
        {
          id: 'recordType',
          type: 'choice',
          label: { vi: 'Loại trích lục', en: 'Kind of extract' },
          required: true,
          options: [
            { value: 'khai-sinh', label: { vi: 'Khai sinh', en: 'Birth' } },
            { value: 'ket-hon', label: { vi: 'Kết hôn', en: 'Marriage' } },
            { value: 'khai-tu', label: { vi: 'Khai tử', en: 'Death' } },
          ],
        },
        {
          id: 'subjectName',
          type: 'text',
          label: { vi: 'Họ tên người có tên trong trích lục', en: 'Name on the record' },
          required: true,
        },
        {
          id: 'subjectBirthDate',
          type: 'date',
          label: { vi: 'Ngày sinh của người đó', en: 'Their date of birth' },
          required: true,
          notFuture: true,
        },
        {
          id: 'spouseName',
          type: 'text',
          label: { vi: 'Họ tên vợ hoặc chồng', en: "Spouse's name" },
          required: true,
          when: { field: 'recordType', in: ['ket-hon'] },
        },
        {
          id: 'registeredAt',
          type: 'text',
          label: { vi: 'Nơi đã đăng ký', en: 'Where it was registered' },
          help: {
            vi: 'Tên UBND xã/phường đã đăng ký (tên cũ cũng được)',
            en: 'The commune/ward office (old names are fine)',
          },
          required: true,
        },
        {
          id: 'registeredOn',
          type: 'date',
          label: { vi: 'Ngày đăng ký (nếu nhớ)', en: 'Date registered (if known)' },
          required: false,
          notFuture: true,
        },
        copiesField(),
        {
          id: 'purpose',
          type: 'choice',
          label: { vi: 'Mục đích sử dụng', en: 'Purpose' },
          required: true,
          options: [
            { value: 'hoc-tap', label: { vi: 'Học tập', en: 'Education' } },
            { value: 'viec-lam', label: { vi: 'Việc làm', en: 'Employment' } },
            { value: 'thu-tuc', label: { vi: 'Làm thủ tục khác', en: 'Another procedure' } },
            { value: 'khac', label: { vi: 'Khác', en: 'Other' } },
          ],
        },
      ],
    },
  ],
};
