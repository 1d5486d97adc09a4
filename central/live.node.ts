import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DisplayCall } from '../protocol/counter.ts';
import type { StoreBus } from './store/sql.ts';

/**
 * Pushed updates inside one central process: something changed in an office's queue (a ticket
 * issued, merged from an offline kiosk, called, finished), or a number was called. Counter
 * screens and waiting-room displays hold a Server-Sent Events stream per office and re-read
 * their state on each event. Several central instances on one PostgreSQL relay them through
 * LISTEN/NOTIFY (`relay`): an event published on one instance reaches the screens connected to
 * every other. On SQLite (one process) the hub stays in-process.
 */
export type OfficeEvent = { type: 'changed' } | { type: 'call'; callId: string; call: DisplayCall };

/** What travels between instances: the event, its office and which instance published it. */
const Relayed = z.object({
  origin: z.string(),
  officeId: z.string(),
  event: z.union([
    z.object({ type: z.literal('changed') }),
    z.object({ type: z.literal('call'), callId: z.string(), call: DisplayCall }),
  ]),
});

/** NOTIFY payloads must stay under 8,000 bytes; a larger event travels as a plain `changed`. */
const MAX_PAYLOAD = 7_900;

const ALL = Symbol('every office');

export class LiveHub {
  private readonly emitter = new EventEmitter();
  private readonly versions = new Map<string, number>();
  private readonly origin = randomUUID();
  private bus: StoreBus | null = null;
  private sending: Promise<unknown> = Promise.resolve();
  private log: Logger | null = null;
  constructor() {
    // One listener per open screen: many displays and counters are expected.
    this.emitter.setMaxListeners(0);
  }
  /** Told locally at once, and to the other instances when relayed (in publish order). */
  publish(officeId: string, event: OfficeEvent): void {
    this.deliver(officeId, event);
    const bus = this.bus;
    if (!bus) return;
    let payload = JSON.stringify({ origin: this.origin, officeId, event });
    if (Buffer.byteLength(payload) > MAX_PAYLOAD)
      payload = JSON.stringify({ origin: this.origin, officeId, event: { type: 'changed' } });
    this.sending = this.sending
      .then(() => bus.notify(payload))
      .catch((err: unknown) => this.log?.warn({ err, officeId }, 'live event not relayed to other instances'));
  }
  /**
   * Relays events between every central instance on the bus. After the bus connection was lost
   * and made again, each office is told `changed` (its screens re-read what they missed).
   */
  async relay(bus: StoreBus, log: Logger): Promise<() => Promise<void>> {
    this.log = log;
    const stop = await bus.listen(
      (payload) => {
        let msg: z.infer<typeof Relayed>;
        try {
          msg = Relayed.parse(JSON.parse(payload));
        } catch (err) {
          log.warn({ err }, 'unreadable live event from another instance');
          return;
        }
        if (msg.origin !== this.origin) this.deliver(msg.officeId, msg.event);
      },
      () => {
        const named = this.emitter.eventNames().filter((n): n is string => typeof n === 'string');
        const offices = new Set([...this.versions.keys(), ...named]);
        for (const officeId of offices) this.deliver(officeId, { type: 'changed' });
      },
    );
    this.bus = bus;
    return async () => {
      this.bus = null;
      await this.sending;
      await stop();
    };
  }
  private deliver(officeId: string, event: OfficeEvent): void {
    this.versions.set(officeId, this.version(officeId) + 1);
    this.emitter.emit(officeId, event);
    this.emitter.emit(ALL, officeId, event);
  }
  /** Changes with every event of the office: what was read at one version holds until the next. */
  version(officeId: string): number {
    return this.versions.get(officeId) ?? 0;
  }
  /** `first`: told before the others (waiting-room displays, whose latency the room sees). */
  subscribe(officeId: string, fn: (event: OfficeEvent) => void, first = false): () => void {
    if (first) this.emitter.prependListener(officeId, fn);
    else this.emitter.on(officeId, fn);
    return () => this.emitter.off(officeId, fn);
  }
  /** Every office's events, local and relayed (the notifier): `fn(officeId, event)`. */
  subscribeAll(fn: (officeId: string, event: OfficeEvent) => void): () => void {
    this.emitter.on(ALL, fn);
    return () => this.emitter.off(ALL, fn);
  }
  listeners(officeId: string): number {
    return this.emitter.listenerCount(officeId);
  }
}

/** Streams an office's events as SSE until the client goes away; a comment every 20 s keeps proxies from closing it. */
export function streamOfficeEvents(
  hub: LiveHub,
  officeId: string,
  req: FastifyRequest,
  reply: FastifyReply,
  first = false,
): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-content-type-options': 'nosniff',
  });
  res.write('retry: 2000\n\n');
  res.write(`event: hello\ndata: {}\n\n`);
  const unsubscribe = hub.subscribe(
    officeId,
    (event) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
    first,
  );
  const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
  const close = () => {
    clearInterval(ping);
    unsubscribe();
  };
  req.raw.on('close', close);
  res.on('close', close);
}
