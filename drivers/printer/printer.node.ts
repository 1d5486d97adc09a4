import { readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeReceipt, type EncodedReceipt, type PrinterMode } from './encode.node.ts';
import { GlyphCache } from './glyphs.node.ts';
import { dleEot } from './escpos.ts';
import { withDeviceLock, isDeviceLocked } from './lock.ts';
import { previewPng } from './preview.node.ts';
import {
  getProfile,
  profileForModelName,
  profileFromUri,
  type PrinterProfile,
  type PrinterProfileId,
} from './profiles.ts';
import type { ReceiptDoc } from './receipt.ts';
import {
  isRealtimeStatusByte,
  parseRealtimeStatus,
  PrinterError,
  type PrinterErrorCode,
  type PrinterState,
  type PrinterStatus,
  type RealtimeBits,
} from './status.ts';
import { testPageDoc } from './testpage.ts';
import { TextCache } from './textmode.node.ts';
import { FileTransport } from './transports/file.node.ts';
import { SerialTransport } from './transports/serial.node.ts';
import { SimTransport, type SimControl } from './transports/sim.node.ts';
import { TcpTransport } from './transports/tcp.node.ts';
import type { Transport } from './transports/transport.ts';
import { deviceKey, parsePrinterUri, type PrinterUri } from './transports/uri.ts';
import { UsbTransport } from './transports/usb.node.ts';

export interface PrinterOptions {
  /** `KIOSK_PRINTER`: serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0, tcp://host:9100, file:/path, sim. */
  uri: string;
  widthMm?: 58 | 80;
  /** How receipts become bytes; the profile's default (`text`) when absent. */
  mode?: PrinterMode;
  /**
   * What the printer understands, unless the URI says `profile=`. When neither names one, the
   * driver asks a printer that answers for its model (GS I 67) and uses `unknown` (universal
   * commands only) for one it does not recognise.
   */
  profile?: PrinterProfileId;
  /** ESC t n of the printer's Windows-1258 table, for code-page mode. */
  codePage?: number;
  /** How long a print waits for a device another job holds before answering PRINTER_BUSY. */
  lockTimeoutMs?: number;
  /** How long to wait for each real-time status reply. */
  statusTimeoutMs?: number;
  /**
   * A printer that stops taking bytes for this long is given up on (the citizen gets the
   * on-screen copy): jobs are written in small chunks, each with its own deadline, so a stall
   * is noticed within seconds whatever the job's size.
   */
  stallMs?: number;
  /** After a job, how long a printer that answers status requests has to confirm it is still there. */
  jobStatusMs?: number;
  /** Background status polling while idle; 0 turns it off. */
  pollMs?: number;
  /**
   * Text mode on a serial, USB or TCP printer: when the printer connects, download the most
   * frequent Vietnamese letters (both fonts) while nobody waits, so the first citizen's job
   * carries only its other letters (issue 17: a cold receipt 7.3 kB → 5.5 kB). Off by default
   * for a one-off connection (kioskctl); the kiosk turns it on.
   */
  warmUp?: boolean;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  /** Paper on a full roll, for the printed-length estimate (80 mm × 50 m rolls are common). */
  paperRollMm?: number;
  /** Estimated paper left at which a printer without a sensor reports "near end". */
  paperNearEndMm?: number;
  /** Where the printed length survives restarts (JSON); in memory when absent. */
  counterFile?: string;
  now?: () => Date;
}

export type PrinterEvent = 'status' | 'online' | 'offline' | 'coverOpen' | 'paperNearEnd' | 'paperOut' | 'error';

export interface PrintResult {
  bytes: number;
  lengthMm: number;
  status: PrinterStatus;
}

/**
 * One printer, whatever carries the bytes. Flows call `print(doc)`; when it throws a
 * PrinterError they show `preview(doc)` (PNG bytes; `pngDataUrl()` makes an <img> source).
 */
