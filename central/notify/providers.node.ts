import webpush from 'web-push';
import { z } from 'zod';
import { NOTIFY_TEXT, type NotifyChannel, type NotifyEvent } from '../../protocol/phone.ts';

/**
 * One notification adapter, three providers (docs/phone.md): Zalo ZNS template messages through
 * an Official Account, a brandname SMS gateway over HTTP, and Web Push (VAPID). Each sends one
 * message or throws a NotifyError saying whether a retry may help. Nothing here logs: the
 * address is personal data, and an error carries a code, never a provider's body.
 */
export interface NotifyMessage {
  /** `<ticketId>:<event>:<channel>`: the provider's own idempotency key where it has one. */
  key: string;
  event: NotifyEvent;
  /** Phone number as 84xxxxxxxxx, or a Web Push subscription (JSON). */
  address: string;
  number: string;
  service: string;
  counter: string;
  ahead: number | null;
  office: string;
  /** `dossier` messages: the dossier's code, procedure, new status (its label) and status page link. */
  dossier?: { code: string; procedure: string; status: number; label: string; link: string };
  /** `booking` messages: the booking code, procedure, time (`09:30 30/11/2026`) and the booking's page. */
  booking?: { code: string; procedure: string; when: string; link: string };
}

export interface NotifyProvider {
  readonly channel: NotifyChannel;
  send(m: NotifyMessage): Promise<void>;
}

export class NotifyError extends Error {
  constructor(
    readonly code: string,
    /** false: the same message will never go through (a bad number, a gone subscription). */
    readonly retryable: boolean,
  ) {
    super(code);
    this.name = 'NotifyError';
  }
}

const TIMEOUT_MS = 10_000;

/** The message's words, filled in (SMS text, Web Push body). */
export function notifyText(
  m: Pick<NotifyMessage, 'event' | 'number' | 'counter' | 'ahead' | 'office' | 'dossier' | 'booking'>,
): string {
  const vars: Record<string, string> = {
    number: m.number,
    counter: m.counter,
    ahead: String(m.ahead ?? 0),
    office: m.office,
    code: m.dossier?.code ?? m.booking?.code ?? '',
    procedure: m.dossier?.procedure ?? m.booking?.procedure ?? '',
    status: m.dossier?.label ?? '',
    when: m.booking?.when ?? '',
    link: m.dossier?.link ?? m.booking?.link ?? '',
  };
  return NOTIFY_TEXT[m.event].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

async function postJson(url: string, headers: Record<string, string>, body: unknown): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch {
    throw new NotifyError('UNREACHABLE', true);
  }
  if (res.status >= 500 || res.status === 429) throw new NotifyError(`HTTP_${res.status}`, true);
  if (res.status >= 400) throw new NotifyError(`HTTP_${res.status}`, false);
  try {
    return await res.json();
  } catch {
    throw new NotifyError('BAD_ANSWER', true);
  }
}

// ───────── Zalo ZNS ─────────

export const ZaloConfig = z.object({
  /** `https://business.openapi.zalo.me/message/template` in the field. */
  url: z.url(),
  accessToken: z.string().min(1),
  /** Approved template ids per event; their parameters are listed in docs/phone.md. */
  templates: z.object({
    soon: z.string().min(1),
    called: z.string().min(1),
    /** Dossier status changes (`ma_ho_so`, `thu_tuc`, `trang_thai`, `lien_ket`, `co_quan`); absent: parked `NO_TEMPLATE`. */
    dossier: z.string().min(1).optional(),
    /** A booking's code (`ma_lich_hen`, `thu_tuc`, `thoi_gian`, `lien_ket`, `co_quan`); absent: parked `NO_TEMPLATE`. */
    booking: z.string().min(1).optional(),
  }),
});
export type ZaloConfig = z.infer<typeof ZaloConfig>;

const ZaloAnswer = z.looseObject({ error: z.number(), message: z.string().optional() });

/**
 * Zalo's ZNS API (`POST /message/template`, header `access_token`): `{ phone, template_id,
 * template_data, tracking_id }`; the answer `{ error: 0, data: { msg_id } }` or a negative error.
 * `tracking_id` is our key, so Zalo's own records show a repeat.
 */
