import { closeSync, openSync, readSync, writeSync, constants } from 'node:fs';

/**
 * The printer end of a pseudo-terminal that takes bytes no faster than a serial line at `baud`
 * (10 bits a byte: start, 8 data, stop). A pty alone does not throttle: without this, "the last
 * byte reached the printer" happens as soon as the kernel buffer takes it. Reading at the line
 * rate leaves the rest in the pty buffer, so the writer waits as it would on a real port.
 * `baud: 0` reads as fast as the bytes come (USB-like).
 */
export class SerialPeer {
  private fd: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  private taken = 0;
  private total = 0;
  /** performance.now() of the last byte read. */
  lastByteAt = 0;
  private readonly buf = Buffer.alloc(65_536);

  /** Called with each chunk read (a FakePrinter's `feed`, to answer status requests). */
  onBytes: (chunk: Uint8Array) => void = () => undefined;

  constructor(
    path: string,
    private readonly baud: number,
  ) {
    this.fd = openSync(path, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
    this.timer = setInterval(() => this.pump(), 2);
  }

  /** Bytes read so far. */
  get received(): number {
    return this.total;
  }

  /** Answers the driver (status bytes). */
  write(bytes: Uint8Array): void {
    writeSync(this.fd, bytes);
  }

  private pump() {
    // The line's budget since the peer opened, less what it has already carried.
    const budget =
      this.baud > 0
        ? Math.floor(((performance.now() - this.started) / 1000) * (this.baud / 10)) - this.taken
        : this.buf.length;
    if (budget <= 0) return;
    let n: number;
    try {
      n = readSync(this.fd, this.buf, 0, Math.min(budget, this.buf.length), null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
        // An idle line does not bank time for a later burst.
        if (this.baud > 0) this.taken = Math.floor(((performance.now() - this.started) / 1000) * (this.baud / 10));
        return;
      }
      throw e;
    }
    if (n <= 0) return;
    this.taken += n;
    this.total += n;
    this.lastByteAt = performance.now();
    this.onBytes(this.buf.subarray(0, n));
  }

  /** Resolves once `n` bytes have been read (the last of them at `lastByteAt`). */
  async waitFor(n: number, timeoutMs = 120_000): Promise<number> {
    const deadline = performance.now() + timeoutMs;
    while (this.total < n) {
      if (performance.now() > deadline) throw new Error(`serial peer read ${this.total} of ${n} bytes`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return this.lastByteAt;
  }

  close(): void {
    clearInterval(this.timer);
    closeSync(this.fd);
  }
}
