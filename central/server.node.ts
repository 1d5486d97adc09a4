import cookie from '@fastify/cookie';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { FsAttachmentStore, PARTIAL_KEEP_MS } from './attachments/store.node.ts';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { pino, type Logger } from 'pino';
import { ZodError } from 'zod';
import type { CentralErrorCode } from '../protocol/http.ts';
import type { BatchKindHandler, CentralContext, CentralRoute, Device } from './context.node.ts';
import { illFormedPath } from '../protocol/unicode.ts';
import { describeZod, HTML_CSP, HttpError, sha256 } from './http.node.ts';
import { LiveHub } from './live.node.ts';
import { notifyOptionsFromEnv, type NotifyOptions } from './notify/options.node.ts';
import { CentralMetrics, registerMetrics } from './metrics.node.ts';
import { authorizeOfficer, DEFAULT_IDLE_MS } from './officers.node.ts';
import { routes as defaultRoutes } from './routes/index.node.ts';
import { registerOfficeScope } from './scope.node.ts';
import { isStoreUnavailable, openCentralStore, type CentralStore } from './store/store.node.ts';

export const CENTRAL_VERSION = '0.1.0';

/** The Content-Security-Policy of central's HTML pages: no script, no framing, nothing fetched. */

export interface StartCentralOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** A SQLite file path (or `:memory:`) or a `postgres://` URL. */
  db: string;
  log?: Logger;
  /** Defaults to every domain's routes (central/routes/index.node.ts). */
  routes?: readonly CentralRoute[];
  now?: () => Date;
  /** The bank/PayGov hook's credential (≥ 16 characters); default: CENTRAL_PAYMENT_HOOK_TOKEN. */
  paymentHookToken?: string;
  /** Officer idle sign-out (default 15 min). */
  officerIdleMs?: number;
  /** Where the built counter and display apps are (default renderer/dist of this checkout). */
  webDir?: string;
  /** Notification providers and retries; default: from the environment (CENTRAL_ZALO_*, CENTRAL_SMS_*, CENTRAL_VAPID_*). */
  notify?: NotifyOptions;
  /**
   * Behind a load balancer (HAProxy): the proxies whose `X-Forwarded-For`/`-Proto` are believed
   * (addresses or CIDRs, e.g. `127.0.0.1`), so rate limits see the kiosk's address and cookies
   * know the request came over HTTPS. Default: none.
   */
  trustProxy?: string[];
  /** The bearer token for `/metrics` from another machine (≥ 16 characters); default: CENTRAL_METRICS_TOKEN. */
  metricsToken?: string;
  /** Also export the process's CPU, memory and event-loop metrics (the `central` program does). */
  processMetrics?: boolean;
  /**
   * Where attachments are kept (content-addressed files). Default: CENTRAL_ATTACHMENTS_DIR, else
   * `attachments/` beside a SQLite file, else a directory under the system's temporary folder.
   */
  attachmentsDir?: string;
  /** How often the background report roll-up looks for a newly closed day (default 60 s; tests less). */
  reportRollupCheckMs?: number;
}

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../renderer/dist', import.meta.url));

export interface RunningCentral {
  readonly url: string;
  readonly port: number;
  readonly store: CentralStore;
  readonly app: FastifyInstance;
  readonly ctx: CentralContext;
  /** Every route served, as registered (`/v1/offices/:officeId/config`). */
  readonly routes: ReadonlyArray<{ method: string; url: string }>;
  close(): Promise<void>;
}

interface DeviceRecord extends Device {
  revoked: boolean;
}

