import { z } from 'zod';
import { OfficeId } from '../../protocol/http.ts';
import type { OfficeListResponse } from '../../protocol/office.ts';
import { getOfficeConfig } from '../admin.node.ts';
import type { CentralRoute } from '../context.node.ts';
import { HttpError, parse, sendWithEtag } from '../http.node.ts';

export const route: CentralRoute = {
  name: 'offices',
  register(app, ctx) {
    // Public: the setup wizard lists offices before the kiosk has a credential.
    app.get('/v1/offices', { config: { public: true } }, async (): Promise<OfficeListResponse> => {
      const rows = await ctx.store.all<{ id: string; name: string; address: string; province: string }>(
        'SELECT id, name, address, province FROM offices ORDER BY name',
      );
      return { offices: rows.map((r) => ({ id: r.id, name: r.name, address: r.address, province: r.province })) };
    });

    app.get('/v1/offices/:officeId/config', async (req, reply) => {
      const { officeId } = parse(z.object({ officeId: OfficeId }), req.params, 'path');
      const found = await getOfficeConfig(ctx.store, officeId);
      if (!found) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
      return sendWithEtag(req, reply, found.etag, found.json);
    });
  },
};
