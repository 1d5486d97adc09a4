import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, rmdirSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FullDisk {
  /** The mount point: put the kiosk's data directory (or anything) here. */
  readonly dir: string;
  /** Writes a filler file until the filesystem answers ENOSPC; returns the bytes written. */
  fill(): number;
  /** Deletes the filler: the disk has room again. */
  free(): void;
  unmount(): void;
}

/**
 * A real, small filesystem that really fills up: a tmpfs mounted for the test (root, as in CI).
 * Writes past its size fail with ENOSPC exactly as on a kiosk's full SSD — in SQLite, in the
 * log's worker thread, anywhere — without touching the machine's own disks.
 */
export function mountSmallDisk(sizeBytes: number): FullDisk {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-fulldisk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0755`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    throw new Error(
      `mounting a tmpfs for the full-disk test needs root (CAP_SYS_ADMIN): ${(err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err)}`,
    );
  }
  const filler = join(dir, 'filler.bin');
  let mounted = true;
  return {
    dir,
    fill() {
      const fd = openSync(filler, 'a');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      let written = 0;
      try {
        for (;;) written += writeSync(fd, chunk);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      }
      // The last partial blocks too.
      try {
        for (;;) written += writeSync(fd, chunk.subarray(0, 512));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
      return written;
    },
    free() {
      rmSync(filler, { force: true });
    },
    unmount() {
      if (!mounted) return;
      mounted = false;
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmdirSync(dir);
    },
  };
}
