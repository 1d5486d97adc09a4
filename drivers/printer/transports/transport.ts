/**
 * A byte pipe to a printer. The printer driver owns the lifecycle (open, reconnect, status);
 * a transport only opens, writes, reports bytes read back and says when it was lost.
 */
export interface TransportEvents {
  /** Bytes the printer sent back (status replies). */
  onData(chunk: Uint8Array): void;
  /** The connection was lost without `close()` (unplugged, socket closed, device gone). */
  onLost(err: Error): void;
}

export interface Transport {
  readonly kind: 'serial' | 'usb' | 'tcp' | 'file' | 'sim';
  /** Whether the printer can answer (status replies); `file` cannot. */
  readonly canRead: boolean;
  /** Rejects when the device is not there (yet). */
  open(events: TransportEvents): Promise<void>;
  /** Resolves when the bytes have left our process (drained to the device or the kernel). */
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}
