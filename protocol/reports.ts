import { z } from 'zod';
import { OFFICE_UTC_OFFSET_MS } from './tickets.ts';

/**
 * Manager reports (issue 14): what central answers at `GET /v1/reports` and what the reports
 * page draws, tables and exports. Days are office-local (UTC+7) `YYYY-MM-DD`; durations are
 * whole seconds; percentiles are nearest-rank (the value at rank ⌈p·n⌉ of the sorted values).
 */

export const ReportPeriod = z.enum(['day', 'week', 'month']);
export type ReportPeriod = z.infer<typeof ReportPeriod>;

/** `office`: the manager's own office; `province`: every office of its province (role `province`). */
export const ReportScope = z.enum(['office', 'province']);
export type ReportScope = z.infer<typeof ReportScope>;

const DAY_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
export const LocalDay = z
  .string()
  .regex(DAY_RE, 'a day as YYYY-MM-DD')
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00.000Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
  }, 'no such day');

export const ReportQuery = z
  .object({
    period: ReportPeriod.default('day'),
    /** Any day inside the period (the week is Monday–Sunday, the month the calendar month). */
    date: LocalDay,
    scope: ReportScope.default('office'),
  })
  .strict();
export type ReportQuery = z.infer<typeof ReportQuery>;

/** First and last local day of the period that holds `date`. */
export function periodRange(period: ReportPeriod, date: string): { from: string; to: string } {
  const d = new Date(`${date}T00:00:00.000Z`);
  const iso = (x: Date) => x.toISOString().slice(0, 10);
  if (period === 'day') return { from: date, to: date };
  if (period === 'week') {
    const weekday = (d.getUTCDay() + 6) % 7; // Monday 0
    const from = new Date(d.getTime() - weekday * 86_400_000);
    return { from: iso(from), to: iso(new Date(from.getTime() + 6 * 86_400_000)) };
  }
  const from = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1));
  const to = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
  return { from: iso(from), to: iso(to) };
}

/** The UTC instant at which local `day` begins (00:00 UTC+7), as central stores times. */
export const dayStartUtc = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) - OFFICE_UTC_OFFSET_MS).toISOString();

/** The local day after `day`. */
export const nextDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString().slice(0, 10);

const Count = z.number().int().min(0);
const Seconds = z.number().int().nullable();

export const ReportRow = z.object({
  key: z.string(),
  label: z.string(),
  issued: Count,
  served: Count,
  noShow: Count,
  transferred: Count,
  /** Issued at a kiosk / at an officer's desk. */
  kiosk: Count,
  desk: Count,
  /** Issued to a priority group. */
  priority: Count,
  waitMedian: Seconds,
  waitP90: Seconds,
  serviceMedian: Seconds,
  serviceP90: Seconds,
});
export type ReportRow = z.infer<typeof ReportRow>;

export const RatingLevels = ['very_satisfied', 'satisfied', 'dissatisfied'] as const;
export const SatisfactionRow = z.object({
  key: z.string(),
  label: z.string(),
  total: Count,
  very_satisfied: Count,
  satisfied: Count,
  dissatisfied: Count,
});
export type SatisfactionRow = z.infer<typeof SatisfactionRow>;

export const Report = z.object({
  scope: ReportScope,
  period: ReportPeriod,
  from: LocalDay,
  to: LocalDay,
  /** The office (office scope) or the province (province scope). */
  title: z.string(),
  offices: z.array(z.object({ id: z.string(), name: z.string() })),
  generatedAt: z.string(),
  /**
   * How exact the wait and service percentiles are. `second`: exact nearest rank of the whole
   * seconds (reports of up to 7 days). `minute`: nearest rank of the durations truncated to the
   * whole minute (floor(s / 60) · 60, still given in seconds) — reports over more than 7 days.
   */
  durationResolution: z.enum(['second', 'minute']),
  totals: ReportRow,
  byDay: z.array(ReportRow),
  byService: z.array(ReportRow),
  byCounter: z.array(ReportRow),
  byOfficer: z.array(ReportRow),
  byOffice: z.array(ReportRow),
  /** Tickets issued per ISO weekday (index 0 = Monday) × local hour (0–23). */
  heatmap: z.array(z.array(Count).length(24)).length(7),
  priorityGroups: z.array(z.object({ key: z.string(), label: z.string(), issued: Count })),
  satisfaction: z.object({
    totals: SatisfactionRow,
    byService: z.array(SatisfactionRow),
    byCounter: z.array(SatisfactionRow),
  }),
  dossiers: z.object({
    submitted: Count,
    /** Dossiers with a result on record (status 9 "Đã xử lý xong" or 10 "Đã trả kết quả"). */
    withResult: Count,
    /** Of those, the result came by the end of the appointment day. */
    onTime: Count,
  }),
  payments: z.object({ confirmed: Count, amount: z.number().int().min(0) }),
  kiosks: z.object({
    total: Count,
    online: Count,
    /** A kiosk counts as online when its last heartbeat is this recent. */
    onlineWithinSeconds: Count,
    list: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        officeId: z.string(),
        lastHeartbeatAt: z.string().nullable(),
        online: z.boolean(),
      }),
    ),
  }),
});
export type Report = z.infer<typeof Report>;

