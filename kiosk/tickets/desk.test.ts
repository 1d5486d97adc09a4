import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrolTestDevice, makeTestDb, type TestDb } from '../../central/testing.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { decodeEscPos, decodedLines } from '../../test/support/escpos-decode.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { PinGuard } from '../tech/pin.node.ts';
import { KioskConfig } from '../config/config.node.ts';
import { saveCredentials } from '../sync/credentials.node.ts';
import type { IssuedTicket } from '../../contract/domains/tickets.ts';

/** A clock that runs in real time but starts at a chosen office-local instant. */
function shiftedClock(localIso: string) {
  let offset = Date.parse(localIso) - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set(iso: string) {
      offset = Date.parse(iso) - Date.now();
    },
  };
}

describe('ticket desk against a real central', () => {
  let dir: string;
  let cdb: TestDb;
  let central: RunningCentral;
  let port: number;
  let kiosk: Appliance;
  const clock = shiftedClock('2026-11-30T09:00:00+07:00');

  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await kiosk.dispatch(name, input, { carrier: 'test' });
    if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { code: r.error.code });
    return r.value as T;
  };
  const issue = (serviceId: string, priorityGroupId: string | null = null) =>
    call<IssuedTicket>('tickets.issue', { serviceId, priorityGroupId });
  const printedQr = () => {
    const qr = decodeEscPos(kiosk.ctx.printer.device.sim!.jobs().at(-1)!.bytes).find((op) => op.op === 'qr');
    return qr && 'text' in qr ? qr.text : '';
  };
  const printedText = () => {
    const jobs = kiosk.ctx.printer.device.sim!.jobs();
    return decodedLines(decodeEscPos(jobs.at(-1)!.bytes)).join('\n');
  };

  beforeEach(async () => {
    clock.set('2026-11-30T09:00:00+07:00');
    dir = mkdtempSync(join(tmpdir(), 'tickets-desk-'));
    cdb = await makeTestDb('sqlite');
    central = await startCentral({ db: cdb.url, now: clock.now });
    port = central.port;
    const e = await enrolTestDevice(central.store);
    saveCredentials(dir, { ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() });
    // Code-page mode so the test can read the printed text back from the bytes.
    writeFileSync(
      join(dir, 'kiosk.json'),
      JSON.stringify({ centralUrl: central.url, officeId: e.officeId, printer: 'sim', printerMode: 'codepage' }),
    );
    kiosk = await createAppliance(
      KioskConfig.parse({
        dataDir: dir,
        centralUrl: central.url,
        officeId: e.officeId,
        printer: 'sim',
        printerMode: 'codepage',
      }),
      {
        clock,
        log: pino({ level: 'silent' }),
      },
    );
    await kiosk.ctx.cache.officeConfig();
  });
  afterEach(async () => {
    await kiosk.close();
    await central.close();
    await cdb.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('issues the number central gives and prints it with service, counters and what to prepare', async () => {
    const options = await call<{ areas: Array<{ services: Array<{ id: string; open: boolean }> }> }>(
      'tickets.options',
      {},
    );
    expect(options.areas.flatMap((a) => a.services).find((s) => s.id === 'ho-tich')?.open).toBe(true);
    const t = await issue('ho-tich', 'cao-tuoi');
    expect(t).toMatchObject({ print: { printed: true } });
    expect(t.ticket).toMatchObject({
      number: 'A001',
      origin: 'central',
      ahead: 0,
      counters: 'Quầy 1',
      priorityName: 'Người cao tuổi',
      issuedAtLocal: '09:00 30/11/2026',
    });
    const text = printedText();
    expect(text).toContain('A001');
    expect(text).toContain('ƯU TIÊN: NGƯỜI CAO TUỔI');
    expect(text).toContain('Đăng ký hộ tịch');
    expect(text).toContain('Chuẩn bị sẵn thẻ Căn cước');
    expect(text).toContain('Quét mã để theo dõi số trên điện thoại');
    // The QR opens the live ticket page on central (docs/phone.md), never with the ticket id in it.
    const qr = printedQr();
    expect(qr).toMatch(new RegExp(`^${central.url}/t/[A-Za-z0-9_-]{22}$`));
    expect(qr).not.toContain(t.ticket.ticketId);
    const page = await fetch(qr);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('>A001</p>');
    // Scanned back at this kiosk, it is recognised as its own ticket.
    expect(await call('scans.classify', { text: qr })).toMatchObject({
      kind: 'ticket',
      ticket: { ticketId: t.ticket.ticketId },
    });
    expect((await issue('ho-tich')).ticket.number).toBe('A002');
  });

  it('numbers from its own series while central is down, and central takes the tickets once, in arrival order', async () => {
    await issue('ho-tich');
    await central.close();
    const a = await issue('ho-tich');
    const b = await issue('ho-tich');
    const slot = kiosk.ctx.db.prepare('SELECT slot FROM ticket_series').pluck().get() as number;
    expect([a.ticket.number, b.ticket.number]).toEqual([`A${slot}-001`, `A${slot}-002`]);
    expect(a.ticket).toMatchObject({ origin: 'offline', ahead: null, wait: null });
    expect(printedText()).toContain(`A${slot}-002`);
    const offlineQr = printedQr();
    expect(offlineQr).toMatch(/\/t\/[A-Za-z0-9_-]{22}$/);
    expect(kiosk.ctx.sync.state().pending).toBe(2);

    central = await startCentral({ db: cdb.url, port, now: clock.now });
    kiosk.ctx.sync.kick();
    await kiosk.ctx.sync.waitForIdle(15_000);
    const rows = await central.store.all<{ number: string; origin: string }>(
      "SELECT number, origin FROM tickets WHERE service_id = 'ho-tich' ORDER BY issued_at",
    );
    expect(rows.map((r) => r.number)).toEqual(['A001', `A${slot}-001`, `A${slot}-002`]);
    expect(kiosk.ctx.db.prepare('SELECT COUNT(*) FROM tickets WHERE synced_at IS NOT NULL').pluck().get()).toBe(2);
    // The offline ticket's token came with it: its QR opens its page now that central has it.
    const offlinePage = await (await fetch(offlineQr)).text();
    expect(offlinePage).toContain(`>A${slot}-002</p>`);
    expect(offlinePage).toMatch(/data-k="ahead">2</);
    // Central is back: the next number is central's again.
    expect((await issue('ho-tich')).ticket.number).toBe('A002');
  });

  it('passes a citizen’s number for a message before the turn to central and keeps none of it', async () => {
    const t = await issue('dat-dai');
    await expect(
      call('tickets.notify', { ticketId: t.ticket.ticketId, channel: 'zalo', phone: '123', consent: true }),
    ).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(
      call('tickets.notify', {
        ticketId: '00000000-0000-4000-8000-000000000000',
        channel: 'zalo',
        phone: '0912345678',
        consent: true,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(
      await call('tickets.notify', {
        ticketId: t.ticket.ticketId,
        channel: 'sms',
        phone: '0912 345 678',
        consent: true,
      }),
    ).toEqual({ ok: true });
    kiosk.ctx.sync.kick();
    await kiosk.ctx.sync.waitForIdle(15_000);
    expect(await central.store.all('SELECT ticket_id, channel, address FROM ticket_contacts')).toEqual([
      { ticket_id: t.ticket.ticketId, channel: 'sms', address: '84912345678' },
    ]);
    // Once central confirms it still holds the opt-in (the sync engine's reconcile, every minute),
    // the kiosk keeps the ticket and channel only.
    clock.set('2026-11-30T09:30:00+07:00');
    expect(await kiosk.ctx.sync.reconcileNow()).toMatchObject({ resent: 0 });
    const kept = kiosk.ctx.db.prepare("SELECT payload FROM outbox WHERE kind = 'ticket.notify'").pluck().all();
    expect(kept).toEqual([JSON.stringify({ ticketId: t.ticket.ticketId, channel: 'sms' })]);
  });

  it('still gives the ticket when the printer is out of paper, as an on-screen copy, and says so in health', async () => {
    kiosk.ctx.printer.device.sim!.set({ paperOut: true });
    await kiosk.ctx.printer.status({ refresh: true });
    const t = await issue('dat-dai');
    expect(t.print.printed).toBe(false);
    expect(!t.print.printed && t.print.error.code).toBe('PRINTER_PAPER_OUT');
    expect(!t.print.printed && t.print.preview).toMatch(/^data:image\/png;base64,/);
    expect(t.ticket.number).toBe('C001');
    const status = await kiosk.ctx.printer.status();
    expect(status.paperOut).toBe(true);
  });

  it('refuses tickets when the service is closed and says when it opens, online and offline', async () => {
    clock.set('2026-11-30T12:00:00+07:00');
    await expect(issue('ho-tich')).rejects.toMatchObject({ code: 'SERVICE_CLOSED' });
    await central.close();
    await expect(issue('ho-tich')).rejects.toMatchObject({ code: 'SERVICE_CLOSED' });
    const options = await call<{
      areas: Array<{ services: Array<{ id: string; open: boolean; opensAt: string | null }> }>;
    }>('tickets.options', {});
    expect(options.areas[0]!.services[0]).toMatchObject({
      open: false,
      opensAt: new Date('2026-11-30T13:30:00+07:00').toISOString(),
    });
    central = await startCentral({ db: cdb.url, port, now: clock.now });
  });

  it('restarts the offline series at local midnight', async () => {
    await central.close();
    clock.set('2026-11-30T16:00:00+07:00');
    const monday = await issue('ho-tich');
    clock.set('2026-12-01T07:05:00+07:00');
    const tuesday = await issue('ho-tich');
    expect(monday.ticket.number).toBe(tuesday.ticket.number);
    expect(tuesday.ticket.issuedAtLocal).toBe('07:05 01/12/2026');
    central = await startCentral({ db: cdb.url, port, now: clock.now });
  });

  it('opens the officer desk only with the PIN, issues, reprints the last ticket and counts today', async () => {
    // No PIN on a fresh kiosk: the desk stays shut rather than open to a well-known default.
    await expect(call('tickets.officerUnlock', { pin: '246810' })).rejects.toMatchObject({ code: 'PIN_NOT_SET' });
    await new PinGuard(kiosk.ctx.db, clock, undefined, 'officer').set('246810');
    await expect(call('tickets.officerUnlock', { pin: '0000' })).rejects.toMatchObject({ code: 'WRONG_PIN' });
    const { token } = await call<{ token: string }>('tickets.officerUnlock', { pin: '246810' });
    const t = await call<IssuedTicket>('tickets.officerIssue', {
      token,
      serviceId: 'chung-thuc',
      priorityGroupId: 'khuyet-tat',
    });
    expect(t.ticket.number).toBe('B001');
    const again = await call<IssuedTicket>('tickets.officerReprint', { token });
    expect(again.ticket.number).toBe('B001');
    expect(printedText()).toContain('(In lại)');
    const today = await call<{
      fromCentral: boolean;
      services: Array<{ serviceId: string; issued: number; waiting: number | null }>;
    }>('tickets.officerToday', { token });
    expect(today.fromCentral).toBe(true);
    expect(today.services.find((s) => s.serviceId === 'chung-thuc')).toMatchObject({ issued: 1, waiting: 1 });
    await call('tickets.officerLock', { token });
    await expect(call('tickets.officerToday', { token })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });
});
