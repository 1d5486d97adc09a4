import type { SyncState } from '../../contract/api.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';

/**
 * The citizen's online/offline indicator and the technician's counts come from the sync
 * engine (which probes `/health` itself while offline): this forwards its state to the
 * renderer as `sync.state` and answers `app.syncState`.
 */
export function startConnectivityProbe(ctx: ApplianceContext) {
  const off = ctx.sync.onState((state) => ctx.events.emit('sync.state', state));
  ctx.onClose(off);
  return {
    state: (): SyncState => ctx.sync.state(),
    probeNow: () => ctx.sync.kick(),
  };
}
