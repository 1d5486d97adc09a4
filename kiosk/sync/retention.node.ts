import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { RATING_KIND } from '../../protocol/ratings.ts';
import type { Clock } from '../core/clock.ts';
import { writeFileAtomic } from '../store/atomic-file.node.ts';
import type { Db } from '../store/db.node.ts';
import { makePrivateDir } from '../core/private-fs.node.ts';
import { audit } from '../tech/audit.node.ts';

/**
 * Retention (issue 19.10, docs/sync.md "Retention"). Personal data the kiosk could not deliver
 * (parked entries: names, ID numbers, addresses) is kept PARKED_RETENTION_DAYS for a technician
 * to fix or export; then it is written to an export file for the technician
 * (`<dataDir>/exports/`, 0600) and purged from the database. Export files are deleted after
 * another PARKED_RETENTION_DAYS. Free-text rating comments are dropped from the kiosk's copy
 * COMMENT_RETENTION_DAYS after they were written (central keeps them the same time).
 */
export const PARKED_RETENTION_DAYS = 30;
export const COMMENT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export const exportsDir = (dataDir: string) => join(dataDir, 'exports');

interface ParkedRow {
  id: number;
  key: string;
  kind: string;
  payload: string;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

export interface RetentionResult {
  purged: number;
  file: string | null;
  comments: number;
  exportsDeleted: number;
}

export function applyRetention(ctx: {
  db: Db;
  dataDir: string;
  clock: Clock;
  log: Logger;
  kioskId: string;
}): RetentionResult {
  const now = ctx.clock.now();
  const parkedBefore = new Date(now.getTime() - PARKED_RETENTION_DAYS * DAY_MS).toISOString();
  const rows = ctx.db
    .prepare(
      "SELECT id, key, kind, payload, last_error, created_at, updated_at FROM outbox WHERE status = 'parked' AND payload IS NOT NULL AND updated_at < ? ORDER BY id",
    )
    .all(parkedBefore) as ParkedRow[];
  let file: string | null = null;
  if (rows.length) {
    // The export is on disk (fsync'd) before anything is purged.
    makePrivateDir(exportsDir(ctx.dataDir));
    file = join(
      exportsDir(ctx.dataDir),
      `outbox-parked-purged-${ctx.kioskId}-${now.toISOString().replace(/[:.]/g, '-')}.json`,
    );
    const entries = rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
    writeFileAtomic(
      file,
      `${JSON.stringify({ kioskId: ctx.kioskId, exportedAt: now.toISOString(), reason: `parked over ${PARKED_RETENTION_DAYS} days`, entries }, null, 2)}\n`,
      0o600,
    );
    const note = `personal data purged after ${PARKED_RETENTION_DAYS} days (exports/${file.split('/').at(-1)})`;
    ctx.db.transaction(() => {
      for (const r of rows) {
        ctx.db
          .prepare('UPDATE outbox SET payload = NULL, last_error = ?, updated_at = ? WHERE id = ?')
          .run(`${r.last_error ?? ''} · ${note}`.slice(0, 1000), now.toISOString(), r.id);
        ctx.db
          .prepare(
            'UPDATE dossiers SET applicant_name = NULL, data_json = NULL, wiped_at = ? WHERE outbox_key = ? AND wiped_at IS NULL',
          )
          .run(now.toISOString(), r.key);
      }
    })();
    audit(ctx.db, ctx.clock, 'system', 'retention.parkedPurged', {
      count: rows.length,
      ids: rows.map((r) => r.id),
      file: file.split('/').at(-1),
    });
    ctx.log.warn({ count: rows.length, file }, 'parked entries past retention exported for the technician and purged');
  }

  const commentsBefore = new Date(now.getTime() - COMMENT_RETENTION_DAYS * DAY_MS).toISOString();
  const comments =
    ctx.db
      .prepare(
        "UPDATE ratings SET payload_json = json_remove(payload_json, '$.comment') WHERE created_at < ? AND json_extract(payload_json, '$.comment') IS NOT NULL",
      )
      .run(commentsBefore).changes +
    ctx.db
      .prepare(
        "UPDATE outbox SET payload = json_remove(payload, '$.comment') WHERE kind = ? AND status = 'done' AND created_at < ? AND payload IS NOT NULL AND json_extract(payload, '$.comment') IS NOT NULL",
      )
      .run(RATING_KIND, commentsBefore).changes;

  let exportsDeleted = 0;
  try {
    for (const name of readdirSync(exportsDir(ctx.dataDir))) {
      const path = join(exportsDir(ctx.dataDir), name);
      if (
        name.startsWith('outbox-parked-purged-') &&
        statSync(path).mtimeMs < now.getTime() - PARKED_RETENTION_DAYS * DAY_MS
      ) {
        rmSync(path);
        exportsDeleted++;
      }
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return { purged: rows.length, file, comments, exportsDeleted };
}

/** Applies retention now and every few hours while the kiosk runs; answers the stop function. */
export function startRetention(ctx: Parameters<typeof applyRetention>[0], everyMs = 6 * 3_600_000): () => void {
  const run = () => {
    try {
      applyRetention(ctx);
    } catch (err) {
      ctx.log.error({ err: (err as Error).message }, 'retention run failed; next run later');
    }
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
