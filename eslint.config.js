// Lint for the whole tree. The rule that matters is the layering (who may import what, by
// folder and runtime); the rest is the TypeScript recommended set minus the style rules that
// code in progress trips over (unused names, bare expressions, ts-comments): tsc strict
// covers types, and `npm test` runs lint with --max-warnings=0 over everyone's files.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const bare = (names) => names.filter((n) => !n.startsWith('_') && !n.startsWith('node:'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const anyOf = (names) => `^(${names.map(escape).join('|')})(/|$)`;

// Each restriction is a `no-restricted-imports` pattern. A folder's list is the union of the
// restrictions that apply to it: flat config replaces (not merges) a rule's options, so each
// file glob gets exactly one complete list.
const NO_ELECTRON = {
  regex: anyOf(['electron']),
  message: 'Only kiosk/shell/** (the Electron main process and preload) may import electron.',
};
const NO_NODE = [
  { regex: '^node:', message: 'This layer runs in the browser or is pure: no Node built-ins.' },
  { regex: anyOf(bare(builtinModules)), message: 'This layer runs in the browser or is pure: no Node built-ins.' },
  {
    regex: anyOf(['better-sqlite3', 'serialport', '@serialport']),
    message: 'Native modules live behind the kiosk core (kiosk/**, drivers/**), never in the renderer or workflows.',
  },
];
const NO_REACT = {
  regex: anyOf(['react', 'react-dom', '@xstate/react']),
  message: 'Workflows are pure XState machines: no React (the renderer reads them with @xstate/react).',
};
// Relative imports that climb out of the folder into another top-level layer.
const intoLayer = (layers, message) => ({ regex: `^(\\.\\./)+(${layers.join('|')})(/|$)`, message });
const NO_APP_FROM_DRIVERS = intoLayer(['kiosk', 'renderer', 'central'], 'drivers/ imports nothing of ours (kiosk, renderer, central).');
const NO_APP_FROM_CENTRAL = intoLayer(['kiosk', 'renderer'], 'central/ is a separate server: it may share protocol/, never kiosk/ or renderer/.');

const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns: patterns.flat() }] });

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

  // Layering, most general first; a later block for the same files replaces the list whole.
  { files: ['**/*.{ts,tsx,js,mjs,cjs,mts,cts}'], rules: restrict(NO_ELECTRON) },
  { files: ['kiosk/shell/**'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['renderer/**'], rules: restrict(NO_ELECTRON, NO_NODE) },
  { files: ['workflows/**'], rules: restrict(NO_ELECTRON, NO_NODE, NO_REACT) },
  // The API contract and the wire schemas are pure: the renderer and central import them.
  { files: ['contract/**', 'protocol/**'], rules: restrict(NO_ELECTRON, NO_NODE) },
  { files: ['drivers/**'], rules: restrict(NO_ELECTRON, NO_APP_FROM_DRIVERS) },
  { files: ['central/**'], rules: restrict(NO_ELECTRON, NO_APP_FROM_CENTRAL) },
];
