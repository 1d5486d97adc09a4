import type { Logger } from 'pino';
import webpush from 'web-push';
import { DEFAULT_PHONE_SETTINGS, type OfficeConfig } from '../../protocol/office.ts';
import type { NotifyChannel, NotifyEvent } from '../../protocol/phone.ts';
import { findService, localDay } from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import type { LiveHub } from '../live.node.ts';
import { estimateFor, serviceFacts } from '../routes/tickets.node.ts';
import type { CentralStore, Sql } from '../store/store.node.ts';
import { forgetDossierContactIfDone } from './dossiers.node.ts';
import type { NotifyOptions } from './options.node.ts';
import {
  BrandnameSmsProvider,
  NotifyError,
  WebPushProvider,
  ZaloZnsProvider,
  type NotifyMessage,
  type NotifyProvider,
  type VapidKeys,
} from './providers.node.ts';

/**
 * Messages before the turn (docs/phone.md). Whenever an office's queue moves (the live hub's
 * events), the notifier looks at that office's opted-in tickets and writes what is due into
 * `notify_outbox` under the key `<ticketId>:<event>:<channel>` (INSERT … ON CONFLICT DO
 * NOTHING: each message at most once, across restarts). A worker delivers due rows with
 * retries and exponential back-off, a rate limit per channel, and parks a row after
 * `maxAttempts`. Calling never waits for any of it: the counter's request has already answered
 * when the hub's event arrives, and a provider that hangs only holds its own row.
 */
interface OutboxRow {
  key: string;
  ticket_id: string;
  channel: NotifyChannel;
  event: NotifyEvent;
  payload: string;
  attempts: number;
}

export class Notifier {
  readonly providers = new Map<NotifyChannel, NotifyProvider>();
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #again = false;
  #closed = false;
  #sentAt = new Map<NotifyChannel, number[]>();
  #vapid: Promise<VapidKeys> | null = null;
  readonly #opts: Required<Pick<NotifyOptions, 'backoffMs' | 'maxBackoffMs' | 'maxAttempts' | 'perSecond' | 'pollMs'>>;

