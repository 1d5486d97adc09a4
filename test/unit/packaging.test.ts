import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildShell, SHELL_MAIN } from '../../kiosk/shell/launch.node.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface BuilderConfig {
  asar: boolean;
  asarUnpack: string[];
  npmRebuild: boolean;
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; executableName: string };
  win: { target: string[] };
}
const builder = YAML.parse(read('electron-builder.yml')) as BuilderConfig;

/** A systemd unit as section → key → values (keys may repeat). */
function parseUnit(text: string): Record<string, Record<string, string[]>> {
  const unit: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[(\w+)\]$/.exec(line);
    if (header) {
      section = header[1]!;
      unit[section] ??= {};
      continue;
    }
    const eq = line.indexOf('=');
    const key = line.slice(0, eq);
    ((unit[section] ??= {})[key] ??= []).push(line.slice(eq + 1));
  }
  return unit;
}
const unit = (name: string) => parseUnit(read(`build/linux/${name}`));
const one = (u: Record<string, Record<string, string[]>>, section: string, key: string) => u[section]?.[key]?.at(-1);

describe('electron-builder.yml', () => {
  it('is valid for electron-builder (its own schema validation)', async () => {
    const require = createRequire(import.meta.url);
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    const logger = { isEnabled: false, add() {} };
    await expect(validateConfiguration(builder, logger)).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...builder, electronFuses: { ...builder.electronFuses, runAsNod: false } }, logger),
    ).rejects.toThrow(/electronFuses/);
  });

  it('builds AppImage and deb for Linux and an NSIS installer for Windows', () => {
    expect(builder.linux.target).toEqual(['AppImage', 'deb']);
    expect(builder.win.target).toEqual(['nsis']);
  });

  it('packs the app in an asar, unpacks the native modules and rebuilds them for Electron', () => {
    expect(builder.asar).toBe(true);
    expect(builder.npmRebuild).toBe(true);
    for (const native of ['better-sqlite3', 'serialport', '@serialport', '@napi-rs/canvas']) {
      expect(builder.asarUnpack).toContain(`node_modules/${native}/**`);
    }
    expect(builder.asarUnpack).toContain('**/*.node');
  });

  it('flips the Electron fuses', () => {
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('starts the bundled main process and ships the files it reads at run time', () => {
    expect(builder.extraMetadata.main).toBe('dist/shell/main.js');
    expect(builder.files).toEqual(
      expect.arrayContaining([
        'package.json',
        'dist/shell/**',
        'renderer/dist/**',
        'kiosk/store/migrations/*.sql',
        'drivers/printer/fonts/**',
      ]),
    );
    expect(readdirSync(join(root, 'kiosk/store/migrations')).some((f) => f.endsWith('.sql'))).toBe(true);
    expect(readdirSync(join(root, 'drivers/printer/fonts')).some((f) => f.endsWith('.ttf'))).toBe(true);
  });
});

describe('the shell bundle', () => {
  const out = join(root, 'dist/shell');
  buildShell();

  it('loads as an ES module with every package it imports resolvable (electron stubbed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shell-bundle-'));
    try {
      const stub = `data:text/javascript,${encodeURIComponent('export const app={}, BrowserWindow=class{}, ipcMain={}, powerSaveBlocker={}, protocol={}, safeStorage={}, session={}, Menu={}, contextBridge={}, ipcRenderer={};')}`;
      writeFileSync(
        join(dir, 'hooks.mjs'),
        `export async function resolve(s, c, next) { return s === 'electron' ? { url: ${JSON.stringify(stub)}, shortCircuit: true } : next(s, c); }`,
      );
      writeFileSync(
        join(dir, 'register.mjs'),
        `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(dir, 'hooks.mjs')).href)});`,
      );
      expect(SHELL_MAIN).toBe(join(out, 'main.js'));
      const main = pathToFileURL(SHELL_MAIN).href;
      const r = spawnSync(
        process.execPath,
        [
          '--import',
          pathToFileURL(join(dir, 'register.mjs')).href,
          '-e',
          `import(${JSON.stringify(main)}).then((m) => { const p = m.defaultShellPaths(); console.log(JSON.stringify({ runShell: typeof m.runShell, ...p })); })`,
        ],
        {
          cwd: dir,
          encoding: 'utf8',
        },
      );
      expect(r.stderr).toBe('');
      const loaded = JSON.parse(r.stdout) as { runShell: string; rendererDir: string; preload: string };
      expect(loaded.runShell).toBe('function');
      // Paths computed inside the bundle land where the files are, not next to the bundle.
      expect(loaded.rendererDir).toBe(join(root, 'renderer/dist'));
      expect(loaded.preload).toBe(join(out, 'preload.cjs'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('points the bundled core at the migrations and fonts in their source folders', () => {
    const code = readFileSync(join(out, 'main.js'), 'utf8');
    expect(code).toContain('new URL("../../kiosk/store/db.node.ts", import.meta.url)');
    expect(code).toContain('new URL("../../drivers/printer/raster.node.ts", import.meta.url)');
  });

  it('has a preload that only requires electron and exposes the bridge', () => {
    const exposed = new Map<string, unknown>();
    const required: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (k: string, v: unknown) => exposed.set(k, v) },
      ipcRenderer: { invoke: async () => null, on() {}, removeListener() {} },
    };
    const module = { exports: {} };
    const requireStub = (name: string) => {
      required.push(name);
      if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
      return electron;
    };
    // The web globals a sandboxed preload has; no process, no Buffer, no Node require.
    const web = {
      TextDecoder,
      TextEncoder,
      URL,
      URLSearchParams,
      setTimeout,
      clearTimeout,
      queueMicrotask,
      structuredClone,
      console,
    };
    vm.runInNewContext(readFileSync(join(out, 'preload.cjs'), 'utf8'), {
      ...web,
      require: requireStub,
      module,
      exports: module.exports,
    });
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(Object.keys(exposed.get('kioskBridge') as object).sort()).toEqual(['invoke', 'subscribe']);
  });
});

