import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Appliance } from '../appliance/appliance.node.ts';
import { contentSecurityPolicy } from './security.ts';

export interface WebHostOptions {
  appliance: Appliance;
  /** The built renderer (renderer/dist). */
  rendererDir: string;
  port: number;
  /** Only loopback: the web host is for a `chromium --kiosk` on the same machine. */
  host?: '127.0.0.1' | '::1';
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const CallBody = z.object({ input: z.unknown().optional() }).strict();
const CallName = z.string().regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/).max(64);

const sameToken = (given: unknown, token: string): boolean => {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
};

/**
 * Carries the kiosk API over HTTP (calls) and WebSocket (events) on loopback, and serves the
 * built renderer with a per-launch token in the page. Requests from another origin, for
 * another host name (DNS rebinding), or without the token are refused.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { appliance, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(32).toString('base64url');
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`renderer is not built: ${indexFile} is missing (run npm run build)`);
  const indexHtml = readFileSync(indexFile, 'utf8');

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1_048_576, forceCloseConnections: true });
  let origins = new Set<string>();
  let hosts = new Set<string>();

  const refuse = (req: FastifyRequest): { status: number; code: 'FORBIDDEN' | 'UNAUTHORIZED'; message: string } | null => {
    if (!hosts.has(String(req.headers.host ?? ''))) return { status: 403, code: 'FORBIDDEN', message: 'wrong host' };
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin)) return { status: 403, code: 'FORBIDDEN', message: 'cross-origin request refused' };
    return null;
  };

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Permissions-Policy', 'camera=(self), microphone=(), geolocation=(), usb=(), serial=()');
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const sendIndex = (_req: FastifyRequest, reply: import('fastify').FastifyReply) =>
    reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header('Content-Security-Policy', contentSecurityPolicy([`ws://${host === '::1' ? '[::1]' : host}:${boundPort}`, `ws://localhost:${boundPort}`]))
      .send(indexHtml.replace('</head>', `<meta name="kiosk-token" content="${token}"></head>`));

  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  await app.register(fastifyStatic, { root: rendererDir, index: false, wildcard: true, cacheControl: true, maxAge: '1h' });

  app.post('/api/call/:name', async (req, reply) => {
    const refusal = refuse(req);
    if (refusal) return reply.code(refusal.status).send({ ok: false, error: { code: refusal.code, message: refusal.message } });
    if (!sameToken(req.headers['x-kiosk-token'], token)) return reply.code(401).send({ ok: false, error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } });
    const name = CallName.safeParse((req.params as { name?: unknown }).name);
    const body = CallBody.safeParse(req.body ?? {});
    if (!name.success) return reply.code(404).send({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'unknown call' } });
    if (!body.success) return reply.code(400).send({ ok: false, error: { code: 'BAD_INPUT', message: 'body must be {"input": ...}' } });
    return reply.send(await appliance.dispatch(name.data, body.data.input, { carrier: 'web' }));
  });

  app.get('/api/events', { websocket: true }, (socket, req) => {
    const refusal = refuse(req);
    const given = new URL(req.url, 'http://x').searchParams.get('token');
    if (refusal || req.headers.origin === undefined || !sameToken(given, token)) {
      socket.close(1008, refusal?.message ?? 'unauthorized');
      return;
    }
    const unsubscribe = appliance.events.subscribe((event, payload) => {
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', unsubscribe);
    socket.on('message', () => socket.close(1003, 'events are one-way'));
  });

  // WebSocket upgrades without the token never reach the route handler as an open socket.
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) return reply.code(404).send({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'not found' } });
    return sendIndex(req, reply);
  });

  let boundPort = options.port;
  await app.listen({ host, port: options.port });
  const address = app.server.address();
  boundPort = typeof address === 'object' && address ? address.port : options.port;
  const display = host === '::1' ? `[::1]` : host;
  origins = new Set([`http://${display}:${boundPort}`, `http://localhost:${boundPort}`]);
  hosts = new Set([`${display}:${boundPort}`, `localhost:${boundPort}`]);

  return {
    url: `http://${display}:${boundPort}/`,
    port: boundPort,
    token,
    close: () => app.close(),
  };
}
