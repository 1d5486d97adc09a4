import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import type { CatalogVersionView } from '../protocol/admin.ts';
import {
  Catalog,
  CHANNEL_NAMES,
  ChannelKind,
  LEVEL_NAMES,
  OnlineLevel,
  Procedure,
  ProcedureLevel,
  type Field,
} from '../protocol/catalog.ts';
import { getDocument, getFirstDocument, officeCatalogName, setDocument } from './admin.node.ts';
import type { Sql } from './store/store.node.ts';

/**
 * The procedure catalog as an office clerk exports it from the national procedure database:
 * one row per procedure (CSV or XLSX), the columns below (Vietnamese headers as the export
 * names them, or the English keys). Cells that hold several things (steps, channels, documents,
 * applicants…) put one per line (Alt+Enter in Excel); a channel or document line splits its
 * parts with ` | `. Every row is checked with protocol/catalog.ts's `Procedure`; errors name
 * the file's line (CSV) or row (XLSX). See docs/admin.md.
 */

export const COLUMNS = [
  ['code', 'Mã thủ tục'],
  ['name', 'Tên thủ tục'],
  ['fieldId', 'Mã lĩnh vực'],
  ['fieldName', 'Lĩnh vực'],
  ['level', 'Cấp thực hiện'],
  ['agency', 'Cơ quan thực hiện'],
  ['whereToSubmit', 'Nơi tiếp nhận'],
  ['steps', 'Trình tự thực hiện'],
  ['channels', 'Cách thức thực hiện'],
  ['cases', 'Thành phần hồ sơ'],
  ['applicants', 'Đối tượng thực hiện'],
  ['requirements', 'Yêu cầu, điều kiện'],
  ['result', 'Kết quả thực hiện'],
  ['legalBasis', 'Căn cứ pháp lý'],
  ['onlineLevel', 'Mức độ dịch vụ công trực tuyến'],
  ['feeExemptions', 'Miễn, giảm phí'],
  ['keywords', 'Từ khóa'],
  ['common', 'Thường dùng'],
  ['sample', 'Dữ liệu mẫu'],
] as const;
type Column = (typeof COLUMNS)[number][0];
const REQUIRED: readonly Column[] = ['code', 'name', 'fieldName', 'level', 'agency', 'steps', 'channels', 'cases'];

export interface ImportError {
  /** The file's line (CSV: where the record starts) or the sheet's row (XLSX); 0 = the file itself. */
  readonly line: number;
  readonly message: string;
}

export interface Table {
  readonly header: string[];
  /** Each row with its line number in the file. */
  readonly rows: Array<{ line: number; cells: string[] }>;
}

export const ImportFormat = z.enum(['csv', 'xlsx']);
export type ImportFormat = z.infer<typeof ImportFormat>;

/** Reads a CSV (UTF-8, with or without BOM; comma or semicolon) or the first sheet of an XLSX. */
export async function readTable(format: ImportFormat, bytes: Buffer): Promise<Table> {
  if (format === 'csv') {
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const firstLine = text.slice(0, text.indexOf('\n') >>> 0);
    const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
    const records = parseCsv(text, {
      delimiter,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    // `info.lines` is the line the record ends on; count back its own line breaks to where it starts.
    const rows = records.map((r) => ({
      line: r.info.lines - r.record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0),
      cells: r.record,
    }));
    const head = rows.shift();
    return { header: head?.cells ?? [], rows };
  }
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw new Error(`not a readable XLSX file (${(err as Error).message.slice(0, 120)})`);
  }
  const sheet = book.worksheets[0];
  if (!sheet) return { header: [], rows: [] };
  const out: Array<{ line: number; cells: string[] }> = [];
  sheet.eachRow({ includeEmpty: false }, (row, line) => {
    const cells: string[] = [];
    for (let i = 1; i <= row.cellCount; i++) cells.push(cellText(row.getCell(i).value));
    out.push({ line, cells });
  });
  const head = out.shift();
  return { header: head?.cells ?? [], rows: out };
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v && typeof v.text === 'string') return v.text;
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  return '';
}

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
const HEADERS = new Map<string, Column>(
  COLUMNS.flatMap(([key, vi]) => [[fold(key), key] as const, [fold(vi), key] as const]),
);

