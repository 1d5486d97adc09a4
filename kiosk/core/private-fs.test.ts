import { chmodSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral } from '../../central/server.node.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance } from '../appliance/appliance.node.ts';
import { logDir } from './log.node.ts';

const mode = (path: string) => statSync(path).mode & 0o777;
const until = async (ok: () => boolean, ms = 5_000) => {
  for (const end = Date.now() + ms; !ok();) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe('files holding personal data (19.9)', () => {
  let umask = 0;
  beforeEach(() => {
    // A usual login umask: without the rule, files would come out 0644 and directories 0755.
    umask = process.umask(0o022);
  });
  afterEach(() => void process.umask(umask));

  it('are private under umask 022: the data directory 0700, kiosk.db, its WAL and the logs 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'private-')), 'kiosk');
    const appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
    );
    try {
      appliance.ctx.db.prepare("INSERT INTO kv (key, value, updated_at) VALUES ('x', 'y', 'z')").run();
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(join(dataDir, 'kiosk.db'))).toBe(0o600);
      expect(mode(join(dataDir, 'kiosk.db-wal'))).toBe(0o600);
      expect(mode(logDir(dataDir))).toBe(0o700);
      await until(() => readdirSync(logDir(dataDir)).some((f) => f.endsWith('.log')));
      for (const f of readdirSync(logDir(dataDir)))
        expect({ f, mode: mode(join(logDir(dataDir), f)) }).toEqual({ f, mode: 0o600 });
    } finally {
      await appliance.close();
    }
  });

  it('tightens a database an older kiosk left readable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'private-'));
    writeFileSync(join(dataDir, 'kiosk.db'), '', { mode: 0o644 });
    const appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
    );
    await appliance.close();
    expect(mode(join(dataDir, 'kiosk.db'))).toBe(0o600);
  });

  it('leave a directory central did not make as it was (a database put in a shared directory such as /tmp)', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'shared-'));
    chmodSync(shared, 0o777);
    const central = await startCentral({ db: join(shared, 'central.sqlite') });
    try {
      expect(mode(shared)).toBe(0o777);
      expect(mode(join(shared, 'central.sqlite'))).toBe(0o600);
    } finally {
      await central.close();
    }
  });

  it("keep the embedded central's database (applicants' data) 0600 in a 0700 directory", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'private-')), 'embedded-central');
    const central = await startCentral({ db: join(dir, 'central.sqlite') });
    try {
      await central.store.run('UPDATE devices SET name = name');
      expect(mode(dir)).toBe(0o700);
      expect(mode(join(dir, 'central.sqlite'))).toBe(0o600);
      expect(mode(join(dir, 'central.sqlite-wal'))).toBe(0o600);
    } finally {
      await central.close();
    }
  });
});
