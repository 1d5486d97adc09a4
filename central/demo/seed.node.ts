import { upsertOffice } from '../admin.node.ts';
import type { OfficeConfig } from '../../protocol/office.ts';
import type { Sql } from '../store/store.node.ts';

/**
 * Demo data: two Cà Mau offices after the 2025 merger (wards and communes, no districts).
 * Names are real places; agency codes and bank accounts are made up.
 */
const weekdays = { open: '07:00', close: '11:30' } as const;
const afternoons = { open: '13:30', close: '17:00' } as const;
const hours: OfficeConfig['openingHours'] = {
  '1': [weekdays, afternoons],
  '2': [weekdays, afternoons],
  '3': [weekdays, afternoons],
  '4': [weekdays, afternoons],
  '5': [weekdays, afternoons],
  // Saturday morning, as many one-stop offices do.
  '6': [weekdays],
};

const priorityGroups: OfficeConfig['priorityGroups'] = [
  { id: 'nguoi-co-cong', name: 'Người có công với cách mạng', weight: 40 },
  { id: 'khuyet-tat', name: 'Người khuyết tật', weight: 30 },
  { id: 'cao-tuoi', name: 'Người cao tuổi', weight: 20 },
  { id: 'mang-thai', name: 'Phụ nữ mang thai, người nuôi con nhỏ', weight: 20 },
];

export const DEMO_OFFICES: readonly OfficeConfig[] = [
  {
    officeId: 'ca-mau-an-xuyen',
    name: 'UBND phường An Xuyên — Bộ phận Một cửa',
    address: 'Số 2 đường Hùng Vương, phường An Xuyên, tỉnh Cà Mau',
    province: 'Cà Mau',
    agencyCode: '000.31.12.H12',
    timezone: 'Asia/Ho_Chi_Minh',
    openingHours: hours,
    counters: [
      { id: 'q1', name: 'Quầy 1', location: 'Tầng trệt, bên trái' },
      { id: 'q2', name: 'Quầy 2', location: 'Tầng trệt, bên trái' },
      { id: 'q3', name: 'Quầy 3', location: 'Tầng trệt, bên phải' },
      { id: 'q4', name: 'Quầy 4', location: 'Tầng trệt, bên phải' },
    ],
    areas: [
      {
        id: 'tu-phap',
        name: 'Tư pháp – Hộ tịch',
        services: [
          {
            id: 'ho-tich',
            name: 'Đăng ký hộ tịch (khai sinh, kết hôn, khai tử)',
            prefix: 'A',
            counterIds: ['q1'],
            dailyCap: 120,
          },
          {
            id: 'chung-thuc',
            name: 'Chứng thực bản sao, chữ ký',
            prefix: 'B',
            counterIds: ['q1', 'q2'],
            dailyCap: null,
          },
        ],
      },
      {
        id: 'dat-dai',
        name: 'Đất đai – Xây dựng – Môi trường',
        services: [{ id: 'dat-dai', name: 'Đất đai, xây dựng', prefix: 'C', counterIds: ['q3'], dailyCap: 60 }],
      },
      {
        id: 'kinh-te',
        name: 'Kinh tế – Hộ kinh doanh',
        services: [
          { id: 'ho-kinh-doanh', name: 'Đăng ký hộ kinh doanh', prefix: 'D', counterIds: ['q4'], dailyCap: 50 },
        ],
      },
      {
        id: 'chinh-sach',
        name: 'Lao động – Thương binh – Xã hội',
        services: [
          { id: 'bao-tro', name: 'Bảo trợ xã hội, người có công', prefix: 'E', counterIds: ['q4'], dailyCap: 40 },
        ],
      },
    ],
    priorityGroups,
    // The citizen's phone (docs/phone.md): messages when 3 are ahead, by Zalo or SMS.
    phone: { notifyAhead: 3, channels: ['zalo', 'sms'] },
    // Appointments (docs/phone.md): booked on central's /hen page, checked in at the kiosk,
    // called ahead of walk-ins (weight 50 > every priority group).
    appointments: {
      enabled: true,
      services: [
        { serviceId: 'ho-tich', slotMinutes: 30, capacity: 2 },
        { serviceId: 'chung-thuc', slotMinutes: 15, capacity: 3 },
      ],
      bookDaysAhead: 14,
      earlyMinutes: 30,
      lateMinutes: 15,
      weight: 50,
      maxNoShows: 2,
      noShowDays: 30,
    },
    payment: {
      bankBin: '970405',
      accountNumber: '7800201000123',
      accountName: 'UBND PHUONG AN XUYEN',
      demoConfirm: true,
    },
  },
  {
    officeId: 'ca-mau-dam-doi',
    name: 'UBND xã Đầm Dơi — Bộ phận Một cửa',
    address: 'Khóm 4, xã Đầm Dơi, tỉnh Cà Mau',
    province: 'Cà Mau',
    agencyCode: '000.55.12.H12',
    timezone: 'Asia/Ho_Chi_Minh',
    openingHours: hours,
    counters: [
      { id: 'q1', name: 'Quầy 1', location: 'Phòng tiếp dân' },
      { id: 'q2', name: 'Quầy 2', location: 'Phòng tiếp dân' },
    ],
    areas: [
      {
        id: 'tong-hop',
        name: 'Tiếp nhận hồ sơ tổng hợp',
        services: [{ id: 'tong-hop', name: 'Tất cả thủ tục', prefix: 'A', counterIds: ['q1', 'q2'], dailyCap: 150 }],
      },
    ],
    priorityGroups,
    payment: { bankBin: '970405', accountNumber: '7803201000456', accountName: 'UBND XA DAM DOI', demoConfirm: true },
  },
];

export const DEMO_OFFICE_ID = DEMO_OFFICES[0]!.officeId;

/**
 * Seeds the demo offices (idempotent: re-running updates them). Domain owners add their demo
 * data here (the catalog, sample dossiers) so `npm start` shows a living office.
 */
export async function seedDemo(store: Sql): Promise<{ officeIds: string[] }> {
  for (const office of DEMO_OFFICES) await upsertOffice(store, office);
  return { officeIds: DEMO_OFFICES.map((o) => o.officeId) };
}
