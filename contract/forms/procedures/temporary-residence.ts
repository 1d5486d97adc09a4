import { applicantSection } from '../common.ts';
import type { FormSchema } from '../types.ts';

/** Đăng ký tạm trú (residence declaration; TTHC 1.004194, commune police). */
export const temporaryResidence: FormSchema = {
  procedureCode: '1.004194',
  name: { vi: 'Đăng ký tạm trú', en: 'Temporary residence registration' },
  field: { vi: 'Đăng ký, quản lý cư trú', en: 'Residence' },
  fee: 15000,
  feeNote: {
    vi: '15.000 đồng khi nộp trực tiếp. Miễn cho người có công, hộ nghèo, đồng bào dân tộc thiểu số ở xã khó khăn.',
    en: '15,000 VND in person. Exempt for people with revolutionary merit, poor households, and ethnic minorities in disadvantaged communes.',
  },
  processingDays: 3,
  attachments: [
    {
      id: 'cho-o-hop-phap',
      title: { vi: 'Giấy tờ chứng minh chỗ ở hợp pháp', en: 'Proof of lawful accommodation' },
      optional: false,
    },
  ],
  documents: [
    {
      vi: 'Tờ khai thay đổi thông tin cư trú (CT01) — kiosk in sẵn',
      en: 'Residence change form CT01 — printed by the kiosk',
    },
    {
      vi: 'Giấy tờ chứng minh chỗ ở hợp pháp (hợp đồng thuê nhà, giấy cho ở nhờ…)',
      en: 'Proof of lawful accommodation (lease, letter from the owner…)',
    },
  ],
  sections: [
    applicantSection(),
    {
      id: 'residence',
      title: { vi: 'Nơi đăng ký tạm trú', en: 'Temporary residence' },
      fields: [
        {
          id: 'newAddress',
          type: 'textarea',
          label: { vi: 'Địa chỉ nơi tạm trú', en: 'Temporary address' },
          help: {
            vi: 'Số nhà, đường, khóm/ấp, phường/xã, tỉnh',
            en: 'House number, street, hamlet, ward/commune, province',
          },
          required: true,
          minLength: 10,
        },
        {
          id: 'accommodation',
          type: 'choice',
          label: { vi: 'Chỗ ở thuộc', en: 'Accommodation' },
          required: true,
          options: [
            { value: 'thue', label: { vi: 'Nhà thuê', en: 'Rented' } },
            { value: 'o-nho', label: { vi: 'Ở nhờ, ở mượn', en: 'Staying with someone' } },
            { value: 'so-huu', label: { vi: 'Nhà của mình', en: 'Own home' } },
          ],
        },
        {
          id: 'ownerName',
          type: 'text',
          label: { vi: 'Họ tên chủ nhà', en: "Owner's name" },
          required: true,
          when: { field: 'accommodation', in: ['thue', 'o-nho'] },
        },
        {
          id: 'ownerPhone',
          type: 'phone',
          label: { vi: 'Số điện thoại chủ nhà', en: "Owner's phone" },
          required: false,
          when: { field: 'accommodation', in: ['thue', 'o-nho'] },
        },
        {
          id: 'months',
          type: 'number',
          label: { vi: 'Thời hạn tạm trú (tháng)', en: 'Duration (months)' },
          help: { vi: 'Tối đa 24 tháng', en: 'At most 24 months' },
          required: true,
          min: 1,
          max: 24,
        },
        {
          id: 'reason',
          type: 'textarea',
          label: { vi: 'Lý do', en: 'Reason' },
          help: { vi: 'Ví dụ: đi làm, đi học', en: 'E.g. work, study' },
          required: true,
          maxLength: 300,
        },
      ],
    },
  ],
};
