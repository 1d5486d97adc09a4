import { setCatalog } from '../admin.node.ts';
import { localDay } from '../../protocol/tickets.ts';
import { addWorkingDays } from '../routes/dossiers.node.ts';
import type { Sql } from '../store/store.node.ts';
import { demoCatalog } from './catalog-generate.ts';

/** How many generated procedures the demo catalog carries besides the written-out ones. */
export const DEMO_GENERATED_PROCEDURES = 2000;

// Generating and validating 2,000 procedures takes a moment: once per process is enough.
const memo = new Map<number, ReturnType<typeof demoCatalog>>();

/** Publishes the demo catalog (idempotent: the same body gives the same ETag). */
export async function seedCatalog(store: Sql, generated = DEMO_GENERATED_PROCEDURES): Promise<{ procedures: number }> {
  const catalog = memo.get(generated) ?? demoCatalog(generated);
  memo.set(generated, catalog);
  await setCatalog(store, catalog, new Date(catalog.publishedAt));
  return { procedures: catalog.procedures.length };
}

interface DemoDossier {
  code: string;
  procedureCode: string;
  procedureName: string;
  applicant: string;
  fee: number;
  paid: boolean;
  /** Status history: [status, days after receipt, note]. The last one is the current status. */
  history: Array<[status: number, day: number, note: string | null]>;
  /** Working days from today to the appointment, for dossiers still in progress; null = `receivedDays + days`. */
  appointmentFromToday: number | null;
}

/**
 * Demo dossiers of the An Xuyên office, one per status a citizen may meet, so the dossier
 * lookup can be tried on a fresh demo (docs/lookup.md lists the codes). Names are invented.
 */
export const DEMO_DOSSIERS: readonly DemoDossier[] = [
  { code: '000.31.12.H12-251120-0001', procedureCode: '1.001193', procedureName: 'Đăng ký khai sinh', applicant: 'Nguyễn Văn An', fee: 0, paid: true, history: [[2, 0, null], [4, 0, null], [9, 0, null], [10, 1, null]], appointmentFromToday: null },
  { code: '000.31.12.H12-251120-0002', procedureCode: '1.004222', procedureName: 'Đăng ký thường trú', applicant: 'Trần Thị Bích', fee: 20000, paid: true, history: [[2, 0, null], [4, 1, 'Công an phường đang thẩm định']], appointmentFromToday: 3 },
  {
    code: '000.31.12.H12-251120-0003',
    procedureCode: '1.012757',
    procedureName: 'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển đổi, chuyển nhượng, thừa kế, tặng cho',
    applicant: 'Lê Hoàng Minh',
    fee: 0,
    paid: false,
    history: [[2, 0, null], [4, 1, null], [5, 3, 'Bổ sung bản sao hợp đồng chuyển nhượng đã chứng thực và bản sao trích lục thửa đất']],
    appointmentFromToday: 8,
  },
  {
    code: '000.31.12.H12-251120-0004',
    procedureCode: '1.012756',
    procedureName: 'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu',
    applicant: 'Phạm Thị Hồng',
    fee: 0,
    paid: false,
    history: [[2, 0, null], [4, 2, null], [6, 10, 'Nộp tiền sử dụng đất và lệ phí trước bạ theo thông báo của cơ quan thuế (1.250.000 đồng)']],
    appointmentFromToday: 10,
  },
  { code: '000.31.12.H12-251120-0005', procedureCode: '1.001612', procedureName: 'Đăng ký thành lập hộ kinh doanh', applicant: 'Võ Thanh Tùng', fee: 100000, paid: true, history: [[2, 0, null], [4, 1, null], [9, 3, 'Giấy chứng nhận đăng ký hộ kinh doanh đã ký']], appointmentFromToday: 0 },
  { code: '000.31.12.H12-251120-0006', procedureCode: '1.004873', procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân', applicant: 'Đặng Mỹ Linh', fee: 10000, paid: false, history: [[2, 0, null], [8, 2, 'Người yêu cầu chưa cung cấp bản án ly hôn theo hướng dẫn']], appointmentFromToday: null },
];

/**
 * Seeds the demo dossiers into the dossier tables (central/routes/dossiers.node.ts owns them).
 * Idempotent. Appointments of dossiers still in progress are counted from today, so the demo
 * never shows a date long past.
 */
export async function seedDemoDossiers(store: Sql, officeId: string, now = new Date()): Promise<{ codes: string[] }> {
  const today = localDay(now);
  for (const [i, d] of DEMO_DOSSIERS.entries()) {
    const exists = await store.get('SELECT code FROM dossiers WHERE code = ?', [d.code]);
    if (exists) continue;
    const yymmdd = d.code.split('-')[1]!;
    const receivedDay = `20${yymmdd.slice(0, 2)}-${yymmdd.slice(2, 4)}-${yymmdd.slice(4, 6)}`;
    const at = (day: number, hour: number) => new Date(`${addWorkingDays(receivedDay, day)}T0${hour}:30:00+07:00`).toISOString();
    const receivedAt = at(0, 8);
    const lastDay = d.history.at(-1)![1];
    const appointment = d.appointmentFromToday === null ? addWorkingDays(receivedDay, lastDay) : addWorkingDays(today, d.appointmentFromToday);
    const status = d.history.at(-1)![0];
    await store.run(
      `INSERT INTO dossiers (code, office_id, device_id, kiosk_id, provisional_no, item_key, procedure_code, procedure_name, applicant_name,
         applicant_json, fields_json, fee, status, consent_at, submitted_at, received_at, appointment_date, paid_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [d.code, officeId, 'demo-seed', 'DEMO', `DEMO-${String(i + 1).padStart(6, '0')}`, `demo-seed:${d.code}`, d.procedureCode, d.procedureName, d.applicant,
        JSON.stringify({ fullName: d.applicant }), '{}', d.fee, status, receivedAt, receivedAt, receivedAt, appointment, d.paid ? receivedAt : null],
    );
    for (const [s, day, note] of d.history) {
      await store.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [d.code, s, at(day, s === 2 ? 8 : 9), note]);
    }
  }
  return { codes: DEMO_DOSSIERS.map((d) => d.code) };
}

/**
 * The demo content beyond the offices (which `seedDemo` writes): the catalog and the sample
 * dossiers. Kept apart from `seedDemo` because tests that enrol a device start from an office
 * without a catalog.
 */
export async function seedDemoContent(store: Sql, officeId: string): Promise<void> {
  await seedCatalog(store);
  await seedDemoDossiers(store, officeId);
}
