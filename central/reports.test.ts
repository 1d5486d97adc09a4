import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../protocol/reports.ts';
import { enrolTestDevice, makeTestDb, signedInOfficer, testDialects, type TestDb } from './testing.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import type { Sql } from './store/store.node.ts';

/**
 * A day of an office with known answers, worked out by hand below (not by the report code):
 * seven tickets on Monday 30/11/2026 at ca-mau-an-xuyen, their calls, ratings, dossiers,
 * payments and two kiosks — plus rows that must NOT count (another office, the day before,
 * a pending payment, a rating a minute before local midnight).
 */
const OFFICE = 'ca-mau-an-xuyen';
const OTHER = 'ca-mau-dam-doi';
const DAY = '2026-11-30';
const OFFICE_NAME = 'UBND phường An Xuyên — Bộ phận Một cửa';
/** Local time (UTC+7) of DAY (or another day) → the ISO instant central stores. */
const at = (hhmmss: string, day = DAY) => new Date(`${day}T${hhmmss}+07:00`).toISOString();
const NOW = new Date(`${DAY}T17:30:00+07:00`);

async function seedDay(q: Sql, devices: { a: string; b: string }) {
  for (const [id, office, name] of [
    ['off_one', OFFICE, 'Cán bộ Một'],
    ['off_two', OFFICE, 'Cán bộ Hai'],
    ['off_far', OTHER, 'Cán bộ Xa'],
  ] as const)
    await q.run(
      `INSERT INTO officers (id, office_id, username, display_name, password_hash, roles, created_at) VALUES (?, ?, ?, ?, 'x', 'counter', ?)`,
      [id, office, id.replace('_', '.'), name, at('07:00:00')],
    );
  let seq = 0;
  const ticket = async (
    t: {
      id: string;
      office?: string;
      day?: string;
      service: string;
      number: string;
      group?: string;
      weight?: number;
      source: 'kiosk' | 'officer';
      issued: string;
      status: string;
      counter?: string;
      called?: string;
      served?: string;
    },
    calls: Array<{ kind: 'call' | 'recall'; counter: string; officer: string; at: string; service?: string }> = [],
  ) => {
    await q.run(
      `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
         issued_at, received_at, status, counter_id, called_at, served_at)
       VALUES (?, ?, ?, ?, 'area', ?, ?, ?, ?, 'central', NULL, ?, ?, ?, ?, ?, ?)`,
      [
        t.id,
        t.office ?? OFFICE,
        t.day ?? DAY,
        t.service,
        t.number,
        t.group ?? null,
        t.weight ?? 0,
        t.source,
        t.issued,
        t.issued,
        t.status,
        t.counter ?? null,
        t.called ?? null,
        t.served ?? null,
      ],
    );
    for (const c of calls)
      await q.run(
        'INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
          `call-${++seq}`,
          seq,
          t.office ?? OFFICE,
          t.id,
          t.number,
          c.counter,
          c.service ?? t.service,
          c.kind,
          c.officer,
          c.at,
        ],
      );
  };
  // T1 A001 kiosk: waited 300 s at q1 (officer one), served in 600 s.
  await ticket(
    {
      id: 't1',
      service: 'ho-tich',
      number: 'A001',
      source: 'kiosk',
      issued: at('08:00:00'),
      status: 'served',
      counter: 'q1',
      called: at('08:05:00'),
      served: at('08:15:00'),
    },
    [{ kind: 'call', counter: 'q1', officer: 'off_one', at: at('08:05:00') }],
  );
  // T2 A002 kiosk, priority (cao-tuoi): waited 300, served in 300.
  await ticket(
    {
      id: 't2',
      service: 'ho-tich',
      number: 'A002',
      group: 'cao-tuoi',
      weight: 20,
      source: 'kiosk',
      issued: at('08:10:00'),
      status: 'served',
      counter: 'q1',
      called: at('08:15:00'),
      served: at('08:20:00'),
    },
    [{ kind: 'call', counter: 'q1', officer: 'off_one', at: at('08:15:00') }],
  );
  // T3 A003 at an officer's desk: waited 600 at q2 (officer two), served in 1200.
  await ticket(
    {
      id: 't3',
      service: 'ho-tich',
      number: 'A003',
      source: 'officer',
      issued: at('08:20:00'),
      status: 'served',
      counter: 'q2',
      called: at('08:30:00'),
      served: at('08:50:00'),
    },
    [{ kind: 'call', counter: 'q2', officer: 'off_two', at: at('08:30:00') }],
  );
  // T4 A004 kiosk: waited 1200 at q2, no-show.
  await ticket(
    {
      id: 't4',
      service: 'ho-tich',
      number: 'A004',
      source: 'kiosk',
      issued: at('09:00:00'),
      status: 'skipped',
      counter: 'q2',
      called: at('09:20:00'),
      served: at('09:25:00'),
    },
    [{ kind: 'call', counter: 'q2', officer: 'off_two', at: at('09:20:00') }],
  );
  // T5 C001 kiosk: called at q1 after 120 s, transferred to q3, called there by officer two, served in 600.
  await ticket(
    {
      id: 't5',
      service: 'dat-dai',
      number: 'C001',
      source: 'kiosk',
      issued: at('09:30:00'),
      status: 'served',
      counter: 'q3',
      called: at('10:00:00'),
      served: at('10:10:00'),
    },
    [
      { kind: 'call', counter: 'q1', officer: 'off_one', at: at('09:32:00') },
      { kind: 'call', counter: 'q3', officer: 'off_two', at: at('10:00:00') },
    ],
  );
  // T6 C002 at a desk, priority (khuyet-tat): still waiting.
  await ticket({
    id: 't6',
    service: 'dat-dai',
    number: 'C002',
    group: 'khuyet-tat',
    weight: 30,
    source: 'officer',
    issued: at('10:30:00'),
    status: 'waiting',
  });
  // T7 A005 kiosk: waited 2400 at q1, recalled, served in 900 (from the call, not the recall).
  await ticket(
    {
      id: 't7',
      service: 'ho-tich',
      number: 'A005',
      source: 'kiosk',
      issued: at('14:05:00'),
      status: 'served',
      counter: 'q1',
      called: at('14:45:00'),
      served: at('15:00:00'),
    },
    [
      { kind: 'call', counter: 'q1', officer: 'off_one', at: at('14:45:00') },
      { kind: 'recall', counter: 'q1', officer: 'off_one', at: at('14:47:00') },
    ],
  );
  // Not this office: another office the same day; not this day: the day before.
  await ticket(
    {
      id: 't8',
      office: OTHER,
      service: 'tong-hop',
      number: 'A001',
      source: 'kiosk',
      issued: at('08:00:00'),
      status: 'served',
      counter: 'q1',
      called: at('08:01:00'),
      served: at('08:02:00'),
    },
    [{ kind: 'call', counter: 'q1', officer: 'off_far', at: at('08:01:00') }],
  );
  await ticket({
    id: 't9',
    day: '2026-11-29',
    service: 'ho-tich',
    number: 'A001',
    source: 'kiosk',
    issued: at('16:00:00', '2026-11-29'),
    status: 'waiting',
  });

  const rating = (id: string, overall: string, createdAt: string, ticketId: string | null, office = OFFICE) =>
    q.run(
      `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
       VALUES (?, ?, ?, 'K', ?, '{}', '[]', NULL, NULL, ?, ?, ?, ?)`,
      [id, office, devices.a, overall, ticketId, ticketId ? 'ticket' : 'standalone', createdAt, createdAt],
    );
  await rating('r1', 'very_satisfied', at('08:16:00'), 't1');
  await rating('r2', 'satisfied', at('08:51:00'), 't3');
  await rating('r3', 'dissatisfied', at('10:11:00'), 't5');
  await rating('r4', 'very_satisfied', at('11:00:00'), null);
  await rating('r5', 'very_satisfied', at('08:21:00'), 't2');
  await rating('r6', 'dissatisfied', at('09:00:00'), 't8', OTHER);
  await rating('r7', 'dissatisfied', at('23:59:00', '2026-11-29'), null);
  await rating('r8', 'satisfied', at('23:59:59'), null);

  const dossier = (code: string, submitted: string, appointment: string) =>
    q.run(
      `INSERT INTO dossiers (code, office_id, device_id, kiosk_id, provisional_no, item_key, procedure_code, procedure_name, applicant_name,
         applicant_json, fields_json, fee, status, consent_at, submitted_at, received_at, appointment_date, paid_at)
       VALUES (?, ?, ?, 'K', ?, ?, 'P1', 'Thủ tục', 'Nguyễn Văn A', '{}', '{}', 0, 2, ?, ?, ?, ?, NULL)`,
      [code, OFFICE, devices.a, `TAM-${code}`, `item-${code}`, submitted, submitted, submitted, appointment],
    );
  const result = (code: string, status: number, when: string) =>
    q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, NULL)', [code, status, when]);
  await dossier('D1', at('09:00:00'), '2026-12-02');
  await result('D1', 9, at('16:00:00', '2026-12-02')); // on time
  await dossier('D2', at('09:10:00'), '2026-12-01');
  await result('D2', 10, at('08:00:00', '2026-12-02')); // late
  await dossier('D3', at('09:20:00'), '2026-12-03'); // no result yet
  await result('D3', 4, at('10:00:00', '2026-12-01'));
  await dossier('D4', at('09:00:00', '2026-11-29'), '2026-12-01'); // another day

  const payment = (id: string, amount: number, status: string, confirmedAt: string | null) =>
    q.run(
      `INSERT INTO payments (id, dossier_code, office_id, device_id, amount, purpose, bank_bin, account_number, status, created_at, received_at, confirmed_at)
       VALUES (?, ?, ?, ?, ?, 'le phi', '970436', '0123', ?, ?, ?, ?)`,
      [id, `D-${id}`, OFFICE, devices.a, amount, status, at('08:00:00'), at('08:00:00'), confirmedAt],
    );
  await payment('p1', 50_000, 'confirmed', at('09:05:00'));
  await payment('p2', 30_000, 'confirmed', at('09:15:00'));
  await payment('p3', 20_000, 'pending', null);
  await payment('p4', 70_000, 'confirmed', at('15:00:00', '2026-11-29'));

  // Kiosk a heard a minute ago (online), kiosk b ten minutes ago (silent).
  for (const [device, ago] of [
    [devices.a, 60_000],
    [devices.b, 600_000],
  ] as const)
    await q.run('INSERT INTO fleet_heartbeats (device_id, received_at, body_json) VALUES (?, ?, ?)', [
      device,
      new Date(NOW.getTime() - ago).toISOString(),
      '{}',
    ]);
}

