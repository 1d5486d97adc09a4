import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchUrl } from '../../kiosk/host/launch.node.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface RunningProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote so far (stdout + stderr). */
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<void>;
  /** SIGKILL (power cut) and wait for exit. */
  kill(): Promise<void>;
}

export const tmpDir = (prefix = 'kiosk-test-') => mkdtempSync(join(tmpdir(), prefix));

/**
 * Spawns a Node entry point through tsx and waits for the line `<readyPrefix> <url>`.
 * Used for the kiosk web host and the central server: the real processes, as deployed.
 */
export function spawnReady(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyPattern: RegExp,
  timeoutMs = 30_000,
): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${entry} did not become ready in ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const match = readyPattern.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null) child.kill('SIGTERM');
            await exited;
          },
          kill: async () => {
            if (child.exitCode === null) child.kill('SIGKILL');
            await exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code} before it was ready:\n${out}`));
    });
  });
}

export interface KioskOptions {
  dataDir?: string;
  env?: NodeJS.ProcessEnv;
  args?: string[];
  /**
   * false: start like a new kiosk (no credential), so the setup wizard shows. Default: a test
   * credential is written first (see provisionForTest) and the citizen screens show.
   */
  provisioned?: boolean;
}

/**
 * Makes a data directory look enrolled without a central: a device credential (0600) for a
 * made-up device. Central is unreachable in such tests, so the token is never checked.
 */
export function provisionForTest(dataDir: string, centralUrl = 'http://127.0.0.1:9'): void {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) return;
  const credentials = {
    deviceId: 'dev_e2e-test-kiosk-000',
    token: randomBytes(32).toString('base64url'),
    officeId: 'demo',
    officeName: 'Demo',
    centralUrl,
    enrolledAt: new Date().toISOString(),
  };
  writeFileSync(file, `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
}

export type LaunchedKiosk = RunningProcess & { readonly origin: string };

/**
 * Spawns `kiosk/start.node.ts` and acts as its launcher: it holds the launch secret (given in the
 * environment, as a launcher would), so every read of `url` is a fresh one-time launch address
 * that opens the page in one browser context (kiosk/host/launch.node.ts). `origin` is the plain
 * address (it shows the page only to a launched browser).
 */
export async function spawnKiosk(args: string[], env: NodeJS.ProcessEnv, timeoutMs?: number): Promise<LaunchedKiosk> {
  const secret = randomBytes(32).toString('base64url');
  const proc = await spawnReady(
    'kiosk/start.node.ts',
    args,
    { KIOSK_HOST_LAUNCH_SECRET: secret, ...env },
    /OneStop Kiosk ready: (http:\/\/\S+)/,
    timeoutMs,
  );
  const origin = proc.url;
  const kiosk = Object.assign(proc, { origin });
  Object.defineProperty(kiosk, 'url', { get: () => launchUrl(origin, secret), enumerable: true });
  return kiosk;
}

/** The kiosk page as its launched browser gets it: spends the launch code, keeps the session cookie. */
export async function fetchKioskPage(launch: string): Promise<string> {
  const first = await fetch(launch, { redirect: 'manual' });
  const cookie = first.headers.get('set-cookie')?.split(';')[0];
  if (first.status !== 303 || !cookie) throw new Error(`launch address refused: ${first.status}`);
  return (await fetch(new URL('/', launch), { headers: { cookie } })).text();
}

/** The real kiosk web host (kiosk only: no embedded central) on a free loopback port. */
export async function startKiosk(options: KioskOptions = {}): Promise<LaunchedKiosk & { dataDir: string }> {
  const dataDir = options.dataDir ?? tmpDir('kiosk-data-');
  if (options.provisioned !== false) provisionForTest(dataDir, options.env?.KIOSK_CENTRAL_URL ?? 'http://127.0.0.1:9');
  const proc = await spawnKiosk(['--kiosk-only', '--web', ...(options.args ?? [])], {
    KIOSK_DATA_DIR: dataDir,
    KIOSK_HOST_PORT: '0',
    KIOSK_CENTRAL_URL: 'http://127.0.0.1:9',
    ...options.env,
  });
  return Object.assign(proc, { dataDir });
}

export interface CentralProcess extends RunningProcess {
  /** The central's SQLite file. */
  readonly db: string;
  /** A one-time enrolment code for an office (default: the first demo office), via `central issue-code`. */
  issueCode(officeId?: string): string;
  /** Revokes a device, via `central revoke`. */
  revoke(deviceId: string): void;
}

/** Runs the real `kioskctl` (for a kiosk's data directory when given) and returns what it printed. */
export const kioskctl = (args: string[], dataDir?: string) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'kiosk/cli/kioskctl.node.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, KIOSKCTL_ENTRY: '1', ...(dataDir ? { KIOSK_DATA_DIR: dataDir } : {}) },
    encoding: 'utf8',
  });

/** Runs central's own command line (`npm run central -- …`) and returns what it printed. */
export const centralctl = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'central/cli.node.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, CENTRAL_CLI_ENTRY: '1' },
    encoding: 'utf8',
  });

/** The real central server (tmp SQLite, demo offices seeded) on a free loopback port. */
export async function startCentral(options: { db?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CentralProcess> {
  const db = options.db ?? join(tmpDir('central-data-'), 'central.sqlite');
  const proc = await spawnReady(
    'central/main.node.ts',
    ['--port', '0', '--db', db, '--seed'],
    options.env ?? {},
    /central listening on (http:\/\/\S+)/,
  );
  return Object.assign(proc, {
    db,
    issueCode(officeId = 'ca-mau-an-xuyen') {
      const out = centralctl(['issue-code', '--office', officeId, '--db', db]);
      const code = /\b([A-Z0-9]{4}-[A-Z0-9]{4})\b/.exec(out)?.[1];
      if (!code) throw new Error(`no enrolment code in: ${out}`);
      return code;
    },
    revoke(deviceId: string) {
      centralctl(['revoke', deviceId, '--db', db]);
    },
  });
}
