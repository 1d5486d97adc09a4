import { BrowserWindow, Menu } from 'electron';
import type { WebContents } from 'electron';
import { HOME_URL, isAppUrl, isBlockedShortcut } from './policy.ts';

/** Something the shell noticed and recovered from; the host logs and audits it. */
export type ShellIncident =
  | { kind: 'renderer-gone'; reason: string; exitCode: number }
  | { kind: 'renderer-unresponsive' }
  | { kind: 'load-failed'; code: number; description: string }
  | { kind: 'navigation-refused'; url: string }
  | { kind: 'window-open-refused'; url: string }
  | { kind: 'webview-refused' }
  | { kind: 'ipc-refused'; reason: string }
  | { kind: 'permission-refused'; permission: string };

export type RecordIncident = (incident: ShellIncident) => void;

// Chromium's net::ERR_ABORTED: a navigation replaced by another one, not a failure.
const ERR_ABORTED = -3;
export const RETRY_LOAD_MS = 5_000;

export interface KioskWindowOptions {
  record: RecordIncident;
  /** Where "home" is; tests and the packaged app both use the app:// renderer. */
  homeUrl?: string;
}

/**
 * Locks down any web contents, the window's and any other that might appear: no navigation
 * away from the app, no new windows, no <webview>, no shortcuts that reload/close/zoom/open
 * developer tools, and no zoom at all (pinch or Ctrl+wheel).
 */
const hardened = new WeakSet<WebContents>();

export function hardenWebContents(contents: WebContents, record: RecordIncident): void {
  // Applied from both the window factory and app 'web-contents-created': once is enough.
  if (hardened.has(contents)) return;
  hardened.add(contents);
  const refuseNavigation = (event: { preventDefault(): void }, url: string) => {
    if (isAppUrl(url)) return;
    event.preventDefault();
    record({ kind: 'navigation-refused', url: url.slice(0, 200) });
  };
  contents.on('will-navigate', refuseNavigation);
  contents.on('will-redirect', refuseNavigation);
  // Sub-frames too (the main frame already passed through will-navigate).
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) refuseNavigation(event, event.url);
  });
  contents.setWindowOpenHandler(({ url }) => {
    record({ kind: 'window-open-refused', url: url.slice(0, 200) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    record({ kind: 'webview-refused' });
  });
  contents.on('before-input-event', (event, input) => {
    if (isBlockedShortcut(input)) event.preventDefault();
  });
  contents.on('zoom-changed', () => contents.setZoomFactor(1));
  contents.on('did-finish-load', () => {
    contents.setZoomFactor(1);
    void contents.setVisualZoomLevelLimits(1, 1);
  });
}

/**
 * The one window of the kiosk: full screen in kiosk mode, no menu, sandboxed and
 * context-isolated renderer on the app:// origin. A renderer that crashes is reloaded at
 * home; one that hangs is killed (which then reloads it). Both are recorded.
 */
export function createKioskWindow(options: KioskWindowOptions): BrowserWindow {
  const home = options.homeUrl ?? HOME_URL;
  Menu.setApplicationMenu(null);
  // The options stay a literal here so Electronegativity can read them.
  const win = new BrowserWindow({
    kiosk: true,
    fullscreen: true,
    frame: false,
    autoHideMenuBar: true,
    show: false,
    backgroundColor: '#ffffff',
    title: 'OneStop Kiosk',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      devTools: false,
      spellcheck: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      // Speech prompts start without a tap on the idle attract screen.
      autoplayPolicy: 'no-user-gesture-required',
    },
  });
  win.setMenu(null);
  const contents = win.webContents;
  hardenWebContents(contents, options.record);

  const goHome = () => {
    if (!win.isDestroyed()) void win.loadURL(home);
  };
  contents.on('render-process-gone', (_event, details) => {
    options.record({ kind: 'renderer-gone', reason: details.reason, exitCode: details.exitCode });
    // A clean exit happens when the window itself goes away; anything else gets a fresh page.
    if (details.reason !== 'clean-exit') goHome();
  });
  win.on('unresponsive', () => {
    options.record({ kind: 'renderer-unresponsive' });
    // Killing the renderer fires render-process-gone, which reloads it at home.
    if (!contents.isDestroyed()) contents.forcefullyCrashRenderer();
  });
  // A page that does not load (renderer not built, disk error) is retried rather than left blank.
  contents.on('did-fail-load', (_event, errorCode, errorDescription, _url, isMainFrame) => {
    if (!isMainFrame || errorCode === ERR_ABORTED) return;
    options.record({ kind: 'load-failed', code: errorCode, description: errorDescription });
    setTimeout(goHome, RETRY_LOAD_MS).unref?.();
  });
  win.once('ready-to-show', () => win.show());
  goHome();
  return win;
}
