import { EnrolRequest, type WhoAmIResponse } from '../../protocol/enrol.ts';
import { enrolDevice } from '../admin.node.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';
import { HttpError, parse } from '../http.node.ts';

/** Failed enrolment attempts allowed per client address per window before answering 429. */
export const ENROL_MAX_FAILURES = 10;
const WINDOW_MS = 60_000;

export const route: CentralRoute = {
  name: 'enrol',
  register(app, ctx) {
    // Codes are short enough to be typed: slow down anyone guessing them.
    const failures = new Map<string, { count: number; since: number }>();
    const limited = (ip: string, now: number) => {
      const f = failures.get(ip);
      if (!f || now - f.since > WINDOW_MS) return 0;
      return f.count >= ENROL_MAX_FAILURES ? Math.ceil((f.since + WINDOW_MS - now) / 1000) : 0;
    };

    // The one-time code is the credential of this call.
    app.post('/v1/enrol', { config: { public: true } }, async (req, reply) => {
      const now = ctx.now().getTime();
      const wait = limited(req.ip, now);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw new HttpError(429, 'RATE_LIMITED', `too many wrong enrolment codes; try again in ${wait} s`);
      }
      const body = parse(EnrolRequest, req.body);
      try {
        return await ctx.store.tx((q) =>
          enrolDevice(q, { code: body.code, kioskName: body.kioskName, version: body.version, now: ctx.now() }),
        );
      } catch (err) {
        if (err instanceof HttpError && err.code === 'ENROL_CODE_INVALID') {
          const f = failures.get(req.ip);
          if (!f || now - f.since > WINDOW_MS) failures.set(req.ip, { count: 1, since: now });
          else f.count++;
          if (failures.size > 10_000) failures.clear();
        }
        throw err;
      }
    });

    app.get('/v1/me', async (req): Promise<WhoAmIResponse> => {
      const device = deviceOf(req);
      const row = await ctx.store.get<{ enrolled_at: string }>('SELECT enrolled_at FROM devices WHERE id = ?', [
        device.id,
      ]);
      return { deviceId: device.id, officeId: device.officeId, name: device.name, enrolledAt: row?.enrolled_at ?? '' };
    });
  },
};
