import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';

const scrypt = (pin: string, salt: Buffer, keylen: number, opts: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) =>
    scryptCb(pin, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );

/** N=2^15, r=8, p=1: 32 MiB and ~0.4 s per try here — makes an offline guess of the whole 6-digit space cost days of CPU. */
const PARAMS = { N: 1 << 15, r: 8, p: 1 } as const;
const KEYLEN = 32;

/** A technician or officer PIN: 6 to 12 digits. */
export const PIN_PATTERN = /^\d{6,12}$/;

export async function hashPin(pin: string, params: { N: number; r: number; p: number } = PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, KEYLEN, { ...params, maxmem: 128 * params.N * params.r * 2 });
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, key] = stored.split('$');
  // `scrypt-hex`: officer PINs set before migration 007 (hex salt and key).
  const encoding = alg === 'scrypt' ? 'base64url' : alg === 'scrypt-hex' ? 'hex' : null;
  if (!encoding || !salt || !key) return false;
  const expected = Buffer.from(key, encoding);
  const N = Number(n),
    R = Number(r),
    P = Number(p);
  const got = await scrypt(pin, Buffer.from(salt, encoding), expected.length, {
    N,
    r: R,
    p: P,
    maxmem: 128 * N * R * 2,
  });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

/** Failed attempts allowed before the first lockout. */
export const FREE_ATTEMPTS = 3;
/** Lockout after the n-th failure beyond the free ones: 30 s, 60 s, 120 s … capped at 1 h. */
export const lockoutMs = (failed: number): number =>
  failed < FREE_ATTEMPTS ? 0 : Math.min(30_000 * 2 ** (failed - FREE_ATTEMPTS), 3_600_000);

export type PinCheck =
  | { ok: true }
  | { ok: false; reason: 'NO_PIN' }
  | { ok: false; reason: 'LOCKED_OUT'; retryAfterMs: number }
  | { ok: false; reason: 'WRONG_PIN'; retryAfterMs: number; failed: number };

/** Whose PIN: technician mode, or the officer desk that prints tickets for citizens. */
export type PinRole = 'technician' | 'officer';

interface Row {
  hash: string;
  failed: number;
  locked_until: number;
}

/**
 * A PIN (technician mode or the officer desk) with a growing lockout. State lives in SQLite
 * (`pins`, one row per role), so a restart does not reset it; time comes from the injected
 * clock, so tests can walk the delays.
 */
export class PinGuard {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly params: { N: number; r: number; p: number } = PARAMS,
    readonly role: PinRole = 'technician',
  ) {}

  isSet(): boolean {
    return this.row() !== undefined;
  }

  async set(pin: string): Promise<void> {
    if (!PIN_PATTERN.test(pin)) throw new RangeError('PIN must be 6 to 12 digits');
    const hash = await hashPin(pin, this.params);
    this.db
      .prepare(
        'INSERT INTO pins (role, hash, failed, locked_until, updated_at) VALUES (?, ?, 0, 0, ?) ON CONFLICT (role) DO UPDATE SET hash = excluded.hash, failed = 0, locked_until = 0, updated_at = excluded.updated_at',
      )
      .run(this.role, hash, this.clock.now().toISOString());
  }

  /** Milliseconds until another attempt is allowed (0 = now). */
  retryAfterMs(): number {
    const row = this.row();
    return row ? Math.max(0, row.locked_until - this.clock.now().getTime()) : 0;
  }

  /**
   * One attempt. The attempt is counted as a failure, in one SQLite transaction, BEFORE the
   * hash is checked; a right PIN then clears the count. So attempts sent in parallel each see
   * the count of the ones before them and a lockout reached by them: 19 wrong and 1 right sent
   * at once cannot get the right one checked before the lockout.
   */
  async check(pin: string): Promise<PinCheck> {
    const reserved = this.reserve();
    if (!reserved.ok) return reserved;
    if (await verifyPin(pin, reserved.hash)) {
      this.db.prepare('UPDATE pins SET failed = 0, locked_until = 0 WHERE role = ?').run(this.role);
      return { ok: true };
    }
    return { ok: false, reason: 'WRONG_PIN', retryAfterMs: reserved.wait, failed: reserved.failed };
  }

  /** Counts the attempt as failed (and locks out when due), or refuses it when locked out. */
  private reserve():
    { ok: true; hash: string; failed: number; wait: number } | Extract<PinCheck, { reason: 'NO_PIN' | 'LOCKED_OUT' }> {
    return this.db
      .transaction(() => {
        const row = this.row();
        if (!row) return { ok: false as const, reason: 'NO_PIN' as const };
        const now = this.clock.now().getTime();
        // Refused before hashing: a locked-out guess costs nothing and tells nothing.
        if (row.locked_until > now)
          return { ok: false as const, reason: 'LOCKED_OUT' as const, retryAfterMs: row.locked_until - now };
        const failed = row.failed + 1;
        const wait = lockoutMs(failed);
        this.db
          .prepare('UPDATE pins SET failed = ?, locked_until = ? WHERE role = ?')
          .run(failed, wait ? now + wait : 0, this.role);
        return { ok: true as const, hash: row.hash, failed, wait };
      })
      .immediate();
  }

  private row(): Row | undefined {
    return this.db.prepare('SELECT hash, failed, locked_until FROM pins WHERE role = ?').get(this.role) as
      Row | undefined;
  }
}
