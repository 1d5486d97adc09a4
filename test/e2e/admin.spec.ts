import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { catalogToRows, rowsToXlsx } from '../../central/catalog-import.node.ts';
import { demoCatalog } from '../../central/demo/catalog-generate.ts';
import { localClock } from '../../protocol/tickets.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import {
  deviceToken,
  enrolledKioskDir,
  expectHittable,
  signInForPage,
  startOfficeCentral,
  type OfficeCentral,
} from '../support/office.ts';
import { tap } from '../support/reach.ts';

/**
 * Office administration (issue 14), end to end: a real central process, a real kiosk pulling
 * every 1.5 s (KIOSK_PULL_MS), and the admin app at a desk PC's size in Debian's Chromium.
 */
test.describe.configure({ timeout: 300_000 });

const PULL_MS = 1_500;
const DESK = { width: 1366, height: 768 };
let central: OfficeCentral | undefined;
const procs: RunningProcess[] = [];

async function stopOrKill(p: RunningProcess) {
  const gone = await Promise.race([
    p.stop().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!gone) await p.kill();
}

test.afterEach(async () => {
  for (const p of procs.splice(0)) await stopOrKill(p);
  if (central) await stopOrKill(central);
  central = undefined;
});

async function axe(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function adminPage(browser: Browser, url: string) {
  const page = await (
    await browser.newContext({ viewport: DESK, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
  ).newPage();
  await signInForPage(page, url, '/admin');
  await expect(page.getByRole('heading', { name: 'Giờ làm việc và ngày nghỉ', level: 1 })).toBeVisible();
  return page;
}

const section = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name }).click();

async function startKioskPage(browser: Browser) {
  const kiosk = await startKiosk({
    dataDir: await enrolledKioskDir(central!, 'Kiosk sảnh'),
    env: { KIOSK_CENTRAL_URL: central!.url, KIOSK_PULL_MS: String(PULL_MS), KIOSK_HEARTBEAT_MS: '1000' },
  });
  procs.push(kiosk);
  const page = await (await browser.newContext()).newPage();
  await page.goto(kiosk.url);
  await expect(page.getByTestId('home')).toBeVisible();
  return page;
}

const pad = (n: number) => String(n).padStart(2, '0');

test('an admin changes a service’s hours and adds a closed day: the running kiosk shows the new hours and refuses tickets that day, without a restart', async ({
  browser,
}) => {
  central = await startOfficeCentral();
  const kiosk = await startKioskPage(browser);
  const admin = await adminPage(browser, central.url);
  await axe(admin);

  // "Chứng thực" gets its own hours: one half hour, two hours from now, every day.
  const { minutes, day, weekday } = localClock(new Date());
  const start = (Math.floor(minutes / 60) + 2) % 24;
  const open = `${pad(start)}:00`;
  const close = `${pad(start)}:30`;
  await admin.locator('select[name="service"]').selectOption({ label: 'Chứng thực bản sao, chữ ký' });
  await admin.getByLabel('Dịch vụ này có giờ riêng').check();
  const serviceTable = admin.locator('table', { has: admin.locator('caption', { hasText: 'Chứng thực bản sao' }) });
  for (const wd of ['Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy', 'Chủ Nhật']) {
    await serviceTable.getByLabel(`Mở cửa ${wd} Buổi sáng`).fill(open);
    await serviceTable.getByLabel(`Đóng cửa ${wd} Buổi sáng`).fill(close);
  }
  await expect(admin.getByText('Có thay đổi chưa lưu.')).toBeVisible();
  await admin.screenshot({ path: test.info().outputPath('admin-hours.png'), fullPage: true });
  // The save bar stays at the bottom of the screen: reachable without scrolling, from the top of the page.
  await admin.evaluate(() => window.scrollTo(0, 0));
  await expectHittable(admin, 'button:has-text("Lưu cấu hình")');
  await admin.getByRole('button', { name: 'Lưu cấu hình' }).click();
  await expect(admin.getByText('Đã lưu. Các kiosk sẽ nhận cấu hình mới')).toBeVisible();

  // The kiosk, already running, shows the new hours once it has pulled (the list is read as the citizen opens it).
  await kiosk.waitForTimeout(2 * PULL_MS + 1_000);
  await tap(kiosk.getByTestId('tile-ticket'));
  await tap(kiosk.getByTestId('area-tu-phap'));
  await expect(kiosk.getByTestId('service-chung-thuc')).toContainText(`mở lại lúc ${open}`, {
    timeout: 3 * PULL_MS + 5_000,
  });
  await expect(kiosk.getByTestId('service-chung-thuc-regular')).toBeDisabled();
  await expect(kiosk.getByTestId('service-ho-tich-regular')).toBeEnabled();

  // A citizen is on the confirm step when the admin closes today.
  await tap(kiosk.getByTestId('service-ho-tich-regular'));
  await expect(kiosk.getByTestId('ticket-confirm')).toBeVisible();
  await admin.locator('input[name="closed-date"]').fill(day);
  await admin.locator('input[name="closed-name"]').fill('Ngày nghỉ thử nghiệm');
  await admin.getByRole('button', { name: 'Thêm ngày nghỉ' }).click();
  await expect(admin.getByText(`${day.split('-').reverse().join('/')} — Ngày nghỉ thử nghiệm`)).toBeVisible();
  await admin.getByRole('button', { name: 'Lưu cấu hình' }).click();
  await expect(admin.getByText('Đã lưu. Các kiosk sẽ nhận cấu hình mới')).toBeVisible();
  await axe(admin);

  // Two pull intervals later the kiosk knows; "Lấy số" is refused with the day's name (central refuses too).
  await kiosk.waitForTimeout(2 * PULL_MS + 1_000);
  await tap(kiosk.getByTestId('ticket-take'));
  await expect(kiosk.getByTestId('ticket-failed')).toContainText(
    'Hôm nay (Ngày nghỉ thử nghiệm) cơ quan nghỉ, không cấp số thứ tự.',
  );
  await kiosk.screenshot({ path: test.info().outputPath('kiosk-closed-day-refused.png') });
  await tap(kiosk.getByTestId('ticket-other'));
  // Back to the choice (the areas, with one area the services).
  await expect(kiosk.getByTestId('area-tu-phap').or(kiosk.getByTestId('service-ho-tich'))).toBeVisible();
  if (await kiosk.getByTestId('area-tu-phap').isVisible()) await tap(kiosk.getByTestId('area-tu-phap'));
  await expect(kiosk.getByTestId('service-ho-tich')).toContainText('Hôm nay nghỉ: Ngày nghỉ thử nghiệm');
  await expect(kiosk.getByTestId('service-ho-tich-regular')).toBeDisabled();
  await kiosk.screenshot({ path: test.info().outputPath('kiosk-closed-day.png') });
  expect(weekday).toBeGreaterThan(0);

  // The services page (every section is checked with axe and photographed at a desk PC's size).
  await section(admin, 'Dịch vụ, quầy, ưu tiên');
  await expect(admin.getByRole('heading', { name: 'Dịch vụ', exact: true })).toBeVisible();
  // A new service in the first area, and at most two priority tickets in a row.
  await admin.getByRole('button', { name: 'Thêm dịch vụ vào lĩnh vực này' }).first().click();
  await expect(admin.getByRole('group', { name: 'Dịch vụ 1' })).toBeVisible();
  await admin.locator('input[name="max-priority-in-a-row"]').fill('2');
  await admin.getByRole('button', { name: 'Lưu cấu hình' }).click();
  await expect(admin.getByText('Đã lưu. Các kiosk sẽ nhận cấu hình mới')).toBeVisible();
  const saved = await fetch(`${central.url}/v1/offices/ca-mau-an-xuyen/config`, {
    headers: { authorization: `Bearer ${await deviceToken(central)}` },
  }).then(
    (r) =>
      r.json() as Promise<{
        ticketPolicy?: { maxPriorityInARow: number | null };
        areas: Array<{ services: Array<{ id: string }> }>;
      }>,
  );
  expect(saved.ticketPolicy?.maxPriorityInARow).toBe(2);
  expect(saved.areas[0]!.services.map((x) => x.id)).toContain('dich-vu-1');
  await axe(admin);
  await admin.screenshot({ path: test.info().outputPath('admin-services.png') });
  await section(admin, 'Kiosk và mã đăng ký');
  await expect(admin.getByLabel('Tên kiosk: Kiosk sảnh')).toHaveValue('Kiosk sảnh');
  await admin.getByRole('button', { name: 'Cấp mã mới' }).click();
  await expect(admin.getByText(/Mã đăng ký: [A-Z2-9]{4}-[A-Z2-9]{4}/)).toBeVisible();
  // A setting from the safe list goes down to the running kiosk with its heartbeats.
  await admin.getByLabel('Cách in').selectOption('raster');
  await admin.getByRole('button', { name: 'Gửi xuống kiosk' }).click();
  await expect(admin.getByText('Đã gửi cài đặt lần 1 cho Kiosk sảnh.', { exact: false })).toBeVisible();
  await expect(async () => {
    await section(admin, 'Tài khoản cán bộ');
    await section(admin, 'Kiosk và mã đăng ký');
    await expect(admin.getByText('Lần 1: kiosk đã áp dụng')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  await axe(admin);
  await admin.screenshot({ path: test.info().outputPath('admin-kiosks.png') });
  await section(admin, 'Tài khoản cán bộ');
  await expect(admin.getByRole('cell', { name: 'canbo1.anxuyen', exact: true })).toBeVisible();
  await axe(admin);
  await admin.screenshot({ path: test.info().outputPath('admin-officers.png') });
});

test('an admin imports a 2,000-row XLSX catalog: three bad rows are named, and once fixed the kiosk’s search finds the new procedure', async ({
  browser,
}) => {
  central = await startOfficeCentral();
  const kiosk = await startKioskPage(browser);
  const admin = await adminPage(browser, central.url);
  await section(admin, 'Danh mục thủ tục');
  await expect(admin.getByText('Chưa nhập danh mục nào')).toBeVisible();
  await axe(admin);

  const rows = catalogToRows(demoCatalog(2000));
  const col = (name: string) => rows[0]!.indexOf(name);
  const fresh = [...rows[1]!];
  fresh[col('Mã thủ tục')] = '2.000999';
  fresh[col('Tên thủ tục')] = 'Cấp giấy phép nuôi chim yến trong khu dân cư';
  fresh[col('Từ khóa')] = 'nuôi yến; nhà yến';
  const good = [...rows, fresh];
  const bad = good.map((r) => [...r]);
  bad[101]![col('Mã thủ tục')] = 'SAI';
  bad[1002]![col('Cấp thực hiện')] = 'Cấp Huyện';
  bad[1999]![col('Cách thức thực hiện')] = 'Qua điện thoại | 5 ngày';
  expect(good.length - 1).toBeGreaterThanOrEqual(2000);

  const file = admin.locator('input[name="catalog-file"]');
  await file.setInputFiles({
    name: 'danh-muc-loi.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await rowsToXlsx(bad),
  });
  await admin.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  const errors = admin.getByTestId('catalog-errors');
  await expect(errors).toBeVisible({ timeout: 60_000 });
  // XLSX rows are numbered as the spreadsheet shows them: the header is row 1.
  await expect(errors.locator('tbody tr td:first-child')).toHaveText(['102', '1003', '2000']);
  await expect(errors).toContainText('Cấp Huyện');
  await expect(errors).toContainText('Qua điện thoại');
  await expect(admin.getByRole('button', { name: 'Áp dụng danh mục này' })).toHaveCount(0);
  await axe(admin);
  await admin.screenshot({ path: test.info().outputPath('admin-catalog-errors.png'), fullPage: true });

  await file.setInputFiles({
    name: 'danh-muc.xlsx',
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    buffer: await rowsToXlsx(good),
  });
  await admin.getByRole('button', { name: 'Kiểm tra tệp' }).click();
  await expect(admin.getByTestId('catalog-diff')).toContainText('thêm 1', { timeout: 60_000 });
  await admin.screenshot({ path: test.info().outputPath('admin-catalog-diff.png') });
  await admin.getByRole('button', { name: 'Áp dụng danh mục này' }).click();
  await expect(admin.getByText(/Đã áp dụng phiên bản 1/)).toBeVisible({ timeout: 60_000 });
  await expect(admin.getByRole('cell', { name: 'danh-muc.xlsx' })).toBeVisible();
  await axe(admin);
  await admin.screenshot({ path: test.info().outputPath('admin-catalog.png') });

  // The kiosk's search finds the new procedure once it has pulled the new version.
  await kiosk.waitForTimeout(2 * PULL_MS + 2_000);
  await tap(kiosk.getByTestId('tile-procedures'));
  await expect(kiosk.getByTestId('field-ho-tich')).toBeVisible({ timeout: 30_000 });
  for (const k of 'chim yen') await tap(kiosk.locator(`.osk [data-skbtn="${k === ' ' ? '{space}' : k}"]`).first());
  const first = kiosk.getByTestId('procedure-row').first();
  await expect(first).toHaveAttribute('data-code', '2.000999', { timeout: 10_000 });
  await kiosk.screenshot({ path: test.info().outputPath('kiosk-new-procedure.png') });
});
