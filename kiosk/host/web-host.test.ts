import { mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { request as httpRequest } from 'node:http';
import { SYNTHETIC_CCCD } from '../../drivers/id/fixtures.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { startWebHost, type WebHost } from './web-host.node.ts';
import { launchSecretFile } from './launch.node.ts';
import { launchUrlCommand } from '../cli/commands/launch-url.node.ts';

let appliance: Appliance;
let host: WebHost;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-host-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>t</title></head><body></body></html>',
  );
  appliance = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }));
  host = await startWebHost({ appliance, rendererDir, port: 0 });
});

afterAll(async () => {
  await host.close();
  await appliance.close();
});

const call = (name: string, init: { token?: string; origin?: string; host?: string; body?: unknown } = {}) =>
  fetch(new URL(`/api/call/${name}`, host.url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(init.token !== undefined ? { 'x-kiosk-token': init.token } : {}),
      ...(init.origin !== undefined ? { origin: init.origin } : {}),
    },
    body: JSON.stringify(init.body ?? { input: {} }),
  });

/** GET with any Host header (fetch cannot set one). */
const getWithHost = (path: string, hostHeader: string, headers: Record<string, string> = {}) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const u = new URL(path, host.url);
    const req = httpRequest(
      { host: u.hostname, port: u.port, path: u.pathname + u.search, headers: { ...headers, host: hostHeader } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });

/** Opens the page as the launched browser: spends a launch code, keeps the session cookie. */
async function launchedPage(): Promise<{ cookie: string; res: Response }> {
  const first = await fetch(host.launchUrl(), { redirect: 'manual' });
  expect(first.status).toBe(303);
  expect(first.headers.get('location')).toBe('/');
  const setCookie = first.headers.get('set-cookie') ?? '';
  expect(setCookie).toMatch(/HttpOnly/);
  expect(setCookie).toMatch(/SameSite=Strict/);
  const cookie = setCookie.split(';')[0]!;
  return { cookie, res: await fetch(host.url, { headers: { cookie } }) };
}

