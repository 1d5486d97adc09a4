import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-available.node.ts';
import { launchElectron, SHELL_MAIN } from './launch.node.ts';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'launch-'));
  // A stand-in Electron binary: records its arguments and environment, exits with code 3.
  writeFileSync(
    join(dir, 'electron'),
    `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(join(dir, 'seen.json'))}, JSON.stringify({ argv: process.argv.slice(2), env: process.env }));\nprocess.exit(3);\n`,
  );
  chmodSync(join(dir, 'electron'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

// Building the bundle is covered by test/unit/packaging.test.ts (one writer of dist/shell).
describe('launching Electron for npm start', () => {
  it('runs the found binary on the bundled main with the kiosk environment, never as plain Node', async () => {
    const found = findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: dir });
    expect(found.available).toBe(true);
    if (!found.available) return;
    const child = launchElectron(found.path, {
      PATH: process.env.PATH,
      KIOSK_DATA_DIR: join(dir, 'data'),
      ELECTRON_RUN_AS_NODE: '1',
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(3);
    const seen = JSON.parse(readFileSync(join(dir, 'seen.json'), 'utf8')) as {
      argv: string[];
      env: Record<string, string>;
    };
    expect(seen.argv).toEqual([SHELL_MAIN]);
    expect(seen.env.KIOSK_DATA_DIR).toBe(join(dir, 'data'));
    expect(seen.env).not.toHaveProperty('ELECTRON_RUN_AS_NODE');
  });
});
