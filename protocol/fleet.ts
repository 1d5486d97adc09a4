import { z } from 'zod';

/** What a kiosk tells central every minute (`POST /v1/fleet/heartbeat`). No personal data. */
export const HeartbeatRequest = z
  .object({
    version: z.string().max(40),
    kioskName: z.string().max(100),
    uptimeS: z.number().int().nonnegative(),
    sentAt: z.string(),
    printer: z.object({
      state: z.string().max(20),
      online: z.boolean(),
      paperOut: z.boolean(),
      paperNearEnd: z.boolean(),
      coverOpen: z.boolean(),
      error: z.boolean(),
    }),
    scanner: z.object({ kind: z.string().max(20), state: z.string().max(20), missing: z.boolean() }),
    outbox: z.object({
      pending: z.number().int().nonnegative(),
      parked: z.number().int().nonnegative(),
      /** Age in seconds of the oldest entry not yet acknowledged (the outbox's lag); absent from older kiosks. */
      oldestPendingS: z.number().nonnegative().optional(),
    }),
    lastSyncAt: z.string().nullable(),
    /** The data disk: full = the kiosk takes no new dossiers. Optional: older kiosks do not send it. */
    storage: z.object({ full: z.boolean(), freeBytes: z.number().nonnegative().nullable() }).strict().optional(),
    /** The last configuration revision central pushed that this kiosk applied. */
    configRevision: z.number().int().nonnegative(),
  })
  .strict();
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;

/** Settings central may push to a kiosk (a subset of kiosk.json; the kiosk validates again). */
export const PushedConfig = z.object({
  revision: z.number().int().positive(),
  values: z.record(z.string(), z.unknown()),
});
export type PushedConfig = z.infer<typeof PushedConfig>;

/**
 * What an office administrator may push to one kiosk from the admin app: presentation and the
 * printer's mode, never addresses, device paths or identity (the kiosk's own safe list,
 * `PUSHABLE_KEYS` in kiosk/tech/settings.node.ts, holds every key here and validates again).
 */
export const KioskPushSettings = z
  .object({
    officeName: z.string().trim().min(1).max(100),
    lang: z.enum(['vi', 'en']),
    textSize: z.enum(['normal', 'large']),
    printerWidthMm: z.union([z.literal(58), z.literal(80)]),
    printerMode: z.enum(['text', 'glyphs', 'raster', 'codepage']),
  })
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'choose at least one setting' });
export type KioskPushSettings = z.infer<typeof KioskPushSettings>;
export const KIOSK_PUSH_KEYS = ['officeName', 'lang', 'textSize', 'printerWidthMm', 'printerMode'] as const;

export const HeartbeatResponse = z.object({
  ok: z.literal(true),
  serverTime: z.string(),
  /** Present when central holds a newer configuration than `configRevision`. */
  config: PushedConfig.nullable(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

export const FleetHealth = z.enum(['green', 'amber', 'red']);
export type FleetHealth = z.infer<typeof FleetHealth>;

/** Why a kiosk is not green: a code (and a number for some), put into words by each screen's catalog. */
export const FLEET_PROBLEMS = [
  'revoked',
  'noHeartbeat',
  'silent',
  'paperOut',
  'paperLow',
  'coverOpen',
  'printerOffline',
  'printerError',
  'scannerMissing',
  'outboxParked',
  'diskFull',
] as const;
export const FleetProblem = z.object({
  code: z.enum(FLEET_PROBLEMS),
  /** Minutes silent (`silent`), items parked (`outboxParked`). */
  n: z.number().int().nonnegative().optional(),
});
export type FleetProblem = z.infer<typeof FleetProblem>;

/** The fleet page's words (central renders it, bilingual: Vietnamese first, then English). */
export const FLEET_TEXT = {
  vi: {
    title: 'Danh sách kiosk',
    green: 'Tốt',
    amber: 'Cần xem',
    red: 'Mất liên lạc',
    summaryTime: 'giờ Việt Nam, UTC+7',
    colHealth: 'Trạng thái',
    colKiosk: 'Kiosk',
    colOffice: 'Đơn vị',
    colLastSeen: 'Lần cuối',
    colVersion: 'Phiên bản',
    colOutbox: 'Chờ gửi / Gác lại',
    colProblems: 'Vấn đề',
    none: 'Chưa có kiosk nào',
    refresh: 'Làm mới',
    seconds: '{n} giây',
    minutes: '{n} phút',
    hours: '{n} giờ',
    revoked: 'đã thu hồi',
    noHeartbeat: 'chưa gửi tín hiệu lần nào',
    silent: 'im lặng {n} phút',
    paperOut: 'máy in hết giấy',
    paperLow: 'máy in sắp hết giấy',
    coverOpen: 'máy in mở nắp',
    printerOffline: 'máy in mất kết nối',
    printerError: 'máy in báo lỗi',
    scannerMissing: 'không thấy máy quét',
    outboxParked: '{n} mục gác lại chưa gửi được',
    diskFull: 'đầy bộ nhớ: không nhận hồ sơ',
  },
  en: {
    title: 'Kiosk fleet',
    green: 'OK',
    amber: 'Attention',
    red: 'Down',
    summaryTime: 'Viet Nam time, UTC+7',
    colHealth: 'Health',
    colKiosk: 'Kiosk',
    colOffice: 'Office',
    colLastSeen: 'Last seen',
    colVersion: 'Version',
    colOutbox: 'Pending / Parked',
    colProblems: 'Problems',
    none: 'No kiosks enrolled',
    refresh: 'Refresh',
    seconds: '{n} s',
    minutes: '{n} min',
    hours: '{n} h',
    revoked: 'revoked',
    noHeartbeat: 'no heartbeat yet',
    silent: 'silent for {n} min',
    paperOut: 'printer: paper out',
    paperLow: 'printer: paper low',
    coverOpen: 'printer: cover open',
    printerOffline: 'printer: offline',
    printerError: 'printer: error',
    scannerMissing: 'scanner: missing',
    outboxParked: 'outbox: {n} parked',
    diskFull: 'disk full: not taking dossiers',
  },
} as const satisfies Record<'vi' | 'en', Record<string, string>>;
export type FleetTextKey = keyof (typeof FLEET_TEXT)['vi'];

/** One word of the fleet page in `lang`, with `{n}` filled in. */
export const fleetText = (lang: 'vi' | 'en', key: FleetTextKey, n?: number): string =>
  FLEET_TEXT[lang][key].replace('{n}', String(n ?? ''));

export const FleetKiosk = z.object({
  deviceId: z.string(),
  officeId: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  health: FleetHealth,
  /** Why the kiosk is not green. */
  problems: z.array(FleetProblem),
  lastSeenAt: z.string().nullable(),
  heartbeat: HeartbeatRequest.nullable(),
  /** Settings pushed from central (merged), and whether the kiosk has taken them (its heartbeat's revision). */
  pushed: z
    .object({ revision: z.number().int(), values: z.record(z.string(), z.unknown()), applied: z.boolean() })
    .nullable()
    .default(null),
});
export type FleetKiosk = z.infer<typeof FleetKiosk>;

export const FleetResponse = z.object({ generatedAt: z.string(), kiosks: z.array(FleetKiosk) });
export type FleetResponse = z.infer<typeof FleetResponse>;
