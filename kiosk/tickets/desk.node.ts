import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import QRCode from 'qrcode';
import { v4 as uuidv4 } from 'uuid';
import { z } from 'zod';
import { appointmentCodeOfScan, BookingCode, CHECK_IN_ERRORS, type CheckInError } from '../../protocol/appointments.ts';
import { buildTicketQr } from '../../drivers/id/ticket.ts';
import { OfficeConfig, type Area, type Service } from '../../protocol/office.ts';
import { normalizeVnMobile, ticketUrl, TICKET_NOTIFY_KIND, type NotifyOptInPayload } from '../../protocol/phone.ts';
import {
  findService,
  formatOfflineNumber,
  IssueTicketResponse,
  localDateTime,
  localDay,
  serviceOpenState,
  policyOf,
  QueueStatusResponse,
  SeriesResponse,
  TICKET_CONFIRMED_KIND,
  TICKET_ISSUED_KIND,
  type ConfirmTicketPayload,
  type OfflineTicketPayload,
  type ServiceQueueStatus,
  type WaitRange,
} from '../../protocol/tickets.ts';
import type {
  IssuedTicket,
  OfficerToday,
  TicketEstimate,
  TicketOptions,
  TicketView,
} from '../../contract/domains/tickets.ts';
import { KioskError } from '../../contract/errors.ts';
import type { Clock } from '../core/clock.ts';
import type { KioskPrinter } from '../devices/printer.node.ts';
import type { Db } from '../store/db.node.ts';
import { CentralClientError, type CentralClient } from '../sync/central-client.node.ts';
import { enqueue } from '../sync/outbox.node.ts';
import type { CentralCache } from '../sync/pull.node.ts';
import { buildTicketDoc, DEFAULT_PREPARE } from './ticket-doc.ts';

const CheckInAnswer = IssueTicketResponse.extend({ appointment: z.object({ day: z.string(), slot: z.string() }) });
type CheckInAnswer = z.infer<typeof CheckInAnswer>;

export interface TicketDeskDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  printer: Pick<KioskPrinter, 'print' | 'preview' | 'status'>;
  central: Pick<CentralClient, 'request'>;
  cache: Pick<CentralCache, 'read' | 'officeConfig'>;
  /** The sync engine's view; when false the desk still tries central now and then. */
  engineOnline(): boolean;
  officeId(): string;
  /** Central's address as this kiosk reaches it: the ticket QR's base unless the office sets `phone.publicUrl`. */
  centralUrl?(): string;
}

interface Row {
  id: string;
  day: string;
  service_id: string;
  area_id: string;
  number: string;
  priority_group_id: string | null;
  source: 'kiosk' | 'officer';
  origin: 'central' | 'offline';
  issued_at: string;
  ahead: number | null;
  wait_min: number | null;
  wait_max: number | null;
  /** The live ticket page's token (`…/t/<token>`); null on tickets from before it existed. */
  public_token: string | null;
  /** An appointment's ticket: its slot `HH:MM`. */
  appointment_slot?: string | null;
}

/** 16 random bytes, base64url: the ticket QR's secret (protocol/phone.ts). */
const newPublicToken = (): string => randomBytes(16).toString('base64url');

/** The ticket this kiosk issued under a public token (a scanned ticket page address), if any. */
export const ticketIdOfToken = (db: Db, token: string): string | null =>
  (db.prepare('SELECT id FROM tickets WHERE public_token = ?').pluck().get(token) as string | undefined) ?? null;

/** A phone number may be given for a ticket this long after it was issued (the ticket screen's time). */
const NOTIFY_WINDOW_MS = 15 * 60_000;

/** How long a citizen may wait on central before the kiosk numbers the ticket itself. */
export const ONLINE_ISSUE_TIMEOUT_MS = 2_000;
/** After central was unreachable, go straight to the offline series for this long (unless sync says online). */
const OFFLINE_HOLD_MS = 10_000;

/** What the screen says about a closed service: when it opens, and the holiday when today is one. */
const closedDetails = (opensAt: string | null, closedDay: string | null) =>
  opensAt || closedDay ? { ...(opensAt ? { opensAt } : {}), ...(closedDay ? { closedDay } : {}) } : undefined;

