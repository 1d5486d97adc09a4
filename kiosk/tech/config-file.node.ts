import { existsSync, readFileSync } from 'node:fs';
import { configFile, KioskConfig } from '../config/config.node.ts';
import { writeFileAtomic } from '../store/atomic-file.node.ts';

/**
 * Reading and writing `<dataDir>/kiosk.json` for `kioskctl config set/export/import`, the setup
 * wizard and the settings screen. Every write is validated against the whole config schema
 * first, so a bad value never reaches the file the kiosk starts from.
 */

export type ConfigFile = Record<string, unknown>;

/** Keys a technician may change (dataDir comes from the environment, never from the file). */
export const SETTABLE_KEYS = Object.keys(KioskConfig.shape).filter((k) => k !== 'dataDir') as Array<
  Exclude<keyof KioskConfig, 'dataDir'>
>;

/** Kept out of exports unless `--with-secrets`: nothing in kiosk.json today, the credential lives apart. */
export const SECRET_KEYS: readonly string[] = [];

export class ConfigWriteError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`${key}: ${detail}`);
    this.name = 'ConfigWriteError';
  }
}

export function readConfigFile(dataDir: string): ConfigFile {
  const file = configFile(dataDir);
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigWriteError(file, 'must be a JSON object');
  return parsed as ConfigFile;
}

/** Validates `next` as a whole config and writes it atomically (temp, fsync, rename). */
export function writeConfigFile(dataDir: string, next: ConfigFile): KioskConfig {
  const fileValues = { ...next };
  delete fileValues.dataDir;
  const parsed = KioskConfig.safeParse({ ...fileValues, dataDir });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigWriteError(issue.path.join('.') || '(root)', issue.message);
  }
  writeFileAtomic(configFile(dataDir), `${JSON.stringify(fileValues, null, 2)}\n`, 0o600);
  return parsed.data;
}

/**
 * A value typed on a command line: JSON when it parses (numbers, objects, quoted strings),
 * the raw text otherwise, so `printer serial:/dev/ttyUSB0` needs no quotes.
 */
export function parseCliValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/** Sets one key (dotted paths reach into objects: `timeouts.idleWarningMs`). */
export function setConfigKey(dataDir: string, key: string, value: unknown): KioskConfig {
  const [top, ...rest] = key.split('.');
  if (!top || !(SETTABLE_KEYS as string[]).includes(top))
    throw new ConfigWriteError(key, `unknown key (one of ${SETTABLE_KEYS.join(', ')})`);
  const current = readConfigFile(dataDir);
  let next: ConfigFile;
  if (rest.length === 0) next = { ...current, [top]: value };
  else {
    // Fill in the defaults of the object first, so one nested key can be set alone.
    const defaults = KioskConfig.parse({ dataDir }) as Record<string, unknown>;
    const base = structuredClone((current[top] ?? defaults[top] ?? {}) as Record<string, unknown>);
    let cursor = base;
    for (const part of rest.slice(0, -1)) cursor = (cursor[part] ??= {}) as Record<string, unknown>;
    cursor[rest.at(-1)!] = value;
    next = { ...current, [top]: base };
  }
  return writeConfigFile(dataDir, next);
}

/** The file's settings as JSON text for another kiosk (secrets only when asked). */
export function exportConfig(dataDir: string, { withSecrets = false }: { withSecrets?: boolean } = {}): string {
  const values = readConfigFile(dataDir);
  const out: ConfigFile = {};
  for (const [k, v] of Object.entries(values)) if (withSecrets || !SECRET_KEYS.includes(k)) out[k] = v;
  return `${JSON.stringify(out, null, 2)}\n`;
}

/**
 * Imports settings exported from another kiosk. Identity (kioskId, kioskName) is this kiosk's
 * own and is kept: copying it would make two kiosks report as one.
 */
export function importConfig(dataDir: string, text: string): { config: KioskConfig; changed: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigWriteError('(file)', `not valid JSON (${(err as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new ConfigWriteError('(file)', 'must be a JSON object');
  const current = readConfigFile(dataDir);
  const incoming = { ...(parsed as ConfigFile) };
  delete incoming.dataDir;
  delete incoming.kioskId;
  delete incoming.kioskName;
  const next = { ...current, ...incoming };
  const config = writeConfigFile(dataDir, next);
  const changed = Object.keys(incoming).filter((k) => JSON.stringify(current[k]) !== JSON.stringify(incoming[k]));
  return { config, changed };
}
