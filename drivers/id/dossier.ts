import { scanError } from './messages.ts';
import { fold, isoDate } from './text.ts';
import type { DossierData, Parsed } from './types.ts';

/** `<agency id>-yyMMdd-NNNN`, e.g. `000.00.12.H12-250315-0001` (vietnam.md §3). */
export const DOSSIER_CODE = /^(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4,})$/;
/** The same code inside other text: bounded so `X000.00…` or a longer counter does not match part-way. */
const DOSSIER_CODE_IN_TEXT = /(?<![\w.])(\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(\d{6})-(\d{4,12})(?![\w])/g;

export interface DossierCode {
  code: string;
  agencyId: string;
  receivedOn: string;
  sequence: string;
}

/** A dossier code with a real date; null when it is not one. */
export function parseDossierCode(code: string): DossierCode | null | 'bad-date' {
  const m = DOSSIER_CODE.exec(code);
  if (!m) return null;
  const d = m[2]!;
  const receivedOn = isoDate(2000 + Number(d.slice(0, 2)), Number(d.slice(2, 4)), Number(d.slice(4, 6)));
  if (!receivedOn) return 'bad-date';
  return { code, agencyId: m[1]!, receivedOn, sequence: m[3]! };
}

/** Labels a receipt QR may carry (Circular 01/2023/TT-VPCP), folded to plain lower-case. */
type ReceiptField = 'procedureCode' | 'applicant' | 'documentName' | 'issuingSystem' | 'receivedAt' | 'appointmentDate';
const LABELS: ReadonlyArray<[field: ReceiptField, labels: string[]]> = [
  ['procedureCode', ['ma thu tuc', 'ma tthc', 'thu tuc', 'procedure', 'procedurecode', 'matthc', 'mathutuc']],
  [
    'applicant',
    ['nguoi nop', 'chu ho so', 'nguoi nop ho so', 'ho ten', 'cong dan', 'applicant', 'chuhoso', 'nguoinop'],
  ],
  ['documentName', ['ten giay to', 'giay to', 'ten ho so', 'ten ket qua', 'document', 'tenhoso', 'tengiayto']],
  ['issuingSystem', ['he thong', 'he thong cap', 'don vi', 'issuer', 'hethong', 'system']],
  [
    'receivedAt',
    ['thoi gian', 'ngay nhan', 'ngay tiep nhan', 'thoi gian tiep nhan', 'received', 'ngaytiepnhan', 'thoigian'],
  ],
  ['appointmentDate', ['ngay hen tra', 'hen tra', 'ngay tra ket qua', 'appointment', 'ngayhentra', 'hentra']],
];

function labelledFields(text: string): Partial<Record<ReceiptField, string>> {
  const out: Partial<Record<ReceiptField, string>> = {};
  const put = (rawKey: string, rawValue: unknown) => {
    if (typeof rawValue !== 'string' && typeof rawValue !== 'number') return;
    const key = fold(rawKey)
      .toLowerCase()
      .replace(/[_\s]+/g, ' ')
      .trim();
    const compactKey = key.replace(/ /g, '');
    for (const [field, labels] of LABELS) {
      if (out[field] === undefined && labels.some((l) => l === key || l === compactKey)) {
        const value = String(rawValue).trim().slice(0, 500);
        if (value) out[field] = value;
        return;
      }
    }
  };
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const obj: unknown = JSON.parse(trimmed);
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) for (const [k, v] of Object.entries(obj)) put(k, v);
      return out;
    } catch {
      // Not JSON after all: fall through to "label: value" lines.
    }
  }
  for (const line of text.split(/\r\n|\r|\n|;/)) {
    const m = /^\s*([^:=]{1,60})[:=]\s*(.+)$/.exec(line);
    if (m) put(m[1]!, m[2]!);
  }
  return out;
}

/**
 * A dossier receipt QR in any of the three shapes provinces use: the bare code; a lookup URL
 * with the code in its path or query; or structured content (JSON or `label: value` lines)
 * with the code and other receipt fields. Null when the text carries no dossier code.
 */
export function parseDossierQr(text: string): Parsed<DossierData> | null {
  const bare = parseDossierCode(text);
  if (bare === 'bad-date') return { ok: false, error: scanError('DOSSIER_BAD_DATE') };
  if (bare) return { ok: true, value: { ...bare, via: 'bare' }, warnings: [] };

  const codes = new Set<string>();
  for (const m of text.matchAll(DOSSIER_CODE_IN_TEXT)) codes.add(m[0]);
  let url: URL | null = null;
  if (/^https?:\/\//i.test(text) && !/\s/.test(text)) {
    try {
      url = new URL(text);
    } catch {
      url = null;
    }
    if (url) {
      // The code may be percent-encoded in the path or a query value.
      const parts = [...url.pathname.split('/'), ...[...url.searchParams.values()], url.hash.slice(1)];
      for (const part of parts) {
        let decoded = part;
        try {
          decoded = decodeURIComponent(part);
        } catch {
          // Keep the raw part: a stray % is not our problem to fix.
        }
        for (const m of decoded.matchAll(DOSSIER_CODE_IN_TEXT)) codes.add(m[0]);
      }
    }
  }
  if (codes.size === 0) return null;
  if (codes.size > 1) return { ok: false, error: scanError('DOSSIER_AMBIGUOUS') };
  const parsed = parseDossierCode([...codes][0]!);
  if (parsed === 'bad-date') return { ok: false, error: scanError('DOSSIER_BAD_DATE') };
  if (!parsed) return null;
  if (url) return { ok: true, value: { ...parsed, via: 'url', url: url.href }, warnings: [] };
  return { ok: true, value: { ...labelledFields(text), ...parsed, via: 'structured' }, warnings: [] };
}
