import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
export function spawnReady(entry: string, args: string[], env: NodeJS.ProcessEnv, readyPattern: RegExp, timeoutMs = 30_000): Promise<RunningProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
}

/** The real kiosk web host (kiosk only: no embedded central) on a free loopback port. */
export async function startKiosk(options: KioskOptions = {}): Promise<RunningProcess & { dataDir: string }> {
  const dataDir = options.dataDir ?? tmpDir('kiosk-data-');
  const proc = await spawnReady(
    'kiosk/start.node.ts',
    ['--kiosk-only', ...(options.args ?? [])],
    { KIOSK_DATA_DIR: dataDir, KIOSK_HOST_PORT: '0', KIOSK_CENTRAL_URL: 'http://127.0.0.1:9', ...options.env },
    /OneStop Kiosk ready: (http:\/\/\S+)/,
  );
  return Object.assign(proc, { dataDir });
}
