import { Catalog, type Procedure } from '../../protocol/catalog.ts';
import { OfficeConfig } from '../../protocol/office.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { ProcedureSummary } from '../../contract/domains/catalog.ts';
import { KioskError } from '../../contract/errors.ts';
import { checklistReceipt } from '../catalog/receipts.ts';
import { CatalogIndex } from '../catalog/search.ts';
import { CatalogStore } from '../catalog/store.node.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { formFor } from '../../contract/forms/index.ts';

/** The sync member the catalog reads from (kiosk/sync/wire.node.ts puts it on the context). */

/**
 * The kiosk's copy of the catalog: rows in SQLite (migration 004) for offline use, and the
 * in-memory search index built from them. Central's copy arrives through the pull cache
 * (ETag, kiosk/sync/pull.node.ts); a changed version replaces the rows and the index.
 */
export class KioskCatalog {
  readonly store: CatalogStore;
  #index = new CatalogIndex([]);
  #fieldNames = new Map<string, string>();

  constructor(readonly ctx: ApplianceContext) {
    this.store = new CatalogStore(ctx.db);
    this.reload();
  }

  get index(): CatalogIndex {
    return this.#index;
  }

  reload(): void {
    this.#index = new CatalogIndex(this.store.indexEntries());
    this.#fieldNames = new Map((this.store.meta()?.fields ?? []).map((f) => [f.id, f.name]));
  }

  /** Takes the pulled catalog into SQLite when its version differs from ours. */
  importFromCache(): boolean {
    const cached = this.ctx.cache.read('catalog', Catalog);
    if (!cached) return false;
    const meta = this.store.meta();
    if (meta && meta.version === cached.value.version && meta.etag === cached.etag) return false;
    const started = performance.now();
    this.store.replace(cached.value, cached.etag, cached.fetchedAt);
    this.reload();
    this.ctx.log.info(
      {
        version: cached.value.version,
        procedures: cached.value.procedures.length,
        ms: Math.round(performance.now() - started),
      },
      'catalog updated',
    );
    return true;
  }

  fieldName(id: string): string {
    return this.#fieldNames.get(id) ?? id;
  }

  summary(p: Procedure): ProcedureSummary {
    const channel = p.channels.find((c) => c.kind === 'truc-tiep') ?? p.channels[0]!;
    return {
      code: p.code,
      name: p.name,
      fieldId: p.fieldId,
      fieldName: this.fieldName(p.fieldId),
      level: p.level,
      onlineLevel: p.onlineLevel,
      timeLimit: channel.timeLimit,
      fee: channel.fee,
      submittableHere: submittableHere(p.code),
    };
  }
}

/** This kiosk has a submission form for the procedure (contract/forms). */
export const submittableHere = (code: string): boolean => formFor(code) !== undefined;

/** The office name printed on slips: central's configuration when known, else the kiosk's own. */
export function officeName(ctx: ApplianceContext): string {
  return ctx.cache.read('office-config', OfficeConfig)?.value.name ?? ctx.config.officeName;
}

export function catalogHandlers(
  ctx: ApplianceContext,
): Pick<Handlers, 'catalog.fields' | 'catalog.browse' | 'catalog.search' | 'catalog.get' | 'catalog.printChecklist'> {
  const catalog = new KioskCatalog(ctx);
  catalog.importFromCache();
  const off = ctx.cache.onUpdated((name) => {
    if (name !== 'catalog') return;
    try {
      catalog.importFromCache();
    } catch (err) {
      ctx.log.error({ err }, 'catalog from central could not be stored; keeping the previous one');
    }
  });
  ctx.onClose(off);

  return {
    'catalog.fields': async () => {
      const meta = catalog.store.meta();
      const counts = catalog.store.counts();
      return {
        version: meta?.version ?? null,
        receivedAt: meta?.receivedAt ?? null,
        total: counts.total,
        fields: (meta?.fields ?? [])
          .map((f) => ({ id: f.id, name: f.name, count: counts.byField.get(f.id) ?? 0 }))
          .filter((f) => f.count > 0),
        levels: (['xa', 'tinh', 'bo'] as const)
          .map((level) => ({ level, count: counts.byLevel.get(level) ?? 0 }))
          .filter((l) => l.count > 0),
      };
    },
    'catalog.browse': async ({ fieldId, level, offset, limit }) => {
      const page = catalog.store.browse({ fieldId, level }, offset, limit);
      return { total: page.total, items: page.items.map((p) => catalog.summary(p)) };
    },
    'catalog.search': async ({ query, fieldId, level, limit }) => {
      const started = performance.now();
      const { total, hits } = catalog.index.search(query, { fieldId, level, limit });
      const items = catalog.store.many(hits.map((h) => h.code)).map((p) => catalog.summary(p));
      return { total, items, tookMs: Math.round((performance.now() - started) * 100) / 100 };
    },
    'catalog.get': async ({ code }) => {
      const procedure = catalog.store.get(code);
      if (!procedure) throw new KioskError('NOT_FOUND', `no procedure ${code} in the catalog`);
      return { procedure, fieldName: catalog.fieldName(procedure.fieldId), submittableHere: submittableHere(code) };
    },
    'catalog.printChecklist': async ({ code }) => {
      const procedure = catalog.store.get(code);
      if (!procedure) throw new KioskError('NOT_FOUND', `no procedure ${code} in the catalog`);
      const doc = checklistReceipt(procedure, {
        officeName: officeName(ctx),
        fieldName: catalog.fieldName(procedure.fieldId),
        printedAt: ctx.clock.now(),
      });
      return ctx.printer.printOrPreview(doc);
    },
  };
}