const statusCode: Record<number, CentralErrorCode> = {
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/** What a signed-in officer without the page's role sees (plain HTML, no script). */
function forbiddenPage(roles: readonly string[]): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Không có quyền / Not allowed</title><style>body{font:18px/1.4 system-ui,sans-serif;margin:1.5rem;color:#111}a{color:#0b4fb3}</style></head>
<body><main><h1>Tài khoản này không được xem trang này / This account may not open this page</h1>
<p>Trang này dành cho tài khoản có vai trò ${roles.join(' hoặc ')}. Vui lòng đăng xuất ở <a href="/counter">trang quầy</a> rồi đăng nhập bằng tài khoản quản lý.</p>
<p lang="en">This page needs the role ${roles.join(' or ')}. Sign out in the <a href="/counter">counter app</a> and sign in with a manager account.</p>
</main></body></html>
`;
}

/** Builds the HTTP app over an open store (no listening). */
export async function buildCentral(store: CentralStore, opts: Omit<StartCentralOptions, 'db' | 'host' | 'port'> = {}) {
  const log = opts.log ?? pino({ level: 'silent' });
  const kinds = new Map<string, BatchKindHandler>();
  const ctx: CentralContext = {
    store,
    log,
    version: CENTRAL_VERSION,
    now: opts.now ?? (() => new Date()),
    paymentHookToken: () => opts.paymentHookToken ?? process.env.CENTRAL_PAYMENT_HOOK_TOKEN ?? null,
    live: new LiveHub(),
    metrics: new CentralMetrics(store, { processMetrics: opts.processMetrics ?? false }),
    officerIdleMs: opts.officerIdleMs ?? DEFAULT_IDLE_MS,
    reportRollupCheckMs: opts.reportRollupCheckMs ?? 60_000,
    webDir: opts.webDir ?? DEFAULT_WEB_DIR,
    notify: { ...(opts.notify ?? notifyOptionsFromEnv()) },
    attachments: new FsAttachmentStore(
      opts.attachmentsDir ??
        process.env.CENTRAL_ATTACHMENTS_DIR ??
        join(tmpdir(), `onestop-central-attachments-${randomUUID()}`),
    ),
    registerBatchKind(kind, handler) {
      if (kinds.has(kind)) throw new Error(`batch kind ${kind} registered twice`);
      kinds.set(kind, handler as unknown as BatchKindHandler);
    },
    batchKind: (kind) => kinds.get(kind),
  };

  // The pino logger type is wider than fastify's base logger; routes only see FastifyInstance.
  const app = Fastify({
    loggerInstance: log,
    bodyLimit: 2 * 1024 * 1024,
    return503OnClosing: true,
    forceCloseConnections: true,
    ...(opts.trustProxy?.length ? { trustProxy: opts.trustProxy } : {}),
    // Every log line of a request carries its id: the caller's X-Request-ID (HAProxy sets one) when
    // it is a plain token, else a new UUID; answered back in X-Request-ID.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.:-]{8,100}$/.test(given) ? given : randomUUID();
    },
  }) as unknown as FastifyInstance;
  registerMetrics(app, ctx.metrics, () => opts.metricsToken ?? process.env.CENTRAL_METRICS_TOKEN ?? null);

  // Unfinished uploads a kiosk abandoned (it keeps the file and starts again): swept hourly.
  const sweepPartials = () =>
    ctx.attachments
      .sweepPartials(PARTIAL_KEEP_MS, ctx.now().getTime())
      .then((n) => n > 0 && log.info({ removed: n }, 'unfinished attachment uploads past their keep time removed'))
      .catch((err: unknown) => log.warn({ err: (err as Error).message }, 'attachment sweep failed; next hour'));
  void sweepPartials();
  const sweepTimer = setInterval(() => void sweepPartials(), 3_600_000);
  sweepTimer.unref();
  app.addHook('onClose', async () => clearInterval(sweepTimer));

  // Several instances on one PostgreSQL: pushed updates reach the screens on every instance.
  if (store.bus) {
    const stopRelay = await ctx.live.relay(store.bus, log);
    app.addHook('onClose', async () => stopRelay());
  }

  const lastSeen = new Map<string, number>();
  async function authenticate(header: string | undefined): Promise<Device> {
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) throw new HttpError(401, 'UNAUTHORIZED', 'missing or malformed Authorization: Bearer <device token>');
    const row = await store.get<{ id: string; office_id: string; name: string; revoked_at: string | null }>(
      'SELECT id, office_id, name, revoked_at FROM devices WHERE token_hash = ?',
      [sha256(m[1]!)],
    );
    if (!row) throw new HttpError(401, 'UNAUTHORIZED', 'unknown device credential');
    const device: DeviceRecord = {
      id: row.id,
      officeId: row.office_id,
      name: row.name,
      revoked: row.revoked_at !== null,
    };
    if (device.revoked) throw new HttpError(403, 'DEVICE_REVOKED', 'this device was revoked; enrol it again');
    // Last-seen is inventory, not audit: write it at most once a minute per device.
    const now = ctx.now().getTime();
    if ((lastSeen.get(device.id) ?? 0) < now - 60_000) {
      lastSeen.set(device.id, now);
      await store.run('UPDATE devices SET last_seen_at = ? WHERE id = ?', [new Date(now).toISOString(), device.id]);
    }
    return { id: device.id, officeId: device.officeId, name: device.name };
  }

  await app.register(cookie);

  // Default-deny: every route needs a device credential unless it says `config: { public: true }`;
  // officer routes (`config: { officer: { roles } }`) need an officer session instead.
  app.addHook('onRequest', async (req, reply) => {
    const config = req.routeOptions.config;
    if (config?.public) return;
    if (config?.officer) {
      try {
        req.officer = await authorizeOfficer(store, req, config.officer, ctx.now(), ctx.officerIdleMs);
      } catch (err) {
        // An officer page opened in a browser: no session → the counter app's sign-in, which
        // brings the browser back here; a session without the role → a page that says so.
        const page = config.officer.page;
        if (!page || !(err instanceof HttpError)) throw err;
        if (err.status === 401)
          return reply
            .code(303)
            .header('cache-control', 'no-store')
            .redirect(`/counter?next=${encodeURIComponent(page)}`);
        if (err.status === 403)
          return reply
            .code(403)
            .type('text/html; charset=utf-8')
            .header('cache-control', 'no-store')
            .send(forbiddenPage(config.officer.roles));
        throw err;
      }
      return;
    }
    req.device = await authenticate(req.headers.authorization);
  });
  // A device reads only its own office (central/scope.node.ts).
  registerOfficeScope(app);

  app.setErrorHandler((err: FastifyError | Error, req, reply) => {
    if (err instanceof HttpError) {
      return reply
        .code(err.status)
        .send({ error: { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } });
    }
    if (err instanceof ZodError)
      return reply.code(400).send({ error: { code: 'BAD_REQUEST', message: describeZod(err) } });
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: { code: statusCode[status] ?? 'BAD_REQUEST', message: err.message } });
    }
    if (isStoreUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({
          error: {
            code: 'UNAVAILABLE',
            message:
              'Cơ sở dữ liệu trung tâm tạm thời không phản hồi, vui lòng thử lại sau ít giây / Central’s database is not answering; try again in a few seconds',
          },
        });
    }
    req.log.error({ err }, 'central request failed');
    return reply.code(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.url.split('?')[0]}` } }),
  );

  // Every answer: no MIME sniffing, no framing, no referrer. Central's HTML pages (fleet, display)
  // are server-rendered without script: their CSP allows only their own inline style.
  app.addHook('onSend', async (_req, reply, payload) => {
    reply
      .header('x-request-id', _req.id)
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .header('referrer-policy', 'no-referrer');
    // The office web apps (counter, display) set their own policy, which allows their own scripts.
    if (
      String(reply.getHeader('content-type') ?? '').startsWith('text/html') &&
      !reply.hasHeader('content-security-policy')
    )
      reply.header('content-security-policy', HTML_CSP);
    return payload;
  });

  // Every string a caller sends is well-formed Unicode, checked once for every route.
  app.addHook('preValidation', async (req) => {
    for (const [part, value] of [
      ['body', req.body],
      ['query', req.query],
      ['params', req.params],
    ] as const) {
      const at = illFormedPath(value);
      if (at !== null)
        throw new HttpError(400, 'BAD_REQUEST', `${part}.${at}: not well-formed Unicode (lone surrogate)`);
    }
  });

  // Only JSON bodies: anything else is a 415, not a string handed to a JSON schema.
  app.removeContentTypeParser('text/plain');

  const served: Array<{ method: string; url: string }> = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') served.push({ method, url: r.url });
  });
  for (const r of opts.routes ?? defaultRoutes) await r.register(app, ctx);
  await app.ready();
  return { app, ctx, routes: served };
}

/** Opens the store (running migrations), registers every route and listens on loopback. */
export async function startCentral(opts: StartCentralOptions): Promise<RunningCentral> {
  const store = await openCentralStore(opts.db);
  try {
    const besideDb =
      !opts.db.startsWith('postgres') && opts.db !== ':memory:'
        ? join(dirname(resolve(opts.db)), 'attachments')
        : undefined;
    const { app, ctx, routes } = await buildCentral(store, {
      ...opts,
      attachmentsDir: opts.attachmentsDir ?? process.env.CENTRAL_ATTACHMENTS_DIR ?? besideDb,
    });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ host, port: opts.port ?? 0 });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
    let closed = false;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    // Links in messages (docs/phone.md) fall back to the address central listens on.
    (ctx.notify as { publicUrl?: string }).publicUrl ??= url;
    return {
      url,
      port,
      store,
      app,
      ctx,
      routes,
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
