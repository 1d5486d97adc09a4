import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.node.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'kiosk-config-'));

describe('loadConfig', () => {
  it('gives working defaults for an empty data directory', () => {
    const d = dir();
    const c = loadConfig({ KIOSK_DATA_DIR: d });
    expect(c.dataDir).toBe(d);
    expect(c.printer).toBe('sim');
    expect(c.lang).toBe('vi');
    expect(c.timeouts.warningMs).toBeGreaterThanOrEqual(20_000);
  });

  it('lets the environment override the file', () => {
    const d = dir();
    writeFileSync(join(d, 'kiosk.json'), JSON.stringify({ printer: 'tcp://127.0.0.1:9100', lang: 'vi' }));
    const c = loadConfig({
      KIOSK_DATA_DIR: d,
      KIOSK_PRINTER: 'file:/tmp/out.bin',
      KIOSK_LANG: 'en',
      KIOSK_HOST_PORT: '8700',
    });
    expect(c).toMatchObject({ printer: 'file:/tmp/out.bin', lang: 'en', hostPort: 8700 });
  });

  it('names the environment variable and key of a malformed value', () => {
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir(), KIOSK_HOST_PORT: 'abc' })).toThrow(/KIOSK_HOST_PORT \(hostPort\)/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir(), KIOSK_LANG: 'fr' })).toThrow(/KIOSK_LANG \(lang\)/);
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir(), KIOSK_CENTRAL_URL: 'ftp://x' })).toThrow(
      /KIOSK_CENTRAL_URL \(centralUrl\)/,
    );
  });

  it('prints in text mode for an unknown printer, and takes a printer profile from kiosk.json or the URI', () => {
    const d = dir();
    expect(loadConfig({ KIOSK_DATA_DIR: d })).toMatchObject({ printerMode: 'text' });
    writeFileSync(join(d, 'kiosk.json'), JSON.stringify({ printerProfile: 'epson-tm-t20', printerMode: 'raster' }));
    expect(
      loadConfig({ KIOSK_DATA_DIR: d, KIOSK_PRINTER: 'serial:/dev/ttyUSB0?baud=19200&profile=xprinter' }),
    ).toMatchObject({
      printerProfile: 'epson-tm-t20',
      printerMode: 'raster',
      printer: 'serial:/dev/ttyUSB0?baud=19200&profile=xprinter',
    });
  });

  it('refuses a printer profile it does not know, naming where it came from', () => {
    expect(() => loadConfig({ KIOSK_DATA_DIR: dir(), KIOSK_PRINTER: 'serial:/dev/ttyUSB0?profile=tm-x' })).toThrow(
      /KIOSK_PRINTER \(printer\).*profile= must be one of unknown/,
    );
    const d = dir();
    writeFileSync(join(d, 'kiosk.json'), JSON.stringify({ printerProfile: 'brother' }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: d })).toThrow(/printerProfile/);
  });

  it('names the nested key of a bad value in the config file', () => {
    const d = dir();
    writeFileSync(
      join(d, 'kiosk.json'),
      JSON.stringify({ timeouts: { idleWarningMs: 60_000, warningMs: 5_000, attractMs: 1 } }),
    );
    const err = (() => {
      try {
        loadConfig({ KIOSK_DATA_DIR: d });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err?.message).toMatch(/timeouts\.warningMs/);
    expect(err?.message).toMatch(/Cấu hình không hợp lệ/);
  });

  it('refuses unknown keys and broken JSON in the file', () => {
    const d = dir();
    writeFileSync(join(d, 'kiosk.json'), JSON.stringify({ printr: 'sim' }));
    expect(() => loadConfig({ KIOSK_DATA_DIR: d })).toThrow(ConfigError);
    writeFileSync(join(d, 'kiosk.json'), '{ nope');
    expect(() => loadConfig({ KIOSK_DATA_DIR: d })).toThrow(/not valid JSON/);
  });
});
