/**
 * A fault-injecting TCP proxy on loopback for HTTP/1.1 between the kiosk and central (no
 * toxiproxy or netem here). Each request (recognised by its request line at the start of a
 * client chunk; undici does not pipeline) draws one fault:
 * - `drop`: the connection is cut before anything reaches central;
 * - `delay`: the request is held back for a while (long ones hit the client's timeout);
 * - `status503` / `status500`: the proxy answers itself (503 with Retry-After), central never sees it;
 * - `cutAfterCommit`: the request reaches central, and the connection is cut as soon as
 *   central's answer starts — central committed, the kiosk never heard;
 * - `pass`.
 * `setDown(true)` refuses every connection (network cable out).
 */
import net from 'node:net';
import { seededRandom } from './rng.ts';

export type Fault = 'pass' | 'drop' | 'delay' | 'status503' | 'status500' | 'cutAfterCommit';

export interface ChaosOptions {
  upstreamPort: number;
  /** Probability of each fault per request; the rest pass. */
  faults?: Partial<Record<Exclude<Fault, 'pass'>, number>>;
  delayMs?: readonly [number, number];
  retryAfterSeconds?: number;
  seed?: number;
}

export interface ChaosProxy {
  readonly port: number;
  readonly url: string;
  readonly counts: Record<Fault, number>;
  setFaults(faults: ChaosOptions['faults']): void;
  setDown(down: boolean): void;
  close(): Promise<void>;
}

const REQUEST_LINE = /^(GET|POST|PUT|DELETE|HEAD|PATCH|OPTIONS) \S+ HTTP\/1\.[01]\r\n/;

export async function startChaosProxy(opts: ChaosOptions): Promise<ChaosProxy> {
  let faults = { ...opts.faults };
  let down = false;
  // Faults and delay lengths from separate streams: the n-th request always draws the same fault.
  const random = seededRandom(opts.seed ?? 1);
  const delayRandom = seededRandom((opts.seed ?? 1) ^ 0x9e3779b9);
  const [minDelay, maxDelay] = opts.delayMs ?? [20, 300];
  const counts: Record<Fault, number> = { pass: 0, drop: 0, delay: 0, status503: 0, status500: 0, cutAfterCommit: 0 };
  const sockets = new Set<net.Socket>();

  const draw = (): Fault => {
    let x = random();
    for (const [fault, p] of Object.entries(faults) as Array<[Fault, number]>) {
      if (x < p) return fault;
      x -= p;
    }
    return 'pass';
  };

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (down) {
      client.destroy();
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: opts.upstreamPort });
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());

    let current: Fault = 'pass';
    let cutOnAnswer = false;
    // Chunks are forwarded strictly in order, even when one is delayed.
    let queue: Promise<void> = Promise.resolve();

    upstream.on('data', (chunk) => {
      if (cutOnAnswer) {
        client.destroy();
        upstream.destroy();
        return;
      }
      client.write(chunk);
    });

    client.on('data', (chunk) => {
      if (REQUEST_LINE.test(chunk.subarray(0, 64).toString('latin1'))) {
        current = draw();
        counts[current]++;
        cutOnAnswer = current === 'cutAfterCommit';
      }
      const fault = current;
      switch (fault) {
        case 'drop':
          client.destroy();
          upstream.destroy();
          return;
        case 'status503':
        case 'status500': {
          const status = fault === 'status503' ? '503 Service Unavailable' : '500 Internal Server Error';
          const body = JSON.stringify({
            error: { code: fault === 'status503' ? 'UNAVAILABLE' : 'INTERNAL', message: 'injected by chaos proxy' },
          });
          const retry = fault === 'status503' ? `Retry-After: ${opts.retryAfterSeconds ?? 1}\r\n` : '';
          client.end(
            `HTTP/1.1 ${status}\r\n${retry}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
          );
          upstream.destroy();
          current = 'drop';
          return;
        }
        case 'delay': {
          const wait = minDelay + delayRandom() * (maxDelay - minDelay);
          queue = queue
            .then(() => new Promise((r) => setTimeout(r, wait)))
            .then(() => void (upstream.destroyed || upstream.write(chunk)));
          return;
        }
        default:
          queue = queue.then(() => void (upstream.destroyed || upstream.write(chunk)));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    counts,
    setFaults: (f) => void (faults = { ...f }),
    setDown: (d) => {
      down = d;
      if (d) for (const s of sockets) s.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
