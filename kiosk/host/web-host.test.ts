import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { startWebHost, type WebHost } from './web-host.node.ts';

let appliance: Appliance;
let host: WebHost;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-host-'));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><html><head><title>t</title></head><body></body></html>');
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

describe('web host', () => {
  it('gives the page its launch token and a strict CSP', async () => {
    const res = await fetch(host.url);
    const html = await res.text();
    expect(html).toContain(`<meta name="kiosk-token" content="${host.token}">`);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.headers.get('content-security-policy')).toMatch(/object-src 'none'/);
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
    const notJson = await fetch(new URL('/api/call/app.info', host.url), { method: 'POST', headers: { 'content-type': 'application/json', 'x-kiosk-token': host.token }, body: '{oops' });
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
    appliance.events.emit('sync.state', { online: true, pending: 3, parked: 0, lastSuccessAt: null, lastErrorKind: null });
    expect(await got).toEqual({ event: 'sync.state', payload: { online: true, pending: 3, parked: 0, lastSuccessAt: null, lastErrorKind: null } });
    ws.close();
  });
});
