import { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Pushed updates inside one central process: something changed in an office's queue (a ticket
 * issued, merged from an offline kiosk, called, finished), or a number was called. Counter
 * screens and waiting-room displays hold a Server-Sent Events stream per office and re-read
 * their state on each event. Several central instances would relay these through PostgreSQL
 * LISTEN/NOTIFY (not built: one instance today).
 */
export type OfficeEvent = { type: 'changed' } | { type: 'call'; callId: string };

export class LiveHub {
  private readonly emitter = new EventEmitter();
  constructor() {
    // One listener per open screen: many displays and counters are expected.
    this.emitter.setMaxListeners(0);
  }
  publish(officeId: string, event: OfficeEvent): void {
    this.emitter.emit(officeId, event);
  }
  subscribe(officeId: string, fn: (event: OfficeEvent) => void): () => void {
    this.emitter.on(officeId, fn);
    return () => this.emitter.off(officeId, fn);
  }
  listeners(officeId: string): number {
    return this.emitter.listenerCount(officeId);
  }
}

/** Streams an office's events as SSE until the client goes away; a comment every 20 s keeps proxies from closing it. */
export function streamOfficeEvents(hub: LiveHub, officeId: string, req: FastifyRequest, reply: FastifyReply, keep: () => boolean = () => true): void {
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
  const unsubscribe = hub.subscribe(officeId, (event) => {
    if (!keep()) {
      res.end();
      return;
    }
    res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  });
  const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
  const close = () => {
    clearInterval(ping);
    unsubscribe();
  };
  req.raw.on('close', close);
  res.on('close', close);
}
