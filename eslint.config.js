// Lint for the whole tree. The rule that matters is the layering (who may import what, by
// folder and runtime); the rest is the TypeScript recommended set minus the style rules that
// code in progress trips over (unused names, bare expressions, ts-comments): tsc strict
// covers types, and `npm test` runs lint with --max-warnings=0 over everyone's files.
import { builtinModules } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tseslint from 'typescript-eslint';

const ROOT = dirname(fileURLToPath(import.meta.url));

// ─── Layering: who may import what, by top-level folder and by runtime suffix ───────────────
//
// Folders (what each may import besides itself; relative imports are resolved, so `../..`
// depth cannot hide a crossing):
//   protocol/   nothing of ours                  (the kiosk⇄central wire schemas)
//   contract/   protocol/, drivers' plain files  (the kiosk API: calls, events, errors, forms, bridge)
//   drivers/    nothing of ours
//   workflows/  contract/, protocol/, drivers/id/ (the browser-safe parsers)
//   renderer/   workflows/ and what workflows may import
//   central/    protocol/                        (another program: never the kiosk)
//   kiosk/      contract/, protocol/, drivers/
//   demo/       kiosk/, central/, contract/, protocol/ (the all-in-one composition)
//   test/, bench/, scripts/ and every *.test.* / *.spec.* file: anything (they run the programs)
//
// Runtimes, from the file name: `*.node.ts` Node, `*.main.ts` Electron main, `*.preload.ts`
// the sandboxed preload, `*.dom.ts`/`*.tsx` the browser, plain `*.ts` anywhere. A file never
// imports one of a runtime it cannot run in: a plain `.ts` imports only plain `.ts` (and no
// Node built-ins or Node-only packages); browser files import no `.node`/`.main`/`.preload`;
// Node files no `.dom`/`.tsx`/`.preload`. Only kiosk/shell/ imports `electron`.
const LAYERS = ['protocol', 'contract', 'drivers', 'workflows', 'renderer', 'central', 'kiosk', 'demo'];
const BROWSER_SAFE_DRIVERS = (target) => target.startsWith('drivers/id/');
const PLAIN_DRIVERS = (target) => target.startsWith('drivers/') && runtimeOf(target) === 'plain';
const MAY_IMPORT = {
  protocol: () => false,
  contract: (t, top) => top === 'protocol' || PLAIN_DRIVERS(t),
  drivers: () => false,
  workflows: (t, top) => top === 'contract' || top === 'protocol' || BROWSER_SAFE_DRIVERS(t),
  renderer: (t, top) => top === 'workflows' || MAY_IMPORT.workflows(t, top),
  central: (t, top) => top === 'protocol',
  kiosk: (t, top) => ['contract', 'protocol', 'drivers'].includes(top),
  demo: (t, top) => ['kiosk', 'central', 'contract', 'protocol'].includes(top),
};
const WHY = {
  protocol: 'protocol/ is the wire schemas both programs share: it imports nothing of ours.',
  contract:
    'contract/ is pure and shared by kiosk, renderer and workflows: it may import protocol/ and the plain files of drivers/, nothing else.',
  drivers: 'drivers/ imports nothing of ours (kiosk, contract, renderer, central, …).',
  workflows: 'workflows/ may import only contract/, protocol/ and the browser-safe parsers (drivers/id/).',
  renderer: 'renderer/ may import only workflows/, contract/, protocol/ and the browser-safe parsers (drivers/id/).',
  central:
    'central/ is another program: it may share protocol/, never kiosk/, contract/, drivers/, workflows/ or renderer/.',
  kiosk: 'kiosk/ may import contract/, protocol/ and drivers/; only demo/all-in-one.node.ts starts central with it.',
  demo: 'demo/ composes kiosk/ and central/; nothing else of ours.',
};

function runtimeOf(file) {
  if (/\.node\.[cm]?[jt]s$/.test(file)) return 'node';
  if (/\.main\.[jt]s$/.test(file)) return 'main';
  if (/\.preload\.[jt]s$/.test(file)) return 'preload';
  if (/\.dom\.[jt]sx?$/.test(file) || /\.tsx$/.test(file)) return 'dom';
  if (/\.(ts|js|mjs)$/.test(file)) return 'plain';
  return 'other'; // css, json, wasm, svg: assets
}
/** Which runtimes a file of each runtime may import. */
const RUNTIME_MAY_IMPORT = {
  plain: ['plain', 'other'],
  dom: ['plain', 'dom', 'other'],
  node: ['plain', 'node', 'other'],
  main: ['plain', 'node', 'main', 'other'],
  preload: ['plain', 'other'],
};

const isTestFile = (file) =>
  /\.(test|spec)\.[cm]?[jt]sx?$/.test(file) || /^(test|bench|scripts)\//.test(file) || /(^|\/)testing\//.test(file);

