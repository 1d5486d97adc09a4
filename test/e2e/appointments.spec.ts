import { expect, test } from '@playwright/test';
import { v4 as uuidv4 } from 'uuid';
import { enrolDevice, getOfficeConfig, issueEnrolCode, upsertOffice } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { localDay } from '../../protocol/tickets.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import {
  enrolledKioskDir,
  OFFICE,
  openCounter,
  signInAtCounter,
  startOfficeCentral,
  type OfficeCentral,
} from '../support/office.ts';
import { expectReachable, tap } from '../support/reach.ts';

/**
 * Appointments (issue 15): a citizen books a slot on central's booking page, scans the booking
 * QR at the kiosk (simulated scanner), gets a ticket marked "Lịch hẹn HH:MM", and a counter's
 * call-next calls it ahead of a walk-in who came earlier.
 */
test.describe.configure({ timeout: 120_000 });

let central: OfficeCentral | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  await central?.stop();
});

test('book a slot → scan the booking QR at the kiosk → appointment ticket → called ahead of an earlier walk-in', async ({
  page,
  browser,
}) => {
  central = await startOfficeCentral();
  const store = await openCentralStore(central.db);
  // 5-minute slots, so the next one is always within the check-in window whatever the hour.
  const office = (await getOfficeConfig(store, OFFICE))!.config;
  await upsertOffice(store, {
    ...office,
    appointments: { ...office.appointments!, services: [{ serviceId: 'ho-tich', slotMinutes: 5, capacity: 2 }] },
  });
  const { code: enrol } = await issueEnrolCode(store, { officeId: OFFICE });
  const counter = (await store.tx((q) => enrolDevice(q, { code: enrol, kioskName: 'counter' }))).token;
  await store.close();
  const api = async (path: string, body: unknown) => {
    const res = await fetch(central!.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${counter}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of the answers
    return (await res.json()) as any;
  };

  // The citizen's phone: office → service → day → the first slot, a mobile number.
  const phone = await browser.newContext({ viewport: { width: 412, height: 915 }, locale: 'vi-VN' });
  const booking = await phone.newPage();
  await booking.goto(`${central.url}/hen`);
  await booking.getByRole('link', { name: /An Xuyên/ }).click();
  await booking.getByRole('link', { name: /Đăng ký hộ tịch/ }).click();
  const today = localDay(new Date());
  await booking.getByRole('link', { name: `${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}` }).click();
  await expect(booking.getByText(/còn 2 chỗ/).first()).toBeVisible();
  await booking.locator('input[name="slot"]:not([disabled])').first().check();
  await booking.locator('input[name="idNumber"]').fill('0912345678');
  await booking.getByRole('button', { name: 'Đặt lịch' }).click();
  await expect(booking.getByRole('status')).toHaveText('Quý khách đã đặt lịch hẹn');
  const code = (await booking.locator('.code').textContent())!.trim();
  expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
  await expect(booking.locator('img.qr')).toBeVisible();
  await expect(booking.getByText('***678')).toBeVisible();
  await phone.close();

  // A walk-in takes a number first.
  const walkIn = await api('/v1/tickets', {
    ticketId: uuidv4(),
    serviceId: 'ho-tich',
    priorityGroupId: null,
    source: 'kiosk',
    issuedAt: new Date().toISOString(),
  });

  kiosk = await startKiosk({
    dataDir: await enrolledKioskDir(central, 'Kiosk lịch hẹn'),
    env: { KIOSK_CENTRAL_URL: central.url },
  });
  await page.goto(kiosk.url);
  await expect(page.getByTestId('home')).toBeVisible();

  // The code pad: every key reachable; a wrong code is told clearly.
  await expectReachable(page.getByTestId('home-appointment'));
  await tap(page.getByTestId('home-appointment'));
  await expect(page.getByTestId('appointment')).toBeVisible();
  for (const k of ['2', 'Z', 'A', 'erase']) await expectReachable(page.getByTestId(`appointment-key-${k}`));
  for (const k of 'ABCDEFGH') await tap(page.getByTestId(`appointment-key-${k}`));
  await expectReachable(page.getByTestId('appointment-submit'));
  await tap(page.getByTestId('appointment-submit'));
  await expect(page.getByTestId('appointment-error')).toHaveText(
    'Không tìm thấy lịch hẹn với mã này. Quý khách vui lòng kiểm tra lại mã.',
  );
  await page.screenshot({ path: test.info().outputPath('appointment-pad.png') });
  await tap(page.getByTestId('nav-home'));
  await expect(page.getByTestId('home')).toBeVisible();

  // The booking QR scanned on the home screen (simulated scanner): checked in and printed.
  const answer = await page.evaluate(async (text) => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
    const res = await fetch('/api/call/scans.simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify({ input: { text } }),
    });
    return res.json();
  }, `${central.url}/a/${code}`);
  expect(answer).toEqual({ ok: true, value: { ok: true } });
  await expect(page.getByTestId('appointment-done')).toBeVisible();
  await expect(page.getByTestId('appointment-mark')).toHaveText(/^Lịch hẹn \d\d:\d\d$/);
  await expect(page.getByTestId('ticket-qr')).toBeVisible(); // printed (the sim printer took it)
  const number = (await page.getByTestId('ticket-number').textContent())!.trim();
  expect(number).not.toBe(walkIn.ticket.number);
  await expectReachable(page.getByTestId('appointment-finish'));
  await page.screenshot({ path: test.info().outputPath('appointment-done.png') });

  // The counter calls: the appointment first, then the earlier walk-in.
  const first = await api('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] });
  expect(first.ticket.number).toBe(number);
  expect(first.ticket.appointmentSlot).toMatch(/^\d\d:\d\d$/);
  // The officer at Quầy 1 sees it is an appointment.
  const desk = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await signInAtCounter(desk, central.url);
  await openCounter(desk, 'Quầy 1');
  await expect(desk.getByTestId('current-ticket')).toContainText(number);
  await expect(desk.getByTestId('current-appointment')).toHaveText(`LỊCH HẸN ${first.ticket.appointmentSlot}`);
  await desk.close();
  const second = await api('/v1/tickets/call-next', { counterId: 'q1', serviceIds: ['ho-tich'] });
  expect(second.ticket.number).toBe(walkIn.ticket.number);
  await tap(page.getByTestId('appointment-finish'));
  await expect(page.getByTestId('home')).toBeVisible();
});
