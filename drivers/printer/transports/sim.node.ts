import { realtimeStatusByte, type RealtimeBits } from '../status.ts';
import type { Transport, TransportEvents } from './transport.ts';

/** What a simulated printer can be told to do. */
export interface SimState {
  /** Unplugged / switched off: the connection drops and cannot be opened. */
  offline: boolean;
  paperOut: boolean;
  paperNearEnd: boolean;
  coverOpen: boolean;
  /** Mechanical error (cutter jam). */
  error: boolean;
  /** Each job takes this long to "print" (holds the device: concurrent prints answer BUSY). */
  busyMs: number;
  /** Stop answering status requests (a printer without a back channel). */
  mute: boolean;
  /** Run out of paper while printing the n-th job from now (demos: "the roll ends after 3 tickets"); null = never. */
  paperOutAfterJobs: number | null;
}

/** The sim's answer to GS I 67: no family's name, so the `unknown` (universal) profile. */
export const SIM_MODEL = 'OneStop Sim';

export interface SimJob {
  at: string;
  bytes: Uint8Array;
}

/** Control of a `sim` printer, for demos, the technician's screen and tests. */
export interface SimControl {
  set(patch: Partial<SimState>): void;
  state(): SimState;
  /** Jobs received (status requests excluded), oldest first; the last 50 are kept. */
  jobs(): SimJob[];
  clear(): void;
}

const KEEP_JOBS = 50;

/**
 * An in-memory printer speaking the same bytes as a real one: it answers DLE EOT from its
 * state and records everything else, so the driver's status and refusal logic run unchanged.
 */
export class SimTransport implements Transport, SimControl {
  readonly kind = 'sim';
  readonly canRead = true;
  private s: SimState = {
    offline: false,
    paperOut: false,
    paperNearEnd: false,
    coverOpen: false,
    error: false,
    busyMs: 0,
    mute: false,
    paperOutAfterJobs: null,
  };
  private received: SimJob[] = [];
  private events: TransportEvents | undefined;
  private connected = false;

  constructor(private readonly now: () => Date = () => new Date()) {}

  set(patch: Partial<SimState>): void {
    this.s = { ...this.s, ...patch };
    if (this.s.offline && this.connected) {
      this.connected = false;
      const ev = this.events;
      queueMicrotask(() => ev?.onLost(new Error('sim printer went offline')));
    }
  }
  state(): SimState {
    return { ...this.s };
  }
  jobs(): SimJob[] {
    return [...this.received];
  }
  clear(): void {
    this.received = [];
  }

  async open(events: TransportEvents): Promise<void> {
    if (this.s.offline) throw Object.assign(new Error('sim printer is offline'), { code: 'ECONNREFUSED' });
    this.events = events;
    this.connected = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.connected) throw new Error('sim printer is not connected');
    // The driver sends status requests as writes of their own, never inside job data.
    const n = bytes[2];
    if (bytes.length === 3 && bytes[0] === 0x10 && bytes[1] === 0x04 && n !== undefined && n >= 1 && n <= 4) {
      this.answer(n as 1 | 2 | 3 | 4);
      return;
    }
    // GS I 67 (model name), asked once at connect: answered like an Epson, never a job.
    if (bytes.length === 3 && bytes[0] === 0x1d && bytes[1] === 0x49) {
      const ev = this.events;
      if (n === 67 && !this.s.mute)
        setTimeout(() => ev?.onData(Uint8Array.from([0x5f, ...Buffer.from(SIM_MODEL, 'latin1'), 0])), 1);
      return;
    }
    const job = bytes;
    if (job.length) {
      this.received.push({ at: this.now().toISOString(), bytes: Uint8Array.from(job) });
      if (this.received.length > KEEP_JOBS) this.received.shift();
      if (this.s.busyMs > 0) await new Promise((r) => setTimeout(r, this.s.busyMs));
      if (this.s.paperOutAfterJobs !== null && --this.s.paperOutAfterJobs <= 0)
        this.s = { ...this.s, paperOut: true, paperOutAfterJobs: null };
    }
  }

  private answer(n: 1 | 2 | 3 | 4) {
    if (this.s.mute) return;
    const bits: RealtimeBits = this.s;
    const b = realtimeStatusByte(n, bits);
    const ev = this.events;
    setTimeout(() => ev?.onData(Uint8Array.of(b)), 1);
  }

  async close(): Promise<void> {
    this.connected = false;
  }
}
