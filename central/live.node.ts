import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DisplayCall } from '../protocol/counter.ts';

/**
 * Pushed updates inside one central process: something changed in an office's queue (a ticket
 * issued, merged from an offline kiosk, called, finished), or a number was called. Counter
 * screens and waiting-room displays hold a Server-Sent Events stream per office and re-read
 * their state on each event. Several central instances would relay these through PostgreSQL
 * LISTEN/NOTIFY (not built: one instance today).
 */
export type OfficeEvent = { type: 'changed' } | { type: 'call'; callId: string; call: DisplayCall };

const ALL = Symbol('every office');

export class LiveHub {
  private readonly emitter = new EventEmitter();
  private readonly versions = new Map<string, number>();
  constructor() {
    // One listener per open screen: many displays and counters are expected.
    this.emitter.setMaxListeners(0);
  }
  publish(officeId: string, event: OfficeEvent): void {
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
  /** Every office's events (the notifier): `fn(officeId, event)`. */
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