/** Column headings of the CSV/XLSX export (a file format: both languages kept here, beside the shape). */
export const EXPORT_LABELS = {
  vi: {
    summary: 'Tổng hợp',
    note: 'Ghi chú',
    minuteNote:
      'Khoảng thời gian trên 7 ngày: thời gian chờ và phục vụ (trung vị, p90) tính theo phút tròn (bỏ phần giây lẻ), ghi bằng giây (bội số của 60).',
    byDay: 'Theo ngày',
    byService: 'Theo dịch vụ',
    byCounter: 'Theo quầy',
    byOfficer: 'Theo cán bộ',
    byOffice: 'Theo đơn vị',
    heatmap: 'Giờ cao điểm',
    priority: 'Đối tượng ưu tiên',
    satisfaction: 'Mức độ hài lòng',
    other: 'Hồ sơ, lệ phí, kiosk',
    name: 'Tên',
    issued: 'Số phiếu cấp',
    served: 'Đã phục vụ',
    noShow: 'Vắng mặt',
    transferred: 'Chuyển',
    kiosk: 'Lấy tại kiosk',
    desk: 'Cấp tại quầy',
    priority_n: 'Ưu tiên',
    waitMedian: 'Chờ trung vị (giây)',
    waitP90: 'Chờ p90 (giây)',
    serviceMedian: 'Phục vụ trung vị (giây)',
    serviceP90: 'Phục vụ p90 (giây)',
    weekday: 'Thứ',
    weekdays: ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ nhật'],
    scope: 'Phạm vi',
    period: 'Kỳ báo cáo',
    total: 'Số đánh giá',
    very_satisfied: 'Rất hài lòng',
    satisfied: 'Hài lòng',
    dissatisfied: 'Không hài lòng',
    all: 'Tất cả',
    none: '(chưa gọi / không gắn số)',
    item: 'Chỉ tiêu',
    value: 'Giá trị',
    dossiersSubmitted: 'Hồ sơ nộp tại kiosk',
    dossiersWithResult: 'Hồ sơ đã có kết quả',
    dossiersOnTime: 'Hồ sơ đúng hạn',
    onTimeShare: 'Tỷ lệ đúng hạn',
    noResult: 'chưa có kết quả',
    paymentsConfirmed: 'Giao dịch VietQR thành công',
    paymentsAmount: 'Lệ phí thu qua VietQR (đồng)',
    kiosksTotal: 'Số kiosk',
    kiosksOnline: 'Kiosk đang hoạt động (lúc lập báo cáo)',
  },
  en: {
    summary: 'Summary',
    note: 'Note',
    minuteNote:
      'Over more than 7 days: wait and service times (median, p90) are in whole minutes (seconds dropped), written in seconds (multiples of 60).',
    byDay: 'By day',
    byService: 'By service',
    byCounter: 'By counter',
    byOfficer: 'By officer',
    byOffice: 'By office',
    heatmap: 'Busiest hours',
    priority: 'Priority groups',
    satisfaction: 'Satisfaction',
    other: 'Dossiers, fees, kiosks',
    name: 'Name',
    issued: 'Tickets issued',
    served: 'Served',
    noShow: 'No-show',
    transferred: 'Transferred',
    kiosk: 'At a kiosk',
    desk: 'At a desk',
    priority_n: 'Priority',
    waitMedian: 'Wait median (s)',
    waitP90: 'Wait p90 (s)',
    serviceMedian: 'Service median (s)',
    serviceP90: 'Service p90 (s)',
    weekday: 'Weekday',
    weekdays: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
    scope: 'Scope',
    period: 'Period',
    total: 'Ratings',
    very_satisfied: 'Very satisfied',
    satisfied: 'Satisfied',
    dissatisfied: 'Dissatisfied',
    all: 'All',
    none: '(not called / no ticket)',
    item: 'Item',
    value: 'Value',
    dossiersSubmitted: 'Dossiers submitted at kiosks',
    dossiersWithResult: 'Dossiers with a result',
    dossiersOnTime: 'Dossiers on time',
    onTimeShare: 'On-time share',
    noResult: 'no results yet',
    paymentsConfirmed: 'VietQR payments confirmed',
    paymentsAmount: 'Fees paid by VietQR (VND)',
    kiosksTotal: 'Kiosks',
    kiosksOnline: 'Kiosks online (when the report was made)',
  },
} as const;
export type ExportLang = keyof typeof EXPORT_LABELS;
