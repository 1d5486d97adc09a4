import { looksLikeCccd, parseCccdQr } from './cccd.ts';
import { parseDossierQr } from './dossier.ts';
import { scanError, scanWarning } from './messages.ts';
import { mrzLines, parseMrz } from './mrz.ts';
import { hasDamage, repairMojibake, trimScan } from './text.ts';
import { looksLikeOurCode, parseTicketQr, parseTicketUrl } from './ticket.ts';
import type { Parsed, ScanResult, ScanSource, ScanWarning } from './types.ts';
import { looksLikeEmvQr, parseVietQr } from './vietqr.ts';

/**
 * The longest scan worth reading. A QR code holds at most 7,089 digits (2,953 bytes); anything
 * longer is a stuck scanner or noise on the line, refused before any parsing work.
 */
export const MAX_SCAN_LENGTH = 8192;
/** A plain code (a barcode, a short number) is one short printable line. */
const PLAIN = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]{1,128}$/u;

type Attempted = Extract<ScanResult, { kind: 'error' }>['attempted'];

/**
 * What a scan means. Pure and total: for any string it returns a typed value or a typed error
 * (`kind: 'error'`), never throws, never hands on part of a document as if it were whole.
 */
export function classifyScan(input: string, source: ScanSource): ScanResult {
  try {
    return classifyScanUnguarded(input, source);
  } catch {
    // Every parser is written not to throw; this is the promise kept if one ever does.
    return {
      kind: 'error',
      source,
      text: preview(String(input)),
      warnings: [],
      attempted: 'scan',
      error: scanError('GARBLED'),
    };
  }
}

const preview = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** The classification without the safety net: the fuzz test calls this to prove the net is never needed. */
export function classifyScanUnguarded(input: string, source: ScanSource): ScanResult {
  if (typeof input !== 'string')
    return { kind: 'error', source, text: '', warnings: [], attempted: 'scan', error: scanError('EMPTY') };
  if (input.length > MAX_SCAN_LENGTH) {
    return {
      kind: 'error',
      source,
      text: preview(input),
      warnings: [],
      attempted: 'scan',
      error: scanError('TOO_LONG'),
    };
  }
  let text = trimScan(input);
  const warnings: ScanWarning[] = [];
  const repaired = repairMojibake(text);
  if (repaired !== null) {
    text = repaired;
    warnings.push(scanWarning('MOJIBAKE_REPAIRED'));
  }
  if (text.trim() === '')
    return { kind: 'error', source, text, warnings, attempted: 'scan', error: scanError('EMPTY') };

  const from = <T, K extends 'cccd' | 'mrz' | 'dossier' | 'vietqr' | 'ticket'>(
    kind: K,
    parsed: Parsed<T>,
  ): ScanResult => {
    if (!parsed.ok) return { kind: 'error', source, text, warnings, attempted: kind as Attempted, error: parsed.error };
    return {
      kind,
      source,
      text,
      warnings: [...warnings, ...parsed.warnings],
      [kind]: parsed.value,
    } as unknown as ScanResult;
  };

  if (looksLikeOurCode(text)) return from('ticket', parseTicketQr(text));
  const ticketUrl = parseTicketUrl(text);
  if (ticketUrl) return from('ticket', { ok: true, value: ticketUrl, warnings: [] });
  if (looksLikeEmvQr(text)) {
    const vietqr = parseVietQr(text);
    if (vietqr) return from('vietqr', vietqr);
    return { kind: 'unknown', source, text, warnings };
  }
  const lines = mrzLines(text);
  if (lines) return from('mrz', parseMrz(lines));
  if (looksLikeCccd(text)) return from('cccd', parseCccdQr(text));
  const dossier = parseDossierQr(text);
  if (dossier) return from('dossier', dossier);
  if (hasDamage(text)) return { kind: 'error', source, text, warnings, attempted: 'scan', error: scanError('GARBLED') };
  if (PLAIN.test(text)) return { kind: 'plain', source, text, warnings };
  return { kind: 'unknown', source, text, warnings };
}
