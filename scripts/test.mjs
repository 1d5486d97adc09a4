#!/usr/bin/env node
// `npm test`: every test, in order — types, lint, import cycles, formatting, renderer build, unit + integration (Vitest),
// end-to-end in Chromium (Playwright), Electron shell audit — then one closing line
// "N passed, N failed" that any CI reader understands. Exit code is non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const out = '.tmp/test-results';
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let passed = 0;
let failed = 0;
const failures = [];

function run(name, cmd, args, env = {}) {
  process.stdout.write(`\n=== ${name}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failures.push(`${name} (exit ${r.status ?? r.signal})`);
  return r.status === 0;
}

function step(name, cmd, args) {
  if (run(name, cmd, args)) passed += 1;
  else failed += 1;
}

step('typecheck', 'npx', ['tsc', '-p', '.', '--noEmit']);
step('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
step('import cycles', 'node', ['scripts/check-cycles.mjs']);
step('format', 'npx', ['prettier', '--check', '.']);
step('build', 'npx', ['vite', 'build', '--logLevel', 'warn']);

const vitestJson = join(out, 'vitest.json');
const vitestOk = run('unit + integration', 'npx', [
  'vitest',
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`,
]);
if (existsSync(vitestJson)) {
  const r = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += r.numPassedTests ?? 0;
  failed += (r.numFailedTests ?? 0) + (r.numFailedTestSuites ?? 0);
} else if (!vitestOk) failed += 1;

const pwJson = join(out, 'playwright.json');
const pwOk = run('end-to-end (Chromium)', 'npx', ['playwright', 'test', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson,
});
if (existsSync(pwJson)) {
  const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats ?? {};
  passed += (s.expected ?? 0) + (s.flaky ?? 0);
  failed += s.unexpected ?? 0;
  if (!pwOk && !s.unexpected) failed += 1;
} else if (!pwOk) failed += 1;

if (existsSync('scripts/electronegativity.mjs'))
  step('electron shell audit', 'node', ['scripts/electronegativity.mjs']);

if (failures.length) process.stdout.write(`\nFailed: ${failures.join(', ')}\n`);
process.stdout.write(`\n${passed} passed, ${failed} failed\n`);
process.exit(failures.length || failed ? 1 : 0);
