import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centralCli } from './cli.node.ts';
import { startCentral } from './server.node.ts';

describe('the central command line', () => {
  let dir: string;
  let db: string;
  let out: string[];
  let err: string[];
  const run = (...args: string[]) => centralCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kioskctl-central-'));
    db = join(dir, 'central.sqlite');
    out = [];
    err = [];
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('issues a one-time code that enrols a kiosk, lists it and revokes it', async () => {
    expect(await run('seed', '--db', db)).toBe(0);
    expect(await run('issue-code', '--office', 'ca-mau-an-xuyen', '--json', '--db', db)).toBe(0);
    const { code } = JSON.parse(out.at(-1)!);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const central = await startCentral({ db });
    try {
      const res = await fetch(`${central.url}/v1/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, kioskName: 'Kiosk tầng 1' }) });
      expect(res.status).toBe(200);
      const { deviceId, token } = await res.json();
      expect(await run('devices', '--db', db)).toBe(0);
      expect(out.at(-1)).toContain(`${deviceId}  ca-mau-an-xuyen  Kiosk tầng 1`);
      expect(await run('revoke', deviceId, '--db', db)).toBe(0);
      expect((await fetch(`${central.url}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    } finally {
      await central.close();
    }
  });

  it('refuses a code for an unknown office and bad arguments with clear messages', async () => {
    expect(await run('issue-code', '--db', db)).toBe(2);
    expect(err.at(-1)).toContain('--office ID is required');
    expect(await run('issue-code', '--office', 'khong-co', '--db', db)).toBe(1);
    expect(err.at(-1)).toContain('no office khong-co');
    expect(await run('frobnicate', '--db', db)).toBe(2);
    expect(await run('devices', '--bogus')).toBe(2);
  });
});
