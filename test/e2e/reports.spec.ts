import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { seedReportHistory } from '../../central/demo/report-history.node.ts';
import { createOfficer } from '../../central/officers.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { localDay, vnDay } from '../../protocol/tickets.ts';
import {
  DEMO_COUNTER_USER,
  deviceToken,
  issueTicket,
  OFFICE,
  signInForPage,
  startOfficeCentral,
  type OfficeCentral,
} from '../support/office.ts';
import { expectReachable } from '../support/reach.ts';

/**
 * Manager reports (issue 14) end to end: a real central process, today's tickets issued through
 * the kiosk API and handled through the counter API (three tickets: one served, one no-show, one
 * waiting), past days from the demo history; the demo manager signs in through the counter
 * app's sign-in, reads the day, exports CSV and XLSX, switches to the month. Desk PC: 1366×768.
 */
test.describe.configure({ timeout: 240_000 });
test.use({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });

let central: OfficeCentral | undefined;
test.afterEach(async () => {
  await central?.stop();
  central = undefined;
});

async function axe(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** An officer at a counter, through the same API the counter app uses. */
async function counterOfficer(url: string) {
  const signIn = await fetch(`${url}/v1/officer/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_COUNTER_USER),
  });
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await signIn.json()) as { csrfToken: string };
  return async (path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, path).toBe(200);
  };
}

test('a manager opens the day’s figures and chart, exports CSV and XLSX, and reads the month', async ({ page }) => {
  central = await startOfficeCentral();
  const store = await openCentralStore(central.db);
  await seedReportHistory(store, OFFICE, { days: 10 });
  await store.close();
  const token = await deviceToken(central);
  for (const group of [null, 'cao-tuoi', null]) await issueTicket(central, token, 'ho-tich', group);
  const post = await counterOfficer(central.url);
  await post('/v1/counter/open', { counterId: 'q1', serviceIds: ['ho-tich'] });
  await post('/v1/counter/call-next', { counterId: 'q1' }); // the priority ticket first
  await post('/v1/counter/served', { counterId: 'q1' });
  await post('/v1/counter/call-next', { counterId: 'q1' });
  await post('/v1/counter/no-show', { counterId: 'q1' });

  await signInForPage(page, central.url, '/reports');
  const today = localDay(new Date());
  await expect(page.getByRole('heading', { name: new RegExp(`^Ngày ${vnDay(today)}`) })).toBeVisible();
  await expect(page.getByTestId('card-issued')).toContainText('3');
  await expect(page.getByTestId('card-served')).toContainText('1');
  await expect(page.getByTestId('card-no-show')).toContainText('1');
  await expect(page.getByTestId('card-on-time')).toContainText('chưa có kết quả');
  const chart = page.getByTestId('chart-main');
  await expect(chart).toBeVisible();
  // The chart drew bars: the canvas is not blank.
  const inked = await chart.evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
  expect(inked).toBeGreaterThan(1000);
  // The service table beside the chart holds the same figures.
  const row = page.locator('section[aria-labelledby="sec-services"] tbody tr').first();
  await expect(row.locator('th')).toHaveText('Đăng ký hộ tịch (khai sinh, kết hôn, khai tử)');
  await expect(row.locator('td').nth(0)).toHaveText('3');
  await expect(row.locator('td').nth(1)).toHaveText('1');
  await expect(row.locator('td').nth(2)).toHaveText('1');
  for (const name of ['Tải CSV', 'Tải Excel (XLSX)', 'In báo cáo'])
    await expectReachable(page.getByRole(name === 'In báo cáo' ? 'button' : 'link', { name }));
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('reports-day.png'), fullPage: false });
  await page.screenshot({ path: test.info().outputPath('reports-day-full.png'), fullPage: true });

  const csvDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Tải CSV' }).click();
  const csv = readFileSync((await (await csvDownload).path())!, 'utf8');
  expect(csv).toContain(`Tổng hợp\r\nPhạm vi,Kỳ báo cáo,Số phiếu cấp,Đã phục vụ,Vắng mặt`);
  expect(csv).toContain(`UBND phường An Xuyên — Bộ phận Một cửa,${vnDay(today)},3,1,1,0,3,0,1,`);
  const xlsxDownload = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Tải Excel (XLSX)' }).click();
  const download = await xlsxDownload;
  expect(download.suggestedFilename()).toBe(`bao-cao-${OFFICE}-day-${today}.xlsx`);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile((await download.path())!);
  const summary = wb.getWorksheet('Tổng hợp')!.getRow(2);
  expect([summary.getCell(3).value, summary.getCell(4).value, summary.getCell(5).value]).toEqual([3, 1, 1]);

  // The month: the history's days are there, with the trend chart and the heatmap.
  await page.getByRole('combobox', { name: 'Kỳ' }).selectOption('month');
  await expect(page.getByRole('heading', { name: /^Từ 01\// })).toBeVisible();
  await expect(page.getByTestId('chart-main')).toBeVisible();
  await expect(page.locator('.reports-heat td.heat-4').first()).toBeVisible();
  // Over more than 7 days the percentiles are whole minutes: minutes only, and a note says so.
  await expect(page.getByTestId('resolution-note')).toContainText('tính theo phút tròn');
  await expect(page.getByTestId('card-wait')).toContainText(/\d+ phút \/ \d+ phút$/);
  await expect(page.getByTestId('card-wait')).not.toContainText('giây');
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('reports-month.png') });
  await page.screenshot({ path: test.info().outputPath('reports-month-full.png'), fullPage: true });
  // The printable view: no controls, the figures and charts stay.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('link', { name: 'Tải CSV' })).toBeHidden();
  await expect(page.getByTestId('card-issued')).toBeVisible();
  await expect(page.getByTestId('resolution-note')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('reports-print.png'), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  // English, from the same page.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByTestId('card-issued')).toContainText('Tickets issued');
  await expect(page.getByTestId('card-wait')).toContainText(/\d+ min \/ \d+ min$/);
  await expect(page.getByTestId('resolution-note')).toContainText('whole minutes');
  await axe(page);
});

test('a counter officer cannot open the reports; the counter app shows the link to managers only', async ({ page }) => {
  central = await startOfficeCentral();
  await signInForPage(page, central.url, '/reports', DEMO_COUNTER_USER);
  await expect(page.getByRole('heading', { name: /không được xem trang này/ })).toBeVisible();
  const api = await page.request.get(`${central.url}/v1/reports`);
  expect(api.status()).toBe(403);
  await page.goto(`${central.url}/counter`);
  await expect(page.getByRole('heading', { name: 'Chọn quầy và dịch vụ hôm nay' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Báo cáo' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Đăng xuất' }).click();
  await page.getByLabel('Tên đăng nhập').fill('quantri.anxuyen');
  await page.getByLabel('Mật khẩu').fill('quantri-2026');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.getByRole('link', { name: 'Báo cáo' }).click();
  await expect(page).toHaveURL(`${central.url}/reports`);
  await expect(page.getByTestId('card-issued')).toBeVisible();
});

test('a province officer reads every office of the province', async ({ page }) => {
  central = await startOfficeCentral();
  const store = await openCentralStore(central.db);
  await seedReportHistory(store, OFFICE, { days: 10 });
  await seedReportHistory(store, 'ca-mau-dam-doi', { days: 10 });
  await createOfficer(store, {
    officeId: OFFICE,
    username: 'so.noivu.camau',
    displayName: 'Sở Nội vụ Cà Mau',
    password: 'tinh-ca-mau-2026',
    roles: ['manager', 'province'],
  });
  await store.close();
  await signInForPage(page, central.url, '/reports', { username: 'so.noivu.camau', password: 'tinh-ca-mau-2026' });
  await page.getByRole('combobox', { name: 'Phạm vi' }).selectOption('province');
  await page.getByRole('combobox', { name: 'Kỳ' }).selectOption('month');
  await expect(page.getByRole('heading', { name: /^Báo cáo — Cà Mau/ })).toBeVisible();
  const offices = page.locator('section[aria-labelledby="sec-offices"] tbody tr th');
  await expect(offices).toHaveText(['UBND phường An Xuyên — Bộ phận Một cửa', /Đầm Dơi/]);
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('reports-province.png'), fullPage: true });
});
