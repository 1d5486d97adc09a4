import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../cli/kioskctl.node.ts';
import { loadConfig } from '../config/config.node.ts';
import { readLogs } from './logs.node.ts';
import { ConfigWriteError, exportConfig, importConfig, setConfigKey } from './config-file.node.ts';

const tmp = () => mkdtempSync(join(tmpdir(), 'tech-config-'));
const run = async (argv: string[], dataDir: string) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l), env: { KIOSK_DATA_DIR: dataDir } });
  return { code, out: out.join('\n'), err: err.join('\n') };
};

describe('kiosk.json editing', () => {
  it('sets a key after validating it against the config schema, and the kiosk starts with it', () => {
    const dir = tmp();
    setConfigKey(dir, 'printer', 'serial:/dev/ttyUSB0?baud=19200');
    setConfigKey(dir, 'timeouts.idleWarningMs', 90_000);
    const config = loadConfig({ KIOSK_DATA_DIR: dir });
    expect(config.printer).toBe('serial:/dev/ttyUSB0?baud=19200');
    expect(config.timeouts).toEqual({ idleWarningMs: 90_000, warningMs: 30_000, attractMs: 120_000 });
  });

  it('refuses an invalid value or an unknown key and leaves the file untouched', () => {
    const dir = tmp();
    setConfigKey(dir, 'printerWidthMm', 58);
    const before = readFileSync(join(dir, 'kiosk.json'), 'utf8');
    expect(() => setConfigKey(dir, 'printerWidthMm', 72)).toThrow(ConfigWriteError);
    expect(() => setConfigKey(dir, 'timeouts.warningMs', 5_000)).toThrow(/timeouts.warningMs/);
    expect(() => setConfigKey(dir, 'colour', 'red')).toThrow(/unknown key/);
    expect(readFileSync(join(dir, 'kiosk.json'), 'utf8')).toBe(before);
  });

  it('imports another kiosk’s export but keeps this kiosk’s identity', () => {
    const a = tmp();
    setConfigKey(a, 'kioskName', 'Kiosk A');
    setConfigKey(a, 'kioskId', 'dev_AAAAAAAAAAAAAAAAAAAAAA');
    setConfigKey(a, 'printerMode', 'codepage');
    const b = tmp();
    setConfigKey(b, 'kioskName', 'Kiosk B');
    const { changed } = importConfig(b, exportConfig(a));
    expect(changed).toEqual(['printerMode']);
    const config = loadConfig({ KIOSK_DATA_DIR: b });
    expect(config).toMatchObject({ kioskName: 'Kiosk B', kioskId: 'unprovisioned', printerMode: 'codepage' });
  });
});

describe('kioskctl config and logs', () => {
  it('config set writes a valid value and refuses a bad one with exit code 1', async () => {
    const dir = tmp();
    expect(await run(['config', 'set', 'lang', 'en'], dir)).toMatchObject({ code: 0 });
    const bad = await run(['config', 'set', 'hostPort', '70000'], dir);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/hostPort/);
    expect(loadConfig({ KIOSK_DATA_DIR: dir }).lang).toBe('en');
  });

  it('config set technicianPin stores a hash in the database, never the PIN in kiosk.json', async () => {
    const dir = tmp();
    expect((await run(['config', 'set', 'technicianPin', '135790'], dir)).code).toBe(0);
    expect((await run(['config', 'set', 'technicianPin', '12'], dir)).code).toBe(1);
    expect(readFileSync(join(dir, 'kiosk.db')).includes(Buffer.from('135790'))).toBe(false);
  });

  it('config export leaves the credential out unless asked, and import reads the file back', async () => {
    const dir = tmp();
    await run(['config', 'set', 'printerWidthMm', '58'], dir);
    writeFileSync(
      join(dir, 'credentials.json'),
      JSON.stringify({
        deviceId: 'dev_AAAAAAAAAAAAAAAAAAAAAA',
        token: 'x'.repeat(43),
        officeId: 'ca-mau',
        officeName: 'X',
        centralUrl: 'http://127.0.0.1:1',
        enrolledAt: '2026-01-01T00:00:00Z',
      }),
    );
    const plain = await run(['config', 'export'], dir);
    expect(JSON.parse(plain.out)).toEqual({ printerWidthMm: 58 });
    const secret = await run(['config', 'export', '--with-secrets', '--out', join(dir, 'export.json')], dir);
    expect(secret.code).toBe(0);
    expect(statSync(join(dir, 'export.json')).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(dir, 'export.json'), 'utf8')).credentials.token).toHaveLength(43);
    const other = tmp();
    const imported = await run(['config', 'import', join(dir, 'export.json')], other);
    expect(imported.code).toBe(0);
    expect(loadConfig({ KIOSK_DATA_DIR: other }).printerWidthMm).toBe(58);
    expect(() => readFileSync(join(other, 'credentials.json'))).toThrow();
  });

  it('logs filters rotated files by level, time and text', async () => {
    const dir = tmp();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'logs'));
    const line = (level: number, time: string, msg: string, extra = {}) =>
      JSON.stringify({ level, time: Date.parse(time), pid: 1, hostname: 'k', msg, ...extra });
    writeFileSync(
      join(dir, 'logs', 'kiosk.1.log'),
      [
        line(30, '2026-01-01T08:00:00Z', 'appliance started'),
        line(40, '2026-01-01T08:05:00Z', 'printer status', { printer: { paperOut: true } }),
      ].join('\n') + '\n',
    );
    writeFileSync(
      join(dir, 'logs', 'kiosk.2.log'),
      [line(50, '2026-01-01T09:00:00Z', 'heartbeat failed', { kind: 'OFFLINE' }), 'not json'].join('\n') + '\n',
    );
    expect(readLogs(dir).map((e) => e.msg)).toEqual(['appliance started', 'printer status', 'heartbeat failed']);
    expect(readLogs(dir, { level: 'warn' }).map((e) => e.level)).toEqual(['warn', 'error']);
    expect(readLogs(dir, { since: '30m' }, new Date('2026-01-01T09:10:00Z')).map((e) => e.msg)).toEqual([
      'heartbeat failed',
    ]);
    expect(readLogs(dir, { grep: 'PAPEROUT' })[0]?.fields).toContain('paperOut');
    const cli = await run(['logs', '--level', 'error'], dir);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/ERROR heartbeat failed \{"kind":"OFFLINE"\}/);
    expect((await run(['logs', '--since', 'yesterday-ish'], dir)).code).toBe(2);
  });
});