/** The hand-worked answers. Row: issued, served, noShow, transferred, kiosk, desk, priority, wait med/p90, service med/p90. */
type Fig = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number | null,
  number | null,
  number | null,
  number | null,
];
const fig = (f: Fig) => ({
  issued: f[0],
  served: f[1],
  noShow: f[2],
  transferred: f[3],
  kiosk: f[4],
  desk: f[5],
  priority: f[6],
  waitMedian: f[7],
  waitP90: f[8],
  serviceMedian: f[9],
  serviceP90: f[10],
});
// Waits 120,300,300,600,1200,2400 (n 6: ranks 3 and 6); services 300,600,600,900,1200 (n 5: ranks 3 and 5).
const TOTAL: Fig = [7, 5, 1, 1, 5, 2, 2, 300, 2400, 600, 1200];
const BY_SERVICE: Record<string, Fig> = {
  // waits 120 | services 600
  'dat-dai': [2, 1, 0, 1, 1, 1, 1, 120, 120, 600, 600],
  // waits 300,300,600,1200,2400 (ranks 3, 5) | services 300,600,900,1200 (ranks 2, 4)
  'ho-tich': [5, 4, 1, 0, 4, 1, 1, 600, 2400, 600, 1200],
};
const BY_COUNTER: Record<string, Fig> = {
  '': [1, 0, 0, 0, 0, 1, 1, null, null, null, null],
  q1: [3, 3, 0, 0, 3, 0, 1, 300, 2400, 600, 900],
  q2: [2, 1, 1, 0, 1, 1, 0, 600, 1200, 1200, 1200],
  q3: [1, 1, 0, 1, 1, 0, 0, 120, 120, 600, 600],
};
const BY_OFFICER: Record<string, Fig> = {
  '': [1, 0, 0, 0, 0, 1, 1, null, null, null, null],
  off_one: [3, 3, 0, 0, 3, 0, 1, 300, 2400, 600, 900],
  // waits 600,1200,120 → 120,600,1200 (ranks 2, 3) | services 1200,600 → 600,1200 (ranks 1, 2)
  off_two: [3, 2, 1, 1, 2, 1, 0, 600, 1200, 600, 1200],
};
const LABELS: Record<string, string> = {
  'dat-dai': 'Đất đai, xây dựng',
  'ho-tich': 'Đăng ký hộ tịch (khai sinh, kết hôn, khai tử)',
  q1: 'Quầy 1',
  q2: 'Quầy 2',
  q3: 'Quầy 3',
  off_one: 'Cán bộ Một',
  off_two: 'Cán bộ Hai',
};
// Ratings [total, very, satisfied, dissatisfied].
const SAT_TOTAL = [6, 3, 2, 1];
const SAT_SERVICE: Record<string, number[]> = { '': [2, 1, 1, 0], 'dat-dai': [1, 0, 0, 1], 'ho-tich': [3, 2, 1, 0] };
const SAT_COUNTER: Record<string, number[]> = {
  '': [2, 1, 1, 0],
  q1: [2, 2, 0, 0],
  q2: [1, 0, 1, 0],
  q3: [1, 0, 0, 1],
};
// Monday (row 0): 08h three tickets, 09h two, 10h one, 14h one.
const HEAT: Record<number, number> = { 8: 3, 9: 2, 10: 1, 14: 1 };

