/**
 * The document scanner driver (Node side), like the receipt printer's:
 *
 *   const scanner = createDocScanner('sane:test');   // or 'sim:', 'none'
 *   await scanner.open();                            // never throws; offline devices are re-checked
 *   const { bytes } = await scanner.scan();          // PNG; throws DocScannerError
 *   const page = await cleanPage(bytes);             // grey, straight, cropped, JPEG
 *   const pdf = await pagesToPdf([page.jpeg, …], { title });
 */
import { BaseDocScanner } from './device.node.ts';
import { SaneDocScanner } from './sane.node.ts';
import { SimDocScanner } from './sim.node.ts';
import type { DocScanner } from './types.ts';
import { parseDocScannerUri } from './uri.ts';

export { parseDocScannerUri, docScannerUriProblem, type DocScannerUri } from './uri.ts';
export {
  DocScannerStatus,
  DocScannerError,
  DocScannerErrorCode,
  isDocScannerError,
  type DocScanner,
  type ScannedImage,
} from './types.ts';
export { cleanPage, estimateSkew, paperBounds, type CleanedPage, type CleanOptions } from './clean.node.ts';
export { pagesToPdf, pdfPageCount } from './pdf.node.ts';
export { renderSamplePage, SAMPLE_PAGE_LINES, SAMPLE_PAGE_WORDS } from './page.node.ts';
export { SimDocScanner } from './sim.node.ts';
export { SaneDocScanner } from './sane.node.ts';

class NoDocScanner extends BaseDocScanner {
  constructor() {
    super('none', 'none', null, 0);
  }
  protected async probe(): Promise<void> {}
  protected async acquire(): Promise<Buffer> {
    throw new Error('no document scanner configured');
  }
}

export interface CreateDocScannerOptions {
  scanimage?: string;
  recheckMs?: number;
  timeoutMs?: number;
}

/** The scanner a URI names (throws for a URI it does not understand; kiosk/config checks first). */
export function createDocScanner(uri: string, o: CreateDocScannerOptions = {}): DocScanner {
  const u = parseDocScannerUri(uri);
  switch (u.kind) {
    case 'none':
      return new NoDocScanner();
    case 'sim':
      return new SimDocScanner(uri, u.file, o.recheckMs);
    case 'sane':
      return new SaneDocScanner({ uri, device: u.device, options: u.options, ...o });
  }
}