export class ZaloZnsProvider implements NotifyProvider {
  readonly channel = 'zalo' as const;
  constructor(private readonly cfg: ZaloConfig) {}
  async send(m: NotifyMessage): Promise<void> {
    const templateId = this.cfg.templates[m.event];
    if (!templateId) throw new NotifyError('NO_TEMPLATE', false);
    const answer = ZaloAnswer.safeParse(
      await postJson(
        this.cfg.url,
        { access_token: this.cfg.accessToken },
        {
          phone: m.address,
          template_id: templateId,
          template_data: m.booking
            ? {
                ma_lich_hen: m.booking.code,
                thu_tuc: m.booking.procedure,
                thoi_gian: m.booking.when,
                lien_ket: m.booking.link,
                co_quan: m.office,
              }
            : m.dossier
              ? {
                  ma_ho_so: m.dossier.code,
                  thu_tuc: m.dossier.procedure,
                  trang_thai: m.dossier.label,
                  lien_ket: m.dossier.link,
                  co_quan: m.office,
                }
              : {
                  so_thu_tu: m.number,
                  dich_vu: m.service,
                  quay: m.counter,
                  so_nguoi_truoc: String(m.ahead ?? 0),
                  co_quan: m.office,
                },
          tracking_id: m.key,
        },
      ),
    );
    if (!answer.success) throw new NotifyError('BAD_ANSWER', true);
    // -124/-216: the token expired or is wrong (an operator must fix it; retried meanwhile);
    // -108/-118: the number is not a Zalo user or invalid — never goes through.
    if (answer.data.error === 0) return;
    const permanent = [-108, -118, -119, -139].includes(answer.data.error);
    throw new NotifyError(`ZALO_${answer.data.error}`, !permanent);
  }
}

// ───────── brandname SMS ─────────

export const SmsConfig = z.object({
  /** eSMS.vn-shaped JSON endpoint, e.g. `https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/`. */
  url: z.url(),
  apiKey: z.string().min(1),
  secretKey: z.string().min(1),
  brandname: z.string().min(1),
});
export type SmsConfig = z.infer<typeof SmsConfig>;

const SmsAnswer = z.looseObject({ CodeResult: z.string() });

/**
 * A brandname SMS gateway over HTTP in the request shape of eSMS.vn's published API
 * (`{ ApiKey, SecretKey, Phone, Content, Brandname, SmsType: "2", RequestId }`; the answer
 * `{ CodeResult: "100" }` when accepted). `RequestId` is our key: the gateway drops a repeat.
 * Brandname content must be ASCII-safe for some carriers; the text is sent as written (Unicode).
 */
export class BrandnameSmsProvider implements NotifyProvider {
  readonly channel = 'sms' as const;
  constructor(private readonly cfg: SmsConfig) {}
  async send(m: NotifyMessage): Promise<void> {
    const answer = SmsAnswer.safeParse(
      await postJson(
        this.cfg.url,
        {},
        {
          ApiKey: this.cfg.apiKey,
          SecretKey: this.cfg.secretKey,
          Phone: m.address,
          Content: notifyText(m),
          Brandname: this.cfg.brandname,
          SmsType: '2',
          IsUnicode: '1',
          RequestId: m.key,
        },
      ),
    );
    if (!answer.success) throw new NotifyError('BAD_ANSWER', true);
    if (answer.data.CodeResult === '100') return;
    // 104: brandname not registered; 118/119: bad number — retrying changes nothing.
    throw new NotifyError(`SMS_${answer.data.CodeResult}`, !['104', '118', '119'].includes(answer.data.CodeResult));
  }
}

// ───────── Web Push ─────────

export const PushSubscription = z.object({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  keys: z.object({ p256dh: z.string().min(1).max(200), auth: z.string().min(1).max(100) }),
});
export type PushSubscription = z.infer<typeof PushSubscription>;

export interface VapidKeys {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** Web Push with VAPID through the `web-push` library (payload encrypted per RFC 8291). */
export class WebPushProvider implements NotifyProvider {
  readonly channel = 'webpush' as const;
  constructor(private readonly vapid: () => Promise<VapidKeys>) {}
  async send(m: NotifyMessage): Promise<void> {
    const sub = PushSubscription.safeParse(JSON.parse(m.address));
    if (!sub.success) throw new NotifyError('BAD_SUBSCRIPTION', false);
    const keys = await this.vapid();
    // The library encrypts (RFC 8291) and signs (VAPID); the request goes through fetch, which
    // also reaches a push service on plain HTTP (the tests' fake on loopback) and has a timeout.
    const req = webpush.generateRequestDetails(
      sub.data,
      JSON.stringify({ title: m.number, body: notifyText(m), event: m.event }),
      { vapidDetails: keys, TTL: 15 * 60, urgency: 'high' },
    );
    let res: Response;
    try {
      res = await fetch(req.endpoint, {
        method: req.method,
        headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])),
        body: req.body ? new Uint8Array(req.body) : null,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch {
      throw new NotifyError('UNREACHABLE', true);
    }
    if (res.ok) return;
    // 404/410: the subscription is gone (the citizen turned notifications off).
    if (res.status === 404 || res.status === 410) throw new NotifyError(`PUSH_${res.status}`, false);
    throw new NotifyError(`PUSH_${res.status}`, res.status >= 500 || res.status === 429);
  }
}
