import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Appliance } from '../appliance/appliance.node.ts';
import { LAUNCH_PARAM, LaunchCodes, launchSecret, launchUrl } from './launch.node.ts';
import { writeFileAtomic } from '../store/atomic-file.node.ts';
import { contentSecurityPolicy } from './security.ts';

export interface WebHostOptions {
  appliance: Appliance;
  /** The built renderer (renderer/dist). */
  rendererDir: string;
  port: number;
  /** Only loopback: the web host is for a `chromium --kiosk` on the same machine. */
  host?: '127.0.0.1' | '::1';
  /** Mints the one-time launch codes (kiosk/host/launch.node.ts); default: KIOSK_HOST_LAUNCH_SECRET or a new one. */
  launchSecret?: string;
  /** Where to keep the launch secret (0600) for a launcher in another process (`kioskctl launch-url`). */
  launchSecretFile?: string;
}

export interface WebHost {
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** A new one-time address that opens the kiosk page in one browser (the launcher's). */
  launchUrl(): string;
  close(): Promise<void>;
}

/** The page's cookie after a launch: HttpOnly, so the page's own scripts cannot leak it either. */
const SESSION_COOKIE = 'kiosk_session';

const cookieOf = (header: string | undefined, name: string): string | null => {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
};

/** What a browser that was not launched by the kiosk gets instead of the page (no token). */
const NOT_LAUNCHED = `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Kiosk</title></head><body>
<p>Trang kiosk chỉ mở được từ trình khởi động của kiosk (địa chỉ dùng một lần do <code>npm start</code> in ra, hoặc <code>npm start -- --open</code>).</p>
<p lang="en">The kiosk page opens only from the kiosk's launcher (the one-time address <code>npm start</code> printed, or <code>npm start -- --open</code>).</p>
</body></html>`;

/** Events carrying personal data (a CCCD's fields): only the newest page connection receives them. */
const PRIVATE_EVENTS: ReadonlySet<string> = new Set(['scan.received']);

const CallBody = z.object({ input: z.unknown().optional() }).strict();
const CallName = z
  .string()
  .regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/)
  .max(64);

