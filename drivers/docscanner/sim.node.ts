import { readFile } from 'node:fs/promises';
import { BaseDocScanner } from './device.node.ts';
import { renderSamplePage } from './page.node.ts';

/**
 * The simulator: each scan is the sample page (known Vietnamese words, "Trang n/3"), turned a
 * little on a table like a hurried photo, so the cleaning has real work; or the PNG/JPEG given
 * as `sim:<file>`. `setOnline(false)` unplugs it (tests, the technician's demo).
 */
export class SimDocScanner extends BaseDocScanner {
  #n = 0;
  #online = true;
  constructor(
    uri: string,
    private readonly file: string | null,
    recheckMs = 2_000,
  ) {
    super(uri, 'sim', null, recheckMs);
  }

  setOnline(online: boolean): void {
    this.#online = online;
  }

  protected async probe(): Promise<void> {
    if (!this.#online) throw new Error('simulated scanner unplugged');
  }

  protected async acquire(): Promise<Buffer> {
    if (!this.#online) throw new Error('simulated scanner unplugged');
    if (this.file) return readFile(this.file);
    const page = (this.#n++ % 3) + 1;
    return renderSamplePage({ page, pages: 3, tiltDeg: [2.5, -3, 1.5][page - 1]! });
  }
}
