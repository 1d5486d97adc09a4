import { z } from 'zod';
import { OfficeSummary } from '../../protocol/office.ts';
import { PrinterStatus } from '../../drivers/printer/status.ts';
import { DocScannerStatus } from '../../drivers/docscanner/types.ts';
import { call, noInput, okOutput, setupCall, techCall } from '../define.ts';
import { Lang, StorageState, Timeouts, ToneStyle } from './app.ts';
import { PRINTER_PROFILES, PrinterProfileId } from '../../drivers/printer/profiles.ts';

/** Whether the kiosk may show citizen screens, or must show the setup wizard first. */
export const ProvisioningState = z.object({
  /** Enrolled and setup finished: citizen screens. */
  provisioned: z.boolean(),
  enrolled: z.boolean(),
  /** Enrolled from the wizard, devices not yet tested. */
  setupPending: z.boolean(),
  pinSet: z.boolean(),
  kioskName: z.string(),
  officeId: z.string(),
  officeName: z.string(),
  centralUrl: z.string(),
  deviceId: z.string().nullable(),
  printer: z.string(),
  scanner: z.string(),
  testPrintOk: z.boolean(),
  testScanOk: z.boolean(),
});
export type ProvisioningState = z.infer<typeof ProvisioningState>;

export const SerialPortInfo = z.object({
  path: z.string(),
  manufacturer: z.string().nullable(),
  vendorId: z.string().nullable(),
  productId: z.string().nullable(),
});
export type SerialPortInfo = z.infer<typeof SerialPortInfo>;

const PrinterMode = z.enum(['text', 'glyphs', 'raster', 'codepage']);

/** What the settings screen edits: a validated subset of kiosk.json. */
export const TechSettings = z
  .object({
    kioskName: z.string().trim().min(1).max(100),
    officeName: z.string().trim().min(1).max(200),
    timeouts: Timeouts,
    lang: Lang,
    languages: z.array(Lang).min(1),
    textSize: z.enum(['normal', 'large']),
    toneStyle: ToneStyle,
    printer: z.string().min(1),
    printerWidthMm: z.union([z.literal(58), z.literal(80)]),
    printerMode: PrinterMode,
    printerCodePage: z.number().int().min(0).max(255).nullable(),
    /** The printer family (its capability profile); null: ask the printer (GS I 67), else the unknown-model profile. */
    printerProfile: PrinterProfileId.nullable(),
    scanner: z.string().min(1),
  })
  .strict();
export type TechSettings = z.infer<typeof TechSettings>;

/** The printer families a technician can choose, with the makers' names (from the drivers' profiles). */
export const PRINTER_PROFILE_CHOICES = PrinterProfileId.options.map((id) => ({
  id,
  label: PRINTER_PROFILES[id].label,
}));

export const Diagnostics = z.object({
  version: z.string(),
  uptimeS: z.number().int(),
  kioskId: z.string(),
  printer: PrinterStatus,
  scanner: z.object({ uri: z.string(), kind: z.string(), state: z.string(), detail: z.string().nullable() }),
  /** The Căn cước chip reader: state, PC/SC readers seen, card presence, CSCA certificates loaded. */
  idReader: z.object({
    uri: z.string(),
    kind: z.string(),
    state: z.string(),
    detail: z.string().nullable(),
    readers: z.array(z.string()),
    card: z.boolean(),
    cscaCount: z.number().int(),
  }),
  /** The document scanner (SANE, the simulator, or none). */
  docScanner: DocScannerStatus,
  serialPorts: z.array(SerialPortInfo),
  network: z.array(z.object({ name: z.string(), address: z.string(), family: z.string() })),
  central: z.object({
    url: z.string(),
    reachable: z.boolean(),
    latencyMs: z.number().nullable(),
    error: z.string().nullable(),
    /** Central's clock (its Date header) and how far ours is from it; null when unreachable. */
    serverTime: z.string().nullable(),
    clockSkewMs: z.number().nullable(),
  }),
  /** Free space of the data directory's disk; full = the kiosk takes no new dossiers. */
  storage: StorageState,
  /** The log destination: not ok while lines are dropped (full disk). */
  log: z.object({ ok: z.boolean(), dropped: z.number().int().nonnegative(), lastError: z.string().nullable() }),
  heartbeat: z.object({
    lastSentAt: z.string().nullable(),
    lastOkAt: z.string().nullable(),
    lastError: z.string().nullable(),
    configRevision: z.number().int(),
  }),
});
export type Diagnostics = z.infer<typeof Diagnostics>;

