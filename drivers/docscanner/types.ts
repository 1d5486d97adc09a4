import { z } from 'zod';

/** What the kiosk shows and logs about the document scanner (pushed as `device.docscanner`). */
export const DocScannerStatus = z.object({
  kind: z.enum(['sane', 'sim', 'none']),
  /** `ready`: answered its last check; `busy`: scanning; `offline`: did not answer (retried in the background). */
  state: z.enum(['ready', 'busy', 'offline', 'none']),
  online: z.boolean(),
  /** The SANE device in use (`test`, `epson2:…`); null for the simulator and none. */
  device: z.string().nullable(),
  lastError: z.string().nullable(),
  checkedAt: z.string(),
});
export type DocScannerStatus = z.infer<typeof DocScannerStatus>;

export const DocScannerErrorCode = z.enum([
  'DOCSCANNER_NONE',
  'DOCSCANNER_BUSY',
  'DOCSCANNER_OFFLINE',
  'DOCSCANNER_ERROR',
]);
export type DocScannerErrorCode = z.infer<typeof DocScannerErrorCode>;

export class DocScannerError extends Error {
  constructor(
    readonly code: DocScannerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DocScannerError';
  }
}
export const isDocScannerError = (e: unknown): e is DocScannerError => e instanceof DocScannerError;

/** One scanned page as the device gave it (PNG or PNM bytes; the cleaner reads either). */
export interface ScannedImage {
  readonly bytes: Buffer;
  readonly ms: number;
}

export interface DocScanner {
  readonly uri: string;
  /** Checks the device once; never throws (a missing device is `offline`, retried in the background). */
  open(): Promise<DocScannerStatus>;
  /** One page. Throws DocScannerError (NONE, BUSY, OFFLINE, ERROR). */
  scan(): Promise<ScannedImage>;
  status(opts?: { refresh?: boolean }): Promise<DocScannerStatus>;
  on(event: 'status', fn: (s: DocScannerStatus) => void): () => void;
  close(): Promise<void>;
}
