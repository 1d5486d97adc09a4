#!/usr/bin/env node
// Bundles the Electron shell for Electron to load: dist/shell/main.js (ES module, main process)
// and dist/shell/preload.cjs (CommonJS: sandboxed preloads cannot be ES modules). npm packages
// stay external in the main bundle (native ones are rebuilt for Electron by electron-builder and
// unpacked from the asar); the preload bundles everything it uses, since a sandboxed preload can
// only require a few Electron modules.
//
// Our sources find files next to themselves with `new URL('./x', import.meta.url)` (migrations,
// printer fonts, package.json). Inside one bundle every module would share the bundle's URL, so
// each `import.meta.url` is rewritten to the URL of the source file it was written in,
// expressed relative to the bundle; the packaged app ships those files at the same places.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = resolve(root, 'dist/shell');

const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|tsx|mts|js|mjs)$/ }, async (args) => {
      if (/[\\/]node_modules[\\/]/.test(args.path)) return undefined;
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const fromBundle = relative(outdir, args.path).split('\\').join('/');
      const contents = text.replaceAll(
        'import.meta.url',
        `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`,
      );
      return {
        contents,
        loader: args.path.endsWith('x') ? 'tsx' : args.path.endsWith('.ts') || args.path.endsWith('.mts') ? 'ts' : 'js',
      };
    });
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: root,
  legalComments: 'none',
};

const [main, preload] = await Promise.all([
  build({
    ...common,
    entryPoints: ['kiosk/shell/main.main.ts'],
    outfile: 'dist/shell/main.js',
    format: 'esm',
    packages: 'external',
    plugins: [sourceUrls],
    metafile: true,
  }),
  build({
    ...common,
    entryPoints: ['kiosk/shell/preload.preload.ts'],
    outfile: 'dist/shell/preload.cjs',
    format: 'cjs',
    external: ['electron'],
    minify: true,
    metafile: true,
  }),
]);

for (const [name, result] of [
  ['main', main],
  ['preload', preload],
]) {
  for (const [file, out] of Object.entries(result.metafile.outputs)) {
    if (!file.endsWith('.map'))
      process.stdout.write(`${name}: ${relative(root, resolve(root, file))} ${(out.bytes / 1024).toFixed(0)} KiB\n`);
  }
}
// The preload must not pull Node in: a sandboxed preload cannot require it.
const preloadImports = Object.values(preload.metafile.inputs).flatMap((i) =>
  i.imports.filter((im) => im.external).map((im) => im.path),
);
const foreign = preloadImports.filter((p) => p !== 'electron');
if (foreign.length) {
  process.stderr.write(
    `preload requires modules a sandboxed preload cannot load: ${[...new Set(foreign)].join(', ')}\n`,
  );
  process.exit(1);
}
