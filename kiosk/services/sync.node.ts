import type { Handlers } from '../api/dispatch.ts';
import type { OutboxEntryView } from '../../contract/domains/sync.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import type { OutboxEntry } from '../sync/outbox.node.ts';
import { audit } from '../tech/audit.node.ts';

const view = (e: OutboxEntry): OutboxEntryView => ({
  id: e.id,
  key: e.key,
  kind: e.kind,
  status: e.status,
  attempts: e.attempts,
  lastError: e.lastError,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  doneAt: e.doneAt,
});

/** Technician calls: the dispatcher lets them through only in technician mode (contract role). */
export function syncHandlers(
  ctx: ApplianceContext,
): Pick<Handlers, 'sync.detail' | 'sync.entries' | 'sync.retry' | 'sync.now' | 'sync.export'> {
  return {
    'sync.detail': () => {
      const creds = ctx.credentials.get();
      return {
        ...ctx.sync.detail(),
        centralUrl: ctx.config.centralUrl,
        enrolled: creds !== null,
        deviceId: creds?.deviceId ?? null,
        officeId: creds?.officeId ?? ctx.config.officeId,
        pulls: ctx.cache.list(),
      };
    },
    'sync.entries': ({ status, afterId, limit }) => ({
      entries: ctx.outbox.list({ status: status ?? 'parked', afterId: afterId ?? 0, limit: limit ?? 100 }).map(view),
    }),
    'sync.retry': (input) => {
      const retried = ctx.outbox.retry('all' in input ? 'all' : input.id, ctx.clock.now());
      audit(ctx.db, ctx.clock, 'technician', 'sync.retry', { retried, target: 'all' in input ? 'all' : input.id });
      ctx.log.info({ retried, target: 'all' in input ? 'all' : input.id }, 'technician retried outbox entries');
      return { retried };
    },
    'sync.now': () => {
      ctx.sync.kick();
      return { ok: true as const };
    },
    'sync.export': () => {
      const entries: OutboxEntry[] = [];
      for (let afterId = 0; ;) {
        const page = ctx.outbox.list({ status: 'parked', afterId, limit: 500 });
        entries.push(...page);
        if (page.length < 500) break;
        afterId = page.at(-1)!.id;
      }
      // Personal data leaves the kiosk here: the audit row says when and how many (never what).
      audit(ctx.db, ctx.clock, 'technician', 'sync.export', { count: entries.length, ids: entries.map((e) => e.id) });
      ctx.log.info({ count: entries.length }, 'technician exported parked outbox entries');
      const stamp = ctx.clock.now().toISOString().replace(/[:.]/g, '-');
      return {
        fileName: `outbox-parked-${ctx.config.kioskId}-${stamp}.json`,
        json: JSON.stringify(
          { kioskId: ctx.config.kioskId, exportedAt: ctx.clock.now().toISOString(), entries },
          null,
          2,
        ),
        count: entries.length,
      };
    },
  };
}
