import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Session } from 'electron';
import { allowPermissionCheck, allowPermissionRequest } from './policy.ts';
import { rendererProtocolHandler } from './serve-renderer.node.ts';
import { secureSession } from './session.main.ts';
import { FakeEvent, FakeSession } from './testing/fake-electron.node.ts';
import type { ShellIncident } from './window.main.ts';

vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron);

let dir: string;
let ses: FakeSession;
let incidents: ShellIncident[];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shell-'));
  mkdirSync(join(dir, 'dist', 'assets'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'index.html'), '<!doctype html><title>kiosk</title>');
  writeFileSync(join(dir, 'dist', 'assets', 'decoder.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dir, 'secret.txt'), 'not for the page');
  ses = new FakeSession();
  incidents = [];
  secureSession(ses as unknown as Session, {
    rendererDir: join(dir, 'dist'),
    preload: '/app/dist/shell/preload.cjs',
    record: (i) => incidents.push(i),
  });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const request = (permission: string, details: Record<string, unknown>) =>
  new Promise<boolean>((resolve) => ses.permissionRequest?.({}, permission, resolve, details));

describe('permissions', () => {
  it('grant the camera to our page', async () => {
    expect(await request('media', { requestingUrl: 'app://kiosk/index.html', mediaTypes: ['video'] })).toBe(true);
    expect(ses.permissionCheck?.({}, 'media', 'app://kiosk', { mediaType: 'video' })).toBe(true);
  });

  it('refuse the microphone, and camera plus microphone together', async () => {
    expect(await request('media', { requestingUrl: 'app://kiosk/index.html', mediaTypes: ['audio'] })).toBe(false);
    expect(await request('media', { requestingUrl: 'app://kiosk/index.html', mediaTypes: ['video', 'audio'] })).toBe(
      false,
    );
    expect(await request('media', { requestingUrl: 'app://kiosk/index.html' })).toBe(false);
    expect(ses.permissionCheck?.({}, 'media', 'app://kiosk', { mediaType: 'audio' })).toBe(false);
  });

  it('refuse the camera to any other origin', async () => {
    expect(await request('media', { requestingUrl: 'https://example.com/', mediaTypes: ['video'] })).toBe(false);
    expect(await request('media', { requestingUrl: 'file:///tmp/x.html', mediaTypes: ['video'] })).toBe(false);
    expect(ses.permissionCheck?.({}, 'media', 'https://example.com', { mediaType: 'video' })).toBe(false);
  });

  it.each([
    'notifications',
    'geolocation',
    'clipboard-read',
    'display-capture',
    'hid',
    'serial',
    'usb',
    'fullscreen',
    'pointerLock',
    'openExternal',
    'midiSysex',
    'unknown',
  ])('refuse %s, even to our page, and record it', async (permission) => {
    expect(await request(permission, { requestingUrl: 'app://kiosk/index.html' })).toBe(false);
    expect(ses.permissionCheck?.({}, permission, 'app://kiosk', {})).toBe(false);
    expect(incidents).toContainEqual({ kind: 'permission-refused', permission });
  });

  it('refuse every HID, serial and USB device and any screen capture', () => {
    expect(ses.devicePermission?.({ deviceType: 'serial', origin: 'app://kiosk' })).toBe(false);
    expect(ses.devicePermission?.({ deviceType: 'usb', origin: 'app://kiosk' })).toBe(false);
    for (const channel of ['select-hid-device', 'select-usb-device']) {
      const event = new FakeEvent();
      const picked: string[] = [];
      ses.emit(channel, event, {}, (id: string) => picked.push(id));
      expect(event.defaultPrevented).toBe(true);
      expect(picked).toEqual(['']);
    }
    const streams: unknown[] = [];
    ses.displayMedia?.({} as never, ((s: unknown) => streams.push(s)) as never);
    expect(streams).toEqual([null]);
  });

  it('are decided the same by the pure policy functions', () => {
    expect(allowPermissionRequest('media', 'app://kiosk/x', ['video'])).toBe(true);
    expect(allowPermissionRequest('media', 'app://kiosk.evil/x', ['video'])).toBe(false);
    expect(allowPermissionRequest('media', 'app://user:pw@kiosk/x', ['video'])).toBe(false);
    expect(allowPermissionCheck('media', 'not a url', 'video')).toBe(false);
  });
});

describe('the session', () => {
  it('puts the strict CSP on every response, replacing whatever the response had', () => {
    let answer: { responseHeaders: Record<string, string[]> } | undefined;
    ses.headersHandler?.(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-Other': ['1'] } } as never,
      ((r: typeof answer) => (answer = r)) as never,
    );
    const headers = answer!.responseHeaders;
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === 'content-security-policy')).toEqual([
      'Content-Security-Policy',
    ]);
    expect(headers['Content-Security-Policy']![0]).toContain("default-src 'self'");
    expect(headers['Content-Security-Policy']![0]).toContain("object-src 'none'");
    expect(headers['X-Other']).toEqual(['1']);
  });

  it.each([
    ['https://example.com/x.js', true],
    ['http://127.0.0.1:8620/api', true],
    ['ws://127.0.0.1:1/', true],
    ['file:///etc/passwd', true],
    ['devtools://devtools/bundled/inspector.html', true],
    ['chrome-extension://abc/x.js', true],
    ['app://kiosk/assets/index.js', false],
    ['data:image/png;base64,AA==', false],
    ['blob:app://kiosk/1234', false],
  ])('cancels requests to %s: %s', (url, cancel) => {
    let answer: { cancel: boolean } | undefined;
    ses.beforeRequestHandler?.({ url } as never, ((r: { cancel: boolean }) => (answer = r)) as never);
    expect(answer).toEqual({ cancel });
  });

  it('runs the preload only in frames of our own app:// origin', () => {
    expect(ses.preloads).toEqual([
      { id: 'kiosk-bridge', type: 'frame', filePath: '/app/dist/shell/preload.cjs', matches: ['app://kiosk/*'] },
    ]);
  });

  it('turns the spell checker off (it would download dictionaries)', () => {
    expect(ses.spellChecker).toBe(false);
  });
});

describe('the app:// protocol', () => {
  const get = (url: string, method = 'GET') => rendererProtocolHandler(join(dir, 'dist'))(new Request(url, { method }));

  it('serves the built renderer with the CSP', async () => {
    const res = await get('app://kiosk/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(await res.text()).toContain('<title>kiosk</title>');
    expect((await get('app://kiosk/')).status).toBe(200);
  });

  it('serves WebAssembly as application/wasm (streaming compile needs it)', async () => {
    const res = await get('app://kiosk/assets/decoder.wasm');
    expect(res.headers.get('content-type')).toBe('application/wasm');
  });

  it('goes through the session protocol registration', async () => {
    const res = await ses.protocolHandlers.get('app')!(new Request('app://kiosk/index.html'));
    expect(res.status).toBe(200);
  });

  it.each([
    'app://kiosk/../secret.txt',
    'app://kiosk/%2e%2e/secret.txt',
    'app://kiosk/..%2fsecret.txt',
    'app://kiosk/assets/..%2f..%2fsecret.txt',
    'app://other/index.html',
    'app://kiosk/assets',
    'app://kiosk/missing.js',
  ])('answers 404 for %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('not for the page');
  });

  it('refuses anything but GET and HEAD', async () => {
    expect((await get('app://kiosk/index.html', 'POST')).status).toBe(405);
    expect((await get('app://kiosk/index.html', 'HEAD')).status).toBe(200);
  });
});