const countersOf = (office: OfficeConfig, service: Service) => {
  const counters = office.counters.filter((c) => service.counterIds.includes(c.id));
  const locations = [...new Set(counters.map((c) => c.location).filter((l): l is string => Boolean(l)))];
  return {
    counters: counters.map((c) => c.name).join(', ') || '—',
    location: locations.length ? locations.join('; ') : null,
  };
};

/**
 * Issues queue tickets: central numbers them when it answers within ONLINE_ISSUE_TIMEOUT_MS;
 * otherwise this kiosk numbers them from its own series (`A2-001`), writing the ticket and its
 * outbox entry in one transaction. Prints; a print failure still answers the ticket with an
 * on-screen preview. See docs/tickets.md.
 */
export class TicketDesk {
  #offlineSince: number | null = null;
  #lastStatus: { at: number; value: QueueStatusResponse } | null = null;

  constructor(readonly deps: TicketDeskDeps) {}

  // ───────── office configuration ─────────

  async office(): Promise<OfficeConfig> {
    const cached = this.deps.cache.read('office-config', OfficeConfig);
    if (cached) return cached.value;
    try {
      return (await this.deps.cache.officeConfig()).value;
    } catch (err) {
      this.deps.log.warn({ err: (err as Error).message }, 'tickets: no office configuration yet');
      throw new KioskError('NOT_PROVISIONED', 'no office configuration: the kiosk has not reached central yet');
    }
  }