const sameToken = (given: unknown, token: string): boolean => {
  if (typeof given !== 'string' || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
};

/**
 * Carries the kiosk API over HTTP (calls) and WebSocket (events) on loopback, and serves the
 * built renderer with a per-launch token in the page — only to the browser the launcher opened
 * with a one-time launch code (then by its HttpOnly session cookie, so reloads work). Requests
 * from another origin, for another host name (DNS rebinding), or without the token are
 * refused; ID-card scans go only to the page on screen. Threat model: docs/shell.md.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { appliance, rendererDir } = options;
  const host = options.host ?? '127.0.0.1';
  const token = randomBytes(32).toString('base64url');
  const session = randomBytes(32).toString('base64url');
  const secret = options.launchSecret ?? launchSecret();
  const codes = new LaunchCodes(secret);
  if (options.launchSecretFile) writeFileAtomic(options.launchSecretFile, `${secret}\n`, 0o600);
  const indexFile = join(rendererDir, 'index.html');
  if (!existsSync(indexFile)) throw new Error(`renderer is not built: ${indexFile} is missing (run npm run build)`);
  const indexHtml = readFileSync(indexFile, 'utf8');

  const app: FastifyInstance = Fastify({ logger: false, bodyLimit: 1_048_576, forceCloseConnections: true });
  let origins = new Set<string>();
  let hosts = new Set<string>();

  const refuse = (
    req: FastifyRequest,
  ): { status: number; code: 'FORBIDDEN' | 'UNAUTHORIZED'; message: string } | null => {
    if (!hosts.has(String(req.headers.host ?? ''))) return { status: 403, code: 'FORBIDDEN', message: 'wrong host' };
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin))
      return { status: 403, code: 'FORBIDDEN', message: 'cross-origin request refused' };
    return null;
  };

  // The page, its files and the API answer only for our own host names (DNS rebinding).
  app.addHook('onRequest', async (req, reply) => {
    if (!hosts.has(String(req.headers.host ?? '')))
      return reply.code(403).type('text/plain; charset=utf-8').send('wrong host');
  });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('Permissions-Policy', 'camera=(self), microphone=(), geolocation=(), usb=(), serial=()');
    return payload;
  });

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const sendIndex = (req: FastifyRequest, reply: import('fastify').FastifyReply) => {
    // A launch code opens the page once: it becomes the session cookie and leaves the address bar.
    const code = (req.query as Record<string, unknown> | undefined)?.[LAUNCH_PARAM];
    if (code !== undefined) {
      if (!codes.spend(code))
        return reply
          .code(403)
          .header('Content-Type', 'text/html; charset=utf-8')
          .header('Cache-Control', 'no-store')
          .send(NOT_LAUNCHED);
      return reply
        .header('Set-Cookie', `${SESSION_COOKIE}=${session}; HttpOnly; SameSite=Strict; Path=/`)
        .header('Cache-Control', 'no-store')
        .redirect(req.url.split('?')[0] ?? '/', 303);
    }
    if (!sameToken(cookieOf(req.headers.cookie, SESSION_COOKIE), session))
      return reply
        .code(403)
        .header('Content-Type', 'text/html; charset=utf-8')
        .header('Cache-Control', 'no-store')
        .send(NOT_LAUNCHED);
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Cache-Control', 'no-store')
      .header(
        'Content-Security-Policy',
        contentSecurityPolicy([`ws://${host === '::1' ? '[::1]' : host}:${boundPort}`, `ws://localhost:${boundPort}`]),
      )
      .send(indexHtml.replace('</head>', `<meta name="kiosk-token" content="${token}"></head>`));
  };

  app.get('/', sendIndex);
  app.get('/index.html', sendIndex);
  await app.register(fastifyStatic, {
    root: rendererDir,
    index: false,
    wildcard: true,
    cacheControl: true,
    maxAge: '1h',
  });

  app.post('/api/call/:name', async (req, reply) => {
    const refusal = refuse(req);
    if (refusal)
      return reply.code(refusal.status).send({ ok: false, error: { code: refusal.code, message: refusal.message } });
    if (!sameToken(req.headers['x-kiosk-token'], token))
      return reply.code(401).send({ ok: false, error: { code: 'UNAUTHORIZED', message: 'missing or wrong token' } });
    const name = CallName.safeParse((req.params as { name?: unknown }).name);
    const body = CallBody.safeParse(req.body ?? {});
    if (!name.success)
      return reply.code(404).send({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'unknown call' } });
    if (!body.success)
      return reply.code(400).send({ ok: false, error: { code: 'BAD_INPUT', message: 'body must be {"input": ...}' } });
    return reply.send(await appliance.dispatch(name.data, body.data.input, { carrier: 'web' }));
  });

  /** Open event connections, oldest first: the newest is the page on screen. */
  const pages: import('ws').WebSocket[] = [];
  app.get('/api/events', { websocket: true }, (socket, req) => {
    const refusal = refuse(req);
    const given = new URL(req.url, 'http://x').searchParams.get('token');
    if (refusal || req.headers.origin === undefined || !sameToken(given, token)) {
      socket.close(1008, refusal?.message ?? 'unauthorized');
      return;
    }
    pages.push(socket);
    const unsubscribe = appliance.events.subscribe((event, payload) => {
      if (PRIVATE_EVENTS.has(event) && pages.at(-1) !== socket) return;
      if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', () => {
      unsubscribe();
      pages.splice(pages.indexOf(socket), 1);
    });
    socket.on('message', () => socket.close(1003, 'events are one-way'));
  });

  // WebSocket upgrades without the token never reach the route handler as an open socket.
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/'))
      return reply.code(404).send({ ok: false, error: { code: 'UNKNOWN_CALL', message: 'not found' } });
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
    launchUrl: () => launchUrl(`http://${display}:${boundPort}/`, secret),
    close: () => app.close(),
  };
}
