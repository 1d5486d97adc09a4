import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';
import { audit } from './audit.node.ts';
import { PIN_PATTERN, type PinGuard } from './pin.node.ts';

/**
 * Mass roll-out and the demo: a first PIN from the environment (`KIOSK_TECH_PIN`,
 * `KIOSK_OFFICER_PIN`), stored only while the guard has none. Resolves when it is stored (or
 * refused: a bad or unstorable PIN is logged, never thrown, so unlocking still answers).
 */
export function storeFirstPin(
  deps: { db: Db; clock: Clock; log: Logger },
  guard: PinGuard,
  pin: string | undefined,
  via: 'KIOSK_TECH_PIN' | 'KIOSK_OFFICER_PIN',
  auditAction: 'tech.pinChanged' | 'officer.pinChanged',
): Promise<void> {
  if (!pin || guard.isSet()) return Promise.resolve();
  if (!PIN_PATTERN.test(pin)) {
    deps.log.error(`${via} ignored: 6 to 12 digits`);
    return Promise.resolve();
  }
  return guard
    .set(pin)
    .then(() => audit(deps.db, deps.clock, 'system', auditAction, { via }))
    .catch((err: unknown) => deps.log.error({ err }, `${via} could not be stored`));
}
