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

/**
 * Takes a slot in `bucket` before the attempt is looked at: answers 0 when it is within `max`
 * for the window, else the seconds until the window ends. Taking first means parallel attempts
 * (on any instance) cannot get past the limit; `giveBack` returns the slot of one that turned out
 * well (a right enrolment code is not a guess).
 */
export async function takeRateLimitSlot(
  q: Sql,
  bucket: string,
  max: number,
  now: Date,
  windowMs: number,
): Promise<number> {
  const hits = await hitRateLimit(q, bucket, now, windowMs);
  if (hits <= max) return 0;
  const row = await q.get<{ window_start: string }>('SELECT window_start FROM central_rate_limits WHERE bucket = ?', [
    bucket,
  ]);
  const ends = Date.parse(row?.window_start ?? now.toISOString()) + windowMs;
  return Math.max(1, Math.ceil((ends - now.getTime()) / 1000));
}

export async function giveBackRateLimitSlot(q: Sql, bucket: string): Promise<void> {
  await q.run('UPDATE central_rate_limits SET hits = hits - 1 WHERE bucket = ? AND hits > 0', [bucket]);
}

/** Forgets windows that ended long ago (called now and then; the table stays small). */
export async function purgeRateLimits(q: Sql, now: Date, olderThanMs = 3_600_000): Promise<void> {
  await q.run('DELETE FROM central_rate_limits WHERE window_start < ?', [
    new Date(now.getTime() - olderThanMs).toISOString(),
  ]);
}