export interface Printer {
  readonly uri: string;
  readonly widthMm: 58 | 80;
  readonly mode: PrinterMode;
  /** The configured profile, or the one the printer's model name (GS I 67) chose. */
  readonly profile: PrinterProfile;
  /** The model name the printer gave (GS I 67), when it answered. */
  readonly model?: string;
  /** Connects (or starts retrying in the background); never throws for a missing device. */
  open(): Promise<PrinterStatus>;
  /** Prints, or throws PrinterError: PRINTER_BUSY, PRINTER_OFFLINE, PRINTER_PAPER_OUT, PRINTER_COVER_OPEN, PRINTER_ERROR. */
  print(doc: ReceiptDoc): Promise<PrintResult>;
  /** PNG bytes of the receipt as the raster printer prints it. */
  preview(doc: ReceiptDoc): Promise<Buffer>;
  /** The last known status; `refresh` asks the printer first (DLE EOT). */
  status(opts?: { refresh?: boolean }): Promise<PrinterStatus>;
  /** Prints the test page (Vietnamese alphabet, QR, barcode, status), in this printer's mode or the one named.
   * `at`: the time to print, as people read it (the kiosk passes office time); ISO by default. */
  testPage(opts?: { kioskName?: string; mode?: PrinterMode; at?: string }): Promise<PrintResult>;
  /** A new roll was loaded: restart the printed-length count. */
  resetPaperCounter(): Promise<void>;
  on(event: PrinterEvent, cb: (status: PrinterStatus) => void): () => void;
  close(): Promise<void>;
  /** Present for `sim` printers only. */
  readonly sim?: SimControl;
}

const MESSAGES: Record<PrinterErrorCode, string> = {
  PRINTER_BUSY: 'printer is busy with another job',
  PRINTER_OFFLINE: 'printer is offline or not connected',
  PRINTER_PAPER_OUT: 'printer is out of paper',
  PRINTER_COVER_OPEN: 'printer cover is open',
  PRINTER_ERROR: 'printer reported an error',
};

function transportFor(u: PrinterUri, now: () => Date): Transport {
  switch (u.kind) {
    case 'serial':
      return new SerialTransport(u.path, u.baudRate, u.rtscts);
    case 'usb':
      return new UsbTransport(u.path);
    case 'tcp':
      return new TcpTransport(u.host, u.port);
    case 'file':
      return new FileTransport(u.path);
    case 'sim':
      return new SimTransport(now);
  }
}

/** Creates a printer from its URI (throws for a URI that names no transport). Call `open()` next. */
export function createPrinter(opts: PrinterOptions): Printer {
  return new DriverPrinter(opts);
}

class DriverPrinter implements Printer {
  readonly uri: string;
  readonly widthMm: 58 | 80;
  readonly mode: PrinterMode;
  profile: PrinterProfile;
  model?: string;
  /** No profile configured: ask the printer for its model on connecting. */
  private readonly probeModel: boolean;
  readonly sim?: SimControl;
  private readonly transport: Transport;
  /**
   * What text and glyph jobs downloaded to the printer on this connection. Dropped (the next
   * job starts with ESC @ and downloads again) on a new connection, after a job that failed or
   * went out in another mode (those start with ESC @), and when the printer was seen offline.
   */
  private textCache = new TextCache();
  private glyphCache = new GlyphCache();
  /** The warm-up write in progress, if any. */
  private warming: Promise<void> | undefined;
  private jobsInFlight = 0;
  private readonly key: string;
  /** Link speed for the write time-out: 10 bits per byte on a serial line. */
  private readonly bytesPerSecond: number;
  private readonly o: Required<
    Omit<PrinterOptions, 'counterFile' | 'codePage' | 'widthMm' | 'mode' | 'uri' | 'profile'>
  > &
    Pick<PrinterOptions, 'counterFile' | 'codePage'>;
  private readonly listeners = new Map<PrinterEvent, Set<(s: PrinterStatus) => void>>();

  private st: PrinterState = 'closed';
  private bits: RealtimeBits = {};
  private source: 'realtime' | 'none' = 'none';
  private answered = false;
  /** Status requests left unanswered on this connection before any answer. */
  private silent = 0;
  private printedMm = 0;
  private lastError: string | null = null;
  private checkedAt: Date;
  private last: PrinterStatus | undefined;

  private closed = true;
  private connecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectDelay: number;
  private pollTimer: NodeJS.Timeout | undefined;

