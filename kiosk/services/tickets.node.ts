import type { Handlers } from '../api/dispatch.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { TICKET_ISSUED_KIND, type OfflineTicketPayload } from '../../protocol/tickets.ts';
import { TicketDesk } from '../tickets/desk.node.ts';
import { TICKET_NOTIFY_KIND, type NotifyOptInPayload } from '../../protocol/phone.ts';
import { audit } from '../tech/audit.node.ts';
import { kioskEnv } from '../config/env.node.ts';
import { storeFirstPin } from '../tech/first-pin.node.ts';
import { OfficerSessions } from '../tickets/officer.node.ts';

type TicketCalls =
  | 'tickets.options'
  | 'tickets.estimate'
  | 'tickets.issue'
  | 'tickets.notify'
  | 'tickets.checkIn'
  | 'tickets.officerStatus'
  | 'tickets.officerUnlock'
  | 'tickets.officerLock'
  | 'tickets.officerIssue'
  | 'tickets.officerReprint'
  | 'tickets.officerToday';

/** Builds the ticket desk over the appliance's store, printer and sync parts. */
export function createTicketDesk(ctx: ApplianceContext): TicketDesk {
  const desk = new TicketDesk({
    db: ctx.db,
    clock: ctx.clock,
    log: ctx.log.child({ module: 'tickets' }),
    printer: ctx.printer,
    central: ctx.central,
    cache: ctx.cache,
    engineOnline: () => ctx.sync.state().online,
    officeId: () => ctx.credentials.get()?.officeId ?? ctx.config.officeId,
    centralUrl: () => ctx.central.baseUrl,
  });
  ctx.outbox.registerHandler(TICKET_ISSUED_KIND, {
    onAccepted: (_db, entry) => desk.markSynced((entry.payload as OfflineTicketPayload).ticketId, ctx.clock.now()),
    // Tickets carry no personal data; keep what a technician needs to match paper and registry.
    retain: (p) => ({
      ticketId: (p as OfflineTicketPayload).ticketId,
      number: (p as OfflineTicketPayload).number,
      day: (p as OfflineTicketPayload).day,
    }),
  });
  // The phone number is personal data: once central holds it, the kiosk keeps only which ticket and channel.
  ctx.outbox.registerHandler(TICKET_NOTIFY_KIND, {
    retain: (p) => ({
      ticketId: (p as NotifyOptInPayload).ticketId,
      channel: (p as NotifyOptInPayload).channel,
    }),
  });
  // The offline series must be known before the network goes: ask at start and on every reconnect.
  void desk.refreshSeries();
  ctx.onClose(ctx.sync.onOnline(() => void desk.refreshSeries()));
  return desk;
}

export function ticketsHandlers(ctx: ApplianceContext, desk: TicketDesk): Pick<Handlers, TicketCalls> {
  const officers = new OfficerSessions(ctx.db, ctx.clock);
  const firstPin = storeFirstPin(
    ctx,
    officers.pin,
    kioskEnv().KIOSK_OFFICER_PIN,
    'KIOSK_OFFICER_PIN',
    'officer.pinChanged',
  );
  return {
    'tickets.options': () => desk.options(),
    'tickets.estimate': ({ serviceId, priorityGroupId }) => desk.estimate(serviceId, priorityGroupId),
    'tickets.issue': ({ serviceId, priorityGroupId }) => desk.issue({ serviceId, priorityGroupId, source: 'kiosk' }),
    'tickets.notify': ({ ticketId, channel, phone }) => desk.notify({ ticketId, channel, phone }),
    'tickets.checkIn': ({ code }) => desk.checkIn(code),
    'tickets.officerStatus': async () => {
      await firstPin;
      return { pinSet: officers.pin.isSet() };
    },
    'tickets.officerUnlock': async ({ pin }) => {
      try {
        await firstPin;
        const session = await officers.unlock(pin);
        audit(ctx.db, ctx.clock, 'officer', 'officer.opened');
        ctx.log.info('officer desk opened');
        return session;
      } catch (err) {
        if (err instanceof KioskError && (err.code === 'WRONG_PIN' || err.code === 'LOCKED_OUT'))
          audit(ctx.db, ctx.clock, 'officer', 'officer.unlock.failed', { code: err.code });
        throw err;
      }
    },
    'tickets.officerLock': ({ token }) => {
      officers.lock(token);
      return { ok: true as const };
    },
    'tickets.officerIssue': ({ token, serviceId, priorityGroupId }) => {
      officers.check(token);
      return desk.issue({ serviceId, priorityGroupId, source: 'officer' });
    },
    'tickets.officerReprint': ({ token }) => {
      officers.check(token);
      return desk.reprintLast();
    },
    'tickets.officerToday': ({ token }) => {
      officers.check(token);
      return desk.today();
    },
  };
}
