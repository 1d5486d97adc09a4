import { HeartbeatResponse, type HeartbeatRequest, type PushedConfig } from '../../protocol/fleet.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { CentralClientError } from '../sync/central-client.node.ts';

export const HEARTBEAT_INTERVAL_MS = 60_000;

/** What the kiosk reports about itself: ids, states and counts, never personal data. */
export async function buildHeartbeat(ctx: ApplianceContext): Promise<HeartbeatRequest> {
  const p = await ctx.printer.status();
  const s = ctx.scanner.status();
  const { outbox, sync } = ctx;
  const counts = outbox.counts();
  const row = ctx.db.prepare('SELECT config_revision FROM tech_heartbeat WHERE id = 1').get() as
    { config_revision: number } | undefined;
  const now = ctx.clock.now();
  const oldest = ctx.db
    .prepare("SELECT MIN(created_at) AS at FROM outbox WHERE status IN ('pending', 'inflight')")
    .get() as { at: string | null } | undefined;
  const oldestPendingS = oldest?.at ? Math.max(0, Math.floor((now.getTime() - Date.parse(oldest.at)) / 1000)) : 0;
  return {
    version: ctx.version,
    kioskName: ctx.config.kioskName,
    uptimeS: Math.max(0, Math.floor((now.getTime() - ctx.startedAt.getTime()) / 1000)),
    sentAt: now.toISOString(),
    printer: {
      state: p.state,
      online: p.online,
      paperOut: p.paperOut,
      paperNearEnd: p.paperNearEnd,
      coverOpen: p.coverOpen,
      error: p.error,
    },
    // A serial scanner that cannot be opened is "missing" (unplugged); hid/camera are read in the renderer.
    scanner: {
      kind: s.kind,
      state: s.state,
      missing: s.kind === 'invalid' || s.state === 'error' || s.state === 'reconnecting',
    },
    outbox: { pending: counts.pending + counts.inflight, parked: counts.parked, oldestPendingS },
    lastSyncAt: sync.state().lastSuccessAt ?? null,
    storage: (({ full, freeBytes }) => ({ full, freeBytes }))(ctx.storage.state()),
    configRevision: row?.config_revision ?? 0,
  };
}

export interface HeartbeatDeps {
  /** Applies settings central pushed (validated, written to kiosk.json, live where possible). */
  applyConfig(values: Record<string, unknown>): Promise<void>;
}

export type HeartbeatOutcome =
  { ok: true; serverTime: string; applied: PushedConfig | null } | { ok: false; kind: string; message: string };

/** Sends one heartbeat and applies any configuration central pushed with the answer. */
export async function sendHeartbeat(ctx: ApplianceContext, deps: HeartbeatDeps): Promise<HeartbeatOutcome> {
  const { central, credentials } = ctx;
  const at = ctx.clock.now().toISOString();
  // Bookkeeping only: on a full disk the heartbeat still goes out (it is how the fleet page learns of it).
  const record = (ok: boolean, error: string | null) => {
    try {
      ctx.db
        .prepare(
          'INSERT INTO tech_heartbeat (id, last_sent_at, last_ok_at, last_error) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET last_sent_at = excluded.last_sent_at, last_ok_at = COALESCE(excluded.last_ok_at, last_ok_at), last_error = excluded.last_error',
        )
        .run(at, ok ? at : null, error);
    } catch (err) {
      ctx.storage.reportFailure(err);
    }
  };
  if (!credentials.get()) return { ok: false, kind: 'NOT_PROVISIONED', message: 'not enrolled' };
  try {
    const body = await buildHeartbeat(ctx);
    const answer = (
      await central.request('POST', '/v1/fleet/heartbeat', HeartbeatResponse, { body, timeoutMs: 10_000 })
    ).value!;
    record(true, null);
    let applied: PushedConfig | null = null;
    if (answer.config && answer.config.revision > body.configRevision) {
      try {
        await deps.applyConfig(answer.config.values);
        ctx.log.info(
          { revision: answer.config.revision, keys: Object.keys(answer.config.values) },
          'applied configuration pushed by central',
        );
      } catch (err) {
        // A bad push is skipped, not retried forever: central sees the revision and the log says why.
        ctx.log.error(
          { revision: answer.config.revision, err: (err as Error).message },
          'configuration pushed by central refused',
        );
      }
      ctx.db
        .prepare(
          'INSERT INTO tech_heartbeat (id, config_revision) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET config_revision = excluded.config_revision',
        )
        .run(answer.config.revision);
      applied = answer.config;
    }
    return { ok: true, serverTime: answer.serverTime, applied };
  } catch (err) {
    const kind = err instanceof CentralClientError ? err.kind : 'INTERNAL';
    const message = (err as Error).message;
    record(false, `${kind}: ${message}`.slice(0, 300));
    ctx.log.warn({ kind, err: message }, 'heartbeat failed');
    return { ok: false, kind, message };
  }
}

/** Heartbeat every minute (first one right away); also on every printer, scanner or disk-full state change. Returns stop. */
export function startHeartbeat(
  ctx: ApplianceContext,
  deps: HeartbeatDeps,
  intervalMs = HEARTBEAT_INTERVAL_MS,
): () => void {
  let running: Promise<unknown> | null = null;
  let again = false;
  const beat = () => {
    if (running) {
      again = true;
      return;
    }
    running = sendHeartbeat(ctx, deps).finally(() => {
      running = null;
      if (again) {
        again = false;
        beat();
      }
    });
  };
  // Device trouble reaches the fleet page within seconds, not at the next minute.
  const lastKey = new Map<string, string>();
  const off = ctx.events.subscribe((name, payload) => {
    if (name !== 'device.printer' && name !== 'scanner.status' && name !== 'storage.state') return;
    const key = JSON.stringify(payload, ['state', 'online', 'paperOut', 'paperNearEnd', 'coverOpen', 'error', 'full']);
    if (key === lastKey.get(name)) return;
    lastKey.set(name, key);
    beat();
  });
  const timer = setInterval(beat, intervalMs);
  timer.unref();
  beat();
  return () => {
    clearInterval(timer);
    off();
  };
}
