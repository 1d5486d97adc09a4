#!/usr/bin/env node
// `npm test`'s import-cycle check: madge over every source folder, type imports included
// (a loop held closed by a type is still a loop to read). Prints each loop; exit 1 if any.
import madge from 'madge';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SOURCE_FOLDERS = [
  'contract',
  'protocol',
  'kiosk',
  'demo',
  'central',
  'drivers',
  'workflows',
  'renderer',
  'test',
  'bench',
  'scripts',
];

/** Every import loop under `root` (paths relative to it), as madge reports them. */
export async function findCycles(root, folders = SOURCE_FOLDERS) {
  const res = await madge(
    folders.map((f) => join(root, f)).filter((p) => existsSync(p)),
    {
      baseDir: root,
      fileExtensions: ['ts', 'tsx', 'mts', 'mjs'],
      excludeRegExp: [/node_modules/, /(^|\/)dist\//],
      detectiveOptions: { ts: { skipTypeImports: false }, tsx: { skipTypeImports: false } },
    },
  );
  return res.circular();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const cycles = await findCycles(root);
  for (const c of cycles) process.stdout.write(`import loop: ${c.join(' → ')} → ${c[0]}\n`);
  process.stdout.write(cycles.length ? `${cycles.length} import loop(s)\n` : 'no import loops\n');
  process.exit(cycles.length ? 1 : 0);
}
