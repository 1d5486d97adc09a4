import { randomUUID } from 'node:crypto';
import { RATING_KIND, RatingSubmission } from '../../protocol/ratings.ts';
import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';

/** Ratings are written with their outbox entry in one transaction and are never deleted here. */
export function ratingsHandlers(ctx: ApplianceContext): Pick<Handlers, 'ratings.submit'> {
  ctx.outbox.registerHandler(RATING_KIND, {
    onAccepted(db, entry) {
      db.prepare('UPDATE ratings SET synced_at = ? WHERE outbox_key = ?').run(ctx.clock.now().toISOString(), entry.key);
    },
    // A rating carries no personal data: keep it whole for audit.
    retain: (payload) => payload,
  });
  return {
    'ratings.submit': (input) => {
      const now = ctx.clock.now();
      const parsed = RatingSubmission.safeParse({
        ...input,
        reasons: input.overall === 'dissatisfied' ? input.reasons : [],
        ratingId: randomUUID(),
        kioskId: ctx.config.kioskId,
        createdAt: now.toISOString(),
      });
      if (!parsed.success) throw new KioskError('BAD_INPUT', parsed.error.issues[0]?.message ?? 'invalid rating');
      const r = parsed.data;
      ctx.db.transaction(() => {
        const { key } = ctx.outbox.enqueue(RATING_KIND, r, { now });
        ctx.db
          .prepare('INSERT INTO ratings (id, overall, payload_json, outbox_key, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(r.ratingId, r.overall, JSON.stringify(r), key, r.createdAt);
      })();
      return { ratingId: r.ratingId, queued: true as const };
    },
  };
}
