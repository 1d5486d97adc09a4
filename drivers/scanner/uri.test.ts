import { describe, expect, it } from 'vitest';
import { parseScannerUri } from './uri.ts';

describe('scanner URIs', () => {
  it('reads a serial URI with baud, terminator and inter-byte time-out', () => {
    expect(parseScannerUri('serial:/dev/ttyACM0?baud=9600&terminator=CR&interByteMs=50')).toEqual({
      ok: true,
      config: { kind: 'serial', path: '/dev/ttyACM0', baudRate: 9600, terminator: 'CR', interByteMs: 50 },
    });
  });

  it('defaults to 9600 baud and CR, and to a 50 ms silence when there is no terminator', () => {
    expect(parseScannerUri('serial:/dev/ttyUSB1')).toMatchObject({
      config: { baudRate: 9600, terminator: 'CR', interByteMs: null },
    });
    expect(parseScannerUri('serial:/dev/ttyUSB1?terminator=none')).toMatchObject({
      config: { terminator: 'none', interByteMs: 50 },
    });
    expect(parseScannerUri('serial:/dev/ttyUSB1?terminator=crlf')).toMatchObject({ config: { terminator: 'CRLF' } });
  });

  it('knows hid, camera and sim', () => {
    for (const kind of ['hid', 'camera', 'sim'] as const)
      expect(parseScannerUri(kind)).toEqual({ ok: true, config: { kind } });
  });

  it('refuses unknown schemes, relative paths, bad numbers and unknown options with a reason', () => {
    for (const uri of [
      'usb:/dev/x',
      'serial:ttyACM0',
      'serial:/dev/ttyACM0?baud=fast',
      'serial:/dev/ttyACM0?terminator=TAB',
      'serial:/dev/ttyACM0?parity=odd',
    ]) {
      const r = parseScannerUri(uri);
      expect(r.ok, uri).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(5);
    }
  });
});
