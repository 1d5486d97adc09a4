import { BaseScanner, type ScanSourceKind } from './types.ts';

/** A scanner for demos and tests: always ready; `inject` makes it "read" a code. */
export class SimScanner extends BaseScanner {
  readonly kind: ScanSourceKind = 'sim';

  constructor(uri = 'sim') {
    super(uri);
  }
  async start(): Promise<void> {
    this.setStatus('ready');
  }
  async close(): Promise<void> {
    this.setStatus('closed');
  }
  inject(text: string): void {
    if (this.status().state !== 'ready') throw new Error('sim scanner is not started');
    this.emitScan(text);
  }
}

/**
 * `hid` and `camera`: the reading happens in the renderer (keyboard events, getUserMedia), which
 * sends each text to the kiosk with `scans.submit`. On the main side there is nothing to open.
 */
export class RendererScanner extends BaseScanner {
  constructor(readonly kind: 'hid' | 'camera') {
    super(kind);
  }
  async start(): Promise<void> {
    this.setStatus('ready', 'read in the renderer');
  }
  async close(): Promise<void> {
    this.setStatus('closed');
  }
}