const NONE = '(chưa gọi / không gắn số)';
const labelOf = (k: string) => (k === '' ? NONE : LABELS[k]);
/** What every export must hold, as rows of text (CSV) — numbers as their decimal text. */
const expectedSections = (): Record<string, string[][]> => {
  const row = (name: string, f: Fig) => [name, ...f.map((x) => (x === null ? '' : String(x)))];
  return {
    'Tổng hợp': [[OFFICE_NAME, ...row('30/11/2026', TOTAL)]],
    'Theo ngày': [row('30/11/2026', TOTAL)],
    'Theo dịch vụ': Object.entries(BY_SERVICE).map(([k, f]) => row(labelOf(k)!, f)),
    'Theo quầy': Object.entries(BY_COUNTER).map(([k, f]) => row(labelOf(k)!, f)),
    'Theo cán bộ': Object.entries(BY_OFFICER).map(([k, f]) => row(labelOf(k)!, f)),
    'Giờ cao điểm': ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'].map((d, i) => [
      d,
      ...Array.from({ length: 24 }, (_, h) => String(i === 0 ? (HEAT[h] ?? 0) : 0)),
    ]),
    'Đối tượng ưu tiên': [
      ['Người cao tuổi', '1'],
      ['Người khuyết tật', '1'],
    ],
    'Mức độ hài lòng': [
      ['Tất cả', ...SAT_TOTAL.map(String)],
      ...Object.entries(SAT_SERVICE).map(([k, v]) => [`Theo dịch vụ: ${labelOf(k)}`, ...v.map(String)]),
      ...Object.entries(SAT_COUNTER).map(([k, v]) => [`Theo quầy: ${labelOf(k)}`, ...v.map(String)]),
    ],
    'Hồ sơ, lệ phí, kiosk': [
      ['Hồ sơ nộp tại kiosk', '3'],
      ['Hồ sơ đã có kết quả', '2'],
      ['Hồ sơ đúng hạn', '1'],
      ['Tỷ lệ đúng hạn', '50.0 %'],
      ['Giao dịch VietQR thành công', '2'],
      ['Lệ phí thu qua VietQR (đồng)', '80000'],
      ['Số kiosk', '2'],
      ['Kiosk đang hoạt động (lúc lập báo cáo)', '1'],
    ],
  };
};

