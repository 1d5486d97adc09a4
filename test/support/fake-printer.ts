import { realtimeStatusByte, type RealtimeBits } from '../../drivers/printer/status.ts';

/**
 * The far end of a printer link in tests (a pty end opened with serialport, a TCP socket):
 * records every byte it receives and answers DLE EOT n from `state`, like a real printer.
 * It walks the byte stream command by command so a 0x10 0x04 inside raster or QR data is
 * not taken for a status request.
 */
export interface FakePrinterLink {
  write(bytes: Uint8Array): unknown;
}

export class FakePrinter {
  state: RealtimeBits & { mute?: boolean } = {};
  /** Answer to GS I 67 (model name), as `_` name NUL; none when undefined. */
  modelName: string | undefined;
  /** Delay before each status reply (a printer busy printing a long job answers late). */
  replyDelayMs = 0;
  private buf: number[] = [];
  private cursor = 0;
  private jobBytes: number[] = [];
  private waiters: { n: number; resolve: () => void }[] = [];
  statusRequests = 0;
  /**
   * Loses power once this many job bytes arrived: the rest of the job and every later byte
   * (status requests included) go into the void, as on a printer whose plug was pulled while
   * the USB-serial adapter stays powered by the kiosk.
   */
  powerOffAfterBytes: number | null = null;
  /** Stops reading once this many job bytes arrived (`onStopReading` is called to pause the link). */
  stopReadingAfterBytes: number | null = null;
  onStopReading: (() => void) | null = null;
  private powered = true;

  constructor(private link: FakePrinterLink) {}

  /** Swap the link after a reconnect (new socket / reopened pty). */
  attach(link: FakePrinterLink): void {
    this.link = link;
    this.buf = [];
    this.cursor = 0;
  }

  /** Power back on, empty buffers (a new job starts from nothing). */
  powerOn(): void {
    this.powered = true;
    this.powerOffAfterBytes = null;
    this.buf = [];
    this.cursor = 0;
    this.jobBytes = [];
  }

  /** Everything received except status requests. */
  received(): Uint8Array {
    return Uint8Array.from(this.jobBytes);
  }

  clear(): void {
    this.jobBytes = [];
  }

  /** Resolves once at least `n` job bytes have arrived. */
  waitForBytes(n: number, timeoutMs = 10_000): Promise<void> {
    if (this.jobBytes.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`fake printer got ${this.jobBytes.length} of ${n} bytes`)),
        timeoutMs,
      );
      this.waiters.push({
        n,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  feed(chunk: Uint8Array): void {
    if (!this.powered) return;
    for (const b of chunk) this.buf.push(b);
    const b = this.buf;
    while (this.cursor < b.length) {
      const i = this.cursor;
      const c = b[i]!;
      // A DLE at the end of a chunk may start a status request: wait for the next byte.
      if (c === 0x10 && i + 1 >= b.length) break;
      if (c === 0x10 && b[i + 1] === 0x04) {
        if (i + 2 >= b.length) break;
        const n = b[i + 2]!;
        this.statusRequests++;
        if (!this.state.mute && n >= 1 && n <= 4) {
          const reply = Uint8Array.of(realtimeStatusByte(n as 1 | 2 | 3 | 4, this.state));
          const link = this.link;
          if (this.replyDelayMs > 0) setTimeout(() => link.write(reply), this.replyDelayMs);
          else link.write(reply);
        }
        this.cursor += 3;
        continue;
      }
      if (c === 0x1d && b[i + 1] === 0x49) {
        if (i + 2 >= b.length) break;
        if (b[i + 2] === 67 && this.modelName !== undefined && !this.state.mute)
          this.link.write(Uint8Array.from([0x5f, ...Buffer.from(this.modelName, 'latin1'), 0]));
        this.cursor += 3;
        continue;
      }
      // Commands with a data payload are copied whole, unparsed.
      const skip = payloadLength(b, i);
      if (skip === undefined) break;
      for (let k = 0; k < skip; k++) {
        if (this.powerOffAfterBytes !== null && this.jobBytes.length >= this.powerOffAfterBytes) {
          this.powered = false;
          this.buf = [];
          this.cursor = 0;
          return;
        }
        this.jobBytes.push(b[i + k]!);
      }
      this.cursor += skip;
      if (this.stopReadingAfterBytes !== null && this.jobBytes.length >= this.stopReadingAfterBytes) {
        this.stopReadingAfterBytes = null;
        this.onStopReading?.();
      }
    }
    if (this.cursor > 65_536) {
      this.buf = this.buf.slice(this.cursor);
      this.cursor = 0;
    }
    this.waiters = this.waiters.filter((w) => {
      if (this.jobBytes.length < w.n) return true;
      w.resolve();
      return false;
    });
  }
}

/** Length of the command at i including its payload; 1 for plain bytes; undefined if incomplete. */
function payloadLength(b: number[], i: number): number | undefined {
  if (b[i] === 0x1b) return escLength(b, i);
  if (b[i] !== 0x1d) return 1;
  if (i + 1 >= b.length) return undefined;
  if (b[i + 1] !== 0x76 && b[i + 1] !== 0x28 && b[i + 1] !== 0x6b) return 1;
  if (b[i + 1] === 0x76 && b[i + 2] === 0x30) {
    if (i + 8 > b.length) return undefined;
    const len = 8 + (b[i + 4]! | (b[i + 5]! << 8)) * (b[i + 6]! | (b[i + 7]! << 8));
    return i + len <= b.length ? len : undefined;
  }
  if (b[i + 1] === 0x28) {
    if (i + 5 > b.length) return undefined;
    const len = 5 + (b[i + 3]! | (b[i + 4]! << 8));
    return i + len <= b.length ? len : undefined;
  }
  if (b[i + 1] === 0x6b) {
    if (i + 4 > b.length) return undefined;
    const len = 4 + b[i + 3]!;
    return i + len <= b.length ? len : undefined;
  }
  return 1;
}

/** ESC & y c1 c2 [x d1…d(y×x)]… (downloaded characters) and ESC * bit images carry any byte, 0x10 0x04 included. */
function escLength(b: number[], i: number): number | undefined {
  if (i + 1 >= b.length) return undefined;
  if (b[i + 1] === 0x2a) {
    // ESC * m nL nH: bit image data (one byte a column in the 8-dot modes, three in the 24-dot ones)
    if (i + 5 > b.length) return undefined;
    const len = 5 + (b[i + 3]! | (b[i + 4]! << 8)) * (b[i + 2]! >= 32 ? 3 : 1);
    return i + len <= b.length ? len : undefined;
  }
  if (b[i + 1] !== 0x26) return 1;
  if (i + 5 > b.length) return undefined;
  const y = b[i + 2]!;
  let j = i + 5;
  for (let c = b[i + 3]!; c <= b[i + 4]!; c++) {
    if (j >= b.length) return undefined;
    j += 1 + b[j]! * y;
  }
  return j <= b.length ? j - i : undefined;
}
