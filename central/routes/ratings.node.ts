import { RATING_KIND, RatingSubmission, type Overall, type RatingSummary } from '../../protocol/ratings.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';
import type { Sql } from '../store/store.node.ts';

/** Free-text rating comments are kept this long, then dropped (the rating itself stays): docs/central.md. */
export const RATING_COMMENT_RETENTION_DAYS = 90;

/** Drops comments of ratings received more than RATING_COMMENT_RETENTION_DAYS ago; answers how many. */
export async function purgeOldRatingComments(q: Sql, now: Date): Promise<number> {
  const before = new Date(now.getTime() - RATING_COMMENT_RETENTION_DAYS * 86_400_000).toISOString();
  return (await q.run('UPDATE ratings SET comment = NULL WHERE comment IS NOT NULL AND received_at < ?', [before]))
    .changes;
}

export const route: CentralRoute = {
  name: 'ratings',
  register(app, ctx) {
    const purge = () =>
      purgeOldRatingComments(ctx.store, ctx.now()).catch((err: unknown) =>
        ctx.log.error({ err }, 'rating comment retention failed; next run later'),
      );
    app.addHook('onReady', async () => void (await purge()));
    const timer = setInterval(() => void purge(), 6 * 3_600_000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));

    ctx.registerBatchKind(RATING_KIND, {
      payload: RatingSubmission,
      async accept(q, item, device) {
        const r = item.payload;
        await q.run(
          `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [
            r.ratingId,
            device.officeId,
            device.id,
            r.kioskId,
            r.overall,
            JSON.stringify(r.criteria),
            JSON.stringify(r.reasons),
            r.comment ?? null,
            r.dossierCode ?? null,
            r.ticketId ?? null,
            r.context,
            r.createdAt,
            ctx.now().toISOString(),
          ],
        );
        return { ratingId: r.ratingId };
      },
    });

    app.get('/v1/ratings/summary', async (req): Promise<RatingSummary> => {
      const device = deviceOf(req);
      const rows = await ctx.store.all<{ overall: Overall; n: number }>(
        'SELECT overall, COUNT(*) AS n FROM ratings WHERE office_id = ? GROUP BY overall',
        [device.officeId],
      );
      const byOverall: Record<Overall, number> = { very_satisfied: 0, satisfied: 0, dissatisfied: 0 };
      for (const r of rows) byOverall[r.overall] = Number(r.n);
      return { officeId: device.officeId, total: rows.reduce((s, r) => s + Number(r.n), 0), byOverall };
    });
  },
};
