import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsAttachmentStore, PARTIAL_KEEP_MS } from './store.node.ts';

describe('central attachment store: unfinished uploads', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'central-attachments-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (n: number) => Buffer.alloc(n, n % 251);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('drops an upload untouched past its keep time, keeps a recent one and every complete file', async () => {
    const store = new FsAttachmentStore(dir);
    const [old, fresh, done] = [file(3000), file(4000), file(500)];
    await store.append(sha(old), 'kiosk-a', 0, old.length, old.subarray(0, 1000));
    await store.append(sha(fresh), 'kiosk-b', 0, fresh.length, fresh.subarray(0, 1000));
    await store.append(sha(done), 'kiosk-a', 0, done.length, done);
    const now = Date.now();
    const longAgo = new Date(now - PARTIAL_KEEP_MS - 3_600_000);
    utimesSync(join(dir, 'partial', `${sha(old)}.kiosk-a`), longAgo, longAgo);

    expect(await store.sweepPartials(PARTIAL_KEEP_MS, now)).toBe(1);
    expect(readdirSync(join(dir, 'partial'))).toEqual([`${sha(fresh)}.kiosk-b`]);
    // The kiosk that comes back asks where it was and starts again from the beginning.
    expect(await store.state(sha(old), 'kiosk-a')).toEqual({ sha256: sha(old), offset: 0, complete: false });
    expect(await store.state(sha(fresh), 'kiosk-b')).toMatchObject({ offset: 1000 });
    expect(await store.has(sha(done))).toBe(true);
    expect(await store.append(sha(old), 'kiosk-a', 0, old.length, old)).toMatchObject({ complete: true });
  });

  it('sweeps nothing (and does not fail) before any upload', async () => {
    expect(await new FsAttachmentStore(join(dir, 'none')).sweepPartials(0)).toBe(0);
  });
});
