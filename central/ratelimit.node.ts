import type { Sql } from './store/store.node.ts';

/**
 * Rate limits shared by every central instance on one database (`central_rate_limits`): a fixed
 * window per bucket. `hit` counts one event with a single atomic upsert (a window that has run
 * out starts again at 1), so parallel requests on several instances are all counted.
 */
export async function hitRateLimit(q: Sql, bucket: string, now: Date, windowMs: number): Promise<number> {
  const at = now.toISOString();
  const expired = new Date(now.getTime() - windowMs).toISOString();
  const row = await q.get<{ hits: number }>(
    `INSERT INTO central_rate_limits (bucket, hits, window_start) VALUES (?, 1, ?)
     ON CONFLICT (bucket) DO UPDATE SET
       hits = CASE WHEN central_rate_limits.window_start <= ? THEN 1 ELSE central_rate_limits.hits + 1 END,
       window_start = CASE WHEN central_rate_limits.window_start <= ? THEN excluded.window_start ELSE central_rate_limits.window_start END
     RETURNING hits`,
    [bucket, at, expired, expired],
  );
  return Number(row?.hits ?? 0);
}

/** Seconds until `bucket` may be used again when it has `max` hits in its window; 0: go ahead. */
export async function rateLimitWait(q: Sql, bucket: string, max: number, now: Date, windowMs: number): Promise<number> {
  const row = await q.get<{ hits: number; window_start: string }>(
    'SELECT hits, window_start FROM central_rate_limits WHERE bucket = ?',
    [bucket],
  );
  if (!row) return 0;
  const ends = Date.parse(row.window_start) + windowMs;
  if (ends <= now.getTime() || Number(row.hits) < max) return 0;
  return Math.max(1, Math.ceil((ends - now.getTime()) / 1000));
}

/** Forgets windows that ended long ago (called now and then; the table stays small). */
export async function purgeRateLimits(q: Sql, now: Date, olderThanMs = 3_600_000): Promise<void> {
  await q.run('DELETE FROM central_rate_limits WHERE window_start < ?', [
    new Date(now.getTime() - olderThanMs).toISOString(),
  ]);
}
