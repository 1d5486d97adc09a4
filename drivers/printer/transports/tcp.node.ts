import { Socket } from 'node:net';
import type { Transport, TransportEvents } from './transport.ts';

const CONNECT_TIMEOUT_MS = 3000;

/** A network printer on raw TCP (port 9100, "JetDirect"). */
export class TcpTransport implements Transport {
  readonly kind = 'tcp';
  readonly canRead = true;
  private socket: Socket | undefined;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  open(events: TransportEvents): Promise<void> {
    const socket = new Socket();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`tcp://${this.host}:${this.port}: connect timed out`));
      }, CONNECT_TIMEOUT_MS);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      socket.connect(this.port, this.host, () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        // Keep-alive notices a printer switched off without a FIN.
        socket.setKeepAlive(true, 5000);
        this.socket = socket;
        socket.on('data', (chunk) => events.onData(chunk));
        socket.on('error', () => undefined);
        socket.on('close', () => {
          if (this.socket === socket) {
            this.socket = undefined;
            events.onLost(new Error(`tcp://${this.host}:${this.port}: connection closed`));
          }
        });
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error(`tcp://${this.host}:${this.port} is not connected`));
    return new Promise((resolve, reject) => socket.write(bytes, (err) => (err ? reject(err) : resolve())));
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      setTimeout(() => socket.destroy(), 200).unref();
    });
  }
}