  #find(office: OfficeConfig, serviceId: string): { area: Area; service: Service } {
    const found = findService(office, serviceId);
    if (!found) throw new KioskError('NOT_FOUND', `no service ${serviceId}`);
    return found;
  }

  #mayTryCentral(): boolean {
    if (this.deps.engineOnline() || this.#offlineSince === null) return true;
    return this.deps.clock.now().getTime() - this.#offlineSince > OFFLINE_HOLD_MS;
  }

  #wentOffline(err: unknown) {
    this.#offlineSince = this.deps.clock.now().getTime();
    this.deps.log.info({ err: (err as Error).message }, 'tickets: central unreachable, using the offline series');
  }

  /** Today's status from central (short timeout), or null when unreachable. */
  async #status(): Promise<QueueStatusResponse | null> {
    if (!this.#mayTryCentral()) return null;
    try {
      const res = await this.deps.central.request('GET', '/v1/tickets/status', QueueStatusResponse, {
        timeoutMs: ONLINE_ISSUE_TIMEOUT_MS,
      });
      this.#offlineSince = null;
      this.#lastStatus = { at: this.deps.clock.now().getTime(), value: res.value! };
      return res.value!;
    } catch (err) {
      if (err instanceof CentralClientError && err.kind !== 'REJECTED') this.#wentOffline(err);
      return null;
    }
  }

  #localIssued(day: string, serviceId: string): number {
    return this.deps.db
      .prepare('SELECT COUNT(*) FROM tickets WHERE day = ? AND service_id = ?')
      .pluck()
      .get(day, serviceId) as number;
  }

  async options(): Promise<TicketOptions> {
    const office = await this.office();
    const now = this.deps.clock.now();
    const status = await this.#status();
    const day = localDay(now);
    return {
      officeName: office.name,
      online: status !== null,
      notifyChannels: office.phone?.channels ?? [],
      priorityGroups: [...office.priorityGroups]
        .sort((a, b) => b.weight - a.weight)
        .map((g) => ({ id: g.id, name: g.name })),
      areas: office.areas.map((area) => ({
        id: area.id,
        name: area.name,
        services: area.services.map((s) => {
          const open = serviceOpenState(office, s, now);
          const central = status?.services.find((x) => x.serviceId === s.id);
          const issued = central ? central.issued : this.#localIssued(day, s.id);
          return {
            id: s.id,
            name: s.name,
            prefix: s.prefix,
            open: open.open,
            opensAt: open.opensAt,
            closedDay: open.closedDay,
            capReached: s.dailyCap !== null && issued >= s.dailyCap,
            ...countersOf(office, s),
          };
        }),
      })),
    };
  }

  async estimate(serviceId: string, priorityGroupId: string | null): Promise<TicketEstimate> {
    const office = await this.office();
    this.#find(office, serviceId);
    const status = await this.#status();
    const s = status?.services.find((x) => x.serviceId === serviceId);
    if (!s) return { ahead: null, wait: null, online: false };
    const pick = priorityGroupId ? (s.byPriority[priorityGroupId] ?? s) : s;
    return { ahead: pick.ahead, wait: pick.wait, online: true };
  }

  // ───────── issuing ─────────

  async issue(input: {
    serviceId: string;
    priorityGroupId: string | null;
    source: 'kiosk' | 'officer';
  }): Promise<IssuedTicket> {
    const office = await this.office();
    const { service } = this.#find(office, input.serviceId);
    if (input.priorityGroupId !== null && !office.priorityGroups.some((g) => g.id === input.priorityGroupId))
      throw new KioskError('BAD_INPUT', `no priority group ${input.priorityGroupId}`);
    const now = this.deps.clock.now();
    const ticketId = uuidv4();
    // Made here, online or offline alike, so every ticket's QR opens its page once central has it.
    const publicToken = newPublicToken();
    let row: Row | null = null;
    if (this.#mayTryCentral()) {
      try {
        const res = await this.deps.central.request('POST', '/v1/tickets', IssueTicketResponse, {
          // Two steps: central holds the number until this kiosk has stored the ticket (below).
          body: {
            ticketId,
            serviceId: service.id,
            priorityGroupId: input.priorityGroupId,
            source: input.source,
            issuedAt: now.toISOString(),
            hold: true,
            publicToken,
          },
          timeoutMs: ONLINE_ISSUE_TIMEOUT_MS,
        });
        const r = res.value!;
        this.#offlineSince = null;
        this.#saveSeries(office.officeId, r.series.slot);
        row = {
          id: r.ticket.ticketId,
          day: r.ticket.day,
          service_id: r.ticket.serviceId,
          area_id: r.ticket.areaId,
          number: r.ticket.number,
          priority_group_id: r.ticket.priorityGroupId,
          source: input.source,
          origin: 'central',
          issued_at: r.ticket.issuedAt,
          ahead: r.ahead,
          wait_min: r.wait?.minMinutes ?? null,
          wait_max: r.wait?.maxMinutes ?? null,
          public_token: publicToken,
        };
        const held = row;
        // The ticket and its confirmation in one transaction: central lets a counter call it
        // only once this kiosk has it. Dying (or a full disk) before this leaves a held number
        // nobody calls, never a phantom in the queue.
        this.deps.db.transaction(() => {
          this.#insert(held);
          enqueue(this.deps.db, TICKET_CONFIRMED_KIND, { ticketId: held.id } satisfies ConfirmTicketPayload, { now });
        })();
      } catch (err) {
        if (!(err instanceof CentralClientError)) throw err;
        if (err.kind === 'REJECTED' && (err.code === 'SERVICE_CLOSED' || err.code === 'DAILY_CAP_REACHED')) {
          const { opensAt, closedDay } = serviceOpenState(office, service, now);
          throw new KioskError(err.code, err.message, closedDetails(opensAt, closedDay));
        }
        if (err.kind === 'REJECTED') throw err.toKioskError();
        this.#wentOffline(err);
      }
    }
    // Same ticket id as the attempt: if central did number it and the answer was lost, the
    // offline entry replaces that number with the one printed here (central keeps the paper's).
    row ??= this.#issueOffline(office, service, ticketId, publicToken, input, now);
    return this.#printOrShow(office, row, false);
  }

  #issueOffline(
    office: OfficeConfig,
    service: Service,
    ticketId: string,
    publicToken: string,
    input: { priorityGroupId: string | null; source: 'kiosk' | 'officer' },
    now: Date,
  ): Row {
    const open = serviceOpenState(office, service, now);
    if (!open.open)
      throw new KioskError(
        'SERVICE_CLOSED',
        `${service.id} takes no tickets now`,
        closedDetails(open.opensAt, open.closedDay),
      );
    const slot = this.#series(office.officeId);
    if (slot === null) throw new KioskError('OFFLINE', 'central unreachable and this kiosk has no offline series yet');
    const { db } = this.deps;
    const day = localDay(now);
    const area = this.#find(office, service.id).area;
    return db.transaction((): Row => {
      // Local count only: other kiosks' offline tickets are unknown until sync (docs/tickets.md).
      if (service.dailyCap !== null && this.#localIssued(day, service.id) >= service.dailyCap)
        throw new KioskError('DAILY_CAP_REACHED', `${service.id}: cap reached`);
      const n = db
        .prepare(
          `INSERT INTO ticket_offline_counters (day, prefix, slot, value) VALUES (?, ?, ?, 1)
           ON CONFLICT (day, prefix, slot) DO UPDATE SET value = value + 1 RETURNING value`,
        )
        .pluck()
        .get(day, service.prefix, slot) as number;
      const row: Row = {
        id: ticketId,
        day,
        service_id: service.id,
        area_id: area.id,
        number: formatOfflineNumber(service.prefix, slot, n),
        priority_group_id: input.priorityGroupId,
        source: input.source,
        origin: 'offline',
        issued_at: now.toISOString(),
        ahead: null,
        wait_min: null,
        wait_max: null,
        public_token: publicToken,
      };
      this.#insert(row);
      const payload: OfflineTicketPayload = {
        ticketId,
        serviceId: service.id,
        priorityGroupId: input.priorityGroupId,
        source: input.source,
        issuedAt: row.issued_at,
        day,
        number: row.number,
        slot,
        seq: n,
        publicToken,
      };
      enqueue(db, TICKET_ISSUED_KIND, payload, { now });
      return row;
    })();
  }

  #insert(r: Row) {
    this.deps.db
      .prepare(
        `INSERT INTO tickets (id, day, service_id, area_id, number, priority_group_id, source, origin, issued_at, ahead, wait_min, wait_max, public_token, appointment_slot)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      )
      .run(
        r.id,
        r.day,
        r.service_id,
        r.area_id,
        r.number,
        r.priority_group_id,
        r.source,
        r.origin,
        r.issued_at,
        r.ahead,
        r.wait_min,
        r.wait_max,
        r.public_token,
        r.appointment_slot ?? null,
      );
  }

  #series(officeId: string): number | null {
    return (
      (this.deps.db.prepare('SELECT slot FROM ticket_series WHERE office_id = ?').pluck().get(officeId) as
        number | undefined) ?? null
    );
  }

  #saveSeries(officeId: string, slot: number) {
    if (this.#series(officeId) === slot) return;
    this.deps.db
      .prepare(
        'INSERT INTO ticket_series (office_id, slot, assigned_at) VALUES (?, ?, ?) ON CONFLICT (office_id) DO UPDATE SET slot = excluded.slot, assigned_at = excluded.assigned_at',
      )
      .run(officeId, slot, this.deps.clock.now().toISOString());
  }

  /** Asks central for this kiosk's offline series (at start and whenever sync comes online). */
  async refreshSeries(): Promise<number | null> {
    try {
      const res = await this.deps.central.request('GET', '/v1/tickets/series', SeriesResponse, { timeoutMs: 5_000 });
      this.#saveSeries(this.deps.officeId(), res.value!.slot);
      return res.value!.slot;
    } catch (err) {
      this.deps.log.debug({ err: (err as Error).message }, 'tickets: offline series not refreshed');
      return null;
    }
  }

  // ───────── a message before the turn ─────────

  /**
   * Stores a citizen's opt-in for a message by Zalo or SMS in the outbox (central sends; the
   * number leaves this kiosk's database once central has it, see createTicketDesk's `retain`).
   * Only for a ticket this kiosk issued within NOTIFY_WINDOW_MS: nobody signs up someone else's.
   */
  /**
   * "Tôi đã đặt lịch hẹn": central checks the booking in and numbers its ticket (marked with the
   * slot, ordered by the office's appointment policy); printed like any ticket. Central only:
   * whether a booking is valid, unused and within its window is known there alone.
   */
  async checkIn(input: string): Promise<IssuedTicket> {
    const office = await this.office();
    const parsed = BookingCode.safeParse(appointmentCodeOfScan(input) ?? input);
    if (!parsed.success) throw new KioskError('APPOINTMENT_NOT_FOUND', 'not a booking code');
    const ticketId = uuidv4();
    const publicToken = newPublicToken();
    let res: CheckInAnswer;
    try {
      res = (
        await this.deps.central.request('POST', '/v1/appointments/check-in', CheckInAnswer, {
          body: { code: parsed.data, ticketId, publicToken },
          timeoutMs: 5_000,
        })
      ).value!;
    } catch (err) {
      if (!(err instanceof CentralClientError)) throw err;
      const code = (CHECK_IN_ERRORS as readonly string[]).includes(err.code ?? '') ? (err.code as CheckInError) : null;
      if (err.kind === 'REJECTED' && code) throw new KioskError(code, err.message, err.details);
      if (err.kind === 'REJECTED' && (err.code === 'SERVICE_CLOSED' || err.code === 'DAILY_CAP_REACHED'))
        throw new KioskError(err.code, err.message, err.details);
      if (err.kind === 'REJECTED' || err.kind === 'UNAUTHORIZED') throw err.toKioskError();
      throw new KioskError('OFFLINE', 'central unreachable: an appointment is checked in online only');
    }
    const now = this.deps.clock.now();
    const row: Row = {
      id: res.ticket.ticketId,
      day: res.ticket.day,
      service_id: res.ticket.serviceId,
      area_id: res.ticket.areaId,
      number: res.ticket.number,
      priority_group_id: null,
      source: 'kiosk',
      origin: 'central',
      issued_at: res.ticket.issuedAt,
      ahead: res.ahead,
      wait_min: res.wait?.minMinutes ?? null,
      wait_max: res.wait?.maxMinutes ?? null,
      public_token: publicToken,
      appointment_slot: res.appointment.slot,
    };
    this.deps.db.transaction(() => this.#insert(row))();
    this.deps.log.info({ ticket: row.number, at: now.toISOString() }, 'appointment checked in');
    return this.#printOrShow(office, row, false);
  }

  async notify(input: { ticketId: string; channel: 'zalo' | 'sms'; phone: string }): Promise<{ ok: true }> {
    const office = await this.office();
    if (!(office.phone?.channels ?? []).includes(input.channel))
      throw new KioskError('BAD_INPUT', `${input.channel} is not offered at this office`);
    const phone = normalizeVnMobile(input.phone);
    if (!phone) throw new KioskError('BAD_INPUT', 'not a Vietnamese mobile number');
    const now = this.deps.clock.now();
    const row = this.deps.db.prepare('SELECT issued_at FROM tickets WHERE id = ?').get(input.ticketId) as
      { issued_at: string } | undefined;
    if (!row || now.getTime() - Date.parse(row.issued_at) > NOTIFY_WINDOW_MS)
      throw new KioskError('NOT_FOUND', 'no ticket issued here in the last minutes under this id');
    const payload: NotifyOptInPayload = { ticketId: input.ticketId, channel: input.channel, phone, consent: 'v1' };
    enqueue(this.deps.db, TICKET_NOTIFY_KIND, payload, { now });
    return { ok: true };
  }

  // ───────── views and printing ─────────

  async #view(office: OfficeConfig, r: Row): Promise<TicketView> {
    const found = findService(office, r.service_id);
    const service = found?.service;
    const wait: WaitRange | null =
      r.wait_min === null || r.wait_max === null ? null : { minMinutes: r.wait_min, maxMinutes: r.wait_max };
    return {
      ticketId: r.id,
      number: r.number,
      serviceId: r.service_id,
      serviceName: service?.name ?? r.service_id,
      areaName: found?.area.name ?? r.area_id,
      ...(service ? countersOf(office, service) : { counters: '—', location: null }),
      priorityName: r.priority_group_id
        ? (office.priorityGroups.find((g) => g.id === r.priority_group_id)?.name ?? r.priority_group_id)
        : null,
      issuedAt: r.issued_at,
      issuedAtLocal: localDateTime(new Date(r.issued_at)),
      ahead: r.ahead,
      wait,
      origin: r.origin,
      qr: '',
      appointmentSlot: r.appointment_slot ?? null,
    };
  }

  /** What the ticket QR says: the live ticket page's address, or `OSK1:T:<id>` for a ticket without a token. */
  qrText(office: OfficeConfig, r: Pick<Row, 'id' | 'public_token'>): string {
    const base = office.phone?.publicUrl ?? this.deps.centralUrl?.() ?? null;
    return r.public_token && base ? ticketUrl(base, r.public_token) : buildTicketQr(r.id);
  }

  /** The on-screen QR, made after printing: it is not on the path from touch to paper. */
  async #withQr(view: TicketView, qr: string): Promise<TicketView> {
    const svg = await QRCode.toString(qr, {
      type: 'svg',
      margin: 1,
      errorCorrectionLevel: 'M',
    });
    return { ...view, qr: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
  }

  async #printOrShow(office: OfficeConfig, r: Row, reprint: boolean): Promise<IssuedTicket> {
    const view = await this.#view(office, r);
    const service = findService(office, r.service_id)?.service;
    const prepare = service?.prepare ?? policyOf(office).prepare ?? DEFAULT_PREPARE;
    const qr = this.qrText(office, r);
    const doc = buildTicketDoc(view, { officeName: office.name, prepare, reprint, qr });
    try {
      await this.deps.printer.print(doc);
      this.deps.db.prepare('UPDATE tickets SET printed = 1, print_error = NULL WHERE id = ?').run(r.id);
      return { ticket: await this.#withQr(view, qr), print: { printed: true } };
    } catch (err) {
      if (!(err instanceof KioskError) || !err.code.startsWith('PRINTER_')) throw err;
      // Technician health: the log line, and a fresh status read that the printer pushes as `device.printer`.
      this.deps.log.warn(
        { ticket: r.number, ticketId: r.id, code: err.code },
        'ticket not printed; shown on screen to photograph',
      );
      this.deps.db.prepare('UPDATE tickets SET print_error = ? WHERE id = ?').run(err.code, r.id);
      void this.deps.printer.status({ refresh: true }).catch(() => undefined);
      return {
        ticket: await this.#withQr(view, qr),
        print: { printed: false, error: err.toBody(), preview: await this.deps.printer.preview(doc) },
      };
    }
  }

  // ───────── officer desk ─────────

  #last(): Row | undefined {
    return this.deps.db.prepare('SELECT * FROM tickets ORDER BY issued_at DESC, rowid DESC LIMIT 1').get() as
      Row | undefined;
  }

  async reprintLast(): Promise<IssuedTicket> {
    const last = this.#last();
    if (!last) throw new KioskError('NOT_FOUND', 'no ticket issued at this kiosk yet');
    return this.#printOrShow(await this.office(), last, true);
  }

  async today(): Promise<OfficerToday> {
    const office = await this.office();
    const now = this.deps.clock.now();
    const day = localDay(now);
    const status = await this.#status();
    const last = this.#last();
    const services = office.areas.flatMap((a) =>
      a.services.map((s) => {
        const c: ServiceQueueStatus | undefined = status?.services.find((x) => x.serviceId === s.id);
        return c
          ? { serviceId: s.id, name: s.name, prefix: s.prefix, issued: c.issued, waiting: c.waiting, served: c.served }
          : {
              serviceId: s.id,
              name: s.name,
              prefix: s.prefix,
              issued: this.#localIssued(day, s.id),
              waiting: null,
              served: null,
            };
      }),
    );
    return {
      day,
      fromCentral: status !== null,
      services,
      lastTicket: last ? await this.#withQr(await this.#view(office, last), this.qrText(office, last)) : null,
    };
  }

  /** Outbox answer for an offline ticket: central holds it now. */
  markSynced(ticketId: string, at: Date) {
    this.deps.db.prepare('UPDATE tickets SET synced_at = ? WHERE id = ?').run(at.toISOString(), ticketId);
  }

  get lastStatusAt(): number | null {
    return this.#lastStatus?.at ?? null;
  }
}