  /** Counter writes, one after another (each replaces the file whole). */
  private saving: Promise<void> = Promise.resolve();
  private rx: number[] = [];
  private waiter: ((b: number) => void) | undefined;
  private queryChain: Promise<unknown> = Promise.resolve();

  constructor(opts: PrinterOptions) {
    const u = parsePrinterUri(opts.uri);
    this.uri = opts.uri;
    this.widthMm = opts.widthMm ?? 80;
    const named = profileFromUri(opts.uri) ?? opts.profile;
    this.profile = getProfile(named);
    this.probeModel = named === undefined;
    this.mode = opts.mode ?? this.profile.defaultMode;
    this.o = {
      lockTimeoutMs: opts.lockTimeoutMs ?? 300,
      statusTimeoutMs: opts.statusTimeoutMs ?? 500,
      stallMs: opts.stallMs ?? 3000,
      jobStatusMs: opts.jobStatusMs ?? 2500,
      pollMs: opts.pollMs ?? 5000,
      warmUp: opts.warmUp ?? false,
      reconnectMinMs: opts.reconnectMinMs ?? 250,
      reconnectMaxMs: opts.reconnectMaxMs ?? 5000,
      paperRollMm: opts.paperRollMm ?? 50_000,
      paperNearEndMm: opts.paperNearEndMm ?? 3_000,
      now: opts.now ?? (() => new Date()),
      counterFile: opts.counterFile,
      codePage: opts.codePage,
    };
    this.transport = transportFor(u, this.o.now);
    if (this.transport instanceof SimTransport) this.sim = this.transport;
    this.key = deviceKey(u);
    this.bytesPerSecond = u.kind === 'serial' ? u.baudRate / 10 : 20_000;
    this.reconnectDelay = this.o.reconnectMinMs;
    this.checkedAt = this.o.now();
    this.printedMm = this.loadCounter();
    // A printer that went offline may have been switched off: its downloads are gone.
    this.on('offline', () => this.forgetDownloads());
    // Back from offline on the same connection (switched off and on behind an adapter that stayed
    // plugged in): its downloads are gone, so warm up again. At connect, `connect()` does it after
    // the model question (whose reply must not queue behind 2 kB).
    this.on('online', () => {
      if (!this.connecting) this.warmUp();
    });
  }

  // ── lifecycle ────────────────────────────────────────────────────────────────────────────

  async open(): Promise<PrinterStatus> {
    if (!this.closed) return this.snapshot();
    this.closed = false;
    await this.connect();
    if (this.o.pollMs > 0) {
      this.pollTimer = setInterval(() => {
        if (this.st === 'ready' && this.transport.canRead && !isDeviceLocked(this.key))
          void this.refreshStatus().catch(() => undefined);
      }, this.o.pollMs);
      this.pollTimer.unref();
    }
    return this.snapshot();
  }

