import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-available.node.ts';

let dir: string;
let from: string;
let pkg: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'electron-bin-'));
  pkg = join(dir, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0', main: 'index.js' }));
  // An index.js that would "download": finding the binary must never load it.
  writeFileSync(join(pkg, 'index.js'), "throw new Error('downloading Electron')");
  from = pathToFileURL(join(dir, 'start.js')).href;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the Electron binary', () => {
  it('reports it missing when only the types were installed, without loading electron', () => {
    const found = findElectronBinary({}, from);
    expect(found.available).toBe(false);
    if (!found.available) expect(found.reason).toContain('not downloaded');
  });

  it('reports it missing when path.txt names a file that is not there', () => {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    expect(findElectronBinary({}, from).available).toBe(false);
  });

  it('finds the executable path.txt names inside dist/', () => {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
    expect(findElectronBinary({}, from)).toEqual({ available: true, path: join(pkg, 'dist', 'electron') });
  });

  it('follows ELECTRON_OVERRIDE_DIST_PATH', () => {
    const other = join(dir, 'custom');
    mkdirSync(other);
    writeFileSync(join(other, 'electron'), '');
    expect(findElectronBinary({ ELECTRON_OVERRIDE_DIST_PATH: other }, from)).toEqual({
      available: true,
      path: join(other, 'electron'),
    });
  });

  it('reports a missing electron package', () => {
    rmSync(pkg, { recursive: true });
    expect(findElectronBinary({}, from)).toEqual({ available: false, reason: 'the electron package is not installed' });
  });

  it('answers on this machine without throwing', () => {
    expect(() => findElectronBinary()).not.toThrow();
  });
});
