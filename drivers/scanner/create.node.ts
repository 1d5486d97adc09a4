import { SerialScanner, type SerialScannerOptions } from './serial.node.ts';
import { RendererScanner, SimScanner } from './sim.ts';
import type { Scanner } from './types.ts';
import { parseScannerUri } from './uri.ts';

export type CreateScannerResult = { ok: true; scanner: Scanner } | { ok: false; message: string };

/** The scanner a `KIOSK_SCANNER` URI names (not started yet). */
export function createScanner(uri: string, options: SerialScannerOptions = {}): CreateScannerResult {
  const parsed = parseScannerUri(uri);
  if (!parsed.ok) return parsed;
  const { config } = parsed;
  switch (config.kind) {
    case 'serial':
      return { ok: true, scanner: new SerialScanner(uri, config, options) };
    case 'sim':
      return { ok: true, scanner: new SimScanner(uri) };
    case 'hid':
    case 'camera':
      return { ok: true, scanner: new RendererScanner(config.kind) };
  }
}