const lines = (s: string) =>
  s
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);
const parts = (s: string) => s.split('|').map((x) => x.trim());
const numberOrNull = (s: string | undefined, what: string): number | null => {
  if (s === undefined || s === '' || s === '-') return null;
  const n = Number(s.replace(/[.\s]/g, '').replace(',', '.'));
  if (!Number.isFinite(n)) throw new Error(`${what}: "${s}" is not a number`);
  return n;
};

const LEVELS = new Map<string, ProcedureLevel>(
  ProcedureLevel.options.flatMap((l) => [[fold(l), l] as const, [fold(LEVEL_NAMES[l]), l] as const]),
);
const CHANNELS = new Map<string, ChannelKind>(
  ChannelKind.options.flatMap((k) => [[fold(k), k] as const, [fold(CHANNEL_NAMES[k]), k] as const]),
);
CHANNELS.set('buu chinh', 'buu-chinh');
const ONLINE = new Map<string, OnlineLevel>([
  ['toan trinh', 'toan-trinh'],
  ['mot phan', 'mot-phan'],
  ['khong', 'khong'],
]);

const slug = (s: string) => fold(s).replace(/ /g, '-') || 'khac';

/** One row → a procedure input (before the schema), or the reason it cannot be read. */
function rowToProcedure(get: (c: Column) => string): { procedure: unknown; field: Field } {
  const level = LEVELS.get(fold(get('level')));
  if (!level) throw new Error(`Cấp thực hiện / level: "${get('level')}" — use Cấp Xã, Cấp Tỉnh or Cấp Bộ`);
  const channels = lines(get('channels')).map((line) => {
    const [kindText = '', timeLimit = '', days, fee = '', amount, note] = parts(line);
    const kind = CHANNELS.get(fold(kindText));
    if (!kind) throw new Error(`Cách thức thực hiện / channel: "${kindText}" — use Trực tiếp, Trực tuyến or Bưu chính`);
    return {
      kind,
      timeLimit,
      timeLimitDays: numberOrNull(days, 'channel days'),
      fee,
      feeAmount: numberOrNull(amount, 'channel fee amount'),
      ...(note ? { note } : {}),
    };
  });
  const cases: Array<{ name: string | null; documents: unknown[] }> = [];
  for (const line of lines(get('cases'))) {
    const c = /^(?:trường hợp|truong hop|case)\s*:?\s*(.*)$/iu.exec(line);
    if (c) {
      cases.push({ name: c[1]!.trim() || null, documents: [] });
      continue;
    }
    const [name = '', template, originals, copies, note] = parts(line);
    if (!cases.length) cases.push({ name: null, documents: [] });
    cases.at(-1)!.documents.push({
      name,
      template: template || null,
      originals: numberOrNull(originals, 'document originals') ?? 1,
      copies: numberOrNull(copies, 'document copies') ?? 0,
      ...(note ? { note } : {}),
    });
  }
  const online = get('onlineLevel') ? ONLINE.get(fold(get('onlineLevel'))) : 'khong';
  if (!online)
    throw new Error(`Mức độ dịch vụ công / online level: "${get('onlineLevel')}" — use Toàn trình, Một phần or Không`);
  const fieldName = get('fieldName');
  const field = { id: get('fieldId') || slug(fieldName), name: fieldName };
  const yes = (c: Column) => ['co', 'x', 'yes', 'true', '1'].includes(fold(get(c)));
  return {
    field,
    procedure: {
      code: get('code'),
      name: get('name'),
      fieldId: field.id,
      level,
      agency: get('agency'),
      whereToSubmit: get('whereToSubmit') || get('agency'),
      steps: lines(get('steps')),
      channels,
      cases,
      applicants: lines(get('applicants')).length ? lines(get('applicants')) : ['Công dân Việt Nam'],
      requirements: lines(get('requirements')),
      result: get('result'),
      legalBasis: lines(get('legalBasis')),
      onlineLevel: online,
      feeExemptions: lines(get('feeExemptions')),
      keywords: lines(get('keywords'))
        .flatMap((l) => l.split(';').map((x) => x.trim()))
        .filter(Boolean),
      common: yes('common'),
      sample: yes('sample'),
    },
  };
}

