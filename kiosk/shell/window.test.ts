import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fake, FakeBrowserWindow, FakeEvent, type FakeWebContents } from './testing/fake-electron.node.ts';
import { HOME_URL } from './policy.ts';
import { createKioskWindow, RETRY_LOAD_MS, type ShellIncident } from './window.main.ts';

vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron);

let incidents: ShellIncident[];
let win: FakeBrowserWindow;
let contents: FakeWebContents;

beforeEach(() => {
  fake.reset();
  incidents = [];
  createKioskWindow({ record: (i) => incidents.push(i) });
  win = FakeBrowserWindow.instances[0]!;
  contents = win.webContents;
});

const key = (k: string, mods: { control?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {}) => {
  const event = new FakeEvent();
  contents.emit('before-input-event', event, { type: 'keyDown', key: k, ...mods });
  return event.defaultPrevented;
};

describe('the kiosk window', () => {
  it('is one full-screen kiosk-mode window without a menu, showing the app home page', () => {
    expect(FakeBrowserWindow.instances).toHaveLength(1);
    expect(win.options).toMatchObject({ kiosk: true, fullscreen: true, frame: false, autoHideMenuBar: true });
    expect(fake.applicationMenu).toBeNull();
    expect(win.menu).toBeNull();
    expect(win.loaded).toEqual([HOME_URL]);
    win.emit('ready-to-show');
    expect(win.shown).toBe(true);
  });

  it('runs the page sandboxed and context-isolated, without Node, webviews, devtools or insecure content', () => {
    expect(win.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      devTools: false,
    });
    expect(win.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('refuses navigation and redirects away from the app, and records them', () => {
    for (const channel of ['will-navigate', 'will-redirect']) {
      const away = new FakeEvent();
      contents.emit(channel, away, 'https://example.com/phish');
      expect(away.defaultPrevented).toBe(true);
      const file = new FakeEvent();
      contents.emit(channel, file, 'file:///etc/passwd');
      expect(file.defaultPrevented).toBe(true);
      const own = new FakeEvent();
      contents.emit(channel, own, 'app://kiosk/index.html');
      expect(own.defaultPrevented).toBe(false);
    }
    expect(incidents.filter((i) => i.kind === 'navigation-refused')).toHaveLength(4);
  });

  it('refuses a sub-frame navigating to another origin', () => {
    const event = new FakeEvent({ url: 'https://example.com/', isMainFrame: false });
    contents.emit('will-frame-navigate', event);
    expect(event.defaultPrevented).toBe(true);
  });

  it('denies every new window and every <webview>', () => {
    expect(contents.windowOpenHandler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'app://kiosk/index.html' })).toEqual({ action: 'deny' });
    const webview = new FakeEvent();
    contents.emit('will-attach-webview', webview, {}, {});
    expect(webview.defaultPrevented).toBe(true);
  });

  it.each([
    ['F5', {}],
    ['r', { control: true }],
    ['R', { control: true, shift: true }],
    ['r', { meta: true }],
    ['w', { control: true }],
    ['q', { control: true }],
    ['F4', { alt: true }],
    ['F11', {}],
    ['F12', {}],
    ['I', { control: true, shift: true }],
    ['J', { control: true, shift: true }],
    ['C', { control: true, shift: true }],
    ['=', { control: true }],
    ['+', { control: true, shift: true }],
    ['-', { control: true }],
    ['0', { control: true }],
    ['p', { control: true }],
    ['n', { control: true }],
    ['ArrowLeft', { alt: true }],
    ['BrowserBack', {}],
  ])('swallows the shortcut %s %o', (k, mods) => {
    expect(key(k, mods)).toBe(true);
  });

  it.each([['a'], ['Z'], ['5'], ['Enter'], ['Backspace'], [' '], ['ế']])('lets plain typing of %s through', (k) => {
    expect(key(k)).toBe(false);
    expect(key(k, { shift: true })).toBe(false);
  });

  it('keeps copy usable for typing into forms', () => {
    expect(key('c', { control: true })).toBe(false);
  });

  it('undoes any zoom and locks pinch zoom once the page has loaded', () => {
    contents.zoomFactor = 1.5;
    contents.emit('zoom-changed', new FakeEvent(), 'in');
    expect(contents.zoomFactor).toBe(1);
    contents.emit('did-finish-load');
    expect(contents.visualZoomLimits).toEqual([1, 1]);
  });

  it('reloads the home page when the renderer crashes, and records it', () => {
    contents.emit('render-process-gone', new FakeEvent(), { reason: 'crashed', exitCode: 139 });
    expect(win.loaded).toEqual([HOME_URL, HOME_URL]);
    expect(incidents).toContainEqual({ kind: 'renderer-gone', reason: 'crashed', exitCode: 139 });
    contents.emit('render-process-gone', new FakeEvent(), { reason: 'oom', exitCode: 0 });
    expect(win.loaded).toHaveLength(3);
  });

  it('does not reload after a clean exit (the window is closing)', () => {
    contents.emit('render-process-gone', new FakeEvent(), { reason: 'clean-exit', exitCode: 0 });
    expect(win.loaded).toEqual([HOME_URL]);
  });

  it('retries the home page a few seconds after it failed to load', () => {
    vi.useFakeTimers();
    try {
      contents.emit('did-fail-load', new FakeEvent(), -6, 'ERR_FILE_NOT_FOUND', HOME_URL, true);
      expect(incidents).toContainEqual({ kind: 'load-failed', code: -6, description: 'ERR_FILE_NOT_FOUND' });
      expect(win.loaded).toHaveLength(1);
      vi.advanceTimersByTime(RETRY_LOAD_MS);
      expect(win.loaded).toEqual([HOME_URL, HOME_URL]);
      // An aborted load (replaced by another) and a sub-frame failure are not retried.
      contents.emit('did-fail-load', new FakeEvent(), -3, 'ERR_ABORTED', HOME_URL, true);
      contents.emit('did-fail-load', new FakeEvent(), -6, 'ERR_FILE_NOT_FOUND', 'app://kiosk/x', false);
      vi.advanceTimersByTime(RETRY_LOAD_MS);
      expect(win.loaded).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('kills a hung renderer, which then comes back at home', () => {
    win.emit('unresponsive');
    expect(contents.crashed).toBe(1);
    expect(incidents).toContainEqual({ kind: 'renderer-unresponsive' });
    contents.emit('render-process-gone', new FakeEvent(), { reason: 'killed', exitCode: 9 });
    expect(win.loaded.at(-1)).toBe(HOME_URL);
  });
});