describe('web host', () => {
  it('gives the page its launch token and a strict CSP, in the browser it launched', async () => {
    const { res } = await launchedPage();
    const html = await res.text();
    expect(html).toContain(`<meta name="kiosk-token" content="${host.token}">`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/object-src 'none'/);
  });

  it('gives the token to no other local client: not by GET /, nor by a launch code used twice or forged (19.6)', async () => {
    for (const path of ['/', '/index.html', '/some/screen']) {
      const res = await fetch(new URL(path, host.url));
      expect(res.status).toBe(403);
      expect(await res.text()).not.toContain(host.token);
    }
    const once = host.launchUrl();
    expect((await fetch(once, { redirect: 'manual' })).status).toBe(303);
    const again = await fetch(once, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(await again.text()).not.toContain(host.token);
    const forged = new URL(once);
    forged.searchParams.set('launch', `${'A'.repeat(22)}.${'B'.repeat(43)}`);
    expect((await fetch(forged, { redirect: 'manual' })).status).toBe(403);
    expect((await fetch(host.url, { headers: { cookie: 'kiosk_session=guess' } })).status).toBe(403);
  });

  it('serves the page only for its own host name, like the API (DNS rebinding, 19.7)', async () => {
    const { cookie } = await launchedPage();
    const own = new URL(host.url).host;
    expect((await getWithHost('/', own, { cookie })).status).toBe(200);
    for (const name of ['evil.example', `evil.example:${new URL(host.url).port}`, 'attacker.test']) {
      const res = await getWithHost('/', name, { cookie });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain(host.token);
      expect(
        (
          await getWithHost(
            `/?launch=${encodeURIComponent(new URL(host.launchUrl()).searchParams.get('launch')!)}`,
            name,
          )
        ).status,
      ).toBe(403);
    }
  });

  it('answers a call with the page token from the same origin', async () => {
    const res = await call('app.info', { token: host.token, origin: new URL(host.url).origin });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; value: { officeName: string } };
    expect(body.ok).toBe(true);
    expect(body.value.officeName).toBeTruthy();
  });

  it('refuses a call without the token', async () => {
    const res = await call('app.info');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'UNAUTHORIZED' } });
  });

  it('refuses a call with a wrong token', async () => {
    const res = await call('app.info', { token: 'x'.repeat(host.token.length) });
    expect(res.status).toBe(401);
  });

  it('refuses a call from another origin even with the token', async () => {
    const res = await call('app.info', { token: host.token, origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('answers unknown calls and malformed input with typed errors, not crashes', async () => {
    const unknown = await call('nope.nothing', { token: host.token });
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    const bad = await call('session.end', { token: host.token, body: { input: { reason: 42 } } });
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    const notJson = await fetch(new URL('/api/call/app.info', host.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': host.token },
      body: '{oops',
    });
    expect(notJson.status).toBe(400);
  });

  it('pushes events over the WebSocket only to a page with the token and the right origin', async () => {
    const origin = new URL(host.url).origin;
    const wsUrl = (token: string) => `${host.url.replace('http', 'ws')}api/events?token=${encodeURIComponent(token)}`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl('wrong'), { origin });
      ws.on('close', (code) => resolve(code));
    });
    expect(refused).toBe(1008);
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl(host.token), { origin: 'http://evil.example' });
      ws.on('close', (code) => resolve(code));
    });
    expect(foreign).toBe(1008);

    const ws = new WebSocket(wsUrl(host.token), { origin });
    await new Promise((resolve) => ws.once('open', resolve));
    const got = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse(String(data)))));
    appliance.events.emit('sync.state', {
      online: true,
      pending: 3,
      parked: 0,
      lastSuccessAt: null,
      lastErrorKind: null,
    });
    expect(await got).toEqual({
      event: 'sync.state',
      payload: { online: true, pending: 3, parked: 0, lastSuccessAt: null, lastErrorKind: null },
    });
    ws.close();
  });

  it('sends an ID card scan only to the page on screen (the newest connection), not to every subscriber (19.6)', async () => {
    const origin = new URL(host.url).origin;
    const wsUrl = `${host.url.replace('http', 'ws')}api/events?token=${encodeURIComponent(host.token)}`;
    const open = async () => {
      const ws = new WebSocket(wsUrl, { origin });
      const got: Array<{ event: string; payload: unknown }> = [];
      ws.on('message', (data) => got.push(JSON.parse(String(data))));
      await new Promise((resolve) => ws.once('open', resolve));
      return { ws, got };
    };
    const older = await open();
    const newest = await open();
    expect(
      await appliance.dispatch('scans.submit', { text: SYNTHETIC_CCCD, source: 'hid' }, { carrier: 'test' }),
    ).toMatchObject({ ok: true, value: { kind: 'cccd' } });
    appliance.events.emit('sync.state', {
      online: true,
      pending: 1,
      parked: 0,
      lastSuccessAt: null,
      lastErrorKind: null,
    });
    await new Promise((r) => setTimeout(r, 200));
    expect(newest.got.map((m) => m.event)).toEqual(['scan.received', 'sync.state']);
    expect(older.got.map((m) => m.event)).toEqual(['sync.state']);
    expect(JSON.stringify(older.got)).not.toContain('096190012345');
    older.ws.close();
    newest.ws.close();
  });
});

describe('a launcher in another process (the browser unit)', () => {
  it('mints a one-time address with `kioskctl launch-url` from the secret the host keeps privately', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-host-launch-'));
    const rendererDir = join(dataDir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(
      join(rendererDir, 'index.html'),
      '<!doctype html><html><head><title>t</title></head><body></body></html>',
    );
    const other = await startWebHost({ appliance, rendererDir, port: 0, launchSecretFile: launchSecretFile(dataDir) });
    try {
      expect(statSync(launchSecretFile(dataDir)).mode & 0o777).toBe(0o600);
      const out: string[] = [];
      const code = await launchUrlCommand.run([], {
        out: (l) => out.push(l),
        err: (l) => out.push(l),
        env: { KIOSK_DATA_DIR: dataDir, KIOSK_HOST_PORT: String(other.port), KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' },
      });
      expect(code).toBe(0);
      const first = await fetch(out[0]!, { redirect: 'manual' });
      expect(first.status).toBe(303);
      const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
      expect(await (await fetch(other.url, { headers: { cookie } })).text()).toContain(other.token);
      expect((await fetch(out[0]!, { redirect: 'manual' })).status).toBe(403);
    } finally {
      await other.close();
    }
  });
});
