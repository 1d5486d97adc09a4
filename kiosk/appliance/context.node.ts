import type { Logger } from 'pino';
import type { Clock } from '../core/clock.ts';
import type { EventBus } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';
import type { Db } from '../store/db.node.ts';
import type { CentralClient } from '../sync/central-client.node.ts';
import type { CredentialStore } from '../sync/credentials.node.ts';
import type { SyncEngine } from '../sync/engine.node.ts';
import type { Outbox } from '../sync/outbox.node.ts';
import type { CentralCache } from '../sync/pull.node.ts';
import type { KioskScanner } from '../devices/scanner.node.ts';
import type { KioskPrinter } from '../devices/printer.node.ts';
import type { StorageMonitor } from './storage.node.ts';
import type { LogHealth } from '../core/log.node.ts';
import type { KioskIdReader } from '../devices/idreader.node.ts';
import type { DocScanner } from '../../drivers/docscanner/types.ts';
import type { AttachmentUploader } from '../sync/attachments.node.ts';

/**
 * What every service gets from the composition root (`appliance.node.ts`): the kernel (config,
 * clock, log, events), the store, the devices and the sync parts. Lower layers (sync, store,
 * devices, drivers) never import it: they take what they need as parameters.
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
  /** The Căn cước chip reader (`none` when not configured): `read(mrzKey)` never throws. */
  readonly idReader: KioskIdReader;
  /** The document scanner (`none` when not configured); its status is pushed as `device.docscanner`. */
  readonly docScanner: DocScanner;
  /** Device id + token from enrolment (`<dataDir>/credentials.json`); `set` after enrolling. */
  readonly credentials: CredentialStore;
  /** The authenticated HTTP client for everything the kiosk asks central. */
  readonly central: CentralClient;
  /** `ctx.outbox.enqueue(kind, payload)` inside your domain transaction; `registerHandler(kind, …)` for central's answers. */
  readonly outbox: Outbox;
  /** The sync engine: `state()`, `kick()`, `waitForIdle()`. */
  readonly sync: SyncEngine;
  /** Pulled documents cached offline: `officeConfig()`, `catalog(schema)`, `fetch(name, path, schema)`. */
  readonly cache: CentralCache;
  /** Sends the dossiers' PDFs to central and deletes them here once central holds them. */
  readonly attachments: AttachmentUploader;
  /** Free disk space of the data directory; `reportFailure(err)` when a write failed with "disk full". */
  readonly storage: StorageMonitor;
  /** Whether log lines reach the disk (dropped and counted while it is full). */
  logHealth(): LogHealth;
  /** Things to close on shutdown, in reverse order of registration. */
  onClose(fn: () => Promise<void> | void): void;
  /** Forget a citizen's session data when the session ends (idle, done, home). */
  onSessionEnd(fn: (reason: string) => void): void;
}
