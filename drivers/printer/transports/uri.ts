/** What `KIOSK_PRINTER` can say. */
export type PrinterUri =
  | { kind: 'serial'; path: string; baudRate: number; rtscts: boolean }
  | { kind: 'usb'; path: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'file'; path: string }
  | { kind: 'sim' };

export const DEFAULT_BAUD = 19200;

/**
 * `serial:/dev/ttyUSB0?baud=19200[&rtscts=1]`, `usb:/dev/usb/lp0`, `tcp://host[:9100]`,
 * `file:/path/out.bin`, `sim`. Throws an Error naming what is wrong.
 */
export function parsePrinterUri(uri: string): PrinterUri {
  const s = uri.trim();
  if (s === 'sim' || s === 'sim:') return { kind: 'sim' };
  const [head, query = ''] = s.split('?', 2) as [string, string | undefined];
  const params = new URLSearchParams(query);
  let m: RegExpExecArray | null;
  if ((m = /^serial:(\/.+)$/.exec(head))) {
    const baud = params.get('baud');
    const baudRate = baud === null ? DEFAULT_BAUD : Number(baud);
    if (!Number.isInteger(baudRate) || baudRate < 300 || baudRate > 4_000_000)
      throw new Error(`printer URI ${uri}: baud must be a number of bits per second`);
    return {
      kind: 'serial',
      path: m[1]!,
      baudRate,
      rtscts: params.get('rtscts') === '1' || params.get('rtscts') === 'true',
    };
  }
  if ((m = /^usb:(\/.+)$/.exec(head))) return { kind: 'usb', path: m[1]! };
  if ((m = /^file:(?:\/\/)?(\/.+)$/.exec(head))) return { kind: 'file', path: m[1]! };
  if ((m = /^tcp:\/\/(\[[0-9a-fA-F:]+\]|[^/:]+)(?::(\d+))?\/?$/.exec(head))) {
    const port = m[2] === undefined ? 9100 : Number(m[2]);
    if (port < 1 || port > 65535) throw new Error(`printer URI ${uri}: port out of range`);
    return { kind: 'tcp', host: m[1]!.replace(/^\[|\]$/g, ''), port };
  }
  throw new Error(`printer URI ${uri}: expected serial:/dev/…, usb:/dev/…, tcp://host:port, file:/path or sim`);
}

/** The device identity a lock is taken on: two Printer objects on one device share it. */
export function deviceKey(u: PrinterUri): string {
  switch (u.kind) {
    case 'serial':
    case 'usb':
    case 'file':
      return `${u.kind}:${u.path}`;
    case 'tcp':
      return `tcp:${u.host}:${u.port}`;
    case 'sim':
      return 'sim';
  }
}
