import { join } from 'node:path';
import type { Logger } from 'pino';
import { createDispatcher, EventBus, type Dispatch, type Handlers } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';
import { openDatabase } from '../store/db.node.ts';
import { makePrivateDir } from '../core/private-fs.node.ts';
import { appHandlers } from '../services/app.node.ts';
import { submissionHandlers } from '../services/submission.node.ts';
import { captureHandlers, createKioskCapture } from '../services/capture.node.ts';
import { openKioskDocScanner } from '../devices/docscanner.node.ts';
import { paymentsHandlers } from '../services/payments.node.ts';
import { ratingsHandlers } from '../services/ratings.node.ts';
import { speechHandlers } from '../services/speech.node.ts';
import { scansHandlers } from '../services/scans.node.ts';
import { openScanner } from '../devices/scanner.node.ts';
import { openIdReader } from '../devices/idreader.node.ts';
import { chipHandlers } from '../services/chip.node.ts';
import { devicesHandlers } from '../services/devices.node.ts';
import { techService } from '../services/tech.node.ts';
import { catalogHandlers } from '../services/catalog.node.ts';
import { dossierStatusHandlers } from '../services/dossier-status.node.ts';
import { openKioskPrinter } from '../devices/printer.node.ts';
import { startConnectivityProbe } from '../sync/connectivity.node.ts';
import { createSyncParts, startSyncParts } from '../sync/wire.node.ts';
import { syncHandlers } from '../services/sync.node.ts';
import { startRetention } from '../sync/retention.node.ts';
import { createTicketDesk, ticketsHandlers } from '../services/tickets.node.ts';
import { ticketIdOfToken } from '../tickets/desk.node.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { ApplianceContext } from './context.node.ts';
import { isDiskFull } from '../api/disk-full.ts';
import { KioskError } from '../../contract/errors.ts';
import type { CallName } from '../../contract/api.ts';
import { kioskEnv } from '../config/env.node.ts';
import { createLogger, type KioskLogger, type LogHealth } from '../core/log.node.ts';
import { StorageMonitor, type StorageMonitorOptions } from './storage.node.ts';
import { VERSION } from '../core/version.node.ts';

export interface Appliance {
  readonly ctx: ApplianceContext;
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  close(): Promise<void>;
}

export interface ApplianceOptions {
  clock?: Clock;
  log?: Logger;
  storage?: StorageMonitorOptions;
}

/** Calls that take new work from a citizen: refused with STORAGE_FULL while the disk is full. */
export const INTAKE_CALLS: readonly CallName[] = [
  'submission.submit',
  'capture.scan',
  'capture.photo',
  'tickets.issue',
  'tickets.notify',
  'tickets.checkIn',
  'tickets.officerIssue',
  'payments.start',
  'ratings.submit',
];

/**
 * Builds the whole kiosk core from a configuration: store, services, drivers, sync. Plain
 * Node: no Electron here, so the same core runs under the Electron shell and the web host.
 */
export async function createAppliance(config: KioskConfig, options: ApplianceOptions = {}): Promise<Appliance> {
  const closers: Array<() => Promise<void> | void> = [];
  makePrivateDir(config.dataDir);
  const log: KioskLogger = options.log ?? createLogger(config.dataDir, kioskEnv().KIOSK_LOG_LEVEL);
  const db = openDatabase(join(config.dataDir, 'kiosk.db'));
  closers.push(() => {
    db.close();
  });
  const events = new EventBus();
  const storage = new StorageMonitor(
    config.dataDir,
    { events, log, now: () => (options.clock ?? systemClock).now() },
    options.storage,
  );
  closers.push(storage.start());
  const logHealth = (): LogHealth => log.destination?.health() ?? { ok: true, dropped: 0, lastError: null };
  const offLog = log.destination?.onHealth((h) => {
    if (h.lastError) storage.reportFailure(new Error(h.lastError));
  });
  if (offLog) closers.push(offLog);
  const sessionWipes: Array<(reason: string) => void> = [];
  const printer = await openKioskPrinter(config, { events, log });
  closers.push(() => printer.close());

  const scanner = await openScanner(config.scanner, {
    events,
    log,
    ticketOfToken: (token) => ticketIdOfToken(db, token),
  });
  closers.push(() => scanner.close());

  const idReader = await openIdReader(config, { events, log });
  closers.push(() => idReader.close());

  const docScanner = await openKioskDocScanner(config, { events, log });
  closers.push(() => docScanner.close());

  const syncParts = createSyncParts({ config, db, log, clock: options.clock ?? systemClock });

  const ctx: ApplianceContext = {
    config,
    dataDir: config.dataDir,
    db,
    events,
    log,
    clock: options.clock ?? systemClock,
    version: VERSION,
    startedAt: new Date(),
    scanner,
    idReader,
    docScanner,
    printer,
    storage,
    logHealth,
    ...syncParts,
    onClose: (fn) => void closers.push(fn),
    onSessionEnd: (fn) => void sessionWipes.push(fn),
  };

  try {
    const connectivity = startConnectivityProbe(ctx);

    const tech = techService(ctx);
    const capture = await createKioskCapture(ctx, docScanner);
    const handlers: Handlers = {
      ...appHandlers(ctx, {
        syncState: connectivity.state,
        endSession: (reason) => sessionWipes.forEach((wipe) => wipe(reason)),
      }),
      ...scansHandlers(ctx),
      ...chipHandlers(ctx),
      ...syncHandlers(ctx),
      ...devicesHandlers(ctx),
      ...tech.handlers,
      ...submissionHandlers(ctx, { capture, requireDocuments: config.docScanner !== 'none' }),
      ...captureHandlers(ctx, capture),
      ...paymentsHandlers(ctx),
      ...ratingsHandlers(ctx),
      ...ticketsHandlers(ctx, createTicketDesk(ctx)),
      ...catalogHandlers(ctx),
      ...dossierStatusHandlers(ctx),
      ...speechHandlers(ctx),
    };

    // A full disk refuses new work up front (one rule for every intake call), before anything is half-written.
    for (const name of INTAKE_CALLS) {
      const handler = handlers[name] as (input: unknown, c: unknown) => unknown;
      (handlers as Record<string, unknown>)[name] = (input: unknown, c: unknown) => {
        if (storage.state().full)
          throw new KioskError('STORAGE_FULL', 'the kiosk disk is full; it takes no new dossiers');
        return handler(input, c);
      };
    }
    closers.push(
      syncParts.sync.onState((s) => {
        if (s.lastErrorKind === 'disk_full')
          storage.reportFailure(
            Object.assign(new Error('sync could not write to the outbox'), { code: 'SQLITE_FULL' }),
          );
      }),
    );

    // Sending starts once every service has registered its outbox handlers.
    closers.push(startSyncParts(syncParts, kioskEnv().KIOSK_PULL_MS));
    // Parked personal data and rating comments are kept for a set time (kiosk/sync/retention.node.ts).
    closers.push(startRetention({ db, dataDir: config.dataDir, clock: ctx.clock, log, kioskId: config.kioskId }));

    const dispatch = createDispatcher(
      handlers,
      (name, err) => {
        if (isDiskFull(err)) storage.reportFailure(err);
        log.error({ call: name, err }, 'kiosk API call failed');
      },
      tech.authorize,
    );
    log.info({ version: VERSION, kioskId: config.kioskId }, 'appliance started');

    return {
      ctx,
      dispatch,
      events,
      close: async () => {
        for (const close of closers.reverse()) await close();
        log.flush();
      },
    };
  } catch (err) {
    for (const close of closers.reverse()) await close();
    throw err;
  }
}
