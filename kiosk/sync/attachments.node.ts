import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ATTACHMENT_CHUNK_BYTES, UploadState } from '../../protocol/attachments.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';
import type { SealedFiles } from '../store/sealed.node.ts';
import { CentralClientError, type CentralClient } from './central-client.node.ts';

interface Row {
  id: number;
  sha256: string;
  bytes: number;
  attempts: number;
}

export interface AttachmentUploaderOptions {
  db: Db;
  client: CentralClient;
  /** The encrypted PDFs waiting for central, named by SHA-256 (kiosk/services/capture.node.ts). */
  outgoing: SealedFiles;
  log: Logger;
  clock: Clock;
  chunkBytes?: number;
  /** Idle re-check when nothing was kicked (ms). */
  idleMs?: number;
}

export interface UploaderStats {
  uploaded: number;
  chunks: number;
  bytesSent: number;
  resumed: number;
  failures: number;
}

/**
 * Sends the dossiers' PDFs to central, each exactly once, whatever the network or the power does.
 *
 * The protocol (central/routes/attachments.node.ts): a file is named by its SHA-256; `GET
 * /v1/attachments/:sha` answers how many bytes central holds; `PUT …?offset=&total=` appends one
 * chunk (≤ 256 KiB, its own SHA-256 in `x-chunk-sha256`) at exactly that offset; the last chunk
 * makes central check the whole file's SHA-256 and keep it under that name. So a retry, a
 * restart after kill -9 or a lost answer always starts by asking where central is, and sends
 * only what is missing; a second copy of the same bytes is the same name (once at central).
 * When central says complete the row is marked uploaded and the encrypted file deleted.
 */
export class AttachmentUploader {
  readonly stats: UploaderStats = { uploaded: 0, chunks: 0, bytesSent: 0, resumed: 0, failures: 0 };
  readonly #o: Required<AttachmentUploaderOptions>;
  #running = false;
  #loop: Promise<void> | null = null;
  #wake: (() => void) | null = null;
  #idleWaiters: Array<() => void> = [];

  constructor(o: AttachmentUploaderOptions) {
    this.#o = { chunkBytes: ATTACHMENT_CHUNK_BYTES, idleMs: 5_000, ...o };
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.#wake?.();
    await this.#loop;
  }

  kick(): void {
    this.#wake?.();
  }

  /** Files still waiting (pending rows). */
  pending(): number {
    return this.#o.db.prepare("SELECT COUNT(*) FROM attachments WHERE status = 'pending'").pluck().get() as number;
  }

  /** Resolves when nothing is left to send (tests). */
  waitForIdle(): Promise<void> {
    if (this.pending() === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.#wake = () => {
        this.#wake = null;
        done();
      };
    });
  }

  #next(): Row | undefined {
    return this.#o.db
      .prepare(
        `SELECT id, sha256, bytes, attempts FROM attachments WHERE status = 'pending' AND (next_try_at IS NULL OR next_try_at <= ?)
         ORDER BY created_at, id LIMIT 1`,
      )
      .get(this.#o.clock.now().toISOString()) as Row | undefined;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      const row = this.#next();
      if (!row) {
        if (this.pending() === 0) this.#idleWaiters.splice(0).forEach((r) => r());
        await this.#sleep(this.#o.idleMs);
        continue;
      }
      try {
        await this.#send(row);
      } catch (e) {
        this.stats.failures++;
        const err = e as Error;
        const offline = e instanceof CentralClientError && (e.kind === 'OFFLINE' || e.kind === 'CENTRAL_ERROR');
        const attempts = row.attempts + 1;
        // The network is retried for ever (1 s … 60 s); anything else is parked as broken after 10 tries.
        const broken = !offline && attempts >= 10;
        const delay = Math.min(60_000, 1_000 * 2 ** Math.min(attempts, 6)) * (0.5 + Math.random() / 2);
        this.#o.db
          .prepare('UPDATE attachments SET attempts = ?, last_error = ?, next_try_at = ?, status = ? WHERE id = ?')
          .run(
            attempts,
            err.message.slice(0, 300),
            new Date(this.#o.clock.now().getTime() + (offline ? Math.min(delay, 2_000) : delay)).toISOString(),
            broken ? 'broken' : 'pending',
            row.id,
          );
        this.#o.log.warn({ attachment: row.id, attempts, err: err.message.slice(0, 200) }, 'attachment upload failed');
        if (offline) await this.#sleep(500);
      }
    }
  }

  #state(sha: string): Promise<UploadState> {
    return this.#o.client.request('GET', `/v1/attachments/${sha}`, UploadState).then((r) => r.value!);
  }

  async #send(row: Row): Promise<void> {
    let state = await this.#state(row.sha256);
    if (!state.complete) {
      const file = this.#o.outgoing.read(row.sha256);
      if (createHash('sha256').update(file).digest('hex') !== row.sha256 || file.length !== row.bytes)
        throw new Error('the stored file does not match its checksum');
      if (state.offset > 0) this.stats.resumed++;
      while (!state.complete) {
        if (state.offset > file.length) throw new Error(`central holds ${state.offset} of ${file.length} bytes`);
        const chunk = file.subarray(state.offset, state.offset + this.#o.chunkBytes);
        try {
          state = (
            await this.#o.client.request(
              'PUT',
              `/v1/attachments/${row.sha256}?offset=${state.offset}&total=${file.length}`,
              UploadState,
              { raw: chunk, headers: { 'x-chunk-sha256': createHash('sha256').update(chunk).digest('hex') } },
            )
          ).value!;
          this.stats.chunks++;
          this.stats.bytesSent += chunk.length;
        } catch (e) {
          // Another offset at central (an answer lost after it stored a chunk): ask and go on from there.
          if (e instanceof CentralClientError && e.status === 409) state = await this.#state(row.sha256);
          else throw e;
        }
      }
    }
    // Central holds it: forget the bytes here, keep the receipt.
    this.#o.db
      .prepare("UPDATE attachments SET status = 'uploaded', uploaded_at = ?, last_error = NULL WHERE id = ?")
      .run(this.#o.clock.now().toISOString(), row.id);
    const others = this.#o.db
      .prepare("SELECT COUNT(*) FROM attachments WHERE sha256 = ? AND status = 'pending'")
      .pluck()
      .get(row.sha256) as number;
    if (others === 0) this.#o.outgoing.remove(row.sha256);
    this.stats.uploaded++;
    this.#o.log.info({ attachment: row.id, bytes: row.bytes }, 'attachment at central');
  }
}
