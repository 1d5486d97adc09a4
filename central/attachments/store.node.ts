import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { UploadState } from '../../protocol/attachments.ts';

export class ChecksumMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksumMismatch';
  }
}
export class OffsetMismatch extends Error {
  constructor(readonly state: UploadState) {
    super(`upload is at offset ${state.offset}`);
    this.name = 'OffsetMismatch';
  }
}

/**
 * Where central keeps attachments: content-addressed (the name is the SHA-256 of the bytes, so
 * the same file is stored once however often it is sent) and resumable (an unfinished upload
 * is kept per uploader with its length as the offset). The filesystem implementation is
 * `FsAttachmentStore`. An object store (S3, MinIO, Azure Blob) would need: multipart uploads
 * keyed by (uploader, sha) with the part list as the offset, a server-side SHA-256 check on
 * completion (or reading the object back once), a conditional put (if-none-match) so a second
 * completion is a no-op, and lifecycle rules to drop abandoned multipart uploads.
 */
export interface AttachmentStore {
  state(sha256: string, uploader: string): Promise<UploadState>;
  /** Appends `chunk` at `offset` of a `total`-byte file; on the last byte checks the whole SHA-256. */
  append(sha256: string, uploader: string, offset: number, total: number, chunk: Buffer): Promise<UploadState>;
  has(sha256: string): Promise<boolean>;
  read(sha256: string): Promise<Buffer>;
  stream(sha256: string): Readable;
  /** Drops unfinished uploads untouched for `olderThanMs` (the kiosk still holds the file and starts again at 0). */
  sweepPartials(olderThanMs: number, now?: number): Promise<number>;
}

/** How long an unfinished upload is kept: a kiosk offline over a long holiday (Tết) resumes it. */
export const PARTIAL_KEEP_MS = 14 * 86_400_000;

/**
 * `<dir>/ab/abcdef…` for complete files (written once, by rename, after the SHA-256 check),
 * `<dir>/partial/<sha>.<uploader>` while uploading. Every write is fsynced before it is
 * answered, so an acknowledged offset survives central's power cut. One upload of a file at a
 * time per uploader (an in-process lock; several central processes would need a file lock).
 */
export class FsAttachmentStore implements AttachmentStore {
  readonly #locks = new Map<string, Promise<unknown>>();
  constructor(readonly dir: string) {}

  #final(sha: string): string {
    return join(this.dir, sha.slice(0, 2), sha);
  }
  #partial(sha: string, uploader: string): string {
    return join(this.dir, 'partial', `${sha}.${uploader.replace(/[^A-Za-z0-9_-]/g, '_')}`);
  }

  async #locked<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#locks.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }

  async has(sha: string): Promise<boolean> {
    return stat(this.#final(sha)).then(
      () => true,
      () => false,
    );
  }

  async state(sha: string, uploader: string): Promise<UploadState> {
    if (await this.has(sha)) return { sha256: sha, offset: 0, complete: true };
    const size = await stat(this.#partial(sha, uploader)).then(
      (s) => s.size,
      () => 0,
    );
    return { sha256: sha, offset: size, complete: false };
  }

  append(sha: string, uploader: string, offset: number, total: number, chunk: Buffer): Promise<UploadState> {
    return this.#locked(`${sha}.${uploader}`, async () => {
      const now = await this.state(sha, uploader);
      if (now.complete) return now;
      if (now.offset !== offset) throw new OffsetMismatch(now);
      if (offset + chunk.length > total) throw new ChecksumMismatch(`chunk ends past the file's ${total} bytes`);
      const partial = this.#partial(sha, uploader);
      await mkdir(dirname(partial), { recursive: true });
      const fh = await open(partial, 'a');
      try {
        await fh.write(chunk, 0, chunk.length, offset);
        await fh.sync();
      } finally {
        await fh.close();
      }
      if (offset + chunk.length < total) return { sha256: sha, offset: offset + chunk.length, complete: false };
      const bytes = await readFile(partial);
      const got = createHash('sha256').update(bytes).digest('hex');
      if (got !== sha) {
        await rm(partial, { force: true });
        throw new ChecksumMismatch(
          `the ${bytes.length} bytes received hash to ${got.slice(0, 12)}…, not ${sha.slice(0, 12)}…`,
        );
      }
      const final = this.#final(sha);
      await mkdir(dirname(final), { recursive: true });
      await rename(partial, final);
      const d = await open(dirname(final), 'r');
      try {
        await d.sync();
      } finally {
        await d.close();
      }
      return { sha256: sha, offset: 0, complete: true };
    });
  }

  read(sha: string): Promise<Buffer> {
    return readFile(this.#final(sha));
  }

  stream(sha: string): Readable {
    return createReadStream(this.#final(sha));
  }

  async sweepPartials(olderThanMs: number, now = Date.now()): Promise<number> {
    const dir = join(this.dir, 'partial');
    const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    let removed = 0;
    for (const name of names) {
      const [sha, uploader] = name.split('.', 2);
      // Under the upload's lock, so a chunk being written is never swept from under it.
      await this.#locked(`${sha}.${uploader}`, async () => {
        const s = await stat(join(dir, name)).catch(() => null);
        if (s && s.mtimeMs < now - olderThanMs) {
          await rm(join(dir, name), { force: true });
          removed++;
        }
      });
    }
    return removed;
  }
}
