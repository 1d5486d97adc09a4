import { SmsConfig, ZaloConfig } from './providers.node.ts';

/** How central sends messages before the turn (docs/phone.md): which providers, retries, rate. */
export interface NotifyOptions {
  zalo?: ZaloConfig;
  sms?: SmsConfig;
  /** VAPID subject (`mailto:` or `https:`); Web Push is on when set. Keys: env or made once and kept in the database. */
  webPush?: { subject: string; publicKey?: string; privateKey?: string };
  /** First retry after this long, doubling each time (default 5 s), at most `maxBackoffMs` (10 min). */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** After this many failed attempts a message is parked (default 8). */
  maxAttempts?: number;
  /** Messages per second per channel (default 20). */
  perSecond?: number;
  /** How often the worker looks for due rows when not woken (default 1 s). */
  pollMs?: number;
  /**
   * Where phones reach central, for links in messages (the dossier status page) when the office
   * sets no `phone.publicUrl`: `CENTRAL_PUBLIC_URL`, else the address central listens on.
   */
  publicUrl?: string;
}

/** From the environment (docs/phone.md, "Configuring the providers"). Absent variables: that channel is off. */
export function notifyOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): NotifyOptions {
  const opts: NotifyOptions = {};
  if (env.CENTRAL_ZALO_ZNS_URL)
    opts.zalo = ZaloConfig.parse({
      url: env.CENTRAL_ZALO_ZNS_URL,
      accessToken: env.CENTRAL_ZALO_ACCESS_TOKEN,
      templates: {
        soon: env.CENTRAL_ZALO_TEMPLATE_SOON,
        called: env.CENTRAL_ZALO_TEMPLATE_CALLED,
        ...(env.CENTRAL_ZALO_TEMPLATE_DOSSIER ? { dossier: env.CENTRAL_ZALO_TEMPLATE_DOSSIER } : {}),
        ...(env.CENTRAL_ZALO_TEMPLATE_BOOKING ? { booking: env.CENTRAL_ZALO_TEMPLATE_BOOKING } : {}),
      },
    });
  if (env.CENTRAL_SMS_URL)
    opts.sms = SmsConfig.parse({
      url: env.CENTRAL_SMS_URL,
      apiKey: env.CENTRAL_SMS_API_KEY,
      secretKey: env.CENTRAL_SMS_SECRET_KEY,
      brandname: env.CENTRAL_SMS_BRANDNAME,
    });
  if (env.CENTRAL_VAPID_SUBJECT)
    opts.webPush = {
      subject: env.CENTRAL_VAPID_SUBJECT,
      publicKey: env.CENTRAL_VAPID_PUBLIC_KEY,
      privateKey: env.CENTRAL_VAPID_PRIVATE_KEY,
    };
  if (env.CENTRAL_PUBLIC_URL) opts.publicUrl = env.CENTRAL_PUBLIC_URL.replace(/\/+$/, '');
  if (env.CENTRAL_NOTIFY_BACKOFF_MS) opts.backoffMs = Number(env.CENTRAL_NOTIFY_BACKOFF_MS);
  return opts;
}
