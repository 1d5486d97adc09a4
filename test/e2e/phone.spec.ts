import AxeBuilder from '@axe-core/playwright';
import { devices, expect, test, type Browser } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { v4 as uuidv4 } from 'uuid';
import { enrolDevice, issueEnrolCode } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { fakeProviderEnv, fakeSms, fakeZalo, type FakeProvider } from '../support/fake-providers.ts';
import { enrolledKioskDir, OFFICE, startOfficeCentral, type OfficeCentral } from '../support/office.ts';
import { expectReachable, tap } from '../support/reach.ts';

/**
 * The citizen's phone (issue 15): the live ticket page a ticket QR opens, in Chromium with a
 * phone's screen (mobile emulation), against a real central process. A counter calls through the
 * API; the page says so within a second, without a reload.
 */
test.describe.configure({ timeout: 120_000 });

let central: OfficeCentral | undefined;
let device = '';

test.beforeAll(async () => {
  central = await startOfficeCentral();
  const store = await openCentralStore(central.db);
  const { code } = await issueEnrolCode(store, { officeId: OFFICE });
  device = (await store.tx((q) => enrolDevice(q, { code, kioskName: 'phone-e2e' }))).token;
  await store.close();
});
test.afterAll(async () => {
  await central?.stop();
});

