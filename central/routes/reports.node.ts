import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ReportPeriod, LocalDay, type Report, type ReportScope } from '../../protocol/reports.ts';
import { localDay } from '../../protocol/tickets.ts';
import { officerOf, type CentralContext, type CentralRoute } from '../context.node.ts';
import { APP_CSP, HttpError, parse } from '../http.node.ts';
import { startBackgroundRollup } from '../report-rollup.node.ts';
import { buildReport } from '../reports.node.ts';
import { reportSheets, toCsv, toXlsx } from '../reports-export.node.ts';

/**
 * Manager reports (issue 14). Access is the officer rule of server.node.ts, set per route:
 * - `/reports` (the page) and `/v1/reports…`: role `manager`, the officer's own office only;
 * - `/v1/province/reports…`: role `province` — every office of the officer's province. A
 *   separate role because an office's manager must not read its neighbours' figures; the
 *   province's one-stop supervisor (Sở Nội vụ / Trung tâm Phục vụ hành chính công) does.
 * No route takes an office id: the office comes from the session, so there is nothing to forge.
 */
const MANAGER = { officer: { roles: ['manager'] as const } };
const PROVINCE = { officer: { roles: ['province'] as const } };

const Query = z
  .object({
    period: ReportPeriod.default('day'),
    date: LocalDay.optional(),
    lang: z.enum(['vi', 'en']).default('vi'),
  })
  .strict();

export const route: CentralRoute = {
  name: 'reports',
  register(app, ctx: CentralContext) {
    // Yesterday's roll-up in the background (at start-up, then shortly after each midnight), so
    // the first report of the day does not pay for it (central/report-rollup.node.ts).
    let rollup: { stop(): Promise<void> } | null = null;
    app.addHook('onReady', async () => {
      rollup = startBackgroundRollup(ctx.store, ctx.log, () => ctx.now(), ctx.reportRollupCheckMs);
    });
    app.addHook('onClose', async () => {
      await rollup?.stop();
    });
    const report = (req: FastifyRequest, scope: ReportScope): Promise<Report> => {
      const q = parse(Query, req.query, 'query');
      const now = ctx.now();
      return buildReport(ctx.store, {
        officeId: officerOf(req).officer.officeId,
        scope,
        period: q.period,
        date: q.date ?? localDay(now),
        now,
      });
    };
    const fileName = (r: Report, ext: string) =>
      `bao-cao-${r.scope === 'province' ? 'tinh' : r.offices[0]!.id}-${r.period}-${r.from}.${ext}`;
    const csv = (scope: ReportScope) => async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await report(req, scope);
      const { lang } = parse(Query, req.query, 'query');
      return reply
        .type('text/csv; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${fileName(r, 'csv')}"`)
        .send(toCsv(reportSheets(r, lang)));
    };
    const xlsx = (scope: ReportScope) => async (req: FastifyRequest, reply: FastifyReply) => {
      const r = await report(req, scope);
      const { lang } = parse(Query, req.query, 'query');
      return reply
        .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${fileName(r, 'xlsx')}"`)
        .send(await toXlsx(reportSheets(r, lang), r.title));
    };

    app.get('/v1/reports', { config: MANAGER }, (req) => report(req, 'office'));
    app.get('/v1/reports/export.csv', { config: MANAGER }, csv('office'));
    app.get('/v1/reports/export.xlsx', { config: MANAGER }, xlsx('office'));
    app.get('/v1/province/reports', { config: PROVINCE }, (req) => report(req, 'province'));
    app.get('/v1/province/reports/export.csv', { config: PROVINCE }, csv('province'));
    app.get('/v1/province/reports/export.xlsx', { config: PROVINCE }, xlsx('province'));

    // The page (React, renderer/reports.html): a browser without a session goes to sign-in and back.
    app.get(
      '/reports',
      { config: { officer: { roles: ['manager', 'province'], page: '/reports' } } },
      async (_req, reply) => {
        const file = join(ctx.webDir, 'reports.html');
        if (!existsSync(file)) throw new HttpError(404, 'NOT_FOUND', 'the reports app is not built (npm run build)');
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('content-security-policy', APP_CSP)
          .send(readFileSync(file, 'utf8'));
      },
    );
  },
};
