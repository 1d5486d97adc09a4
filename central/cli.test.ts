import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centralCli } from './cli.node.ts';
import { runCentral } from './main.node.ts';
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

  it('refuses to serve PostgreSQL without a directory for attachments (a temporary one loses documents at reboot)', async () => {
    const saved = process.env.CENTRAL_ATTACHMENTS_DIR;
    delete process.env.CENTRAL_ATTACHMENTS_DIR;
    try {
      await expect(runCentral(['--db', 'postgres://kiosk@127.0.0.1:1/none', '--port', '0'], () => {})).rejects.toThrow(
        /CENTRAL_ATTACHMENTS_DIR or --attachments-dir/,
      );
    } finally {
      if (saved !== undefined) process.env.CENTRAL_ATTACHMENTS_DIR = saved;
    }
  });

  it('issues a one-time code that enrols a kiosk, lists it and revokes it', async () => {
    expect(await run('seed', '--db', db)).toBe(0);
    expect(await run('issue-code', '--office', 'ca-mau-an-xuyen', '--json', '--db', db)).toBe(0);
    const { code } = JSON.parse(out.at(-1)!);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const central = await startCentral({ db });
    try {
      const res = await fetch(`${central.url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, kioskName: 'Kiosk tầng 1' }),
      });
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

  it('creates the first administrator of an office, who can then sign in', async () => {
    expect(await run('seed', '--db', db)).toBe(0);
    expect(out.some((l) => l.startsWith('demo officer canbo1.anxuyen / '))).toBe(true);
    const runWith = (env: NodeJS.ProcessEnv, ...args: string[]) =>
      centralCli(args, { out: (l) => out.push(l), err: (l) => err.push(l), env });
    expect(
      await runWith(
        { CENTRAL_OFFICER_PASSWORD: 'mat-khau-quan-tri' },
        'admin',
        'create',
        '--office',
        'ca-mau-dam-doi',
        '--username',
        'Admin.DamDoi',
        '--name',
        'Quản trị Đầm Dơi',
        '--db',
        db,
      ),
    ).toBe(0);
    expect(out.at(-1)).toBe('created officer admin.damdoi (ca-mau-dam-doi: admin, manager, counter)');
    expect(
      await runWith(
        { CENTRAL_OFFICER_PASSWORD: 'short' },
        'admin',
        'create',
        '--office',
        'ca-mau-dam-doi',
        '--username',
        'x.y.z',
        '--name',
        'X',
        '--db',
        db,
      ),
    ).toBe(1);
    expect(
      await runWith(
        { CENTRAL_OFFICER_PASSWORD: 'mat-khau-quan-tri' },
        'admin',
        'create',
        '--office',
        'ca-mau-dam-doi',
        '--username',
        'x.y.z',
        '--name',
        'X',
        '--roles',
        'boss',
        '--db',
        db,
      ),
    ).toBe(2);
    const central = await startCentral({ db });
    try {
      const res = await fetch(`${central.url}/v1/officer/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin.damdoi', password: 'mat-khau-quan-tri' }),
      });
      expect(res.status).toBe(200);
      expect((await res.json()).officer.roles).toEqual(['admin', 'manager', 'counter']);
    } finally {
      await central.close();
    }
  });
});
