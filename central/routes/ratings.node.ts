import { RATING_KIND, RatingSubmission, type Overall, type RatingSummary } from '../../protocol/ratings.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';

export const route: CentralRoute = {
  name: 'ratings',
  register(app, ctx) {
    ctx.registerBatchKind(RATING_KIND, {
      payload: RatingSubmission,
      async accept(q, item, device) {
        const r = item.payload;
        await q.run(
          `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [r.ratingId, device.officeId, device.id, r.kioskId, r.overall, JSON.stringify(r.criteria), JSON.stringify(r.reasons), r.comment ?? null,
            r.dossierCode ?? null, r.ticketId ?? null, r.context, r.createdAt, ctx.now().toISOString()],
        );
        return { ratingId: r.ratingId };
      },
    });

    app.get('/v1/ratings/summary', async (req): Promise<RatingSummary> => {
      const device = deviceOf(req);
      const rows = await ctx.store.all<{ overall: Overall; n: number }>('SELECT overall, COUNT(*) AS n FROM ratings WHERE office_id = ? GROUP BY overall', [device.officeId]);
      const byOverall: Record<Overall, number> = { very_satisfied: 0, satisfied: 0, dissatisfied: 0 };
      for (const r of rows) byOverall[r.overall] = Number(r.n);
      return { officeId: device.officeId, total: rows.reduce((s, r) => s + Number(r.n), 0), byOverall };
    });
  },
};
