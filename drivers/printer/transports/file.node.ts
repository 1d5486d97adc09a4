import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Transport } from './transport.ts';

/** Appends each job's bytes to a file: for capture, replay with `cat file > /dev/usb/lp0`, and tests. */
export class FileTransport implements Transport {
  readonly kind = 'file';
  readonly canRead = false;
  constructor(private readonly path: string) {}

  async open(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, new Uint8Array());
  }

  write(bytes: Uint8Array): Promise<void> {
    return appendFile(this.path, bytes);
  }

  async close(): Promise<void> {}
}
