import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SHELL_MAIN = fileURLToPath(new URL('../../dist/shell/main.js', import.meta.url));

/** Bundles the shell (scripts/build-shell.mjs) into dist/shell; throws with esbuild's output on failure. */
export function buildShell(): void {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../scripts/build-shell.mjs', import.meta.url))], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`building the Electron shell failed:\n${r.stdout}${r.stderr}`);
}

/**
 * Starts Electron on the bundled shell, for `npm start` when an Electron binary is installed
 * (see findElectronBinary). The kiosk's KIOSK_* environment passes through;
 * ELECTRON_RUN_AS_NODE is removed, or the binary would run as plain Node.
 */
export function launchElectron(
  binary: string,
  env: NodeJS.ProcessEnv = process.env,
  args: readonly string[] = [],
): ChildProcess {
  const childEnv = { ...env };
  delete childEnv.ELECTRON_RUN_AS_NODE;
  return spawn(binary, [SHELL_MAIN, ...args], { cwd: ROOT, env: childEnv, stdio: 'inherit' });
}