export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
export const LogEntry = z.object({ time: z.string(), level: LogLevel, msg: z.string(), fields: z.string() });
export type LogEntry = z.infer<typeof LogEntry>;

const Pin = z.string().regex(/^\d{6,12}$/, 'PIN: 6 to 12 digits');

/**
 * Technician calls. `tech.provisioningState`, `tech.unlock`, `tech.lock` and `tech.status` are
 * open; the `tech.setup*` calls (`setupCall`) only while the kiosk is not provisioned (or in
 * technician mode); everything else (`techCall`) needs technician mode. The dispatcher enforces
 * the role (FORBIDDEN otherwise).
 */
export const calls = {
  'tech.provisioningState': call(noInput, ProvisioningState),
  'tech.setupOffices': setupCall(
    z.object({ centralUrl: z.url({ protocol: /^https?$/ }) }).strict(),
    z.object({ offices: z.array(OfficeSummary) }),
  ),
  'tech.setupEnrol': setupCall(
    z
      .object({
        centralUrl: z.url({ protocol: /^https?$/ }),
        code: z.string().trim().min(4).max(64),
        kioskName: z.string().trim().min(1).max(100),
        officeId: z.string().min(1),
      })
      .strict(),
    z.object({ deviceId: z.string(), officeId: z.string(), officeName: z.string(), officeMatches: z.boolean() }),
  ),
  'tech.setupDevices': setupCall(
    noInput,
    z.object({ serialPorts: z.array(SerialPortInfo), printer: z.string(), scanner: z.string() }),
  ),
  'tech.setupUseDevices': setupCall(
    z.object({ printer: z.string().min(1), scanner: z.string().min(1) }).strict(),
    ProvisioningState,
  ),
  'tech.setupTestPrint': setupCall(noInput, z.object({ ok: z.literal(true), lengthMm: z.number() })),
  'tech.setupFinish': setupCall(z.object({ pin: Pin }).strict(), ProvisioningState),

  /** Opens technician mode (LOCKED_OUT / WRONG_PIN with `details.retryAfterMs`). Audited. */
  'tech.unlock': call(z.object({ pin: z.string().max(32) }).strict(), z.object({ expiresAt: z.string() })),
  'tech.lock': call(noInput, okOutput),
  'tech.status': call(noInput, z.object({ open: z.boolean(), retryAfterMs: z.number().int() })),
  /** Sets the technician PIN or the officer desk PIN (technician mode only). */
  'tech.setPin': techCall(z.object({ role: z.enum(['technician', 'officer']), pin: Pin }).strict(), okOutput),
  /** Which PINs are set: the officer desk stays shut until its PIN is. */
  'tech.pins': techCall(noInput, z.object({ technician: z.boolean(), officer: z.boolean() })),

  'tech.diagnostics': techCall(noInput, Diagnostics),
  /** Prints the test page in one mode (code page optional), to compare raster and code page side by side. */
  'tech.printModeTest': techCall(
    z.object({ mode: PrinterMode, codePage: z.number().int().min(0).max(255).optional() }).strict(),
    z.object({ ok: z.literal(true), lengthMm: z.number(), mode: PrinterMode }),
  ),
  'tech.logs': techCall(
    z
      .object({
        level: LogLevel.optional(),
        since: z.string().max(40).optional(),
        grep: z.string().max(100).optional(),
        limit: z.number().int().min(1).max(1000).optional(),
      })
      .strict(),
    z.object({ entries: z.array(LogEntry) }),
  ),
  'tech.settingsGet': techCall(noInput, TechSettings),
  /** Validates, writes kiosk.json and applies live; `restartNeeded` lists keys that wait for a restart. */
  'tech.settingsSet': techCall(
    TechSettings.partial().strict(),
    z.object({ settings: TechSettings, restartNeeded: z.array(z.string()) }),
  ),
  /** Sends a heartbeat now (after fixing something) instead of waiting for the minute. */
  'tech.heartbeat': techCall(noInput, z.object({ ok: z.boolean(), message: z.string() })),
};

export const events = {
  /** Settings changed (technician or central push): the renderer re-reads app.info. */
  'tech.configChanged': z.object({ keys: z.array(z.string()) }),
  /** Technician mode opened or closed (idle, lock). */
  'tech.mode': z.object({ open: z.boolean() }),
};
