import type { HealthResponse } from '../../protocol/http.ts';
import type { CentralRoute } from '../context.node.ts';

/** How long the readiness check waits for the database before answering 503. */
const READY_DB_TIMEOUT_MS = 2_000;

export const route: CentralRoute = {
  name: 'health',
  register(app, ctx) {
    // What kiosks probe when they are offline (kiosk/sync/engine.node.ts): central answers.
    app.get('/health', { config: { public: true } }, async (): Promise<HealthResponse> => ({
      ok: true,
      service: 'onestop-central',
      version: ctx.version,
      time: ctx.now().toISOString(),
      storage: ctx.store.dialect,
    }));

    // Liveness (systemd, a supervisor): the process answers. Never touches the database, so a
    // database outage does not get every instance restarted.
    app.get('/health/live', { config: { public: true } }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      return { ok: true };
    });

    // Readiness (the load balancer's health check): this instance can serve, i.e. its database
    // answers. 503 takes it out of rotation until the database is back.
    app.get('/health/ready', { config: { public: true } }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          ctx.store.get('SELECT 1 AS one'),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error('database did not answer in time')), READY_DB_TIMEOUT_MS);
          }),
        ]);
        return { ok: true, storage: ctx.store.dialect };
      } catch (err) {
        return reply.code(503).send({
          error: { code: 'UNAVAILABLE', message: `database not reachable: ${(err as Error).message}` },
        });
      } finally {
        clearTimeout(timer);
      }
    });
  },
};
