import type { Logger } from 'pino';
import type { KioskConfig } from '../config/config.node.ts';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';
import { CentralClient, readCentralCa } from './central-client.node.ts';
import { CredentialStore } from './credentials.node.ts';
import { SyncEngine, type SyncEngineOptions } from './engine.node.ts';
import { Outbox } from './outbox.node.ts';
import { CentralCache } from './pull.node.ts';
import { join } from 'node:path';
import { AttachmentUploader } from './attachments.node.ts';
import { loadOrMakeKey, SealedFiles } from '../store/sealed.node.ts';

/** The sync members of ApplianceContext. */
export interface SyncParts {
  readonly credentials: CredentialStore;
  readonly central: CentralClient;
  readonly outbox: Outbox;
  readonly sync: SyncEngine;
  readonly cache: CentralCache;
  /** Sends the dossiers' PDFs (issue 16), each exactly once, then deletes them here. */
  readonly attachments: AttachmentUploader;
}

/** How often office config and catalog are re-checked (cheap: 304 when unchanged). */
export const PULL_INTERVAL_MS = 5 * 60_000;

/**
 * Builds the kiosk's sync side from its configuration. Nothing runs until `startSyncParts`:
 * services can register outbox handlers first.
 */
export function createSyncParts(
  { config, db, log, clock }: { config: KioskConfig; db: Db; log: Logger; clock: Clock },
  tuning: Partial<Omit<SyncEngineOptions, 'outbox' | 'client' | 'log' | 'clock'>> = {},
): SyncParts {
  const credentials = new CredentialStore(config.dataDir);
  const central = new CentralClient({
    baseUrl: () => config.centralUrl,
    credentials: () => credentials.get(),
    ...readCentralCa(config.centralCaFile),
  });
  const outbox = new Outbox(db);
  const sync = new SyncEngine({ outbox, client: central, log: log.child({ module: 'sync' }), clock, ...tuning });
  const cache = new CentralCache(
    db,
    central,
    clock,
    () => credentials.get()?.officeId ?? config.officeId,
    log.child({ module: 'pull' }),
  );
  const outgoing = new SealedFiles(
    join(config.dataDir, 'capture', 'outgoing'),
    loadOrMakeKey(join(config.dataDir, 'attachment.key')),
  );
  const attachments = new AttachmentUploader({
    db,
    client: central,
    outgoing,
    log: log.child({ module: 'attachments' }),
    clock,
  });
  return { credentials, central, outbox, sync, cache, attachments };
}

/** Starts sending and pulling; returns the stop function (register it with onClose). */
export function startSyncParts(parts: SyncParts, pullIntervalMs = PULL_INTERVAL_MS): () => Promise<void> {
  parts.sync.start();
  parts.attachments.start();
  const offOnline = parts.sync.onOnline(() => {
    void parts.cache.refreshAll();
    parts.attachments.kick();
  });
  void parts.cache.refreshAll();
  const timer = setInterval(() => void parts.cache.refreshAll(), pullIntervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    offOnline();
    const stopped = Promise.all([parts.sync.stop(), parts.attachments.stop()]);
    parts.central.abortInFlight();
    await stopped;
  };
}
