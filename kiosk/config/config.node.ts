import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { PrinterProfileId, profileFromUri } from '../../drivers/printer/profiles.ts';
import { Lang, Timeouts } from '../../contract/domains/app.ts';
import { docScannerUriProblem } from '../../drivers/docscanner/uri.ts';
import { centralUrlProblem } from '../sync/transport-policy.ts';

export const DEFAULT_HOST_PORT = 8610;

const deviceUri = z.string().min(1);

/** The kiosk's configuration: `<dataDir>/kiosk.json`, then environment overrides. */
export const KioskConfig = z
  .object({
    dataDir: z.string().min(1),
    kioskId: z.string().min(1).default('unprovisioned'),
    kioskName: z.string().min(1).default('Kiosk'),
    officeId: z.string().min(1).default('unprovisioned'),
    officeName: z.string().min(1).default('Bộ phận Một cửa'),
    centralUrl: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8620'),
    printer: deviceUri
      .refine(
        (uri) => {
          try {
            profileFromUri(uri);
            return true;
          } catch {
            return false;
          }
        },
        { message: `profile= must be one of ${PrinterProfileId.options.join(', ')}` },
      )
      .default('sim'),
    printerWidthMm: z.union([z.literal(58), z.literal(80)]).default(80),
    /** `text` (printer font + downloaded Vietnamese letters) is fast on any link; `raster` is the fallback. */
    printerMode: z.enum(['text', 'glyphs', 'raster', 'codepage']).default('text'),
    /** Printer family (drivers/printer/profiles.ts); the URI's `profile=` wins; `unknown` uses universal commands only. */
    printerProfile: PrinterProfileId.optional(),
    printerCodePage: z.number().int().min(0).max(255).optional(),
    scanner: deviceUri.default('sim'),
    /** The A4 document scanner (drivers/docscanner): `sane:<device>` (`sane:test` is SANE's fake scanner), `sim:`, or `none`. */
    docScanner: deviceUri
      .refine((uri) => docScannerUriProblem(uri) === null, {
        message: 'must be sane:<device>[?mode=&resolution=&source=&test-picture=], sim:[file] or none',
      })
      .default('sim:'),
    /** The Căn cước chip reader: `pcsc:` (any reader), `pcsc:<reader name>`, `sim`, or `none`. */
    idReader: deviceUri.default('none'),
    /** The CSCA list (PEM bundle) the province deploys; without it no chip is ever "verified". */
    chipCscaFile: z.string().min(1).optional(),
    /** 0 picks a free port (tests); the address is printed at start. */
    hostPort: z.number().int().min(0).max(65535).default(DEFAULT_HOST_PORT),
    lang: Lang.default('vi'),
    /** Languages offered on screen (the technician may hide English). */
    languages: z.array(Lang).min(1).default(['vi', 'en']),
    /** Text size a session starts with. */
    textSize: z.enum(['normal', 'large']).default('normal'),
    /** Where Telex/VNI put the tone of an open oa/oe/uy: "old" hòa, thúy; "new" hoà, thuý (a technician setting, not a citizen's question). */
    toneStyle: z.enum(['old', 'new']).default('old'),
    timeouts: Timeouts.default({ idleWarningMs: 60_000, warningMs: 30_000, attractMs: 120_000 }),
    /** Allows plain http:// to a central on another machine (kiosk/sync/transport-policy.ts). A technician's choice at the kiosk only. */
    allowInsecureCentral: z.boolean().default(false),
    /**
     * The province's CA (a PEM file) that central's certificate must chain to: pinned, the only
     * authority the kiosk trusts for central (KIOSK_CENTRAL_CA). Absent: the system's list.
     */
    centralCaFile: z
      .string()
      .min(1)
      .refine(
        (file) => {
          try {
            new X509Certificate(readFileSync(file));
            return true;
          } catch {
            return false;
          }
        },
        {
          message: 'không đọc được chứng chỉ CA (tệp PEM) / not a readable CA certificate (PEM file)',
        },
      )
      .optional(),
  })
  .strict()
  .superRefine((c, check) => {
    const problem = centralUrlProblem(c.centralUrl, c.allowInsecureCentral);
    if (problem) check.addIssue({ code: 'custom', path: ['centralUrl'], message: problem });
  });
export type KioskConfig = z.infer<typeof KioskConfig>;

/** Environment variables and the config key each one overrides. */
export const ENV_KEYS = {
  KIOSK_DATA_DIR: 'dataDir',
  KIOSK_CENTRAL_URL: 'centralUrl',
  KIOSK_PRINTER: 'printer',
  KIOSK_SCANNER: 'scanner',
  KIOSK_IDREADER: 'idReader',
  KIOSK_DOCSCANNER: 'docScanner',
  KIOSK_CSCA_FILE: 'chipCscaFile',
  KIOSK_CENTRAL_CA: 'centralCaFile',
  KIOSK_HOST_PORT: 'hostPort',
  KIOSK_LANG: 'lang',
} as const satisfies Record<string, keyof KioskConfig>;

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    detail: string,
  ) {
    super(`Cấu hình không hợp lệ / Invalid configuration: ${key}: ${detail}`);
    this.name = 'ConfigError';
  }
}

export const configFile = (dataDir: string) => join(dataDir, 'kiosk.json');

/**
 * Loads and validates the configuration. A bad value stops start-up with an error naming the
 * key (and the environment variable, when that is where it came from).
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, defaultDataDir = '.data/kiosk'): KioskConfig {
  const dataDir = resolve(env.KIOSK_DATA_DIR || defaultDataDir);
  const file = configFile(dataDir);
  let fromFile: Record<string, unknown> = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError(file, `not valid JSON (${(err as Error).message})`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new ConfigError(file, 'must be a JSON object');
    fromFile = parsed as Record<string, unknown>;
  }
  const merged: Record<string, unknown> = { ...fromFile, dataDir };
  const origin = new Map<string, string>();
  for (const [envKey, key] of Object.entries(ENV_KEYS)) {
    const raw = env[envKey];
    if (raw === undefined || raw === '' || key === 'dataDir') continue;
    merged[key] = key === 'hostPort' ? (/^\d+$/.test(raw) ? Number(raw) : raw) : raw;
    origin.set(key, envKey);
  }
  const result = KioskConfig.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.') || '(root)';
    const top = String(issue.path[0] ?? '');
    const named = origin.has(top) ? `${origin.get(top)} (${key})` : key;
    const got = issue.path.length
      ? JSON.stringify(
          issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k as PropertyKey], merged),
        )
      : '';
    throw new ConfigError(named, `${issue.message}${got ? `, got ${got}` : ''}`);
  }
  return result.data;
}

/**
 * The command lines' form of `loadConfig`: the configuration, or `null` after reporting why
 * (the caller exits non-zero). Errors other than a bad configuration are thrown.
 */
export function loadConfigOrReport(env: NodeJS.ProcessEnv, report: (line: string) => void): KioskConfig | null {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      report(err.message);
      return null;
    }
    throw err;
  }
}
