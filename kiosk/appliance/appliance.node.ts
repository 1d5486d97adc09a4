import { join } from 'node:path';
import type { Logger } from 'pino';
import { createDispatcher, EventBus, type Dispatch, type Handlers } from '../api/dispatch.ts';
import type { KioskConfig } from '../config/config.node.ts';
import { openDatabase } from '../store/db.node.ts';
import { appHandlers } from '../services/app.node.ts';
import { submissionHandlers } from '../services/submission.node.ts';
import { paymentsHandlers } from '../services/payments.node.ts';
import { ratingsHandlers } from '../services/ratings.node.ts';
import { speechHandlers } from '../services/speech.node.ts';
import { scansHandlers } from '../services/scans.node.ts';
import { openScanner } from '../devices/scanner.node.ts';
import { devicesHandlers } from '../services/devices.node.ts';
import { techHandlers } from '../services/tech.node.ts';
import { catalogHandlers } from '../services/catalog.node.ts';
import { dossierStatusHandlers } from '../services/dossier-status.node.ts';
import { openKioskPrinter } from '../devices/printer.node.ts';
import { startConnectivityProbe } from '../sync/connectivity.node.ts';
import { createSyncParts, startSyncParts } from '../sync/wire.node.ts';
import { syncHandlers } from '../services/sync.node.ts';
import { createTicketDesk, ticketsHandlers } from '../services/tickets.node.ts';
import { systemClock, type Clock } from '../core/clock.ts';
import type { ApplianceContext } from './context.node.ts';
import { createLogger } from '../core/log.node.ts';
import { kioskEnv } from '../config/env.node.ts';
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
}

/**
 * Builds the whole kiosk core from a configuration: store, services, drivers, sync. Plain
 * Node: no Electron here, so the same core runs under the Electron shell and the web host.
 */
export async function createAppliance(config: KioskConfig, options: ApplianceOptions = {}): Promise<Appliance> {
  const closers: Array<() => Promise<void> | void> = [];
  const log = options.log ?? createLogger(config.dataDir, kioskEnv().KIOSK_LOG_LEVEL);
  const db = openDatabase(join(config.dataDir, 'kiosk.db'));
  closers.push(() => {
    db.close();
  });
  const events = new EventBus();
  const sessionWipes: Array<(reason: string) => void> = [];
  const printer = await openKioskPrinter(config, { events, log });
  closers.push(() => printer.close());

  const scanner = await openScanner(config.scanner, { events, log });
  closers.push(() => scanner.close());

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
    printer,
    ...syncParts,
    onClose: (fn) => void closers.push(fn),
    onSessionEnd: (fn) => void sessionWipes.push(fn),
  };

  try {
    const connectivity = startConnectivityProbe(ctx);

    const handlers: Handlers = {
      ...appHandlers(ctx, {
        syncState: connectivity.state,
        endSession: (reason) => sessionWipes.forEach((wipe) => wipe(reason)),
      }),
      ...scansHandlers(ctx),
      ...syncHandlers(ctx),
      ...devicesHandlers(ctx),
      ...techHandlers(ctx),
      ...submissionHandlers(ctx),
      ...paymentsHandlers(ctx),
      ...ratingsHandlers(ctx),
      ...ticketsHandlers(ctx, createTicketDesk(ctx)),
      ...catalogHandlers(ctx),
      ...dossierStatusHandlers(ctx),
      ...speechHandlers(ctx),
    };

    // Sending starts once every service has registered its outbox handlers.
    closers.push(startSyncParts(syncParts));

    const dispatch = createDispatcher(handlers, (name, err) => log.error({ call: name, err }, 'kiosk API call failed'));
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
