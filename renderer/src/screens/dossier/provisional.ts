import type { ScanResult } from '../../../../drivers/id/types.ts';
import { SHORT_PROVISIONAL_RE } from '../../../../protocol/dossiers.ts';

/** A provisional receipt's QR (the bare number, `T2-000015`): read like a dossier receipt. */
export const isProvisionalScan = (scan: ScanResult): boolean =>
  scan.kind === 'plain' && SHORT_PROVISIONAL_RE.test(scan.text.trim().toUpperCase());
