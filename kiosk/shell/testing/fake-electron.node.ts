/**
 * A stand-in for the `electron` module in unit tests (the Electron binary cannot run here).
 * It records what the shell asks of Electron and lets a test fire the events Electron would.
 * Use: `vi.mock('electron', async () => (await import('./testing/fake-electron.node.ts')).electron)`.
 */
import { EventEmitter } from 'node:events';

type Handler = (...args: never[]) => unknown;

/** An Electron-style event: `preventDefault()` is remembered. */
export class FakeEvent {
  defaultPrevented = false;
  constructor(extra: Record<string, unknown> = {}) {
    Object.assign(this, extra);
  }
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

export class FakeFrame {
  constructor(public url: string) {}
}

export class FakeWebContents extends EventEmitter {
  mainFrame = new FakeFrame('app://kiosk/index.html');
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  zoomFactor = 1;
  visualZoomLimits: [number, number] | null = null;
  crashed = 0;
  sent: unknown[][] = [];
  destroyed = false;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  setZoomFactor(f: number): void {
    this.zoomFactor = f;
  }
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.visualZoomLimits = [min, max];
    return Promise.resolve();
  }
  forcefullyCrashRenderer(): void {
    this.crashed += 1;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  webContents = new FakeWebContents();
  loaded: string[] = [];
  menu: unknown = 'default';
  shown = false;
  focused = 0;
  constructor(public options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  setMenu(menu: unknown): void {
    this.menu = menu;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {
    this.focused += 1;
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return false;
  }
}

export class FakeSession extends EventEmitter {
  protocolHandlers = new Map<string, (req: Request) => Promise<Response>>();
  protocol = {
    handle: (scheme: string, fn: (req: Request) => Promise<Response>) => void this.protocolHandlers.set(scheme, fn),
  };
  headersHandler: Handler | null = null;
  beforeRequestHandler: Handler | null = null;
  webRequest = {
    onHeadersReceived: (fn: Handler) => void (this.headersHandler = fn),
    onBeforeRequest: (fn: Handler) => void (this.beforeRequestHandler = fn),
  };
  permissionRequest:
    ((contents: unknown, permission: string, cb: (ok: boolean) => void, details: unknown) => void) | null = null;
  permissionCheck:
    ((contents: unknown, permission: string, origin: string, details: Record<string, unknown>) => boolean) | null =
    null;
  devicePermission: ((details: unknown) => boolean) | null = null;
  displayMedia: Handler | null = null;
  spellChecker = true;
  preloads: Array<Record<string, unknown>> = [];
  registerPreloadScript(script: Record<string, unknown>): string {
    this.preloads.push(script);
    return String(script.id);
  }
  setPermissionRequestHandler(fn: FakeSession['permissionRequest']): void {
    this.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn: FakeSession['permissionCheck']): void {
    this.permissionCheck = fn;
  }
  setDevicePermissionHandler(fn: FakeSession['devicePermission']): void {
    this.devicePermission = fn;
  }
  setDisplayMediaRequestHandler(fn: Handler): void {
    this.displayMedia = fn;
  }
  setSpellCheckerEnabled(on: boolean): void {
    this.spellChecker = on;
  }
}

class FakeApp extends EventEmitter {
  singleInstanceLock = true;
  quits = 0;
  exits: number[] = [];
  relaunches = 0;
  sandboxed = false;
  userData = '';
  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }
  quit(): void {
    this.quits += 1;
  }
  exit(code = 0): void {
    this.exits.push(code);
  }
  relaunch(): void {
    this.relaunches += 1;
  }
  enableSandbox(): void {
    this.sandboxed = true;
  }
  whenReady(): Promise<void> {
    return Promise.resolve();
  }
  getPath(): string {
    return this.userData;
  }
  setPath(name: string, path: string): void {
    if (name === 'userData') this.userData = path;
  }
}

export class FakeIpcMain {
  handlers = new Map<string, (event: unknown, ...args: unknown[]) => unknown>();
  handle(channel: string, fn: (event: unknown, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

export class FakeIpcRenderer extends EventEmitter {
  invoked: unknown[][] = [];
  answer: unknown = { ok: true, value: null };
  invoke(...args: unknown[]): Promise<unknown> {
    this.invoked.push(args);
    return Promise.resolve(this.answer);
  }
}

/** Everything the fake records, for assertions; `reset()` between tests. */
export const fake = {
  app: new FakeApp(),
  ipcMain: new FakeIpcMain(),
  ipcRenderer: new FakeIpcRenderer(),
  session: new FakeSession(),
  exposed: new Map<string, unknown>(),
  applicationMenu: 'default' as unknown,
  privilegedSchemes: [] as unknown[],
  blockers: new Map<number, string>(),
  /** Whether the fake OS keyring is there (safeStorage.isEncryptionAvailable). */
  encryptionAvailable: true,
  reset(): void {
    this.encryptionAvailable = true;
    this.app = new FakeApp();
    this.ipcMain = new FakeIpcMain();
    this.ipcRenderer = new FakeIpcRenderer();
    this.session = new FakeSession();
    this.exposed = new Map();
    this.applicationMenu = 'default';
    this.privilegedSchemes = [];
    this.blockers = new Map();
    FakeBrowserWindow.instances = [];
  },
};

let blockerId = 0;

/** The module object `vi.mock('electron')` returns: getters so `reset()` takes effect. */
export const electron = {
  get app() {
    return fake.app;
  },
  get ipcMain() {
    return fake.ipcMain;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  BrowserWindow: FakeBrowserWindow,
  Menu: {
    setApplicationMenu(menu: unknown) {
      fake.applicationMenu = menu;
    },
  },
  protocol: {
    registerSchemesAsPrivileged(schemes: unknown[]) {
      fake.privilegedSchemes.push(...schemes);
    },
  },
  session: {
    get defaultSession() {
      return fake.session;
    },
  },
  // A reversible stand-in for the OS keyring: enough to see that secrets never hit disk in clear.
  safeStorage: {
    isEncryptionAvailable: () => fake.encryptionAvailable,
    encryptString: (plain: string) => Buffer.from(`sealed:${Buffer.from(plain, 'utf8').toString('base64')}`),
    decryptString: (data: Buffer) => Buffer.from(data.toString().replace(/^sealed:/, ''), 'base64').toString('utf8'),
  },
  powerSaveBlocker: {
    start(type: string) {
      blockerId += 1;
      fake.blockers.set(blockerId, type);
      return blockerId;
    },
    isStarted: (id: number) => fake.blockers.has(id),
    stop: (id: number) => void fake.blockers.delete(id),
  },
  contextBridge: {
    exposeInMainWorld(key: string, api: unknown) {
      if (fake.exposed.has(key)) throw new Error(`${key} exposed twice`);
      fake.exposed.set(key, api);
    },
  },
};