  private connect(): Promise<void> {
    if (this.connecting) return this.connecting;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.connecting = (async () => {
      this.setState('connecting');
      try {
        await this.transport.open({ onData: (c) => this.onData(c), onLost: (e) => this.onLost(e) });
      } catch (e) {
        this.lastError = errText(e);
        this.setState('error');
        this.scheduleReconnect();
        return;
      }
      if (this.closed) {
        await this.transport.close();
        return;
      }
      this.answered = false;
      this.silent = 0;
      this.forgetDownloads();
      this.rx = [];
      this.bits = {};
      this.lastError = null;
      this.reconnectDelay = this.o.reconnectMinMs;
      this.setState('ready');
      if (this.transport.canRead) await this.refreshStatus();
      if (this.probeModel && this.answered && this.model === undefined) await this.identify();
      this.warmUp();
    })().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  /**
   * The warm-up (`warmUp` option): one write, so no job byte can come between its definitions.
   * The cache says "warm" from the moment the bytes are queued, so a job encoded meanwhile
   * relies on them and follows them on the line; none starts while a job is in flight (that
   * job's own downloads would be cleared by the warm-up's ESC @). Status requests wait for it
   * (a reply queued behind 2 kB at 9600 baud would look like a silent printer).
   */
  private warmUp(): void {
    if (!this.o.warmUp || this.mode !== 'text' || this.st !== 'ready' || this.jobsInFlight > 0) return;
    if (this.textCache.warm || this.transport.kind === 'sim' || this.transport.kind === 'file') return;
    const cache = new TextCache();
    const bytes = cache.warmUp();
    this.textCache = cache;
    this.warming = withTimeout(
      this.transport.write(bytes),
      chunkTimeoutMs(bytes.length, this.bytesPerSecond, this.o.stallMs),
    )
      .catch((e: unknown) => {
        // What the printer holds is unknown: the next job starts over with ESC @.
        this.forgetDownloads();
        this.lastError = errText(e);
      })
      .finally(() => (this.warming = undefined));
  }

  private scheduleReconnect() {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
    this.reconnectDelay = Math.min(this.o.reconnectMaxMs, this.reconnectDelay * 2);
  }

  private onLost(e: Error) {
    if (this.closed) return;
    // Release the dead handle now (the transport takes it synchronously) so a reconnect starts clean.
    void this.transport.close().catch(() => undefined);
    this.lastError = errText(e);
    this.source = 'none';
    this.setState('error');
    this.scheduleReconnect();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pollTimer);
    this.reconnectTimer = undefined;
    await this.connecting?.catch(() => undefined);
    await this.transport.close();
    await this.saving;
    this.setState('closed');
  }

  // ── status ───────────────────────────────────────────────────────────────────────────────

  private onData(chunk: Uint8Array) {
    for (const b of chunk) {
      if (this.waiter && isRealtimeStatusByte(b)) {
        const w = this.waiter;
        this.waiter = undefined;
        w(b);
      } else this.rx.push(b);
    }
    if (this.rx.length > 256) this.rx.splice(0, this.rx.length - 256);
  }

  /** One DLE EOT n round trip; undefined when the printer does not answer in time. */
  private query(n: 1 | 2 | 3 | 4): Promise<number | undefined> {
    const run = async (): Promise<number | undefined> => {
      if (this.st !== 'ready') return undefined;
      this.rx = [];
      let timer: NodeJS.Timeout | undefined;
      let settle!: (b: number | undefined) => void;
      const reply = new Promise<number | undefined>((resolve) => {
        settle = resolve;
        this.waiter = resolve;
        // One deadline for the write and the reply: a write to a dying device may never call back.
        timer = setTimeout(() => {
          this.waiter = undefined;
          resolve(undefined);
        }, this.o.statusTimeoutMs);
      });
      this.transport.write(dleEot(n)).catch((e: unknown) => {
        this.waiter = undefined;
        settle(undefined);
        // A write that fails is how a serial port notices its device is gone.
        this.onLost(e instanceof Error ? e : new Error(String(e)));
      });
      const b = await reply;
      clearTimeout(timer);
      return b;
    };
    const p = this.queryChain.then(run, run);
    this.queryChain = p.catch(() => undefined);
    return p;
  }

