import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../store/db.node.ts';
import { OfficerSessions } from '../../tickets/officer.node.ts';
import { officerPinCommand } from './officer-pin.node.ts';

describe('kioskctl officer-pin', () => {
  let dir: string;
  const out: string[] = [];
  const err: string[] = [];
  const run = (...args: string[]) => officerPinCommand.run(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: { KIOSK_DATA_DIR: dir } });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kioskctl-officer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('replaces the demo PIN with the one given, stored only as a scrypt hash', async () => {
    expect(await run('set', '97531')).toBe(0);
    const db = openDatabase(join(dir, 'kiosk.db'));
    try {
      const row = db.prepare('SELECT salt, hash FROM officer_pin').get() as { salt: string; hash: string };
      expect(row.hash).not.toContain('97531');
      const sessions = new OfficerSessions(db, { now: () => new Date() });
      expect(() => sessions.unlock('246810')).toThrow(/wrong officer PIN/);
      expect(sessions.unlock('97531').token.length).toBeGreaterThan(16);
    } finally {
      db.close();
    }
  });

  it('refuses a PIN that is not 4–12 digits', async () => {
    expect(await run('set', '12a4')).toBe(2);
    expect(await run('set', '123')).toBe(2);
    expect(err.join('\n')).toContain('4–12');
  });
});
