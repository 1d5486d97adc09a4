import { z } from 'zod';
import { MAX_SCAN_LENGTH, ScanResult, ScanSource } from '../../drivers/id/index.ts';
import { call, okOutput } from '../define.ts';

export { ScanResult, ScanSource };

/** A scan text as carried over the API (longer inputs are refused before classification). */
const ScanText = z.string().max(MAX_SCAN_LENGTH * 2);

export const ScanReceived = z.object({
  source: ScanSource,
  /** When the scan was read (ISO 8601). */
  at: z.string(),
  result: ScanResult,
});
export type ScanReceived = z.infer<typeof ScanReceived>;

export const ScannerState = z.enum(['closed', 'opening', 'ready', 'error', 'reconnecting']);
export const ScannerStatus = z.object({
  uri: z.string(),
  kind: z.enum(['serial', 'hid', 'camera', 'sim', 'invalid']),
  state: ScannerState,
  detail: z.string().nullable(),
  since: z.string(),
});
export type ScannerStatus = z.infer<typeof ScannerStatus>;

export const calls = {
  /**
   * The renderer read something (keyboard-wedge burst or camera): the kiosk classifies it and
   * pushes it into the one scan stream (`scan.received`), and answers the same result.
   */
  'scans.submit': call(z.object({ text: ScanText, source: z.enum(['hid', 'camera']) }).strict(), ScanResult),
  /** What a text would be understood as, without pushing it anywhere (forms, kioskctl, tests). */
  'scans.classify': call(z.object({ text: ScanText }).strict(), ScanResult),
  /** Makes the `sim` scanner read a text (demos, tests). FORBIDDEN for any other scanner. */
  'scans.simulate': call(z.object({ text: ScanText }).strict(), okOutput),
  /** The configured scanner and its state (also pushed as `scanner.status`). */
  'scans.status': call(z.object({}).strict(), ScannerStatus),
};

export const events = {
  'scan.received': ScanReceived,
  'scanner.status': ScannerStatus,
};
