import { randomBytes } from 'node:crypto';
import { KioskError } from '../../contract/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';
import { PinGuard } from '../tech/pin.node.ts';

/**
 * The officer desk's sessions. The PIN is the officer row of the kiosk's PINs (kiosk/tech/pin.node.ts:
 * scrypt hash, growing lockout kept across restarts). A kiosk has no officer PIN until a technician
 * sets one (technician settings, `kioskctl officer-pin set`, or `KIOSK_OFFICER_PIN` at first start);
 * until then the desk stays shut. A session ends after `idleMs` without a call.
 */
export const OFFICER_IDLE_MS = 120_000;

export class OfficerSessions {
  readonly #sessions = new Map<string, number>();
  readonly pin: PinGuard;

  constructor(
    readonly db: Db,
    readonly clock: Clock,
    readonly idleMs = OFFICER_IDLE_MS,
  ) {
    this.pin = new PinGuard(db, clock, undefined, 'officer');
  }

  async unlock(pin: string): Promise<{ token: string; idleMs: number }> {
    const r = await this.pin.check(pin);
    if (!r.ok) {
      if (r.reason === 'NO_PIN')
        throw new KioskError(
          'PIN_NOT_SET',
          'no officer desk PIN is set (technician settings, or kioskctl officer-pin set)',
        );
      throw new KioskError(r.reason, r.reason === 'LOCKED_OUT' ? 'too many wrong PINs: wait' : 'wrong officer PIN', {
        retryAfterMs: r.retryAfterMs,
      });
    }
    const token = randomBytes(24).toString('base64url');
    this.#sessions.set(token, this.clock.now().getTime());
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
