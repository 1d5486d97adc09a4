import { z } from 'zod';
import { ConfigError } from './config.node.ts';

/**
 * Settings that come only from the environment, never from kiosk.json: the roll-out's first
 * PINs, the offline voice, the log level, and the waits tests shorten. Read here (and in
 * `loadConfig`) only; the rest of the kiosk takes them as values.
 */
const KioskEnv = z.object({
  /** How long a submission waits for central's answer before printing the offline receipt. */
  KIOSK_ACK_WAIT_MS: z.coerce.number().int().min(0).default(4_000),
  /** Heartbeat interval to central (0: none). */
  KIOSK_HEARTBEAT_MS: z.coerce.number().int().min(0).optional(),
  /** How often office configuration and catalog are re-checked at central (default 5 min; tests shorten it). */
  KIOSK_PULL_MS: z.coerce.number().int().min(500).optional(),
  /** First PINs for a mass roll-out and the demo, used only while none is stored. */
  KIOSK_TECH_PIN: z.string().optional(),
  KIOSK_OFFICER_PIN: z.string().optional(),
  /** Cà Mau speaks the southern accent; a technician can pick another voice. */
  KIOSK_VOICE_VI: z.string().min(1).default('vi-vn-x-south'),
  KIOSK_VOICE_EN: z.string().min(1).default('en-gb'),
  KIOSK_ESPEAK: z.string().min(1).default('espeak-ng'),
  /** The web host's launch secret (tests, a launcher that opens the page itself): ≥ 32 characters. */
  KIOSK_HOST_LAUNCH_SECRET: z.string().optional(),
  KIOSK_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});
export type KioskEnv = z.infer<typeof KioskEnv>;

/** The environment's settings, validated; a bad value names its variable. Empty means unset. */
export function kioskEnv(env: NodeJS.ProcessEnv = process.env): KioskEnv {
  const given = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('KIOSK_') && v !== ''));
  const result = KioskEnv.safeParse(given);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = String(issue.path[0] ?? '(environment)');
    throw new ConfigError(key, `${issue.message}, got ${JSON.stringify(given[key])}`);
  }
  return result.data;
}