const bare = (names) => names.filter((n) => !n.startsWith('_') && !n.startsWith('node:'));
const NODE_BUILTINS = new Set(bare(builtinModules));
const NODE_ONLY_PACKAGES = [
  'better-sqlite3',
  'serialport',
  '@serialport',
  'pino',
  'pino-roll',
  'fastify',
  '@fastify',
  'pg',
  'ws',
  '@napi-rs/canvas',
  'node-thermal-printer',
];
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isNodeOnly = (spec) =>
  spec.startsWith('node:') ||
  NODE_BUILTINS.has(packageOf(spec)) ||
  NODE_ONLY_PACKAGES.some(
    (p) =>
      packageOf(spec) === p ||
      packageOf(spec).startsWith(`${p}/`) ||
      (p.startsWith('@') && !p.includes('/') && spec.startsWith(`${p}/`)),
  );
const REACT = ['react', 'react-dom', '@xstate/react'];

/**
 * Why `spec`, imported by `file` (both repo-relative), breaks the layering; null when it may.
 * test/unit/layering.test.ts proves each rule through ESLint itself (the rule below).
 */
function violation(file, spec) {
  const fromTop = file.split('/')[0];
  const test = isTestFile(file);
  const runtime = runtimeOf(file);
  if (!spec.startsWith('.')) {
    const pkg = packageOf(spec);
    if (pkg === 'electron' && !file.startsWith('kiosk/shell/'))
      return 'Only kiosk/shell/** (the Electron main process and preload) may import electron.';
    if (test || !LAYERS.includes(fromTop)) return null;
    if (
      ['renderer', 'workflows', 'contract', 'protocol'].includes(fromTop) ||
      runtime === 'plain' ||
      runtime === 'dom' ||
      runtime === 'preload'
    ) {
      if (isNodeOnly(spec))
        return `${file} runs in the browser or anywhere (${runtime === 'plain' ? 'a plain .ts' : fromTop + '/'}): no Node built-ins or Node-only packages (${spec}). Name it *.node.ts if it is Node only.`;
    }
    if (fromTop === 'workflows' && REACT.includes(pkg))
      return 'Workflows are pure XState machines: no React (the renderer reads them with @xstate/react).';
    return null;
  }
  const target = relative(ROOT, resolve(ROOT, dirname(file), spec.split('?')[0]))
    .split('\\')
    .join('/');
  if (target.startsWith('..')) return `${spec} leaves the repository.`;
  const toTop = target.split('/')[0];
  if (test || !LAYERS.includes(fromTop)) return null;
  if (toTop !== fromTop && !(MAY_IMPORT[fromTop]?.(target, toTop) ?? true))
    return `${WHY[fromTop]} (${file} imports ${target})`;
  const targetRuntime = runtimeOf(target);
  const allowed = RUNTIME_MAY_IMPORT[runtime];
  if (allowed && !allowed.includes(targetRuntime))
    return `A ${runtime === 'plain' ? 'plain .ts (runs anywhere)' : `*.${runtime} file`} may not import a ${targetRuntime === 'dom' ? '.dom/.tsx (browser)' : `.${targetRuntime}`} file: ${target}.`;
  return null;
}

const layeringPlugin = {
  rules: {
    imports: {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const file = relative(ROOT, context.filename).split('\\').join('/');
        const check = (node) => {
          const spec = node?.type === 'Literal' && typeof node.value === 'string' ? node.value : null;
          if (spec === null) return;
          const message = violation(file, spec);
          if (message) context.report({ node, message });
        };
        return {
          ImportDeclaration: (n) => check(n.source),
          ExportNamedDeclaration: (n) => n.source && check(n.source),
          ExportAllDeclaration: (n) => check(n.source),
          ImportExpression: (n) => check(n.source),
        };
      },
    },
  },
};

export default [
  {
    ignores: [
      'node_modules/**',
      'renderer/dist/**',
      'dist/**',
      '.tmp/**',
      '.data/**',
      'test-results/**',
      'playwright-report/**',
      'screenshots/**',
    ],
  },
  // A disable comment for a rule that is off here must not fail the run.
  { linterOptions: { reportUnusedDisableDirectives: 'off' } },
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-debugger': 'error',
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      '@typescript-eslint/no-unused-vars': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/ban-ts-comment': 'off',
    },
  },

  // Layering (see the top of this file): one rule that resolves every import.
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs,mts,cts}'],
    plugins: { layering: layeringPlugin },
    rules: { 'layering/imports': 'error' },
  },
  // Configuration only through kiosk/config/: the environment is read there and by the entry
  // points that hand it over (kiosk/start.node.ts, kioskctl, the Electron main), nowhere else.
  {
    files: ['kiosk/**', 'contract/**', 'drivers/**', 'workflows/**', 'renderer/**'],
    ignores: [
      'kiosk/config/**',
      'kiosk/start.node.ts',
      'kiosk/cli/kioskctl.node.ts',
      'kiosk/shell/**',
      '**/*.test.*',
      '**/testing/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Configuration only through kiosk/config/ (loadConfig, kioskEnv): take the value as a parameter.',
        },
      ],
    },
  },
];
