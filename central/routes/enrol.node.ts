import { EnrolRequest, type WhoAmIResponse } from '../../protocol/enrol.ts';
import { enrolDevice } from '../admin.node.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';
import { parse } from '../http.node.ts';

export const route: CentralRoute = {
  name: 'enrol',
  register(app, ctx) {
    // The one-time code is the credential of this call.
    app.post('/v1/enrol', { config: { public: true } }, async (req) => {
      const body = parse(EnrolRequest, req.body);
      return ctx.store.tx((q) => enrolDevice(q, { code: body.code, kioskName: body.kioskName, version: body.version, now: ctx.now() }));
    });

    app.get('/v1/me', async (req): Promise<WhoAmIResponse> => {
      const device = deviceOf(req);
      const row = await ctx.store.get<{ enrolled_at: string }>('SELECT enrolled_at FROM devices WHERE id = ?', [device.id]);
      return { deviceId: device.id, officeId: device.officeId, name: device.name, enrolledAt: row?.enrolled_at ?? '' };
    });
  },
};
