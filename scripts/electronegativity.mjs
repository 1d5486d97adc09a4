#!/usr/bin/env node
// Electron shell audit for `npm test`: Electronegativity over kiosk/shell, failing on any finding
// of MEDIUM severity or higher. Electronegativity always exits 0, so the verdict comes from the
// findings its runner returns. A canary with a known-bad window runs first, so a scanner that silently parses nothing
// (a broken install) fails here instead of passing, and every shell file is first parsed with
// Electronegativity's own parser: it skips files it cannot parse without a word (it does not
// know `satisfies`, for one), which would hide their findings.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';

const FAILING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);
const electronVersion = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const work = '.tmp/electronegativity';
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const require = createRequire(import.meta.url);
const runElectronegativity = require('@doyensec/electronegativity/dist/runner.js');

/**
 * Runs Electronegativity over `input`, in this process, and returns its findings. Not through its
 * CLI's CSV: the CLI writes the CSV header and the rows with two unsynchronised `fs.writeFile`
 * calls, so on a fast machine the header can land last and truncate every row away (seen in CI:
 * the canary "found nothing"). Offline, its release-list and translation downloads fail at once
 * and it goes on with what it ships.
 */
async function scan(input) {
  const { issues, errors } = await runElectronegativity(
    {
      input: resolve(input),
      severitySet: 'MEDIUM',
      isRelative: true,
      electronVersionOverride: electronVersion,
    },
    false,
  );
  const broken = errors.filter((e) => !e.tolerable);
  if (broken.length) {
    process.stderr.write(
      `electronegativity could not read:\n  ${broken.map((e) => `${e.file}: ${e.message}`).join('\n  ')}\n`,
    );
    process.exit(1);
  }
  return issues.map((i) => ({
    issue: i.id,
    severity: i.severity.name.toUpperCase(),
    confidence: i.confidence.name,
    file: i.file,
    location: `${i.location.line}:${i.location.column}`,
    sample: i.sample ?? 'N/A',
  }));
}

const { Parser } = require('@doyensec/electronegativity/dist/parser/parser.js');
const parser = new Parser(false, true); // the arguments its runner uses
const sources = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.(ts|tsx|js|mjs|cjs)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
const unparsed = [];
for (const file of sources('kiosk/shell')) {
  try {
    parser.parse(file, readFileSync(file));
  } catch (err) {
    unparsed.push(`${file}: ${err.message}`);
  }
}
if (unparsed.length) {
  process.stderr.write(
    `Electronegativity cannot parse these files, so it would skip them:\n  ${unparsed.join('\n  ')}\n`,
  );
  process.exit(1);
}

const canaryDir = join(work, 'canary');
mkdirSync(canaryDir, { recursive: true });
writeFileSync(
  join(canaryDir, 'canary.main.ts'),
  "import { BrowserWindow } from 'electron';\nimport type { WebContents } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { contextIsolation: false, sandbox: false } });\nexport const c: WebContents = w.webContents as unknown as WebContents;\n",
);
const canary = await scan(canaryDir);
if (!canary.some((f) => f.issue === 'CONTEXT_ISOLATION_JS_CHECK')) {
  process.stderr.write(
    'electronegativity missed a contextIsolation: false window in the canary: the scan cannot be trusted\n',
  );
  process.exit(1);
}

const findings = await scan('kiosk/shell');
const failing = findings.filter((f) => FAILING.has(f.severity));
for (const f of findings) {
  process.stdout.write(
    `${FAILING.has(f.severity) ? 'FAIL' : 'note'} ${f.severity} ${f.issue} ${f.file}:${f.location} ${f.sample === 'N/A' ? '' : f.sample}\n`,
  );
}
process.stdout.write(
  `electronegativity ${electronVersion}: ${findings.length} finding(s) in kiosk/shell, ${failing.length} of MEDIUM or higher\n`,
);
process.exit(failing.length ? 1 : 0);
