import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { safeEqual } from './http.node.ts';
import type { CentralStore } from './store/store.node.ts';

/**
 * Central's Prometheus metrics (prom-client), one registry per instance: request latency by
 * route, batch sizes, tickets issued and called, the outbox lag kiosks report in heartbeats, and
 * the database pool's use. Served at `/metrics` to loopback callers or with the bearer token
 * CENTRAL_METRICS_TOKEN (a Prometheus on another machine).
 */
export class CentralMetrics {
  readonly registry = new Registry();
  readonly requestSeconds = new Histogram({
    name: 'central_http_request_duration_seconds',
    help: 'HTTP request latency by route (the registered path, not the URL)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly batchItems = new Histogram({
    name: 'central_batch_items',
    help: 'Items per outbox batch received from kiosks',
    buckets: [1, 5, 10, 25, 50, 100, 250, 500],
    registers: [this.registry],
  });
  readonly ticketsIssued = new Counter({
    name: 'central_tickets_issued_total',
    help: 'Tickets numbered by central (online) or merged from kiosks that numbered them offline',
    labelNames: ['origin'] as const,
    registers: [this.registry],
  });
  readonly ticketsCalled = new Counter({
    name: 'central_tickets_called_total',
    help: 'Tickets called to a counter (calls and recalls)',
    registers: [this.registry],
  });
  readonly outboxLag = new Histogram({
    name: 'central_kiosk_outbox_lag_seconds',
    help: 'Age of the oldest entry a kiosk has not yet had acknowledged, as reported in its heartbeats',
    buckets: [0, 1, 10, 60, 300, 900, 3600, 6 * 3600, 24 * 3600],
    registers: [this.registry],
  });
  readonly outboxPending = new Histogram({
    name: 'central_kiosk_outbox_pending',
    help: 'Entries waiting in a kiosk outbox, as reported in its heartbeats',
    buckets: [0, 1, 10, 100, 1000, 10000],
    registers: [this.registry],
  });

  /** `processMetrics`: also the process's own (CPU, memory, event loop lag): once per process, in `central` itself. */
  constructor(store: CentralStore, { processMetrics = false }: { processMetrics?: boolean } = {}) {
    if (processMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'central_' });
    const pool = (key: 'total' | 'idle' | 'waiting') => () => store.poolStats?.()[key] ?? 0;
    for (const [key, help] of [
      ['total', 'Database connections open'],
      ['idle', 'Database connections idle'],
      ['waiting', 'Queries waiting for a database connection'],
    ] as const) {
      const read = pool(key);
      new Gauge({
        name: `central_db_pool_${key}`,
        help,
        registers: [this.registry],
        collect() {
          this.set(read());
        },
      });
    }
  }
}

const isLoopback = (address: string | undefined) =>
  !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));

/** Times every request by its route; serves `/metrics` (loopback, or `Authorization: Bearer <token>`). */
export function registerMetrics(app: FastifyInstance, metrics: CentralMetrics, token: () => string | null): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    metrics.requestSeconds.observe(
      { method: req.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  const allowed = (req: FastifyRequest) => {
    // Loopback only when no proxy forwarded it: behind HAProxy the socket is loopback for everyone.
    if (isLoopback(req.socket.remoteAddress) && !req.headers['x-forwarded-for']) return true;
    const expected = token();
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    return !!expected && expected.length >= 16 && !!m && safeEqual(m[1]!, expected);
  };

  app.get('/metrics', { config: { public: true } }, async (req, reply) => {
    if (!allowed(req))
      return reply.code(403).send({
        error: { code: 'FORBIDDEN', message: 'metrics: from this machine, or with the metrics bearer token' },
      });
    reply.header('cache-control', 'no-store').type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
