import { SerialPort } from 'serialport';
import type { Transport, TransportEvents } from './transport.ts';

/** A serial (or USB-serial, or pseudo-terminal) printer through serialport. */
export class SerialTransport implements Transport {
  readonly kind = 'serial';
  readonly canRead = true;
  private port: SerialPort | undefined;

  constructor(
    private readonly path: string,
    private readonly baudRate: number,
    private readonly rtscts = false,
  ) {}

  open(events: TransportEvents): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, rtscts: this.rtscts, autoOpen: false });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) return reject(err);
        this.port = port;
        port.on('data', (chunk: Buffer) => events.onData(chunk));
        // 'close' without our close(): the device went away (EIO/ENXIO on the fd).
        port.on('close', (e?: Error | null) => {
          if (this.port === port) {
            this.port = undefined;
            events.onLost(e ?? new Error(`${this.path} closed`));
          }
        });
        port.on('error', (e: Error) => {
          if (this.port === port) {
            this.port = undefined;
            if (port.isOpen) port.close(() => undefined);
            events.onLost(e);
          }
        });
        resolve();
      });
    });
  }

  write(bytes: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new Error(`${this.path} is not open`));
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => {
        if (err) return reject(err);
        port.drain((e) => (e ? reject(e) : resolve()));
      });
    });
  }

  close(): Promise<void> {
    const port = this.port;
    this.port = undefined;
    if (!port?.isOpen) return Promise.resolve();
    // A port whose device vanished may never call back: do not let shutdown wait on it.
    return new Promise((resolve) => {
      const t = setTimeout(resolve, 1000);
      port.close(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}
