import ExcelJS from 'exceljs';
import { EXPORT_LABELS, RatingLevels, type ExportLang, type Report, type ReportRow } from '../protocol/reports.ts';
import { vnDay } from '../protocol/tickets.ts';

/**
 * A report as tables (one per section), written as CSV (UTF-8 with BOM so Excel reads Vietnamese,
 * sections one after another) or XLSX (exceljs: one worksheet per section, numbers as numbers).
 * Durations stay in seconds (whole minutes over more than 7 days, with a note section); days are Vietnamese dd/mm/yyyy.
 */
export type Cell = string | number | null;
export interface Sheet {
  readonly name: string;
  readonly header: readonly string[];
  readonly rows: readonly Cell[][];
}

export function reportSheets(report: Report, lang: ExportLang): Sheet[] {
  const L = EXPORT_LABELS[lang];
  const cols = [
    L.issued,
    L.served,
    L.noShow,
    L.transferred,
    L.kiosk,
    L.desk,
    L.priority_n,
    L.waitMedian,
    L.waitP90,
    L.serviceMedian,
    L.serviceP90,
  ];
  const figures = (r: ReportRow): Cell[] => [
    r.issued,
    r.served,
    r.noShow,
    r.transferred,
    r.kiosk,
    r.desk,
    r.priority,
    r.waitMedian,
    r.waitP90,
    r.serviceMedian,
    r.serviceP90,
  ];
  const label = (r: { key: string; label: string }) => (r.key === '' ? L.none : r.label);
  const period = report.from === report.to ? vnDay(report.from) : `${vnDay(report.from)} – ${vnDay(report.to)}`;
  const sheets: Sheet[] = [
    {
      name: L.summary,
      header: [L.scope, L.period, ...cols],
      rows: [[report.title, period, ...figures(report.totals)]],
    },
    // Over more than 7 days the percentiles are whole minutes (Report.durationResolution): say so.
    ...(report.durationResolution === 'minute' ? [{ name: L.note, header: [L.note], rows: [[L.minuteNote]] }] : []),
    { name: L.byDay, header: [L.period, ...cols], rows: report.byDay.map((r) => [vnDay(r.key), ...figures(r)]) },
    { name: L.byService, header: [L.name, ...cols], rows: report.byService.map((r) => [label(r), ...figures(r)]) },
  ];
  if (report.scope === 'province')
    sheets.push({
      name: L.byOffice,
      header: [L.name, ...cols],
      rows: report.byOffice.map((r) => [label(r), ...figures(r)]),
    });
  else
    sheets.push(
      { name: L.byCounter, header: [L.name, ...cols], rows: report.byCounter.map((r) => [label(r), ...figures(r)]) },
      { name: L.byOfficer, header: [L.name, ...cols], rows: report.byOfficer.map((r) => [label(r), ...figures(r)]) },
    );
  sheets.push(
    {
      name: L.heatmap,
      header: [L.weekday, ...Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}h`)],
      rows: report.heatmap.map((hours, d) => [L.weekdays[d]!, ...hours]),
    },
    { name: L.priority, header: [L.name, L.issued], rows: report.priorityGroups.map((g) => [g.label, g.issued]) },
    {
      name: L.satisfaction,
      header: [L.name, L.total, ...RatingLevels.map((l) => L[l])],
      rows: [
        [L.all, report.satisfaction.totals.total, ...RatingLevels.map((l) => report.satisfaction.totals[l])],
        ...report.satisfaction.byService.map((r) => [
          `${L.byService}: ${label(r)}`,
          r.total,
          ...RatingLevels.map((l) => r[l]),
        ]),
        ...report.satisfaction.byCounter.map((r) => [
          `${L.byCounter}: ${label(r)}`,
          r.total,
          ...RatingLevels.map((l) => r[l]),
        ]),
      ],
    },
    {
      name: L.other,
      header: [L.item, L.value],
      rows: [
        [L.dossiersSubmitted, report.dossiers.submitted],
        [L.dossiersWithResult, report.dossiers.withResult],
        [L.dossiersOnTime, report.dossiers.onTime],
        [
          L.onTimeShare,
          report.dossiers.withResult === 0
            ? L.noResult
            : `${((100 * report.dossiers.onTime) / report.dossiers.withResult).toFixed(1)} %`,
        ],
        [L.paymentsConfirmed, report.payments.confirmed],
        [L.paymentsAmount, report.payments.amount],
        [L.kiosksTotal, report.kiosks.total],
        [L.kiosksOnline, report.kiosks.online],
      ],
    },
  );
  return sheets;
}

const csvCell = (c: Cell): string => {
  if (c === null) return '';
  // A text that a spreadsheet would run as a formula is kept as text (OWASP CSV injection).
  const s = typeof c === 'string' && /^[=+\-@\t\r]/.test(c) ? `'${c}` : String(c);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** Sections one after another: a title line, the header, the rows, a blank line. */
export function toCsv(sheets: readonly Sheet[]): string {
  const lines: string[] = [];
  for (const s of sheets) {
    lines.push(csvCell(s.name), s.header.map(csvCell).join(','), ...s.rows.map((r) => r.map(csvCell).join(',')), '');
  }
  return `\uFEFF${lines.join('\r\n')}`;
}

/** One worksheet per section (Excel limits sheet names to 31 characters without []:*?/\). */
export async function toXlsx(sheets: readonly Sheet[], title: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'OneStop Kiosk';
  wb.title = title;
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31));
    ws.addRow([...s.header]).font = { bold: true };
    for (const r of s.rows) ws.addRow([...r]);
    ws.columns.forEach((c, i) => {
      c.width = i === 0 ? 32 : 14;
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