  /**
   * GS I 67: the model name, answered as `_` name NUL by Epson and most families that copy it.
   * The profile follows the name; no answer (or a name we do not know) keeps `unknown`.
   * In the status query chain, so no status request waits while the name's bytes arrive.
   */
  private identify(): Promise<void> {
    const run = async (): Promise<void> => {
      if (this.st !== 'ready') return;
      this.rx = [];
      const ok = await this.transport.write(Uint8Array.of(0x1d, 0x49, 0x43)).then(
        () => true,
        () => false,
      );
      const deadline = Date.now() + this.o.statusTimeoutMs;
      let name: string | undefined;
      while (ok && Date.now() < deadline) {
        const start = this.rx.indexOf(0x5f);
        const end = start < 0 ? -1 : this.rx.indexOf(0, start);
        if (end > start) {
          name = String.fromCharCode(...this.rx.slice(start + 1, end));
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      this.model = name ?? '';
      if (name) this.profile = getProfile(profileForModelName(name));
    };
    const p = this.queryChain.then(run, run);
    this.queryChain = p.catch(() => undefined);
    return p;
  }

  private async refreshStatus(): Promise<void> {
    if (this.warming) await this.warming;
    if (this.st !== 'ready' || !this.transport.canRead) return this.emitIfChanged();
    const b1 = await this.query(1);
    if (b1 === undefined) {
      // A printer that answered on this connection and then went silent is off or unplugged
      // behind a port that is still there (USB-serial adapter, print server).
      if (this.answered) {
        this.bits = { offline: true };
        this.lastError = SILENT_PRINTER;
      } else {
        this.source = 'none';
        this.silent++;
      }
      this.checkedAt = this.o.now();
      return this.emitIfChanged();
    }
    const b2 = await this.query(2);
    const b4 = await this.query(4);
    const bits: RealtimeBits = { ...parseRealtimeStatus(1, b1) };
    if (b2 !== undefined) Object.assign(bits, parseRealtimeStatus(2, b2));
    if (b4 !== undefined) {
      const paper = parseRealtimeStatus(4, b4);
      bits.paperNearEnd = paper.paperNearEnd;
      bits.paperOut = Boolean(bits.paperOut || paper.paperOut);
    }
    if (bits.error) {
      const b3 = await this.query(3);
      if (b3 !== undefined) bits.error = Boolean(parseRealtimeStatus(3, b3).error || bits.error);
    }
    // Paper out, then paper again: a new roll went in, so the length estimate starts over.
    if (this.bits.paperOut && !bits.paperOut) {
      this.printedMm = 0;
      void this.saveCounter();
    }
    this.answered = true;
    this.source = 'realtime';
    this.bits = bits;
    if (this.lastError === SILENT_PRINTER) this.lastError = null;
    this.checkedAt = this.o.now();
    this.emitIfChanged();
  }

  private snapshot(): PrinterStatus {
    const remaining = this.o.paperRollMm - this.printedMm;
    const estimateLow = this.source === 'none' && remaining <= this.o.paperNearEndMm;
    return {
      transport: this.transport.kind,
      state: this.st,
      online: this.st === 'ready' && !this.bits.offline,
      coverOpen: Boolean(this.bits.coverOpen),
      paperNearEnd: Boolean(this.bits.paperNearEnd) || estimateLow,
      paperOut: Boolean(this.bits.paperOut),
      error: Boolean(this.bits.error) || this.st === 'error',
      busy: isDeviceLocked(this.key),
      source: this.source,
      printedMm: Math.round(this.printedMm * 10) / 10,
      estimatedRemainingMm: Math.round(remaining),
      lastError: this.lastError,
      checkedAt: this.checkedAt.toISOString(),
    };
  }

  private setState(s: PrinterState) {
    this.st = s;
    this.checkedAt = this.o.now();
    this.emitIfChanged();
  }

  private emitIfChanged() {
    const now = this.snapshot();
    const prev = this.last;
    const same =
      prev && (Object.keys(now) as (keyof PrinterStatus)[]).every((k) => k === 'checkedAt' || now[k] === prev[k]);
    if (same) return;
    this.last = now;
    this.emit('status', now);
    const rose = (k: 'online' | 'coverOpen' | 'paperNearEnd' | 'paperOut' | 'error') => now[k] && !prev?.[k];
    // Causes first, then the online/offline they lead to.
    if (rose('coverOpen')) this.emit('coverOpen', now);
    if (rose('paperNearEnd')) this.emit('paperNearEnd', now);
    if (rose('paperOut')) this.emit('paperOut', now);
    if (rose('error')) this.emit('error', now);
    if (rose('online')) this.emit('online', now);
    if (!now.online && (prev?.online ?? true) && this.st !== 'connecting') this.emit('offline', now);
  }

  async status(opts?: { refresh?: boolean }): Promise<PrinterStatus> {
    if (opts?.refresh && !this.closed) {
      if (this.st === 'error') await this.connectNow();
      else await this.refreshStatus();
    }
    return this.snapshot();
  }

  on(event: PrinterEvent, cb: (status: PrinterStatus) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb);
    return () => set.delete(cb);
  }

  private emit(event: PrinterEvent, s: PrinterStatus) {
    for (const cb of this.listeners.get(event) ?? []) {
      try {
        cb(s);
      } catch {
        // A listener's failure must not break the driver's state machine.
      }
    }
  }

  // ── printing ─────────────────────────────────────────────────────────────────────────────

  async print(doc: ReceiptDoc): Promise<PrintResult> {
    return this.printIn(doc, this.mode);
  }

  private forgetDownloads() {
    this.textCache = new TextCache();
    this.glyphCache = new GlyphCache();
  }

  private async printIn(doc: ReceiptDoc, mode: PrinterMode): Promise<PrintResult> {
    let enc: EncodedReceipt;
    try {
      enc = encodeReceipt(doc, {
        mode,
        widthMm: this.widthMm,
        codePage: this.o.codePage,
        profile: this.profile,
        textCache: this.textCache,
        glyphCache: this.glyphCache,
      });
    } catch (e) {
      throw new PrinterError('PRINTER_ERROR', `receipt cannot be encoded: ${errText(e)}`, this.snapshot());
    }
    this.jobsInFlight++;
    try {
      const r = await this.send(enc);
      // Each mode's job starts with ESC @ when its own downloads are cold, which clears the other's.
      this.forgetDownloads();
      if (enc.textCache) this.textCache = enc.textCache;
      if (enc.glyphCache) this.glyphCache = enc.glyphCache;
      return r;
    } catch (e) {
      // Part of the job may have reached the printer: what it holds is unknown.
      this.forgetDownloads();
      throw e;
    } finally {
      this.jobsInFlight--;
    }
  }

  async preview(doc: ReceiptDoc): Promise<Buffer> {
    return previewPng(doc, this.widthMm, { mode: this.mode, profile: this.profile });
  }

  async testPage(opts?: { kioskName?: string; mode?: PrinterMode; at?: string }): Promise<PrintResult> {
    const status = await this.status({ refresh: true });
    const mode = opts?.mode ?? this.mode;
    const doc = testPageDoc(
      {
        uri: this.uri,
        mode,
        profile: this.profile.id,
        widthMm: this.widthMm,
        codePage: this.o.codePage,
        at: opts?.at ?? this.o.now().toISOString(),
        kioskName: opts?.kioskName,
      },
      status,
    );
    return this.printIn(doc, mode);
  }

  async resetPaperCounter(): Promise<void> {
    this.printedMm = 0;
    await this.saveCounter();
    this.emitIfChanged();
  }

  /** A job the retry loop has not reconnected for yet: try once now rather than fail. */
  private async connectNow(): Promise<void> {
    if (this.closed) return;
    if (this.st === 'ready') return;
    await this.connect();
  }

  /**
   * Whether a job should ask for status first. A printer without a back channel never answers:
   * after two silent tries, jobs stop paying the reply time-out (the idle poll keeps asking).
   */
  private shouldAsk(): boolean {
    return this.transport.canRead && (this.answered || this.silent < 2);
  }

  private fail(code: PrinterErrorCode, detail?: string): never {
    throw new PrinterError(code, detail ? `${MESSAGES[code]}: ${detail}` : MESSAGES[code], this.snapshot());
  }

  private async send(enc: EncodedReceipt): Promise<PrintResult> {
    if (this.closed) this.fail('PRINTER_OFFLINE', 'printer is closed');
    const r = await withDeviceLock(this.key, this.o.lockTimeoutMs, async () => {
      this.emitIfChanged();
      await this.connectNow();
      if (this.shouldAsk() && this.st === 'ready') {
        await this.refreshStatus();
        // The status request found the old connection dead (device replugged since the last
        // poll): one fresh connection before giving up.
        if (this.st !== 'ready') {
          await this.connectNow();
          if (this.st === 'ready') await this.refreshStatus();
        }
      }
      if (this.st !== 'ready') this.fail('PRINTER_OFFLINE', this.lastError ?? undefined);
      const s = this.snapshot();
      if (s.paperOut) this.fail('PRINTER_PAPER_OUT');
      if (s.coverOpen) this.fail('PRINTER_COVER_OPEN');
      if (this.bits.error) this.fail('PRINTER_ERROR');
      if (!s.online) this.fail('PRINTER_OFFLINE', this.lastError ?? undefined);
      // Only a printer that answered before the job can confirm it after; one without a back
      // channel is trusted, as before.
      const confirmable = this.shouldAsk() && this.answered;
      try {
        // Links that can stall go in chunks; the simulator and a file take a job as one write.
        const size =
          this.transport.kind === 'sim' || this.transport.kind === 'file'
            ? Math.max(1, enc.bytes.length)
            : JOB_CHUNK_BYTES;
        for (let at = 0; at < enc.bytes.length; at += size) {
          const chunk = enc.bytes.subarray(at, at + size);
          await withTimeout(
            this.transport.write(chunk),
            chunkTimeoutMs(chunk.length, this.bytesPerSecond, this.o.stallMs),
          );
        }
      } catch (e) {
        // The device went away mid-job or stopped taking bytes: drop the connection and let
        // the reconnect loop bring it back.
        this.lastError = errText(e);
        await this.transport.close().catch(() => undefined);
        this.source = 'none';
        this.setState('error');
        this.scheduleReconnect();
        this.fail('PRINTER_OFFLINE', this.lastError);
      }
      this.printedMm += enc.lengthMm;
      void this.saveCounter();
      if (this.shouldAsk()) {
        // Printed only when the printer says so after the job: one that lost power mid-job
        // (bytes gone into the void, no cut) stays silent, and the citizen gets the screen copy.
        const until = Date.now() + this.o.jobStatusMs;
        const silent = () => this.st !== 'ready' || this.lastError === SILENT_PRINTER;
        await this.refreshStatus();
        while (confirmable && silent() && this.st === 'ready' && Date.now() < until) await this.refreshStatus();
        // The roll ended under this job: the paper in the tray is probably cut short, so the
        // caller shows the on-screen copy too.
        if (this.bits.paperOut) this.fail('PRINTER_PAPER_OUT', 'paper ran out during the job');
        if (confirmable && silent())
          this.fail('PRINTER_OFFLINE', 'the printer did not confirm the job (power lost mid-job?)');
        if (this.bits.coverOpen) this.fail('PRINTER_COVER_OPEN', 'cover opened during the job');
        if (this.bits.error) this.fail('PRINTER_ERROR', 'error during the job');
      }
      return { bytes: enc.bytes.length, lengthMm: enc.lengthMm, status: this.snapshot() };
    });
    this.emitIfChanged();
    if (!r.ran) this.fail('PRINTER_BUSY');
    return r.value;
  }

  // ── paper counter ────────────────────────────────────────────────────────────────────────

  private loadCounter(): number {
    if (!this.o.counterFile) return 0;
    try {
      const v = JSON.parse(readFileSync(this.o.counterFile, 'utf8')) as { printedMm?: unknown };
      return typeof v.printedMm === 'number' && v.printedMm >= 0 ? v.printedMm : 0;
    } catch {
      return 0;
    }
  }

  private saveCounter(): Promise<void> {
    const file = this.o.counterFile;
    if (!file) return Promise.resolve();
    this.saving = this.saving.then(async () => {
      try {
        await mkdir(dirname(file), { recursive: true });
        // Write then rename: a crash mid-write never leaves half a file.
        await writeFile(`${file}.tmp`, JSON.stringify({ printedMm: this.printedMm }));
        await rename(`${file}.tmp`, file);
      } catch {
        // The estimate is a fallback; losing one update is harmless.
      }
    });
    return this.saving;
  }
}

const SILENT_PRINTER = 'printer stopped answering status requests';

/** Jobs go out in chunks this size (~0.5 s at 19200 baud), each with its own deadline. */
const JOB_CHUNK_BYTES = 1024;

/** One chunk at the link's speed twice over (serial raster is slow: ~2 kB/s at 19200 baud), plus the stall allowance. */
const chunkTimeoutMs = (bytes: number, bytesPerSecond: number, stallMs: number): number =>
  stallMs + (2 * bytes * 1000) / bytesPerSecond;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`write timed out after ${Math.round(ms)} ms`)), ms);
    }),
  ]);
}

const errText = (e: unknown): string => (e instanceof Error ? e.message : String(e));
