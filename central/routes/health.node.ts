import type { HealthResponse } from '../../protocol/http.ts';
import type { CentralRoute } from '../context.node.ts';

export const route: CentralRoute = {
  name: 'health',
  register(app, ctx) {
    app.get('/health', { config: { public: true } }, async (): Promise<HealthResponse> => ({
      ok: true,
      service: 'onestop-central',
      version: ctx.version,
      time: ctx.now().toISOString(),
      storage: ctx.store.dialect,
    }));
  },
};