/** A field of `Procedure` → the column the clerk sees, Vietnamese first. */
const columnOf = (key: PropertyKey | undefined) => {
  const hit = COLUMNS.find(([k]) => k === key);
  return hit ? `${hit[1]} (${hit[0]})` : String(key ?? '(dòng / row)');
};
const describe = (err: z.ZodError) =>
  err.issues
    .slice(0, 3)
    .map((i) => [columnOf(i.path[0]), ...i.path.slice(1).map(String)].join('.') + `: ${i.message}`)
    .join('; ');

export interface ParsedCatalog {
  readonly fields: Field[];
  readonly procedures: Procedure[];
  readonly errors: ImportError[];
  readonly rows: number;
}

/** Every row checked; the good ones kept, each bad one named by its line. */
export function tableToProcedures(table: Table): ParsedCatalog {
  const errors: ImportError[] = [];
  const index = new Map<Column, number>();
  table.header.forEach((h, i) => {
    const key = HEADERS.get(fold(h));
    if (key && !index.has(key)) index.set(key, i);
  });
  const missing = REQUIRED.filter((c) => !index.has(c));
  if (missing.length) {
    const names = missing.map((m) => `${COLUMNS.find(([k]) => k === m)![1]} (${m})`).join(', ');
    return {
      fields: [],
      procedures: [],
      rows: table.rows.length,
      errors: [{ line: 1, message: `thiếu cột / missing columns: ${names}` }],
    };
  }
  const fields = new Map<string, Field>();
  const procedures: Procedure[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    if (cells.every((c) => c.trim() === '')) continue;
    const get = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? '' : (cells[i] ?? '').trim();
    };
    try {
      const { procedure, field } = rowToProcedure(get);
      const parsed = Procedure.safeParse(procedure);
      if (!parsed.success) {
        errors.push({ line, message: describe(parsed.error) });
        continue;
      }
      const first = seen.get(parsed.data.code);
      if (first !== undefined) {
        errors.push({ line, message: `code ${parsed.data.code} already on line ${first}` });
        continue;
      }
      seen.set(parsed.data.code, line);
      if (!fields.has(field.id)) fields.set(field.id, field);
      procedures.push(parsed.data);
    } catch (err) {
      errors.push({ line, message: (err as Error).message });
    }
  }
  if (!procedures.length && !errors.length)
    errors.push({ line: 0, message: 'không có thủ tục nào / no procedures in the file' });
  return { fields: [...fields.values()], procedures, errors, rows: table.rows.length };
}

export interface CatalogDiff {
  readonly added: Array<{ code: string; name: string }>;
  readonly changed: Array<{ code: string; name: string }>;
  readonly removed: Array<{ code: string; name: string }>;
}

/** What applying `next` over `current` adds, changes and removes (by procedure code). */
export function diffCatalogs(current: readonly Procedure[], next: readonly Procedure[]): CatalogDiff {
  const before = new Map(current.map((p) => [p.code, p]));
  const after = new Map(next.map((p) => [p.code, p]));
  const pick = (p: Procedure) => ({ code: p.code, name: p.name });
  return {
    added: next.filter((p) => !before.has(p.code)).map(pick),
    changed: next
      .filter((p) => before.has(p.code) && JSON.stringify(before.get(p.code)) !== JSON.stringify(p))
      .map(pick),
    removed: current.filter((p) => !after.has(p.code)).map(pick),
  };
}

/** The catalog kiosks will get from parsed rows. */
export function buildCatalog(parsed: ParsedCatalog, province: string, now: Date, seq: number): Catalog {
  return Catalog.parse({
    version: `import-${seq}`,
    publishedAt: now.toISOString(),
    province,
    fields: parsed.fields,
    procedures: parsed.procedures,
  });
}