describe('the Linux units', () => {
  const kiosk = unit('onestop-kiosk.service');
  const web = unit('onestop-kiosk-web.service');
  const browser = unit('onestop-kiosk-browser.service');

  it.each([
    ['onestop-kiosk.service', kiosk],
    ['onestop-kiosk-web.service', web],
    ['onestop-kiosk-browser.service', browser],
  ])('%s restarts always, within start limits, hardened, enabled at boot', (_name, u) => {
    expect(one(u, 'Service', 'Restart')).toBe('always');
    expect(Number(one(u, 'Service', 'RestartSec'))).toBeGreaterThan(0);
    expect(Number(one(u, 'Unit', 'StartLimitIntervalSec'))).toBeGreaterThan(0);
    expect(Number(one(u, 'Unit', 'StartLimitBurst'))).toBeGreaterThan(0);
    expect(one(u, 'Service', 'NoNewPrivileges')).toBe('yes');
    expect(one(u, 'Service', 'ProtectSystem')).toBe('strict');
    expect(one(u, 'Service', 'User')).toBe('kiosk');
    expect(one(u, 'Install', 'WantedBy')).toMatch(/\.target$/);
  });

  it('runs the Electron build at boot, with its data dir writable and nothing else', () => {
    expect(one(kiosk, 'Service', 'ExecStart')).toBe(`/usr/bin/${builder.linux.executableName}`);
    expect(kiosk.Service?.Environment).toContain('KIOSK_DATA_DIR=/var/lib/onestop-kiosk');
    expect(one(kiosk, 'Service', 'ReadWritePaths')).toBe('/var/lib/onestop-kiosk');
    expect(one(kiosk, 'Install', 'WantedBy')).toBe('graphical.target');
  });

  it('runs the web host with --kiosk-only, a flag start.node.ts understands', () => {
    expect(one(web, 'Service', 'ExecStart')).toBe('/usr/bin/node --import tsx kiosk/start.node.ts --kiosk-only --web');
    expect(read('kiosk/start.node.ts')).toContain("'kiosk-only'");
    expect(web.Service?.Environment).toContain('KIOSK_DATA_DIR=/var/lib/onestop-kiosk');
    expect(one(web, 'Service', 'ReadWritePaths')).toBe('/var/lib/onestop-kiosk');
    expect(one(web, 'Service', 'PrivateTmp')).toBe('yes');
    expect(one(web, 'Service', 'ProtectHome')).toBe('yes');
    // Node's JIT needs writable+executable memory: this hardening option would kill it.
    expect(one(web, 'Service', 'MemoryDenyWriteExecute')).toBeUndefined();
  });

  it('points chromium --kiosk at the web host port, after the host, with policies for that origin', () => {
    const port = web.Service?.Environment?.find((e) => e.startsWith('KIOSK_HOST_PORT='))?.split('=')[1];
    expect(port).toMatch(/^\d+$/);
    const exec = one(browser, 'Service', 'ExecStart') ?? '';
    // The page opens only through a one-time launch address (docs/shell.md): minted at each start.
    expect(exec).toMatch(/^\/bin\/sh -c 'exec \/usr\/bin\/chromium --kiosk /);
    expect(exec).toContain(
      `KIOSK_HOST_PORT=${port} /usr/bin/node --import tsx kiosk/cli/kioskctl.node.ts launch-url)"`,
    );
    expect(exec).toContain('KIOSK_DATA_DIR=/var/lib/onestop-kiosk');
    expect(one(browser, 'Unit', 'After')).toContain('onestop-kiosk-web.service');
    expect(one(browser, 'Unit', 'Wants')).toBe('onestop-kiosk-web.service');
    const policy = JSON.parse(read('build/linux/chromium-policy.json')) as Record<string, unknown>;
    expect(policy.URLBlocklist).toEqual(['*']);
    expect(policy.URLAllowlist).toContain(`http://127.0.0.1:${port}/*`);
    expect(policy.VideoCaptureAllowedUrls).toEqual([`http://127.0.0.1:${port}`]);
    expect(policy.AudioCaptureAllowed).toBe(false);
    expect(policy.DeveloperToolsAvailability).toBe(2);
  });

  it('has no unit file left out of these checks', () => {
    expect(
      readdirSync(join(root, 'build/linux'))
        .filter((f) => f.endsWith('.service'))
        .sort(),
    ).toEqual(['onestop-kiosk-browser.service', 'onestop-kiosk-web.service', 'onestop-kiosk.service']);
    expect(existsSync(join(root, 'build/linux/chromium-policy.json'))).toBe(true);
  });
});
