import { EnrolRequest, type WhoAmIResponse } from '../../protocol/enrol.ts';
import { enrolDevice } from '../admin.node.ts';
import { deviceOf, type CentralRoute } from '../context.node.ts';
import { HttpError, parse } from '../http.node.ts';
import { hitRateLimit, purgeRateLimits, rateLimitWait } from '../ratelimit.node.ts';

/** Failed enrolment attempts allowed per client address per window before answering 429. */
export const ENROL_MAX_FAILURES = 10;
const WINDOW_MS = 60_000;

export const route: CentralRoute = {
  name: 'enrol',
  register(app, ctx) {
    // Codes are short enough to be typed: slow down anyone guessing them. Counted in the
    // database, so a guesser spread over several central instances is counted once.
    const bucket = (ip: string) => `enrol:${ip}`;

    // The one-time code is the credential of this call.
    app.post('/v1/enrol', { config: { public: true } }, async (req, reply) => {
      const now = ctx.now();
      const wait = await rateLimitWait(ctx.store, bucket(req.ip), ENROL_MAX_FAILURES, now, WINDOW_MS);
      if (wait > 0) {
        reply.header('Retry-After', String(wait));
        throw new HttpError(429, 'RATE_LIMITED', `too many wrong enrolment codes; try again in ${wait} s`);
      }
      // Wrong codes are counted (a right one, a kiosk enrolling, is not a guess), in the database.
      const body = parse(EnrolRequest, req.body);
      try {
        return await ctx.store.tx((q) =>
          enrolDevice(q, { code: body.code, kioskName: body.kioskName, version: body.version, now: ctx.now() }),
        );
      } catch (err) {
        if (err instanceof HttpError && err.code === 'ENROL_CODE_INVALID') {
          await hitRateLimit(ctx.store, bucket(req.ip), now, WINDOW_MS);
          if (Math.random() < 0.01) await purgeRateLimits(ctx.store, now);
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
