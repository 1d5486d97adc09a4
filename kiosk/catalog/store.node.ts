import { Catalog, Field, Procedure, type ProcedureLevel } from '../../protocol/catalog.ts';
import type { Db } from '../store/db.node.ts';
import { foldWords } from './fold.ts';
import type { IndexEntry } from './search.ts';

export interface CatalogMeta {
  version: string;
  etag: string | null;
  province: string;
  fields: Field[];
  receivedAt: string;
}

/** The catalog's rows in SQLite (migration 004): written whole, read by code, field or level. */
export class CatalogStore {
  constructor(readonly db: Db) {}

  meta(): CatalogMeta | null {
    const row = this.db
      .prepare('SELECT version, etag, province, fields, received_at FROM catalog_meta WHERE id = 1')
      .get() as
      { version: string; etag: string | null; province: string; fields: string; received_at: string } | undefined;
    if (!row) return null;
    return {
      version: row.version,
      etag: row.etag,
      province: row.province,
      fields: Field.array().parse(JSON.parse(row.fields)),
      receivedAt: row.received_at,
    };
  }

  /** Replaces the whole catalog in one transaction (a reader never sees half of two versions). */
  replace(catalog: Catalog, etag: string | null, receivedAt: string): void {
    const parsed = Catalog.parse(catalog);
    const insert = this.db.prepare(
      'INSERT INTO catalog_procedures (code, ord, name, name_folded, keywords, field_id, level, online_level, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM catalog_procedures').run();
      parsed.procedures.forEach((p, ord) => {
        insert.run(
          p.code,
          ord,
          p.name,
          foldWords(p.name),
          JSON.stringify(p.keywords),
          p.fieldId,
          p.level,
          p.onlineLevel,
          JSON.stringify(p),
        );
      });
      this.db
        .prepare(
          `INSERT INTO catalog_meta (id, version, etag, province, fields, received_at) VALUES (1, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO UPDATE SET version = excluded.version, etag = excluded.etag, province = excluded.province, fields = excluded.fields, received_at = excluded.received_at`,
        )
        .run(parsed.version, etag, parsed.province, JSON.stringify(parsed.fields), receivedAt);
    })();
  }

  indexEntries(): IndexEntry[] {
    // `common` lives in the stored body (no column of its own): read once here, for the index.
    const rows = this.db
      .prepare(
        "SELECT code, ord, name, keywords, field_id, level, json_extract(body, '$.common') AS common FROM catalog_procedures ORDER BY ord",
      )
      .all() as Array<{
      code: string;
      ord: number;
      name: string;
      keywords: string;
      field_id: string;
      level: string;
      common: number | null;
    }>;
    return rows.map((r) => ({
      code: r.code,
      ord: r.ord,
      name: r.name,
      keywords: JSON.parse(r.keywords) as string[],
      fieldId: r.field_id,
      level: r.level,
      common: r.common === 1,
    }));
  }

  get(code: string): Procedure | null {
    const row = this.db.prepare('SELECT body FROM catalog_procedures WHERE code = ?').get(code) as
      { body: string } | undefined;
    return row ? Procedure.parse(JSON.parse(row.body)) : null;
  }

  /** Procedures by code, in the order asked. */
  many(codes: readonly string[]): Procedure[] {
    const get = this.db.prepare('SELECT body FROM catalog_procedures WHERE code = ?');
    return codes.flatMap((c) => {
      const row = get.get(c) as { body: string } | undefined;
      return row ? [Procedure.parse(JSON.parse(row.body))] : [];
    });
  }

  browse(
    filter: { fieldId?: string | undefined; level?: ProcedureLevel | undefined },
    offset: number,
    limit: number,
  ): { total: number; items: Procedure[] } {
    const where: string[] = [];
    const args: string[] = [];
    if (filter.fieldId) {
      where.push('field_id = ?');
      args.push(filter.fieldId);
    }
    if (filter.level) {
      where.push('level = ?');
      args.push(filter.level);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (
      this.db.prepare(`SELECT count(*) AS n FROM catalog_procedures ${clause}`).get(...args) as { n: number }
    ).n;
    const rows = this.db
      .prepare(`SELECT body FROM catalog_procedures ${clause} ORDER BY ord LIMIT ? OFFSET ?`)
      .all(...args, limit, offset) as Array<{ body: string }>;
    return { total, items: rows.map((r) => Procedure.parse(JSON.parse(r.body))) };
  }

  counts(): { byField: Map<string, number>; byLevel: Map<string, number>; total: number } {
    const byField = new Map(
      (
        this.db
          .prepare('SELECT field_id AS k, count(*) AS n FROM catalog_procedures GROUP BY field_id')
          .all() as Array<{ k: string; n: number }>
      ).map((r) => [r.k, r.n]),
    );
    const byLevel = new Map(
      (
        this.db.prepare('SELECT level AS k, count(*) AS n FROM catalog_procedures GROUP BY level').all() as Array<{
          k: string;
          n: number;
        }>
      ).map((r) => [r.k, r.n]),
    );
    let total = 0;
    byField.forEach((n) => (total += n));
    return { byField, byLevel, total };
  }
}
