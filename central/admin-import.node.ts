import { AdminOfficeConfig } from '../protocol/office.ts';
import { getOfficeConfig, upsertOffice } from './admin.node.ts';
import {
  buildCatalog,
  currentCatalog,
  diffCatalogs,
  ImportFormat,
  publishCatalog,
  readTable,
  tableToProcedures,
  type CatalogDiff,
  type ImportError,
} from './catalog-import.node.ts';
import { audit } from './officers.node.ts';
import type { CentralStore } from './store/store.node.ts';

/**
 * Scripted roll-outs from central's command line (issue 14): office configurations and an
 * office's procedure catalog from files, checked exactly as the administration app checks them
 * and audited as done by the command line (`username: cli`).
 */

/** One office configuration, or an array of them (a province's offices in one file). */
export async function importOffices(
  store: CentralStore,
  text: string,
  now = new Date(),
): Promise<{ saved: Array<{ officeId: string; etag: string; changed: boolean }>; errors: string[] }> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { saved: [], errors: [`not JSON: ${(err as Error).message}`] };
  }
  const list = Array.isArray(json) ? json : [json];
  const errors: string[] = [];
  const configs = list.flatMap((c, i) => {
    const r = AdminOfficeConfig.safeParse(c);
    if (!r.success)
      errors.push(
        `office #${i + 1}${typeof (c as { officeId?: unknown })?.officeId === 'string' ? ` (${(c as { officeId: string }).officeId})` : ''}: ${r.error.issues
          .slice(0, 5)
          .map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`)
          .join('; ')}`,
      );
    return r.success ? [r.data] : [];
  });
  // All or nothing: a file with one bad office changes none.
  if (errors.length) return { saved: [], errors };
  const saved = await store.tx(async (q) => {
    const out: Array<{ officeId: string; etag: string; changed: boolean }> = [];
    for (const config of configs) {
      const before = await getOfficeConfig(q, config.officeId);
      await upsertOffice(q, config, now);
      const after = (await getOfficeConfig(q, config.officeId))!;
      const changed = before?.etag !== after.etag;
      if (changed)
        await audit(q, {
          at: now,
          officeId: config.officeId,
          username: 'cli',
          action: 'admin.config.changed',
          detail: { before: before?.config ?? {}, after: config, etag: after.etag },
        });
      out.push({ officeId: config.officeId, etag: after.etag, changed });
    }
    return out;
  });
  return { saved, errors: [] };
}

export async function importCatalogFile(
  store: CentralStore,
  opts: { officeId: string; fileName: string; bytes: Buffer; dryRun?: boolean; now?: Date },
): Promise<{
  rows: number;
  procedures: number;
  errors: ImportError[];
  diff: CatalogDiff;
  seq: number | null;
  ms: number;
}> {
  const started = performance.now();
  const now = opts.now ?? new Date();
  const office = await getOfficeConfig(store, opts.officeId);
  if (!office) throw new Error(`no office ${opts.officeId}`);
  const format = ImportFormat.parse(/\.xlsx$/i.test(opts.fileName) ? 'xlsx' : 'csv');
  let parsed;
  try {
    parsed = tableToProcedures(await readTable(format, opts.bytes));
  } catch (err) {
    parsed = { fields: [], procedures: [], rows: 0, errors: [{ line: 0, message: (err as Error).message }] };
  }
  const current = await currentCatalog(store, opts.officeId);
  const diff = diffCatalogs(current?.catalog.procedures ?? [], parsed.procedures);
  let seq: number | null = null;
  if (!parsed.errors.length && !opts.dryRun) {
    const summary = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
    seq = await store.tx(async (q) => {
      const n = await publishCatalog(
        q,
        { officeId: opts.officeId, officerId: null },
        buildCatalog(parsed, office.config.province, now, 0),
        opts.fileName,
        summary,
        now,
      );
      await audit(q, {
        at: now,
        officeId: opts.officeId,
        username: 'cli',
        action: 'admin.catalog.imported',
        detail: { seq: n, fileName: opts.fileName, ...summary },
      });
      return n;
    });
  }
  return {
    rows: parsed.rows,
    procedures: parsed.procedures.length,
    errors: parsed.errors,
    diff,
    seq,
    ms: Math.round(performance.now() - started),
  };
}