const api = async (path: string, body: unknown) => {
  const res = await fetch(central!.url + path, {
    method: 'POST',
    headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of the ticket answers
  return (await res.json()) as any;
};
const issue = async (serviceId: string) => {
  const token = randomBytes(16).toString('base64url');
  const r = await api('/v1/tickets', {
    ticketId: uuidv4(),
    serviceId,
    priorityGroupId: null,
    source: 'kiosk',
    issuedAt: new Date().toISOString(),
    publicToken: token,
  });
  return { number: r.ticket.number as string, url: `${central!.url}/t/${token}` };
};

async function phone(browser: Browser) {
  const { defaultBrowserType: _, ...pixel } = devices['Pixel 5'];
  return browser.newContext({ ...pixel, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
}

test('the phone page shows the ticket and says "mời đến Quầy" within a second of the call, live', async ({
  browser,
}) => {
  const ahead = await issue('dat-dai');
  const mine = await issue('dat-dai');
  const context = await phone(browser);
  const page = await context.newPage();
  await page.goto(mine.url);
  await expect(page.locator('.number')).toHaveText(mine.number);
  await expect(page.locator('[data-k="ahead"]')).toHaveText('1');
  await expect(page.locator('[data-k="wait"]')).toHaveText('Chưa xác định');
  await expect(page.getByText(ahead.number)).toHaveCount(0);
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
  mkdirSync('screenshots/phone', { recursive: true });
  await page.screenshot({ path: 'screenshots/phone/ticket-waiting.png' });

  // The counter calls the one ahead: the page moves without a reload.
  await api('/v1/tickets/call-next', { counterId: 'q3' });
  await expect(page.locator('[data-k="ahead"]')).toHaveText('0');
  const t0 = Date.now();
  const called = await api('/v1/tickets/call-next', { counterId: 'q3' });
  expect(called.ticket.number).toBe(mine.number);
  await expect(page.getByText('Đến lượt quý khách — mời đến Quầy 3')).toBeVisible({ timeout: 1_000 });
  expect(Date.now() - t0).toBeLessThan(1_000);
  await expect(page).toHaveTitle(new RegExp(`^${mine.number} — `));
  await page.screenshot({ path: 'screenshots/phone/ticket-called.png' });

  // In English, from the page's own switch.
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByText('It is your turn — please go to Quầy 3')).toBeVisible();
  await page.screenshot({ path: 'screenshots/phone/ticket-called-en.png' });
  await context.close();
});

test('a wrong token opens a clear message and no one’s ticket', async ({ browser }) => {
  const someone = await issue('ho-tich');
  const context = await phone(browser);
  const page = await context.newPage();
  const res = await page.goto(`${central!.url}/t/${randomBytes(16).toString('base64url')}`);
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('alert')).toHaveText('Không tìm thấy số thứ tự này. Xin kiểm tra lại mã QR trên phiếu.');
  await expect(page.getByText(someone.number)).toHaveCount(0);
  await page.screenshot({ path: 'screenshots/phone/ticket-unknown.png' });
  await context.close();
});

test.describe('a message before the turn', () => {
  let zalo: FakeProvider;
  let sms: FakeProvider;
  let kiosk: RunningProcess | undefined;
  let notifying: OfficeCentral | undefined;
  test.afterEach(async () => {
    await kiosk?.stop();
    await notifying?.stop();
    await zalo?.close();
    await sms?.close();
  });

  test('signed up at the kiosk by Zalo and by SMS: exactly one "sắp đến lượt" and one "mời đến quầy" each, across a central restart', async ({
    page,
  }) => {
    zalo = await fakeZalo();
    sms = await fakeSms();
    const env = fakeProviderEnv(zalo, sms);
    notifying = await startOfficeCentral(undefined, 0, true, env);
    const store = await openCentralStore(notifying.db);
    const { code } = await issueEnrolCode(store, { officeId: OFFICE });
    const counter = (await store.tx((q) => enrolDevice(q, { code, kioskName: 'counter' }))).token;
    await store.close();
    kiosk = await startKiosk({
      dataDir: await enrolledKioskDir(notifying, 'Kiosk nhắn tin'),
      env: { KIOSK_CENTRAL_URL: notifying.url },
    });
    await page.goto(kiosk.url);

    const signUp = async (channel: 'zalo' | 'sms', phone: string, shot: boolean) => {
      await tap(page.getByTestId('tile-ticket'));
      await tap(page.getByTestId('area-dat-dai'));
      await tap(page.getByTestId('priority-none'));
      await tap(page.getByTestId('ticket-take'));
      await expect(page.getByTestId('ticket-done')).toBeVisible();
      const number = (await page.getByTestId('ticket-number').textContent())!.trim();
      await expectReachable(page.getByTestId('ticket-notify-open'));
      if (shot) await page.screenshot({ path: 'screenshots/phone/kiosk-ticket-done-portrait.png' });
      await tap(page.getByTestId('ticket-notify-open'));
      await expect(page.getByTestId('ticket-notify')).toBeVisible();
      for (const id of ['ticket-notify-zalo', 'ticket-notify-sms', 'notify-key-0', 'notify-key-erase'])
        await expectReachable(page.getByTestId(id));
      await expect(page.getByTestId('ticket-notify-submit')).toBeDisabled();
      await tap(page.getByTestId(`ticket-notify-${channel}`));
      for (const d of phone) await tap(page.getByTestId(`notify-key-${d}`));
      await expect(page.getByTestId('ticket-notify-phone')).toHaveText(
        `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`,
      );
      await expect(page.getByTestId('ticket-notify-consent')).toContainText('được xóa khi hết ngày');
      await expectReachable(page.getByTestId('ticket-notify-submit'));
      if (shot) await page.screenshot({ path: 'screenshots/phone/kiosk-notify-portrait.png' });
      await tap(page.getByTestId('ticket-notify-submit'));
      await expect(page.getByTestId('ticket-notify-done')).toBeVisible();
      if (shot) await page.screenshot({ path: 'screenshots/phone/kiosk-notify-done-portrait.png' });
      await tap(page.getByTestId('ticket-notify-close'));
      await tap(page.getByTestId('ticket-finish'));
      return number;
    };
    const first = await signUp('zalo', '0912345678', true);
    const second = await signUp('sms', '0387654321', false);
    // Both are within 3 of the front: "sắp đến lượt" for each, on its own channel.
    await expect.poll(() => zalo.received.length + sms.received.length, { timeout: 30_000 }).toBe(2);
    expect(zalo.received[0]!.json).toMatchObject({
      phone: '84912345678',
      template_id: 'tpl-sap-den-luot',
      template_data: { so_thu_tu: first },
    });
    expect(sms.received[0]!.json.Content).toContain(`Sắp đến lượt quý khách (số ${second})`);

    // Central restarts between the two messages; the counter then calls both.
    await notifying.stop();
    notifying = await startOfficeCentral(notifying.db, notifying.port, false, env);
    const callNext = async () => {
      const res = await fetch(`${notifying!.url}/v1/tickets/call-next`, {
        method: 'POST',
        headers: { authorization: `Bearer ${counter}`, 'content-type': 'application/json' },
        body: JSON.stringify({ counterId: 'q3' }),
      });
      expect(res.status).toBe(200);
    };
    await callNext();
    await callNext();
    await expect.poll(() => zalo.received.length + sms.received.length, { timeout: 30_000 }).toBe(4);
    await page.waitForTimeout(1_500);
    expect(zalo.received.map((r) => `${r.json.template_id} ${r.json.template_data.so_thu_tu}`)).toEqual([
      `tpl-sap-den-luot ${first}`,
      `tpl-moi-den-quay ${first}`,
    ]);
    expect(sms.received.map((r) => r.json.Content as string)).toEqual([
      expect.stringContaining(`Sắp đến lượt quý khách (số ${second})`),
      expect.stringContaining(`Đến lượt quý khách số ${second} — mời đến Quầy 3`),
    ]);
  });
});
