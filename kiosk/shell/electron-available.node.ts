import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronBinary = { available: true; path: string } | { available: false; reason: string };

/**
 * Finds an installed Electron binary without running `require('electron')`: electron's index.js
 * starts a download from GitHub when the binary is missing (and throws when that fails), which
 * must never happen from `npm start` on a kiosk or a machine without internet. This mirrors
 * its lookup: `path.txt` names the executable inside `dist/`; ELECTRON_OVERRIDE_DIST_PATH
 * points elsewhere.
 */
export function findElectronBinary(
  env: NodeJS.ProcessEnv = process.env,
  from: string = import.meta.url,
): ElectronBinary {
  let pkgDir: string;
  try {
    pkgDir = dirname(createRequire(from).resolve('electron/package.json'));
  } catch {
    return { available: false, reason: 'the electron package is not installed' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(env.ELECTRON_OVERRIDE_DIST_PATH, executable || 'electron');
    return existsSync(path)
      ? { available: true, path }
      : { available: false, reason: `no Electron binary at ${path} (ELECTRON_OVERRIDE_DIST_PATH)` };
  }
  if (!executable)
    return {
      available: false,
      reason:
        'the Electron binary was not downloaded (installed with ELECTRON_SKIP_BINARY_DOWNLOAD or allowScripts electron: false)',
    };
  const path = join(pkgDir, 'dist', executable);
  return existsSync(path)
    ? { available: true, path }
    : { available: false, reason: `the Electron binary is missing at ${path}` };
}
