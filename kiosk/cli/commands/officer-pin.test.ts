import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/db.node.ts';
import { OfficerSessions } from '../../tickets/officer.node.ts';
import { configSet } from './config-set.node.ts';
import { officerPinCommand } from './officer-pin.node.ts';

describe('kioskctl officer-pin', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const io = () => ({ out: (l: string) => out.push(l), err: (l: string) => err.push(l), env: { KIOSK_DATA_DIR: dir } });
  const run = (...args: string[]) => officerPinCommand.run(args, io());
  const clock = { now: () => new Date() };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kioskctl-officer-'));
    out.length = 0;
    err.length = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the desk shut until a PIN is set: there is no default PIN', async () => {
    const db = openDatabase(join(dir, 'kiosk.db'));
    try {
      await expect(new OfficerSessions(db, clock).unlock('246810')).rejects.toMatchObject({ code: 'PIN_NOT_SET' });
    } finally {
      db.close();
    }
  });

  it('sets the PIN given, stored only as a scrypt hash and audited', async () => {
    expect(await run('set', '975310')).toBe(0);
    const db = openDatabase(join(dir, 'kiosk.db'));
    try {
      const row = db.prepare("SELECT hash FROM pins WHERE role = 'officer'").get() as { hash: string };
      expect(row.hash).toMatch(/^scrypt\$/);
      expect(row.hash).not.toContain('975310');
      const sessions = new OfficerSessions(db, clock);
      await expect(sessions.unlock('246810')).rejects.toMatchObject({ code: 'WRONG_PIN' });
      expect((await sessions.unlock('975310')).token.length).toBeGreaterThan(16);
      expect(
        db.prepare("SELECT actor, action, detail FROM audit_log WHERE action = 'officer.pinChanged'").all(),
      ).toEqual([{ actor: 'officer', action: 'officer.pinChanged', detail: '{"via":"kioskctl"}' }]);
    } finally {
      db.close();
    }
  });

  it('is the same PIN as `kioskctl config set officerPin`, and apart from the technician PIN', async () => {
    expect(await configSet(['officerPin', '111222'], io())).toBe(0);
    expect(await configSet(['technicianPin', '333444'], io())).toBe(0);
    const db = openDatabase(join(dir, 'kiosk.db'));
    try {
      const sessions = new OfficerSessions(db, clock);
      await expect(sessions.unlock('333444')).rejects.toMatchObject({ code: 'WRONG_PIN' });
      expect((await sessions.unlock('111222')).idleMs).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });

  it('refuses a PIN that is not 6–12 digits, with the reason in both languages', async () => {
    expect(await run('set', '12a456')).toBe(1);
    expect(await run('set', '12345')).toBe(1);
    expect(await run('get')).toBe(2);
    expect(err.join('\n')).toContain('6–12 chữ số');
    expect(err.join('\n')).toContain('6 to 12 digits');
  });
});
