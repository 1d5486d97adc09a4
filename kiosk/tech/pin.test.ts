import { randomBytes, scryptSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMigrations, openDatabase } from '../store/db.node.ts';
import { FREE_ATTEMPTS, hashPin, lockoutMs, PinGuard, verifyPin } from './pin.node.ts';

/** A clock the test moves by hand. */
const clockAt = (iso: string) => {
  let t = Date.parse(iso);
  return { now: () => new Date(t), advance: (ms: number) => void (t += ms) };
};
const FAST = { N: 1 << 10, r: 8, p: 1 };
const freshDb = () => openDatabase(join(mkdtempSync(join(tmpdir(), 'tech-pin-')), 'kiosk.db'));

describe('technician PIN', () => {
  it('is stored as a salted scrypt hash that verifies only the same PIN', async () => {
    const a = await hashPin('246810');
    const b = await hashPin('246810');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(a).not.toContain('246810');
    expect(a).not.toBe(b);
    expect(await verifyPin('246810', a)).toBe(true);
    expect(await verifyPin('246811', a)).toBe(false);
  });

  it('refuses PINs that are not 6 to 12 digits', async () => {
    const guard = new PinGuard(freshDb(), clockAt('2026-01-01T00:00:00Z'), FAST);
    await expect(guard.set('12345')).rejects.toThrow(RangeError);
    await expect(guard.set('12345a')).rejects.toThrow(RangeError);
    expect(guard.isSet()).toBe(false);
  });

  it('locks out after three wrong PINs and doubles the wait after each further failure', async () => {
    const clock = clockAt('2026-01-01T08:00:00Z');
    const guard = new PinGuard(freshDb(), clock, FAST);
    await guard.set('246810');
    for (let i = 1; i < FREE_ATTEMPTS; i++)
      expect(await guard.check('000000')).toMatchObject({ ok: false, reason: 'WRONG_PIN', retryAfterMs: 0 });
    expect(await guard.check('000000')).toMatchObject({ ok: false, reason: 'WRONG_PIN', retryAfterMs: 30_000 });

    // Even the right PIN is refused while locked out, and the wait counts down with the clock.
    expect(await guard.check('246810')).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterMs: 30_000 });
    clock.advance(29_999);
    expect(await guard.check('246810')).toEqual({ ok: false, reason: 'LOCKED_OUT', retryAfterMs: 1 });
    clock.advance(1);
    expect(await guard.check('111111')).toMatchObject({ reason: 'WRONG_PIN', retryAfterMs: 60_000 });
    clock.advance(60_000);
    expect(await guard.check('111111')).toMatchObject({ reason: 'WRONG_PIN', retryAfterMs: 120_000 });
    clock.advance(120_000);
    expect(await guard.check('246810')).toEqual({ ok: true });
    // Success forgives: the next wrong PIN is a free one again.
    expect(await guard.check('000000')).toMatchObject({ reason: 'WRONG_PIN', retryAfterMs: 0 });
  });

  it('cannot be opened by 19 wrong PINs and the right one sent at once', async () => {
    for (const role of ['technician', 'officer'] as const) {
      const clock = clockAt('2026-01-01T08:00:00Z');
      const db = freshDb();
      const guard = new PinGuard(db, clock, FAST, role);
      await guard.set('246810');
      // A second guard over the same table (another service holding the same role) counts too.
      const other = new PinGuard(db, clock, FAST, role);
      const attempts = [
        ...Array.from({ length: 19 }, (_, i) => (i % 2 ? guard : other).check(String(100000 + i))),
        guard.check('246810'),
      ];
      const results = await Promise.all(attempts);
      expect(results.filter((r) => r.ok)).toEqual([]);
      expect(results.filter((r) => !r.ok && r.reason === 'WRONG_PIN')).toHaveLength(FREE_ATTEMPTS);
      expect(results.at(-1)).toMatchObject({ ok: false, reason: 'LOCKED_OUT' });
      expect(guard.retryAfterMs()).toBe(30_000);
    }
  });

  it('caps the lockout at one hour', () => {
    expect(lockoutMs(FREE_ATTEMPTS - 1)).toBe(0);
    expect(lockoutMs(FREE_ATTEMPTS + 3)).toBe(240_000);
    expect(lockoutMs(FREE_ATTEMPTS + 20)).toBe(3_600_000);
  });

  it('keeps the lockout across a restart of the kiosk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tech-pin-'));
    const clock = clockAt('2026-01-01T08:00:00Z');
    const first = openDatabase(join(dir, 'kiosk.db'));
    const guard = new PinGuard(first, clock, FAST);
    await guard.set('246810');
    for (let i = 0; i < FREE_ATTEMPTS; i++) await guard.check('999999');
    first.close();
    const again = new PinGuard(openDatabase(join(dir, 'kiosk.db')), clock, FAST);
    expect(again.retryAfterMs()).toBe(30_000);
    expect(await again.check('246810')).toMatchObject({ reason: 'LOCKED_OUT' });
  });
});

describe('PINs kept before migration 007', () => {
  it('still open technician mode and the officer desk after the upgrade, each with its own lockout', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pins-007-')), 'kiosk.db');
    const all = loadMigrations();
    // A kiosk as it was at schema 6: the technician PIN in tech_pin, the officer PIN as hex scrypt in officer_pin.
    const old = openDatabase(
      file,
      all.filter((m) => m.version <= 6),
    );
    const at = '2026-11-28T10:00:00.000Z';
    old
      .prepare('INSERT INTO tech_pin (id, hash, failed, locked_until, updated_at) VALUES (1, ?, 2, 0, ?)')
      .run(await hashPin('135790', FAST), at);
    const salt = randomBytes(16);
    old
      .prepare('INSERT INTO officer_pin (id, salt, hash, updated_at) VALUES (1, ?, ?, ?)')
      .run(salt.toString('hex'), scryptSync('4681', salt, 32, { N: 16384, r: 8, p: 1 }).toString('hex'), at);
    old.close();

    const db = openDatabase(file, all);
    const clock = clockAt(at);
    const tech = new PinGuard(db, clock, FAST, 'technician');
    const officer = new PinGuard(db, clock, FAST, 'officer');
    expect(await officer.check('4681')).toEqual({ ok: true });
    // The two failed technician attempts came along: one more and the lockout starts.
    expect(await tech.check('000000')).toMatchObject({
      ok: false,
      reason: 'WRONG_PIN',
      failed: 3,
      retryAfterMs: 30_000,
    });
    expect(await officer.check('4681')).toEqual({ ok: true });
    clock.advance(30_000);
    expect(await tech.check('135790')).toEqual({ ok: true });
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name IN ('tech_pin', 'officer_pin')").all()).toEqual([]);
  });
});
