import { createHash, createHmac, randomBytes } from 'node:crypto';
import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BookingCode } from '../../protocol/appointments.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { BOOK_MAX_PER_WINDOW, CODE_MAX_MISSES } from './appointments.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (hhmm: string, day = '2026-11-30') => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));
const OFFICE = 'ca-mau-an-xuyen';

describe.each(testDialects())('appointments on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let device: string;
  let now = local('07:30');

  const call = async (path: string, json: unknown, token: string | null = device) => {
    const res = await fetch(central.url + path, {
      method: 'POST',
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of several shapes
    return { status: res.status, body: (await res.json()) as any };
  };
  const book = (slot: string, idNumber: string, extra: Record<string, string> = {}) =>
    call(
      '/hen',
      { officeId: OFFICE, serviceId: 'ho-tich', day: '2026-11-30', slot, idKind: 'phone', idNumber, ...extra },
      null,
    );
  const checkIn = (code: string, token = device) =>
    call(
      '/v1/appointments/check-in',
      { code, ticketId: uuidv4(), publicToken: randomBytes(16).toString('base64url') },
      token,
    );
  const walkIn = async () => {
    const r = await call('/v1/tickets', {
      ticketId: uuidv4(),
      serviceId: 'ho-tich',
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now.toISOString(),
    });
    expect(r.status).toBe(200);
    return r.body.ticket.number as string;
  };

  beforeEach(async () => {
    now = local('07:30');
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, now: () => now });
    device = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('books a slot with a phone number: an 8-character code, only a hash and the last 3 digits kept', async () => {
    const r = await book('09:30', '0912 345 678');
    expect(r.status).toBe(200);
    expect(BookingCode.safeParse(r.body.code).success).toBe(true);
    expect(r.body.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(r.body).toMatchObject({ slot: '09:30', day: '2026-11-30', last3: '678' });
    const row = await central.store.get<Record<string, unknown>>('SELECT * FROM appointments WHERE code = ?', [
      r.body.code,
    ]);
    expect(JSON.stringify(row)).not.toContain('912345678');
    expect(row).toMatchObject({ id_kind: 'phone', id_last3: '678', status: 'booked' });
    // A bad CCCD, a past slot, a slot outside the hours, one person twice a day: refused clearly.
    expect((await book('09:30', '12345', { idKind: 'cccd' })).status).toBe(400);
    expect((await book('07:00', '0912345679')).body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book('12:00', '0912345679')).body.error.code).toBe('SLOT_UNAVAILABLE');
    expect((await book('10:00', '+84912345678')).body.error.code).toBe('ALREADY_BOOKED');
    expect((await book('10:00', '079203001234', { idKind: 'cccd' })).status).toBe(200);
  });

  it('keeps the number only as an HMAC under central’s own key, and still matches a booking hashed the old way', async () => {
    const r = await book('09:30', '0912 345 678');
    expect(r.status).toBe(200);
    const row = await central.store.get<{ id_hash: string }>('SELECT id_hash FROM appointments WHERE code = ?', [
      r.body.code,
    ]);
    const bare = (text: string) => createHash('sha256').update(text).digest('hex');
    const key = await central.store.get<{ value: string }>(
      "SELECT value FROM central_secrets WHERE name = 'appointment-id'",
    );
    expect(Buffer.from(key!.value, 'base64url')).toHaveLength(32);
    // Not the bare hash a copy of the database could reverse by trying every number.
    expect(row!.id_hash).not.toBe(bare('phone:84912345678'));
    expect(row!.id_hash).toBe(
      createHmac('sha256', Buffer.from(key!.value, 'base64url')).update('phone:84912345678').digest('hex'),
    );
    // A booking made before, with the bare hash: the same person is still "already booked" that day.
    await central.store.run('UPDATE appointments SET id_hash = ? WHERE code = ?', [
      bare('phone:84912345678'),
      r.body.code,
    ]);
    expect((await book('10:00', '0912345678')).body.error.code).toBe('ALREADY_BOOKED');
  });

  it('never gives the last place of a slot twice, even when many book it at the same moment', async () => {
    // ho-tich: capacity 2 per slot. One place taken; six citizens race for the last one.
    expect((await book('10:00', '0900000001')).status).toBe(200);
    const racers = await Promise.all([2, 3, 4, 5, 6, 7].map((i) => book('10:00', `090000000${i}`)));
    expect(racers.filter((r) => r.status === 200)).toHaveLength(1);
    expect(racers.filter((r) => r.status === 409).every((r) => r.body.error.code === 'SLOT_FULL')).toBe(true);
    const n = await central.store.get<{ n: number }>(
      "SELECT COUNT(*) AS n FROM appointments WHERE slot = '10:00' AND day = '2026-11-30'",
    );
    expect(Number(n?.n)).toBe(2);
    // An empty slot raced by three: two get it.
    const second = await Promise.all([1, 2, 3].map((i) => book('10:30', `091000000${i}`)));
    expect(second.filter((r) => r.status === 200)).toHaveLength(2);
  });

  it('checks in within the window only, once, at its own office; wrong codes are told apart', async () => {
    const { code } = (await book('09:30', '0912345678')).body as { code: string };
    now = local('08:59');
    const early = await checkIn(code);
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'APPOINTMENT_TOO_EARLY' } } });
    expect(early.body.error.details.opensAt).toBe(local('09:00').toISOString());
    expect((await checkIn('ABCDEFGH')).body.error.code).toBe('APPOINTMENT_NOT_FOUND');
    expect((await checkIn('0OIL')).status).toBe(400);
    const other = (await enrolTestDevice(central.store, 'Kiosk Đầm Dơi', 'ca-mau-dam-doi')).token;
    expect((await checkIn(code, other)).body.error.code).toBe('APPOINTMENT_OTHER_OFFICE');
    now = local('09:20');
    const ok = await checkIn(code.toLowerCase().replace(/^(.{4})/, '$1-'));
    expect(ok.status).toBe(200);
    expect(ok.body.ticket).toMatchObject({ serviceId: 'ho-tich', appointmentSlot: '09:30', status: 'waiting' });
    expect(ok.body.appointment).toEqual({ day: '2026-11-30', slot: '09:30' });
    expect((await checkIn(code)).body.error.code).toBe('APPOINTMENT_USED');
    const late = (await book('10:00', '0912345679')).body.code as string;
    now = local('10:16');
    expect((await checkIn(late)).body.error.code).toBe('APPOINTMENT_TOO_LATE');
  });

  it('calls a checked-in appointment ahead of earlier walk-ins, then the walk-ins in arrival order', async () => {
    const { code } = (await book('09:00', '0912345678')).body as { code: string };
    now = local('08:40');
    const first = await walkIn();
    now = local('08:41');
    const second = await walkIn();
    now = local('08:45');
    const appt = (await checkIn(code)).body.ticket.number as string;
    const calls: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] });
      calls.push(r.body.ticket.number as string);
      if (i === 0) expect(r.body.ticket.appointmentSlot).toBe('09:00');
    }
    expect(calls).toEqual([appt, first, second]);
  });

  it('lets the citizen cancel with the code (the place is free again), not once used or past', async () => {
    const a = (await book('11:00', '0900000001')).body.code as string;
    expect((await book('11:00', '0900000002')).status).toBe(200);
    expect((await book('11:00', '0900000003')).body.error.code).toBe('SLOT_FULL');
    // The booking page offers "Hủy lịch hẹn"; the form posts to /a/<code>/cancel.
    const pageHtml = await (await fetch(`${central.url}/a/${a}`, { headers: { accept: 'text/html' } })).text();
    expect(pageHtml).toContain(`action="/a/${a}/cancel"`);
    const form = await fetch(`${central.url}/a/${a}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: '',
    });
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Đã hủy lịch hẹn');
    expect((await book('11:00', '0900000003')).status).toBe(200);
    expect((await fetch(`${central.url}/a/${a}`)).status).toBe(404);
    expect((await call(`/a/${a}/cancel`, {}, null)).body.error.code).toBe('APPOINTMENT_NOT_FOUND');
    // The same person may book that day again once cancelled.
    const again = (await book('10:30', '0900000001')).body.code as string;
    now = local('10:15');
    const checked = await checkIn(again);
    expect(checked.status).toBe(200);
    expect((await call(`/a/${again}/cancel`, {}, null)).body.error.code).toBe('APPOINTMENT_USED');
    const gone = (await book('14:00', '0900000009')).body.code as string;
    now = local('14:01');
    expect((await call(`/a/${gone}/cancel`, {}, null)).body.error.code).toBe('APPOINTMENT_TOO_LATE');
  });

  it('rate-limits the public endpoints per client address in the database: bookings, and guessed codes', async () => {
    for (let i = 0; i < BOOK_MAX_PER_WINDOW; i++) expect((await book('09:30', '12345')).status).toBe(400);
    const limited = await fetch(`${central.url}/hen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: OFFICE,
        serviceId: 'ho-tich',
        day: '2026-11-30',
        slot: '09:30',
        idKind: 'phone',
        idNumber: '0912345678',
      }),
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).error.code).toBe('RATE_LIMITED');
    const form = await fetch(`${central.url}/hen`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'officeId=x',
    });
    expect(form.status).toBe(429);
    expect(await form.text()).toContain('Có quá nhiều yêu cầu');
    // Codes: only misses count; the window ends and booking works again.
    for (let i = 0; i < CODE_MAX_MISSES; i++) expect((await fetch(`${central.url}/a/ABCDEFGH`)).status).toBe(404);
    expect((await fetch(`${central.url}/a/ABCDEFGH`)).status).toBe(429);
    expect((await call('/a/ABCDEFGH/cancel', {}, null)).status).toBe(429);
    now = new Date(now.getTime() + 11 * 60_000);
    expect((await book('09:30', '0912345678')).status).toBe(200);
  });

  it('refuses a new booking to whoever missed the no-show limit (2) within 30 days', async () => {
    expect((await book('16:00', '0912345678')).status).toBe(200);
    expect((await book('16:00', '0912345678', { day: '2026-12-01' })).status).toBe(200);
    now = local('08:00', '2026-12-02');
    const refused = await book('10:00', '0912345678', { day: '2026-12-02' });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'NO_SHOW_LIMIT' } } });
    expect((await book('10:00', '0987654321', { day: '2026-12-02' })).status).toBe(200);
  });

  it('serves the booking page without script: office → service → day → slot with places left, then the code and QR', async () => {
    const get = async (path: string) => {
      const res = await fetch(central.url + path);
      return { status: res.status, headers: res.headers, html: await res.text() };
    };
    const start = await get('/hen');
    expect(start.status).toBe(200);
    expect(start.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(start.headers.get('content-security-policy')).not.toContain('script-src');
    expect(start.html).not.toContain('<script');
    expect(start.html).toContain('UBND phường An Xuyên');
    expect((await get('/hen?office=ca-mau-an-xuyen')).html).toContain('Đăng ký hộ tịch');
    expect((await get('/hen?office=ca-mau-an-xuyen&service=ho-tich')).html).toContain('30/11/2026');
    await book('09:30', '0900000001');
    const slots = await get('/hen?office=ca-mau-an-xuyen&service=ho-tich&day=2026-11-30');
    expect(slots.html).toMatch(/data-slot="09:30">còn 1 chỗ/);
    expect(slots.html).toMatch(/data-slot="10:00">còn 2 chỗ/);
    expect(slots.html).not.toContain('value="07:00"');
    const form = new URLSearchParams({
      officeId: OFFICE,
      serviceId: 'ho-tich',
      day: '2026-11-30',
      slot: '09:30',
      idKind: 'cccd',
      idNumber: '079203001234',
    });
    const posted = await fetch(central.url + '/hen', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form.toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(303);
    const where = posted.headers.get('location')!;
    expect(where).toMatch(/^\/a\/[2-9A-HJ-NP-Z]{8}$/);
    const done = await get(where);
    expect(done.html).toContain(where.slice(3));
    expect(done.html).toContain('data:image/svg+xml;base64,');
    expect(done.html).toContain('***234');
    expect(done.html).not.toContain('079203001234');
    expect((await get(`${where}?lang=en`)).html).toContain('Your appointment is booked');
    // The slot is now full: the form says so in Vietnamese.
    form.set('idNumber', '079203001235');
    const full = await fetch(central.url + '/hen', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: form.toString(),
    });
    expect(full.status).toBe(409);
    expect(await full.text()).toContain('Giờ hẹn này vừa hết chỗ');
    expect((await get('/a/ABCDEFGH')).status).toBe(404);
    // A phone's browser is told in words; an API client gets the usual error body.
    const browser = await fetch(central.url + '/a/ABCDEFGH', { headers: { accept: 'text/html' } });
    expect(browser.status).toBe(404);
    expect(await browser.text()).toContain('role="alert"');
    expect(await (await fetch(central.url + '/a/ABCDEFGH')).json()).toMatchObject({
      error: { code: 'APPOINTMENT_NOT_FOUND' },
    });
  });
});
