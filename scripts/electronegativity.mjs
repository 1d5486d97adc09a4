#!/usr/bin/env node
// Electron shell audit for `npm test`: Electronegativity over kiosk/shell, failing on any finding
// of MEDIUM severity or higher. Electronegativity always exits 0, so the verdict comes from its
// CSV. A canary with a known-bad window runs first, so a scanner that silently parses nothing
// (a broken install) fails here instead of passing, and every shell file is first parsed with
// Electronegativity's own parser: it skips files it cannot parse without a word (it does not
// know `satisfies`, for one), which would hide their findings.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const FAILING = new Set(['MEDIUM', 'HIGH', 'CRITICAL']);
const electronVersion = JSON.parse(readFileSync('node_modules/electron/package.json', 'utf8')).version;
const work = '.tmp/electronegativity';
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

/** RFC 4180-ish: quoted fields may hold commas, quotes are doubled. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field.trim());
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field.trim());
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  row.push(field.trim());
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

/** Runs Electronegativity over `input` and returns its findings as objects. */
function scan(input, name) {
  const csv = join(work, `${name}.csv`);
  const r = spawnSync(
    'npx',
    ['electronegativity', '-i', input, '-o', csv, '-e', electronVersion, '-s', 'MEDIUM', '-r', '-v', 'false'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0 || !existsSync(csv)) {
    process.stderr.write(
      `${r.stdout ?? ''}${r.stderr ?? ''}\nelectronegativity did not produce ${csv} (exit ${r.status})\n`,
    );
    process.exit(1);
  }
  const [header, ...rows] = parseCsv(readFileSync(csv, 'utf8'));
  const col = (key) => header.findIndex((h) => h.toLowerCase() === key);
  const at = {
    issue: col('issue'),
    severity: col('severity'),
    confidence: col('confidence'),
    file: col('filename'),
    location: col('location'),
    sample: col('sample'),
  };
  if (Object.values(at).some((i) => i < 0)) {
    process.stderr.write(`unexpected CSV header: ${header.join(', ')}\n`);
    process.exit(1);
  }
  return rows.map((r) => ({
    issue: r[at.issue],
    severity: r[at.severity].toUpperCase(),
    confidence: r[at.confidence],
    file: r[at.file],
    location: r[at.location],
    sample: r[at.sample],
  }));
}

const { Parser } = createRequire(import.meta.url)('@doyensec/electronegativity/dist/parser/parser.js');
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
const canary = scan(canaryDir, 'canary');
if (!canary.some((f) => f.issue === 'CONTEXT_ISOLATION_JS_CHECK')) {
  process.stderr.write(
    'electronegativity missed a contextIsolation: false window in the canary: the scan cannot be trusted\n',
  );
  process.exit(1);
}

const findings = scan('kiosk/shell', 'shell');
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