/** The rows of a catalog in the import shape (header first): to export, and to make test files. */
export function catalogToRows(catalog: Catalog): string[][] {
  const fieldName = new Map(catalog.fields.map((f) => [f.id, f.name]));
  const rows = catalog.procedures.map((p) => {
    const v: Record<Column, string> = {
      code: p.code,
      name: p.name,
      fieldId: p.fieldId,
      fieldName: fieldName.get(p.fieldId) ?? p.fieldId,
      level: LEVEL_NAMES[p.level],
      agency: p.agency,
      whereToSubmit: p.whereToSubmit,
      steps: p.steps.join('\n'),
      channels: p.channels
        .map((c) =>
          [CHANNEL_NAMES[c.kind], c.timeLimit, c.timeLimitDays ?? '', c.fee, c.feeAmount ?? '', c.note ?? '']
            .join(' | ')
            .replace(/( \| )+$/, ''),
        )
        .join('\n'),
      cases: p.cases
        .flatMap((c) => [
          ...(c.name ? [`Trường hợp: ${c.name}`] : []),
          ...c.documents.map((d) =>
            [d.name, d.template ?? '', d.originals, d.copies, d.note ?? ''].join(' | ').replace(/( \| )+$/, ''),
          ),
        ])
        .join('\n'),
      applicants: p.applicants.join('\n'),
      requirements: p.requirements.join('\n'),
      result: p.result,
      legalBasis: p.legalBasis.join('\n'),
      onlineLevel: { 'toan-trinh': 'Toàn trình', 'mot-phan': 'Một phần', khong: 'Không' }[p.onlineLevel],
      feeExemptions: p.feeExemptions.join('\n'),
      keywords: p.keywords.join('; '),
      common: p.common ? 'Có' : '',
      sample: p.sample ? 'Có' : '',
    };
    return COLUMNS.map(([k]) => v[k]);
  });
  return [COLUMNS.map(([, vi]) => vi), ...rows];
}

/** An XLSX file of rows (first row the header). */
export async function rowsToXlsx(rows: string[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Thủ tục');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await book.xlsx.writeBuffer());
}

// ───────── an office's published catalog and its versions (routes/admin-config.node.ts, the CLI) ─────────

export async function currentCatalog(q: Sql, officeId: string) {
  const doc = await getFirstDocument(q, [officeCatalogName(officeId), 'catalog']);
  if (!doc) return null;
  return { etag: doc.etag, catalog: Catalog.parse(JSON.parse(doc.json)) };
}

export async function catalogVersions(q: Sql, officeId: string): Promise<CatalogVersionView[]> {
  const current = await getDocument(q, officeCatalogName(officeId));
  const rows = await q.all<{
    seq: number;
    etag: string;
    file_name: string | null;
    created_at: string;
    username: string | null;
    summary_json: string;
  }>(
    `SELECT v.seq, v.etag, v.file_name, v.created_at, o.username, v.summary_json
       FROM catalog_versions v LEFT JOIN officers o ON o.id = v.officer_id
      WHERE v.office_id = ? ORDER BY v.seq DESC`,
    [officeId],
  );
  return rows.map((r) => {
    const s = JSON.parse(r.summary_json) as CatalogVersionView['summary'] & { procedures: number };
    return {
      seq: Number(r.seq),
      etag: r.etag,
      fileName: r.file_name,
      createdAt: r.created_at,
      username: r.username,
      procedures: s.procedures,
      summary: { added: s.added, changed: s.changed, removed: s.removed },
      current: current?.etag === r.etag,
    };
  });
}

/** Publishes a catalog for an office's kiosks and keeps it as a new version. */
export async function publishCatalog(
  q: Sql,
  who: { officeId: string; officerId: string | null },
  catalog: Catalog,
  fileName: string | null,
  summary: { added: number; changed: number; removed: number },
  now: Date,
): Promise<number> {
  const { officeId } = who;
  const last = await q.get<{ seq: number | null }>('SELECT MAX(seq) AS seq FROM catalog_versions WHERE office_id = ?', [
    officeId,
  ]);
  const seq = Number(last?.seq ?? 0) + 1;
  const body = { ...catalog, version: `${officeId}-${seq}` };
  const { etag } = await setDocument(q, officeCatalogName(officeId), body, now);
  await q.run(
    'INSERT INTO catalog_versions (id, office_id, seq, etag, body_json, file_name, officer_id, summary_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    [
      uuidv7(),
      officeId,
      seq,
      etag,
      JSON.stringify(body),
      fileName,
      who.officerId,
      JSON.stringify({ ...summary, procedures: catalog.procedures.length }),
      now.toISOString(),
    ],
  );
  return seq;
}
