import AxeBuilder from '@axe-core/playwright';
import { devices, expect, test, type Browser } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { v4 as uuidv4 } from 'uuid';
import { enrolDevice, issueEnrolCode } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { OFFICE, startOfficeCentral, type OfficeCentral } from '../support/office.ts';

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
