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

export const HeartbeatResponse = z.object({
  ok: z.literal(true),
  serverTime: z.string(),
  /** Present when central holds a newer configuration than `configRevision`. */
  config: PushedConfig.nullable(),
});
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

export const FleetHealth = z.enum(['green', 'amber', 'red']);
export type FleetHealth = z.infer<typeof FleetHealth>;

export const FleetKiosk = z.object({
  deviceId: z.string(),
  officeId: z.string(),
  name: z.string(),
  version: z.string().nullable(),
  health: FleetHealth,
  /** Why the kiosk is not green, in words for a technician (English, short). */
  problems: z.array(z.string()),
  lastSeenAt: z.string().nullable(),
  heartbeat: HeartbeatRequest.nullable(),
});
export type FleetKiosk = z.infer<typeof FleetKiosk>;

export const FleetResponse = z.object({ generatedAt: z.string(), kiosks: z.array(FleetKiosk) });
export type FleetResponse = z.infer<typeof FleetResponse>;
