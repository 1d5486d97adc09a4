import type { Logger } from 'pino';
import type { EventBus } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';
import type { Db } from '../store/db.node.ts';
import type { KioskScanner } from '../devices/scanner.node.ts';
import type { KioskPrinter } from '../devices/printer.node.ts';

/** A clock that tests can replace. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/**
 * What every service gets. Owners of drivers and sync add their members here (printer,
 * scanner, central client, outbox) as they wire them into the appliance.
 */
export interface ApplianceContext {
  readonly config: KioskConfig;
  readonly dataDir: string;
  readonly db: Db;
  readonly events: EventBus;
  readonly log: Logger;
  readonly clock: Clock;
  readonly version: string;
  readonly startedAt: Date;
  /** The receipt printer: `print(doc)` throws KioskError PRINTER_*; `preview(doc)` is a PNG data URL. */
  readonly printer: KioskPrinter;
  /** The one stream of scans (serial/sim driver here; wedge and camera scans arrive via `publish`). */
  readonly scanner: KioskScanner;
  /** Things to close on shutdown, in reverse order of registration. */
  onClose(fn: () => Promise<void> | void): void;
  /** Forget a citizen's session data when the session ends (idle, done, home). */
  onSessionEnd(fn: (reason: string) => void): void;
}
