import type { ApplianceContext } from '../appliance/context.ts';
import { CentralClient } from '../sync/central-client.node.ts';
import { CredentialStore } from '../sync/credentials.node.ts';
import type { SyncParts } from '../sync/wire.node.ts';

const own = new WeakMap<ApplianceContext, { credentials: CredentialStore; central: CentralClient }>();

/**
 * The sync members technician code needs. The appliance puts them on the context
 * (kiosk/sync/wire.node.ts); a core built without sync (some tests) gets a credential store and
 * central client of its own here, so enrolment and the heartbeat still work.
 */
export function syncOf(ctx: ApplianceContext): { credentials: CredentialStore; central: CentralClient; outbox?: SyncParts['outbox']; sync?: SyncParts['sync'] } {
  const c = ctx as ApplianceContext & Partial<SyncParts>;
  if (c.credentials && c.central) return { credentials: c.credentials, central: c.central, outbox: c.outbox, sync: c.sync };
  let mine = own.get(ctx);
  if (!mine) {
    const credentials = new CredentialStore(ctx.dataDir);
    mine = { credentials, central: new CentralClient({ baseUrl: () => ctx.config.centralUrl, credentials: () => credentials.get() }) };
    own.set(ctx, mine);
  }
  return { ...mine, outbox: c.outbox, sync: c.sync };
}