  constructor(
    private readonly store: CentralStore,
    private readonly log: Logger,
    private readonly now: () => Date,
    readonly options: NotifyOptions,
  ) {
    this.#opts = {
      backoffMs: options.backoffMs ?? 5_000,
      maxBackoffMs: options.maxBackoffMs ?? 600_000,
      maxAttempts: options.maxAttempts ?? 8,
      perSecond: options.perSecond ?? 20,
      pollMs: options.pollMs ?? 1_000,
    };
    if (options.zalo) this.providers.set('zalo', new ZaloZnsProvider(options.zalo));
    if (options.sms) this.providers.set('sms', new BrandnameSmsProvider(options.sms));
    if (options.webPush) this.providers.set('webpush', new WebPushProvider(() => this.vapidKeys()));
  }

  /** Which channels can send now. */
  channels(): NotifyChannel[] {
    return [...this.providers.keys()];
  }

  /** Central's VAPID keys: from the options, else the pair made at first use and kept in the database. */
  vapidKeys(): Promise<VapidKeys> {
    const wp = this.options.webPush;
    if (!wp) return Promise.reject(new Error('Web Push is off'));
    if (wp.publicKey && wp.privateKey)
      return Promise.resolve({ subject: wp.subject, publicKey: wp.publicKey, privateKey: wp.privateKey });
    this.#vapid ??= this.store.tx(async (q) => {
      let row = await q.get<{ public_key: string; private_key: string }>(
        'SELECT public_key, private_key FROM notify_vapid WHERE id = 1',
      );
      if (!row) {
        const made = webpush.generateVAPIDKeys();
        await q.run(
          'INSERT INTO notify_vapid (id, public_key, private_key, created_at) VALUES (1, ?, ?, ?) ON CONFLICT (id) DO NOTHING',
          [made.publicKey, made.privateKey, this.now().toISOString()],
        );
        row = await q.get('SELECT public_key, private_key FROM notify_vapid WHERE id = 1');
      }
      return { subject: wp.subject, publicKey: row!.public_key, privateKey: row!.private_key };
    });
    return this.#vapid;
  }

  /** Listens to every office's queue events and starts the worker. */
  start(live: LiveHub): () => Promise<void> {
    const off = live.subscribeAll((officeId) => {
      void this.evaluate(officeId).catch((err: unknown) =>
        this.log.warn({ err: (err as Error).message, officeId }, 'notify: triggers not evaluated'),
      );
    });
    this.#schedule(0);
    return async () => {
      this.#closed = true;
      off();
      if (this.#timer) clearTimeout(this.#timer);
      await this.#running;
    };
  }

  /** Stores an opt-in (the address replaces an earlier one of the same channel) and looks at once. */
  async optIn(q: Sql, t: { ticketId: string; officeId: string; day: string }, channel: NotifyChannel, address: string) {
    await q.run(
      `INSERT INTO ticket_contacts (ticket_id, channel, office_id, day, address, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (ticket_id, channel) DO UPDATE SET address = excluded.address`,
      [t.ticketId, channel, t.officeId, t.day, address, this.now().toISOString()],
    );
  }

  /** Writes the messages now due for an office's opted-in tickets (each key once). */
  async evaluate(officeId: string, wake = true): Promise<void> {
    const now = this.now();
    const day = localDay(now);
    const rows = await this.store.all<{
      ticket_id: string;
      channel: NotifyChannel;
      status: string;
      service_id: string;
      weight: number;
      issued_at: string;
      number: string;
      counter_id: string | null;
    }>(
      `SELECT c.ticket_id, c.channel, t.status, t.service_id, t.weight, t.issued_at, t.number, t.counter_id
         FROM ticket_contacts c JOIN tickets t ON t.id = c.ticket_id
        WHERE c.office_id = ? AND c.day = ? AND t.status IN ('waiting', 'held', 'called')`,
      [officeId, day],
    );
    if (!rows.length) return;
    const office = (await getOfficeConfig(this.store, officeId))?.config;
    if (!office) return;
    const threshold = office.phone?.notifyAhead ?? DEFAULT_PHONE_SETTINGS.notifyAhead;
    const facts = new Map<string, Awaited<ReturnType<typeof serviceFacts>>>();
    let wrote = false;
    for (const r of rows) {
      const base = {
        number: r.number,
        service: findService(office, r.service_id)?.service.name ?? r.service_id,
        office: office.name,
      };
      if (r.status === 'called') {
        const counter = office.counters.find((c) => c.id === r.counter_id)?.name ?? r.counter_id ?? '';
        wrote =
          (await this.#enqueue(office, r.ticket_id, r.channel, 'called', { ...base, counter, ahead: 0 })) || wrote;
        continue;
      }
      let f = facts.get(r.service_id);
      if (!f) {
        f = await serviceFacts(this.store, office, r.service_id, now);
        facts.set(r.service_id, f);
      }
      const { ahead } = estimateFor(f, Number(r.weight), r.issued_at, r.ticket_id);
      if (ahead <= threshold)
        wrote = (await this.#enqueue(office, r.ticket_id, r.channel, 'soon', { ...base, counter: '', ahead })) || wrote;
    }
    if (wrote && wake) this.#schedule(0);
  }

  async #enqueue(
    office: OfficeConfig,
    ticketId: string,
    channel: NotifyChannel,
    event: NotifyEvent,
    payload: Omit<NotifyMessage, 'key' | 'event' | 'address'>,
  ): Promise<boolean> {
    // A call that came before "soon" was written makes "soon" pointless: it is never sent.
    const at = this.now().toISOString();
    const { changes } = await this.store.run(
      `INSERT INTO notify_outbox (key, ticket_id, office_id, channel, event, payload, status, attempts, next_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [`${ticketId}:${event}:${channel}`, ticketId, office.officeId, channel, event, JSON.stringify(payload), at, at],
    );
    if (changes && event === 'called')
      await this.store.run(
        "UPDATE notify_outbox SET status = 'dropped', last_error = 'CALLED_FIRST' WHERE key = ? AND status = 'pending'",
        [`${ticketId}:soon:${channel}`],
      );
    return changes > 0;
  }

  #schedule(ms: number) {
    if (this.#closed) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#drain()
        .catch((err: unknown) => this.log.warn({ err: (err as Error).message }, 'notify: worker pass failed'))
        .finally(() => {
          this.#running = null;
          const again = this.#again;
          this.#again = false;
          this.#schedule(again ? 0 : this.#opts.pollMs);
        });
    }, ms);
    this.#timer.unref();
  }

  /**
   * One pass: forgets yesterday's addresses, looks at every office with opt-ins today (the safety
   * net under the live events: an opt-in committed after its event, a restart), then sends what is due.
   */
  async #drain(): Promise<void> {
    const now = this.now();
    const day = localDay(now);
    await this.store.run('DELETE FROM ticket_contacts WHERE day < ?', [day]);
    // A dossier's opt-in is kept longer (a dossier lasts days), but never past its expiry.
    await this.store.run('DELETE FROM dossier_contacts WHERE expires_at < ?', [now.toISOString()]);
    // A booking's number is kept for its one message; a day at most whatever happened.
    await this.store.run('DELETE FROM appointment_contacts WHERE created_at < ?', [
      new Date(now.getTime() - 86_400_000).toISOString(),
    ]);
    const offices = await this.store.all<{ office_id: string }>(
      'SELECT DISTINCT office_id FROM ticket_contacts WHERE day = ?',
      [day],
    );
    for (const o of offices) await this.evaluate(o.office_id, false);
    // `sending` rows whose lease ran out (central stopped mid-send) are due again.
    const due = await this.store.all<OutboxRow>(
      `SELECT key, ticket_id, channel, event, payload, attempts FROM notify_outbox
        WHERE status IN ('pending', 'sending') AND next_at <= ? ORDER BY created_at LIMIT 50`,
      [now.toISOString()],
    );
    await Promise.all(due.map((row) => this.#deliver(row)));
  }

  #mayTake(channel: NotifyChannel): boolean {
    const t = Date.now();
    const recent = (this.#sentAt.get(channel) ?? []).filter((x) => t - x < 1_000);
    if (recent.length >= this.#opts.perSecond) {
      this.#sentAt.set(channel, recent);
      return false;
    }
    recent.push(t);
    this.#sentAt.set(channel, recent);
    return true;
  }

  async #deliver(row: OutboxRow): Promise<void> {
    const now = this.now();
    const provider = this.providers.get(row.channel);
    if (!provider) {
      await this.#finish(row.key, 'parked', 'CHANNEL_OFF');
      if (row.event === 'booking') await this.#forgetBookingContact(row.ticket_id);
      return;
    }
    if (!this.#mayTake(row.channel)) {
      // Rate limited: later, without counting an attempt.
      await this.store.run('UPDATE notify_outbox SET next_at = ? WHERE key = ?', [
        new Date(now.getTime() + 1_000).toISOString(),
        row.key,
      ]);
      return;
    }
    // Claim with a lease: another pass (or a restarted central) sees it due only after the lease.
    const lease = new Date(now.getTime() + 60_000).toISOString();
    const claimed = await this.store.run(
      "UPDATE notify_outbox SET status = 'sending', next_at = ? WHERE key = ? AND status IN ('pending', 'sending') AND attempts = ?",
      [lease, row.key, row.attempts],
    );
    if (!claimed.changes) return;
    const contact =
      row.event === 'dossier'
        ? await this.store.get<{ address: string }>(
            'SELECT address FROM dossier_contacts WHERE dossier_code = ? AND channel = ?',
            [row.ticket_id, row.channel],
          )
        : row.event === 'booking'
          ? await this.store.get<{ address: string }>(
              'SELECT address FROM appointment_contacts WHERE appointment_id = ? AND channel = ?',
              [row.ticket_id, row.channel],
            )
          : await this.store.get<{ address: string }>(
              'SELECT address FROM ticket_contacts WHERE ticket_id = ? AND channel = ?',
              [row.ticket_id, row.channel],
            );
    if (!contact) {
      await this.#finish(row.key, 'dropped', 'NO_CONTACT');
      return;
    }
    const payload = JSON.parse(row.payload) as Omit<NotifyMessage, 'key' | 'event' | 'address'>;
    try {
      await provider.send({ ...payload, key: row.key, event: row.event, address: contact.address });
      await this.#finish(row.key, 'sent', null);
      // After the result is ready (or the dossier ended) nothing more is sent: forget the number.
      if (row.event === 'dossier') await forgetDossierContactIfDone(this.store, row.ticket_id);
      if (row.event === 'booking') await this.#forgetBookingContact(row.ticket_id);
      // After the call nothing more is sent: the address is not kept longer than needed.
      if (row.event === 'called')
        await this.store.run('DELETE FROM ticket_contacts WHERE ticket_id = ? AND channel = ?', [
          row.ticket_id,
          row.channel,
        ]);
      this.log.info({ key: row.key, channel: row.channel }, 'notify: sent');
    } catch (err) {
      const code = err instanceof NotifyError ? err.code : 'ERROR';
      const retryable = err instanceof NotifyError ? err.retryable : true;
      const attempts = row.attempts + 1;
      if (!retryable || attempts >= this.#opts.maxAttempts) {
        await this.store.run("UPDATE notify_outbox SET status = 'parked', attempts = ?, last_error = ? WHERE key = ?", [
          attempts,
          code,
          row.key,
        ]);
        this.log.warn({ key: row.key, channel: row.channel, code, attempts }, 'notify: parked');
        if (row.event === 'booking') await this.#forgetBookingContact(row.ticket_id);
        return;
      }
      const wait = Math.min(this.#opts.maxBackoffMs, this.#opts.backoffMs * 2 ** (attempts - 1));
      await this.store.run(
        "UPDATE notify_outbox SET status = 'pending', attempts = ?, last_error = ?, next_at = ? WHERE key = ?",
        [attempts, code, new Date(this.now().getTime() + wait).toISOString(), row.key],
      );
      this.log.info({ key: row.key, channel: row.channel, code, attempts, retryInMs: wait }, 'notify: will retry');
    }
  }

  /** A booking's number serves one message: gone once it is sent or given up. */
  async #forgetBookingContact(appointmentId: string) {
    await this.store.run('DELETE FROM appointment_contacts WHERE appointment_id = ?', [appointmentId]);
  }

  async #finish(key: string, status: 'sent' | 'parked' | 'dropped', error: string | null) {
    await this.store.run('UPDATE notify_outbox SET status = ?, last_error = ?, sent_at = ? WHERE key = ?', [
      status,
      error,
      status === 'sent' ? this.now().toISOString() : null,
      key,
    ]);
  }
}
