import fastifyStatic from '@fastify/static';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CentralRoute } from '../context.node.ts';
import { APP_CSP, HttpError } from '../http.node.ts';

/**
 * The counter application (React, built by Vite from renderer/counter.html) served by central
 * at `/counter`, with the bundle's files under `/assets/`. Public files: the data behind them
 * needs an officer session (central/routes/counter.node.ts).
 */
export const route: CentralRoute = {
  name: 'office-app',
  async register(app, ctx) {
    const assets = join(ctx.webDir, 'assets');
    // `serve: false`: our own route, so it can say `public` (the default-deny hook reads it).
    await app.register(fastifyStatic, { root: assets, serve: false });
    app.get('/assets/*', { config: { public: true } }, async (req, reply) => {
      const name = (req.params as { '*': string })['*'];
      if (!/^[\w.-]+$/.test(name) || !existsSync(join(assets, name)))
        throw new HttpError(404, 'NOT_FOUND', `no asset ${name}`);
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(name, assets);
    });
    const page = async (_req: unknown, reply: import('fastify').FastifyReply) => {
      const file = join(ctx.webDir, 'counter.html');
      if (!existsSync(file)) throw new HttpError(404, 'NOT_FOUND', 'the counter app is not built (npm run build)');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', APP_CSP)
        .send(readFileSync(file, 'utf8'));
    };
    app.get('/counter', { config: { public: true } }, page);
  },
};
