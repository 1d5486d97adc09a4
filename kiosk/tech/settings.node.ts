import { parsePrinterUri } from '../../drivers/printer/index.node.ts';
import { parseScannerUri } from '../../drivers/scanner/uri.ts';
import type { TechSettings } from '../../contract/domains/tech.ts';
import { KioskError } from '../../contract/errors.ts';
import { KioskConfig } from '../config/config.node.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { openKioskPrinter, type KioskPrinter } from '../devices/printer.node.ts';
import { openScanner, type KioskScanner } from '../devices/scanner.node.ts';
import { ConfigWriteError, readConfigFile, writeConfigFile } from './config-file.node.ts';

export function currentSettings(c: KioskConfig): TechSettings {
  return {
    kioskName: c.kioskName,
    officeName: c.officeName,
    timeouts: c.timeouts,
    lang: c.lang,
    languages: c.languages,
    textSize: c.textSize,
    toneStyle: c.toneStyle,
    printer: c.printer,
    printerWidthMm: c.printerWidthMm,
    printerMode: c.printerMode,
    printerCodePage: c.printerCodePage ?? null,
    printerProfile: c.printerProfile ?? null,
    scanner: c.scanner,
  };
}

const PRINTER_KEYS = ['printer', 'printerWidthMm', 'printerMode', 'printerCodePage', 'printerProfile'] as const;
/** Keys whose null means "not set": removed from kiosk.json rather than stored as null. */
const CLEARABLE_KEYS = ['printerCodePage', 'printerProfile'] as const;

/** Swaps the live printer for one opened from `config` (services read `ctx.printer` per call). */
export async function reopenPrinter(ctx: ApplianceContext, config: KioskConfig): Promise<void> {
  await ctx.printer.close();
  const next = await openKioskPrinter(config, { events: ctx.events, log: ctx.log });
  (ctx as { printer: KioskPrinter }).printer = next;
}

export async function reopenScanner(ctx: ApplianceContext, uri: string): Promise<void> {
  await ctx.scanner.close();
  const next = await openScanner(uri, { events: ctx.events, log: ctx.log });
  (ctx as { scanner: KioskScanner }).scanner = next;
}

/**
 * Validates a change of settings against the whole config schema, writes kiosk.json, and
 * applies it to the running kiosk: the live config object is updated in place (services read
 * it per call), the printer or scanner is reopened when its keys changed, and the renderer is
 * told to re-read app.info. Answers the keys that still need a restart (none today; hostPort
 * and dataDir are not settable here).
 */
export async function applySettings(
  ctx: ApplianceContext,
  patch: Partial<Record<string, unknown>>,
): Promise<{ settings: TechSettings; restartNeeded: string[] }> {
  const keys = Object.keys(patch).filter((k) => patch[k] !== undefined);
  if (keys.length === 0) return { settings: currentSettings(ctx.config), restartNeeded: [] };
  // Device URIs are checked by their drivers' parsers: a typo is refused here, not found at the next print.
  if (typeof patch.printer === 'string') {
    try {
      parsePrinterUri(patch.printer);
    } catch (err) {
      throw new KioskError('BAD_INPUT', `printer: ${(err as Error).message}`, { key: 'printer' });
    }
  }
  if (typeof patch.scanner === 'string') {
    const parsed = parseScannerUri(patch.scanner);
    if (!parsed.ok) throw new KioskError('BAD_INPUT', `scanner: ${parsed.message}`, { key: 'scanner' });
  }
  const file = readConfigFile(ctx.dataDir);
  const next: Record<string, unknown> = { ...file };
  for (const k of keys) {
    // null code page = "the printer's default", null profile = "ask the printer": the key is removed.
    if ((CLEARABLE_KEYS as readonly string[]).includes(k) && patch[k] === null) delete next[k];
    else next[k] = patch[k];
  }
  let written: KioskConfig;
  try {
    written = writeConfigFile(ctx.dataDir, next);
  } catch (err) {
    if (err instanceof ConfigWriteError) throw new KioskError('BAD_INPUT', err.message, { key: err.key });
    throw err;
  }
  const before = { ...ctx.config };
  // Environment overrides still win over the file for the keys they set (as at start).
  const live = KioskConfig.parse({
    ...ctx.config,
    ...Object.fromEntries(keys.map((k) => [k, written[k as keyof KioskConfig]])),
  });
  for (const k of CLEARABLE_KEYS) if (!(k in written)) delete (live as Partial<KioskConfig>)[k];
  Object.assign(ctx.config as KioskConfig, live);
  for (const k of CLEARABLE_KEYS)
    if (keys.includes(k) && written[k] === undefined) delete (ctx.config as Partial<KioskConfig>)[k];

  if (PRINTER_KEYS.some((k) => keys.includes(k) && JSON.stringify(before[k]) !== JSON.stringify(ctx.config[k])))
    await reopenPrinter(ctx, ctx.config);
  if (keys.includes('scanner') && before.scanner !== ctx.config.scanner) await reopenScanner(ctx, ctx.config.scanner);
  ctx.log.info({ keys }, 'settings changed');
  ctx.events.emit('tech.configChanged', { keys });
  return { settings: currentSettings(ctx.config), restartNeeded: [] };
}

/**
 * What central may change with a pushed configuration: presentation and time-outs only. The
 * central address, device paths (printer, scanner: a `file:` or `tcp:` printer is a place to send
 * bytes), ports, the data directory, the kiosk's identity and the transport policy are set only by
 * a technician at the kiosk (technician mode, the setup wizard, `kioskctl config set`).
 */
export const PUSHABLE_KEYS = [
  'kioskName',
  'officeName',
  'timeouts',
  'lang',
  'languages',
  'textSize',
  'printerWidthMm',
  'printerMode',
  'printerCodePage',
] as const;

/**
 * Applies the pushable keys of a configuration central pushed and answers the keys it refused
 * (never applied; the caller audits them). Central merges pushes, so refusing only those keys
 * keeps later safe pushes working.
 */
export async function applyPushedSettings(
  ctx: ApplianceContext,
  values: Record<string, unknown>,
): Promise<{ applied: string[]; refused: string[] }> {
  const allowed = (k: string) => (PUSHABLE_KEYS as readonly string[]).includes(k);
  const applied = Object.keys(values).filter(allowed);
  const refused = Object.keys(values).filter((k) => !allowed(k));
  if (applied.length) await applySettings(ctx, Object.fromEntries(applied.map((k) => [k, values[k]])));
  return { applied, refused };
}
