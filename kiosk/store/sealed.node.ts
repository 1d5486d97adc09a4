import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const MAGIC = Buffer.from('OSK1');
const NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$/;

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The kiosk's attachment key: 32 random bytes made on first use, mode 0600, never leaves the kiosk. */
export function loadOrMakeKey(file: string): Buffer {
  if (existsSync(file)) {
    const key = readFileSync(file);
    if (key.length !== 32) throw new Error(`${file} is not a 32-byte key`);
    return key;
  }
  const key = randomBytes(32);
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, key);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return key;
}

/**
 * Files encrypted at rest (AES-256-GCM, node:crypto) in one private directory: captured pages
 * and the PDFs waiting for central. Layout: `OSK1` | 12-byte IV | 16-byte tag | ciphertext; the
 * file's name is the additional data, so a file renamed over another does not decrypt. Writes
 * are atomic and fsynced (a power cut leaves the old file or the new one); `remove` unlinks and
 * fsyncs the directory, so the blocks are freed for the filesystem at once.
 */
export class SealedFiles {
  readonly #key: Buffer;
  constructor(
    readonly dir: string,
    key: Buffer,
  ) {
    if (key.length !== 32) throw new Error('AES-256 needs a 32-byte key');
    this.#key = key;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  #path(name: string): string {
    if (!NAME_RE.test(name)) throw new Error(`bad sealed file name ${name.slice(0, 40)}`);
    return join(this.dir, name);
  }

  write(name: string, plain: Buffer): number {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', this.#key, iv);
    c.setAAD(Buffer.from(name));
    const body = Buffer.concat([c.update(plain), c.final()]);
    const out = Buffer.concat([MAGIC, iv, c.getAuthTag(), body]);
    const file = this.#path(name);
    const tmp = `${file}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, out);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    fsyncDir(this.dir);
    return out.length;
  }

  /** The plain bytes; throws when the file was changed (GCM tag) or is not one of ours. */
  read(name: string): Buffer {
    const raw = readFileSync(this.#path(name));
    if (raw.length < 32 || !raw.subarray(0, 4).equals(MAGIC)) throw new Error(`${name} is not a sealed file`);
    const d = createDecipheriv('aes-256-gcm', this.#key, raw.subarray(4, 16));
    d.setAAD(Buffer.from(name));
    d.setAuthTag(raw.subarray(16, 32));
    return Buffer.concat([d.update(raw.subarray(32)), d.final()]);
  }

  has(name: string): boolean {
    return existsSync(this.#path(name));
  }

  remove(name: string): void {
    rmSync(this.#path(name), { force: true });
    fsyncDir(this.dir);
  }

  /** Names with their age (ms since written): what a start-up sweep needs. Temporary files are removed. */
  list(now = Date.now()): Array<{ name: string; ageMs: number }> {
    const out: Array<{ name: string; ageMs: number }> = [];
    for (const name of readdirSync(this.dir)) {
      if (name.endsWith('.tmp')) {
        rmSync(join(this.dir, name), { force: true });
        continue;
      }
      out.push({ name, ageMs: now - statSync(join(this.dir, name)).mtimeMs });
    }
    return out;
  }
}
