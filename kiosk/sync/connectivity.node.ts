import type { SyncState } from '../api/contract.ts';
import type { ApplianceContext } from '../core/context.ts';

/**
 * Reachability of the central system, probed on `GET /health`. The sync engine reports the
 * richer state (pending, parked) once it runs; this keeps the citizen's online indicator true.
 */
export function startConnectivityProbe(ctx: ApplianceContext, intervalMs = 5_000) {
  let state: SyncState = { online: false, pending: 0, parked: 0, lastSuccessAt: null, lastErrorKind: null };
  let stopped = false;
  const probe = async () => {
    let online = false;
    let errorKind: string | null = null;
    try {
      const res = await fetch(new URL('/health', ctx.config.centralUrl), { signal: AbortSignal.timeout(3_000) });
      online = res.ok;
      if (!res.ok) errorKind = `http_${res.status}`;
    } catch (err) {
      errorKind = (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
    }
    if (stopped) return;
    const next: SyncState = { ...state, online, lastErrorKind: errorKind, lastSuccessAt: online ? ctx.clock.now().toISOString() : state.lastSuccessAt };
    const changed = next.online !== state.online || next.lastErrorKind !== state.lastErrorKind;
    state = next;
    if (changed) ctx.events.emit('sync.state', state);
  };
  void probe();
  const timer = setInterval(() => void probe(), intervalMs);
  timer.unref();
  ctx.onClose(() => {
    stopped = true;
    clearInterval(timer);
  });
  return { state: () => state, probeNow: probe };
}