/** CSV (RFC 4180 quotes) → sections by their title line. */
function parseCsvSections(bytes: Uint8Array): Record<string, string[][]> {
  // A BOM first, so that Excel reads the file as UTF-8.
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') ((cell += '"'), i++);
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') (row.push(cell), (cell = ''));
    else if (ch === '\r' && body[i + 1] === '\n') {
      (row.push(cell), rows.push(row), (row = []), (cell = ''), i++);
    } else cell += ch;
  }
  if (cell || row.length) (row.push(cell), rows.push(row));
  const sections: Record<string, string[][]> = {};
  for (let i = 0; i < rows.length;) {
    const title = rows[i]![0]!;
    let j = i + 2; // title, header
    const data: string[][] = [];
    while (j < rows.length && !(rows[j]!.length === 1 && rows[j]![0] === '')) data.push(rows[j++]!);
    sections[title] = data;
    i = j + 1;
  }
  return sections;
}

describe.each(testDialects())('manager reports on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let manager: string;

  beforeAll(async () => {
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, now: () => NOW });
    const a = await enrolTestDevice(central.store, 'Kiosk A');
    const b = await enrolTestDevice(central.store, 'Kiosk B');
    await central.store.tx((q) => seedDay(q, { a: a.deviceId, b: b.deviceId }));
    manager = await signedInOfficer(central, { username: 'truong.phong', roles: ['manager'] });
  });
  afterAll(async () => {
    await central?.close();
    await db?.dispose();
  });

  const get = (path: string, cookie: string) => fetch(central.url + path, { headers: { cookie } });

  it('answers every figure of the day as worked out by hand', async () => {
    const res = await get(`/v1/reports?period=day&date=${DAY}`, manager);
    expect(res.status).toBe(200);
    const r = Report.parse(await res.json());
    expect([r.from, r.to, r.scope, r.title]).toEqual([DAY, DAY, 'office', OFFICE_NAME]);
    expect(r.totals).toMatchObject(fig(TOTAL));
    expect(r.byDay).toEqual([{ key: DAY, label: DAY, ...fig(TOTAL) }]);
    const keyed = (rows: Report['byService']) =>
      Object.fromEntries(rows.map(({ key, label, ...f }) => [key, { label, ...f }]));
    const want = (m: Record<string, Fig>) =>
      Object.fromEntries(Object.entries(m).map(([k, f]) => [k, { label: LABELS[k] ?? '', ...fig(f) }]));
    expect(keyed(r.byService)).toEqual(want(BY_SERVICE));
    expect(keyed(r.byCounter)).toEqual(want(BY_COUNTER));
    expect(keyed(r.byOfficer)).toEqual(want(BY_OFFICER));
    expect(r.byOffice).toEqual([]);
    expect(r.heatmap).toEqual(
      Array.from({ length: 7 }, (_, d) => Array.from({ length: 24 }, (_, h) => (d === 0 ? (HEAT[h] ?? 0) : 0))),
    );
    expect(r.priorityGroups).toEqual([
      { key: 'cao-tuoi', label: 'Người cao tuổi', issued: 1 },
      { key: 'khuyet-tat', label: 'Người khuyết tật', issued: 1 },
    ]);
    const sat = (v: number[]) => ({ total: v[0], very_satisfied: v[1], satisfied: v[2], dissatisfied: v[3] });
    expect(r.satisfaction.totals).toMatchObject(sat(SAT_TOTAL));
    expect(Object.fromEntries(r.satisfaction.byService.map((s) => [s.key, s]))).toEqual(
      Object.fromEntries(
        Object.entries(SAT_SERVICE).map(([k, v]) => [k, { key: k, label: LABELS[k] ?? '', ...sat(v) }]),
      ),
    );
    expect(Object.fromEntries(r.satisfaction.byCounter.map((s) => [s.key, s]))).toEqual(
      Object.fromEntries(
        Object.entries(SAT_COUNTER).map(([k, v]) => [k, { key: k, label: LABELS[k] ?? '', ...sat(v) }]),
      ),
    );
    expect(r.dossiers).toEqual({ submitted: 3, withResult: 2, onTime: 1 });
    expect(r.payments).toEqual({ confirmed: 2, amount: 80_000 });
    expect([r.kiosks.total, r.kiosks.online, r.kiosks.list.map((k) => [k.name, k.online])]).toEqual([
      2,
      1,
      [
        ['Kiosk A', true],
        ['Kiosk B', false],
      ],
    ]);
  });

  it('exports the same figures as CSV and XLSX', async () => {
    const expected = expectedSections();
    const csv = await get(`/v1/reports/export.csv?period=day&date=${DAY}`, manager);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers.get('content-disposition')).toContain(`bao-cao-${OFFICE}-day-${DAY}.csv`);
    expect(parseCsvSections(new Uint8Array(await csv.arrayBuffer()))).toEqual(expected);

    const xlsx = await get(`/v1/reports/export.xlsx?period=day&date=${DAY}`, manager);
    expect(xlsx.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await xlsx.arrayBuffer());
    const sheets: Record<string, string[][]> = {};
    wb.eachSheet((ws) => {
      const rows: string[][] = [];
      ws.eachRow({ includeEmpty: false }, (row, n) => {
        if (n === 1) return; // header
        const values = (row.values as unknown[]).slice(1);
        rows.push(Array.from({ length: ws.columnCount }, (_, i) => (values[i] == null ? '' : String(values[i]))));
      });
      sheets[ws.name] = rows;
    });
    expect(sheets).toEqual(expected);
    // Numbers are numbers in the workbook (a manager sums them).
    expect(wb.getWorksheet('Theo ngày')!.getRow(2).getCell(2).value).toBe(7);
  });

  it('a week and a month hold the same day (and zeros elsewhere)', async () => {
    const week = Report.parse(await (await get(`/v1/reports?period=week&date=2026-12-03`, manager)).json());
    expect([week.from, week.to, week.byDay.length]).toEqual(['2026-11-30', '2026-12-06', 7]);
    expect(week.totals).toMatchObject(fig(TOTAL));
    expect(week.byDay[1]).toMatchObject({ key: '2026-12-01', issued: 0, waitMedian: null });
    const month = Report.parse(await (await get(`/v1/reports?period=month&date=${DAY}`, manager)).json());
    expect([month.from, month.to, month.byDay.length]).toEqual(['2026-11-01', '2026-11-30', 30]);
    // The day before (29/11) had one waiting ticket and one rating.
    expect(month.totals.issued).toBe(8);
    expect(month.satisfaction.totals.total).toBe(7);
  });

  it('only a manager reads reports, only of the own office; the province needs the province role', async () => {
    const counter = await signedInOfficer(central, { username: 'can.bo.quay', roles: ['counter'] });
    expect((await get(`/v1/reports?date=${DAY}`, counter)).status).toBe(403);
    expect((await get(`/v1/reports/export.csv?date=${DAY}`, counter)).status).toBe(403);
    expect((await get(`/v1/reports?date=${DAY}`, '')).status).toBe(401);
    // Another office named in the query: refused, not answered for the own office.
    expect((await get(`/v1/reports?date=${DAY}&office=${OTHER}`, manager)).status).toBe(403);
    // A manager of the other office sees its one ticket only.
    const far = await signedInOfficer(central, { username: 'truong.damdoi', roles: ['manager'], officeId: OTHER });
    const farReport = Report.parse(await (await get(`/v1/reports?date=${DAY}`, far)).json());
    expect([farReport.totals.issued, farReport.offices.map((o) => o.id)]).toEqual([1, [OTHER]]);
    // The province: refused to an office manager, answered to the province role with both offices.
    expect((await get(`/v1/province/reports?date=${DAY}`, manager)).status).toBe(403);
    const province = await signedInOfficer(central, { username: 'so.noi.vu', roles: ['province'] });
    const p = Report.parse(await (await get(`/v1/province/reports?date=${DAY}`, province)).json());
    expect([p.scope, p.title, p.totals.issued, p.byOffice.map((o) => [o.key, o.issued])]).toEqual([
      'province',
      'Cà Mau',
      8,
      [
        [OFFICE, 7],
        [OTHER, 1],
      ],
    ]);
    expect(p.satisfaction.totals.total).toBe(7);
    // Counter ids are per office: no province-wide "Quầy 1".
    expect(p.satisfaction.byCounter).toEqual([]);
    // …but not an office report (that is the manager's).
    expect((await get(`/v1/reports?date=${DAY}`, province)).status).toBe(403);
  });

  it('refuses a malformed date or period with a clear message', async () => {
    for (const q of ['date=2026-02-30', 'date=30/11/2026', 'period=year&date=2026-11-30', 'date=2026-11-30&x=1']) {
      const res = await get(`/v1/reports?${q}`, manager);
      expect(res.status, q).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/invalid query/);
    }
  });
});
