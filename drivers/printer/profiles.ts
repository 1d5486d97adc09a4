import { z } from 'zod';

/**
 * What a printer family understands, as data (from the makers' ESC/POS command references). The
 * encoder reads a profile to choose how a receipt becomes bytes; `unknown` uses only commands
 * every ESC/POS printer we know of has, so an unconfigured kiosk is fast and still correct.
 *
 * - `userChars`: ESC & y=3 (24-dot font A cells, up to `maxCharWidth` dots wide, each
 *   character as wide as defined) and ESC % 1. In the first ESC/POS command set and in every
 *   family below; the glyph mode is built on it.
 * - `rasterScale`: GS v 0 with m = 1..3 (double width/height): lets a 2×2-block bitmap (QR,
 *   rules) travel at a quarter of its bytes.
 * - `qr`: GS ( k QR model 2 (the printer draws the code from its data).
 * - `barcode128`: GS k m=73 CODE128 with GS w / GS h / GS H.
 * - `fontScale`: GS ! character size (user-defined characters are scaled too).
 * - `cp1258`: ESC t n of a Windows-1258 table, when the firmware has one.
 */
export const PrinterProfile = z.object({
  id: z.string(),
  label: z.string(),
  /** Mode a printer of this family gets unless the technician chooses another. */
  defaultMode: z.enum(['text', 'glyphs', 'raster', 'codepage']),
  userChars: z.boolean(),
  /** Widest user-defined character in font A, dots. */
  maxCharWidth: z.number().int().min(8).max(12),
  rasterScale: z.boolean(),
  fontScale: z.boolean(),
  qr: z.boolean(),
  barcode128: z.boolean(),
  cp1258: z.number().int().min(0).max(255).nullable(),
  /** Substrings of the GS I 67 (model name) answer that identify the family, lower case. */
  modelNames: z.array(z.string()),
});
export type PrinterProfile = z.infer<typeof PrinterProfile>;

const base = { userChars: true, maxCharWidth: 12, rasterScale: true, fontScale: true } as const;

export const PRINTER_PROFILES = {
  unknown: {
    id: 'unknown',
    label: 'ESC/POS (unknown model)',
    defaultMode: 'text',
    ...base,
    qr: false,
    barcode128: false,
    cp1258: null,
    modelNames: [],
  },
  'epson-tm-t20': {
    id: 'epson-tm-t20',
    label: 'Epson TM-T20',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: 52,
    modelNames: ['tm-t20'],
  },
  'epson-tm-t88': {
    id: 'epson-tm-t88',
    label: 'Epson TM-T88',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: 52,
    modelNames: ['tm-t88'],
  },
  xprinter: {
    id: 'xprinter',
    label: 'Xprinter XP-80/XP-58',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: 27,
    modelNames: ['xprinter', 'xp-'],
  },
  custom: {
    id: 'custom',
    label: 'Custom (KUBE, VKP80)',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: null,
    modelNames: ['kube', 'vkp80', 'custom'],
  },
  sewoo: {
    id: 'sewoo',
    label: 'Sewoo LK-T',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: null,
    modelNames: ['sewoo', 'lk-t'],
  },
  rongta: {
    id: 'rongta',
    label: 'Rongta RP80/RP58',
    defaultMode: 'text',
    ...base,
    qr: true,
    barcode128: true,
    cp1258: null,
    modelNames: ['rongta', 'rp80', 'rp58', 'rp326'],
  },
} as const satisfies Record<string, PrinterProfile>;

export type PrinterProfileId = keyof typeof PRINTER_PROFILES;
export const PrinterProfileId = z.enum(Object.keys(PRINTER_PROFILES) as [PrinterProfileId, ...PrinterProfileId[]]);

export const getProfile = (id: PrinterProfileId | undefined): PrinterProfile => PRINTER_PROFILES[id ?? 'unknown'];

/** The family whose model names appear in a printer's GS I 67 answer, or `unknown`. */
export function profileForModelName(name: string): PrinterProfileId {
  const n = name.toLowerCase();
  for (const [id, p] of Object.entries(PRINTER_PROFILES) as [PrinterProfileId, PrinterProfile][])
    if (p.modelNames.some((m) => n.includes(m))) return id;
  return 'unknown';
}

/** The `profile=` option of a printer URI (`serial:/dev/ttyUSB0?baud=19200&profile=xprinter`); throws for a name not in the table. */
export function profileFromUri(uri: string): PrinterProfileId | undefined {
  const query = uri.split('?', 2)[1];
  const name = query === undefined ? null : new URLSearchParams(query).get('profile');
  if (name === null) return undefined;
  const r = PrinterProfileId.safeParse(name);
  if (!r.success) throw new Error(`printer URI ${uri}: profile must be one of ${PrinterProfileId.options.join(', ')}`);
  return r.data;
}
