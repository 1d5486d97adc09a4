import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { KioskError } from '../api/errors.ts';
import type { Clock } from '../core/context.ts';
import type { Db } from '../store/db.node.ts';

/**
 * The officer desk's PIN and sessions. The PIN is stored as scrypt(salt, pin); with no row the
 * documented demo PIN applies (docs/tickets.md) until a technician sets one. Five wrong PINs
 * lock the desk for a minute; a session ends after `idleMs` without a call.
 */
export const DEMO_OFFICER_PIN = '246810';
export const OFFICER_IDLE_MS = 120_000;
const MAX_FAILURES = 5;
const LOCKOUT_MS = 60_000;
const KEYLEN = 32;

const hash = (pin: string, salt: Buffer) => scryptSync(pin, salt, KEYLEN, { N: 16384, r: 8, p: 1 });

export function setOfficerPin(db: Db, pin: string, now = new Date()): void {
  if (!/^\d{4,12}$/.test(pin)) throw new KioskError('BAD_INPUT', 'officer PIN: 4–12 digits');
  const salt = randomBytes(16);
  db.prepare(
    `INSERT INTO officer_pin (id, salt, hash, updated_at) VALUES (1, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET salt = excluded.salt, hash = excluded.hash, updated_at = excluded.updated_at`,
  ).run(salt.toString('hex'), hash(pin, salt).toString('hex'), now.toISOString());
}

export class OfficerSessions {
  readonly #sessions = new Map<string, number>();
  #failures = 0;
  #lockedUntil = 0;
  #default: { salt: Buffer; hash: Buffer } | null = null;

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly idleMs = OFFICER_IDLE_MS,
  ) {}

  #stored(): { salt: Buffer; hash: Buffer } {
    const row = this.db.prepare('SELECT salt, hash FROM officer_pin WHERE id = 1').get() as { salt: string; hash: string } | undefined;
    if (row) return { salt: Buffer.from(row.salt, 'hex'), hash: Buffer.from(row.hash, 'hex') };
    if (!this.#default) {
      const salt = randomBytes(16);
      this.#default = { salt, hash: hash(DEMO_OFFICER_PIN, salt) };
    }
    return this.#default;
  }

  unlock(pin: string): { token: string; idleMs: number } {
    const now = this.clock.now().getTime();
    if (now < this.#lockedUntil) throw new KioskError('LOCKED_OUT', 'too many wrong PINs', { retryAfterMs: this.#lockedUntil - now });
    const stored = this.#stored();
    if (!timingSafeEqual(hash(pin, stored.salt), stored.hash)) {
      this.#failures++;
      if (this.#failures >= MAX_FAILURES) {
        this.#failures = 0;
        this.#lockedUntil = now + LOCKOUT_MS;
        throw new KioskError('LOCKED_OUT', 'too many wrong PINs', { retryAfterMs: LOCKOUT_MS });
      }
      throw new KioskError('WRONG_PIN', 'wrong officer PIN');
    }
    this.#failures = 0;
    const token = randomBytes(24).toString('base64url');
    this.#sessions.set(token, now);
    return { token, idleMs: this.idleMs };
  }

  /** Checks a session and counts the call as activity. */
  check(token: string): void {
    const now = this.clock.now().getTime();
    const last = this.#sessions.get(token);
    if (last === undefined || now - last > this.idleMs) {
      this.#sessions.delete(token);
      throw new KioskError('UNAUTHORIZED', 'officer session ended; enter the PIN again');
    }
    this.#sessions.set(token, now);
  }

  lock(token: string): void {
    this.#sessions.delete(token);
  }
}
