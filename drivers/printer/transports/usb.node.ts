import { constants } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import type { Transport, TransportEvents } from './transport.ts';

const POLL_MS = 40;
const GONE = new Set(['EIO', 'ENODEV', 'ENXIO', 'EBADF', 'ENOENT']);

/**
 * A USB printer class device (`/dev/usb/lp0`, Linux usblp). Opened non-blocking so a reader
 * never parks a libuv thread on a silent device: writes retry on EAGAIN, the back channel
 * (status replies, when the printer has one) is polled. Device gone (EIO/ENODEV) = lost.
 */
export class UsbTransport implements Transport {
  readonly kind = 'usb';
  readonly canRead = true;
  private fh: FileHandle | undefined;
  private timer: NodeJS.Timeout | undefined;
  private events: TransportEvents | undefined;

  constructor(private readonly path: string) {}

  async open(events: TransportEvents): Promise<void> {
    this.fh = await open(this.path, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY);
    this.events = events;
    this.schedulePoll();
  }

  private schedulePoll() {
    this.timer = setTimeout(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  private async poll(): Promise<void> {
    const fh = this.fh;
    if (!fh) return;
    const buf = Buffer.alloc(64);
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, null);
        if (bytesRead <= 0) {
          // End of file instead of EAGAIN: the other side hung up, or the printer sent an empty
          // packet. The device node tells which: gone or replaced means unplugged.
          if (bytesRead === 0 && !(await this.sameDevice(fh))) return this.lost(new Error(`${this.path} disappeared`));
          break;
        }
        this.events?.onData(buf.subarray(0, bytesRead));
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      if (GONE.has(code)) return this.lost(e as Error);
    }
    if (this.fh === fh) this.schedulePoll();
  }

  private async sameDevice(fh: FileHandle): Promise<boolean> {
    try {
      const [a, b] = await Promise.all([fh.stat(), stat(this.path)]);
      return a.rdev === b.rdev && a.ino === b.ino && a.nlink > 0;
    } catch {
      return false;
    }
  }

  private lost(err: Error) {
    const fh = this.fh;
    if (!fh) return;
    this.fh = undefined;
    clearTimeout(this.timer);
    void fh.close().catch(() => undefined);
    this.events?.onLost(err);
  }

  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const fh = this.fh;
      if (!fh) throw new Error(`${this.path} is not open`);
      try {
        const { bytesWritten } = await fh.write(bytes, off, Math.min(4096, bytes.length - off), null);
        off += bytesWritten;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          await new Promise((r) => setTimeout(r, 10));
          continue;
        }
        if (GONE.has(code ?? '')) this.lost(e as Error);
        throw e;
      }
    }
  }

  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = undefined;
    clearTimeout(this.timer);
    await fh?.close().catch(() => undefined);
  }
}
