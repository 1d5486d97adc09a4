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

interface DemoDossierSeed {
  /** The dossier's counter on its day of receipt. */
  seq: number;
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

interface DemoDossier extends DemoDossierSeed {
  code: string;
  /** `YYYY-MM-DD`, office time. */
  receivedDay: string;
}

/**
 * Demo dossiers of the An Xuyên office, one per status a citizen may meet, so the dossier
 * lookup can be tried on a fresh demo (docs/lookup.md lists the codes). Names are invented.
 */
const SEEDS: readonly DemoDossierSeed[] = [
  {
    seq: 1,
    procedureCode: '1.001193',
    procedureName: 'Đăng ký khai sinh',
    applicant: 'Nguyễn Văn An',
    fee: 0,
    paid: true,
    history: [
      [2, 0, null],
      [4, 0, null],
      [9, 0, null],
      [10, 1, null],
    ],
    appointmentFromToday: null,
  },
  {
    seq: 2,
    procedureCode: '1.004222',
    procedureName: 'Đăng ký thường trú',
    applicant: 'Trần Thị Bích',
    fee: 20000,
    paid: true,
    history: [
      [2, 0, null],
      [4, 1, 'Công an phường đang thẩm định'],
    ],
    appointmentFromToday: 3,
  },
  {
    seq: 3,
    procedureCode: '1.012757',
    procedureName:
      'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển đổi, chuyển nhượng, thừa kế, tặng cho',
    applicant: 'Lê Hoàng Minh',
    fee: 0,
    paid: false,
    history: [
      [2, 0, null],
      [4, 1, null],
      [5, 3, 'Bổ sung bản sao hợp đồng chuyển nhượng đã chứng thực và bản sao trích lục thửa đất'],
    ],
    appointmentFromToday: 8,
  },
  {
    seq: 4,
    procedureCode: '1.012756',
    procedureName:
      'Đăng ký đất đai, tài sản gắn liền với đất, cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu',
    applicant: 'Phạm Thị Hồng',
    fee: 0,
    paid: false,
    history: [
      [2, 0, null],
      [4, 2, null],
      [6, 10, 'Nộp tiền sử dụng đất và lệ phí trước bạ theo thông báo của cơ quan thuế (1.250.000 đồng)'],
    ],
    appointmentFromToday: 10,
  },
  {
    seq: 5,
    procedureCode: '1.001612',
    procedureName: 'Đăng ký thành lập hộ kinh doanh',
    applicant: 'Võ Thanh Tùng',
    fee: 100000,
    paid: true,
    history: [
      [2, 0, null],
      [4, 1, null],
      [9, 3, 'Giấy chứng nhận đăng ký hộ kinh doanh đã ký'],
    ],
    appointmentFromToday: 0,
  },
  {
    seq: 6,
    procedureCode: '1.004873',
    procedureName: 'Cấp Giấy xác nhận tình trạng hôn nhân',
    applicant: 'Đặng Mỹ Linh',
    fee: 10000,
    paid: false,
    history: [
      [2, 0, null],
      [8, 2, 'Người yêu cầu chưa cung cấp bản án ly hôn theo hướng dẫn'],
    ],
    appointmentFromToday: null,
  },
];

/** The working day `days` before `isoDate` (Monday to Friday). */
function workingDaysBefore(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  for (let left = days; left > 0;) {
    d.setUTCDate(d.getUTCDate() - 1);
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

/**
 * The demo dossiers as of `now`: each received a working day after its last recorded step
 * (so nothing happened in the future), its code carrying that day, its appointment a few days
 * from its receipt — never a dossier of last year with an appointment next year.
 */
export function demoDossiers(now = new Date()): DemoDossier[] {
  const today = localDay(now);
  return SEEDS.map((d) => {
    const receivedDay = workingDaysBefore(today, Math.max(...d.history.map(([, day]) => day)) + 1);
    return {
      ...d,
      receivedDay,
      code: `000.31.12.H12-${receivedDay.slice(2).replace(/-/g, '')}-${String(d.seq).padStart(4, '0')}`,
    };
  });
}

/** Today's demo dossiers (the seed and the tests of one run share a day). */
export const DEMO_DOSSIERS: readonly DemoDossier[] = demoDossiers();

/**
 * Seeds the demo dossiers into the dossier tables (central/routes/dossiers.node.ts owns them).
 * Idempotent. Appointments of dossiers still in progress are counted from today, so the demo
 * never shows a date long past; receipts are a few working days back (`demoDossiers`).
 */
export async function seedDemoDossiers(store: Sql, officeId: string, now = new Date()): Promise<{ codes: string[] }> {
  const today = localDay(now);
  const dossiers = demoDossiers(now);
  // A demo seeded on an earlier day: its dossiers give way to today's (same people, same steps).
  const stale = (await store.all<{ code: string }>("SELECT code FROM dossiers WHERE device_id = 'demo-seed'", []))
    .map((r) => r.code)
    .filter((c) => !dossiers.some((d) => d.code === c));
  for (const code of stale) {
    await store.run('DELETE FROM dossier_events WHERE dossier_code = ?', [code]);
    await store.run('DELETE FROM dossiers WHERE code = ?', [code]);
  }
  for (const [i, d] of dossiers.entries()) {
    const exists = await store.get('SELECT code FROM dossiers WHERE code = ?', [d.code]);
    if (exists) continue;
    const receivedDay = d.receivedDay;
    const at = (day: number, hour: number) =>
      new Date(`${addWorkingDays(receivedDay, day)}T0${hour}:30:00+07:00`).toISOString();
    const receivedAt = at(0, 8);
    const lastDay = d.history.at(-1)![1];
    const appointment =
      d.appointmentFromToday === null
        ? addWorkingDays(receivedDay, lastDay)
        : addWorkingDays(today, d.appointmentFromToday);
    const status = d.history.at(-1)![0];
    await store.run(
      `INSERT INTO dossiers (code, office_id, device_id, kiosk_id, provisional_no, item_key, procedure_code, procedure_name, applicant_name,
         applicant_json, fields_json, fee, status, consent_at, submitted_at, received_at, appointment_date, paid_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        d.code,
        officeId,
        'demo-seed',
        'DEMO',
        `DEMO-${String(i + 1).padStart(6, '0')}`,
        `demo-seed:${d.code}`,
        d.procedureCode,
        d.procedureName,
        d.applicant,
        JSON.stringify({ fullName: d.applicant }),
        '{}',
        d.fee,
        status,
        receivedAt,
        receivedAt,
        receivedAt,
        appointment,
        d.paid ? receivedAt : null,
      ],
    );
    for (const [s, day, note] of d.history) {
      await store.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [
        d.code,
        s,
        at(day, s === 2 ? 8 : 9),
        note,
      ]);
    }
  }
  return { codes: dossiers.map((d) => d.code) };
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
