import AxeBuilder from '@axe-core/playwright';
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { readWav } from '../../central/speech.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { estimateWait } from '../../protocol/tickets.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { chromiumLaunchOptions } from '../support/browser.ts';
import {
  enrolledKioskDir,
  expectHittable,
  OFFICE,
  openCounter,
  signInAtCounter,
  startOfficeCentral,
  type OfficeCentral,
} from '../support/office.ts';
import { tap } from '../support/reach.ts';

/**
 * The office behind the kiosk (issue 13), end to end: a real central process, a real kiosk,
 * the counter application and the waiting-room display in Debian's Chromium.
 */
test.describe.configure({ timeout: 300_000 });

let central: OfficeCentral | undefined;
const procs: RunningProcess[] = [];
let tv: Browser | undefined;

async function stopOrKill(p: RunningProcess) {
  const gone = await Promise.race([
    p.stop().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!gone) await p.kill();
}

test.afterEach(async ({ page }) => {
  await page.close();
  await tv?.close();
  tv = undefined;
  for (const p of procs.splice(0)) await stopOrKill(p);
  if (central) await stopOrKill(central);
  central = undefined;
});

async function axe(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Tile → area → "Thường" or "Ưu tiên" (then the group) on the service's row → "Lấy số" on the kiosk. */
async function takeTicket(page: Page, priority: string | null = null) {
  await tap(page.getByTestId('tile-ticket'));
  await tap(page.getByTestId('area-tu-phap'));
  if (priority) {
    await tap(page.getByTestId('service-ho-tich-priority'));
    await tap(page.getByTestId(`priority-${priority}`));
  } else await tap(page.getByTestId('service-ho-tich-regular'));
  await expect(page.getByTestId('ticket-confirm')).toBeVisible();
  await tap(page.getByTestId('ticket-take'));
  await expect(page.getByTestId('ticket-done')).toBeVisible();
  const number = (await page.getByTestId('ticket-number').textContent())!.trim();
  await tap(page.getByTestId('ticket-finish'));
  return number;
}

const waitingAt = (page: Page) =>
  page
    .locator('.office-queue[data-service="ho-tich"] li')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-number')));

test('kiosk tickets (one priority, one offline and merged) are called, recalled, transferred, skipped and served; the TV shows and announces each call; the kiosk’s wait reflects the served time', async ({
  page,
  browser,
}) => {
  central = await startOfficeCentral();
  const kiosk = await startKiosk({
    dataDir: await enrolledKioskDir(central, 'Kiosk sảnh'),
    env: { KIOSK_CENTRAL_URL: central.url },
  });
  procs.push(kiosk);
  const kioskPage = await (await browser.newContext()).newPage();
  await kioskPage.goto(kiosk.url);
  await expect(kioskPage.getByTestId('home')).toBeVisible();

  // The officer signs in and opens Quầy 1 before anyone takes a number.
  await page.goto(`${central.url}/counter`);
  await expect(page.getByRole('heading', { name: 'Đăng nhập cán bộ' })).toBeVisible();
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('counter-sign-in.png') });
  await signInAtCounter(page, central.url);
  await axe(page);
  await openCounter(page, 'Quầy 1');
  await expect(page.getByText('Không còn ai chờ ở các dịch vụ của quầy.')).toBeVisible();

  // The TV: autoplay allowed, as docs/central.md sets up Chromium in kiosk mode.
  tv = await chromium.launch(chromiumLaunchOptions(['--autoplay-policy=no-user-gesture-required']));
  const display = await (
    await tv.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' })
  ).newPage();
  const wavs: Array<{ at: number; seconds: number; url: string }> = [];
  display.on('response', (r) => {
    if (!r.url().includes('/display/calls/')) return;
    void r
      .body()
      .then((b) =>
        wavs.push({ at: Date.now(), seconds: readWav(b).samples.length / readWav(b).sampleRate, url: r.url() }),
      );
  });
  await display.goto(`${central.url}/display?office=${OFFICE}`);
  await expect(display.getByText('Chưa gọi số nào')).toBeVisible();
  await axe(display);

  // Live, no reload: a normal and a priority ticket appear on the counter as the kiosk issues them.
  expect(await takeTicket(kioskPage)).toBe('A001');
  await expect.poll(() => waitingAt(page)).toEqual(['A001']);
  expect(await takeTicket(kioskPage, 'cao-tuoi')).toBe('A002');
  await expect.poll(() => waitingAt(page)).toEqual(['A002', 'A001']);
  await expect(page.locator('li[data-number="A002"]')).toContainText('ƯU TIÊN: Người cao tuổi');

  // Central goes down: the kiosk numbers offline; the counter says it lost central.
  const { db, port } = central;
  await stopOrKill(central);
  central = undefined;
  const offline = await takeTicket(kioskPage);
  expect(offline).toMatch(/^A\d+-001$/);
  await expect(page.getByText('Mất kết nối với hệ thống trung tâm')).toBeVisible();
  // Central back (same database, same address): the offline ticket merges and appears by itself, where it arrived.
  central = await startOfficeCentral(db, port, false);
  await expect.poll(() => waitingAt(page), { timeout: 60_000 }).toEqual(['A002', 'A001', offline]);
  await expect(page.getByText('Mất kết nối với hệ thống trung tâm')).toBeHidden();
  await axe(page);
  await expectHittable(page, '.office-action-callNext');

  // Gọi số tiếp by its keyboard shortcut: the priority ticket first; the TV shows it within a second.
  await page.keyboard.press('n');
  const current = page.getByTestId('current-ticket');
  await expect(current).toContainText('A002');
  await expect(current).toContainText('ƯU TIÊN: Người cao tuổi');
  await expect(current).toContainText('Trực tuyến');
  await expect(display.locator('.display-call.is-newest')).toContainText('A002', { timeout: 1_000 });
  await expect(display.locator('.display-call.is-newest')).toContainText('Quầy 1');
  await axe(page);
  await axe(display);
  await page.screenshot({ path: test.info().outputPath('counter-desk.png') });
  await display.screenshot({ path: test.info().outputPath('display.png') });

  // Gọi lại at once: announced again, after the first announcement, never over it.
  await page.getByRole('button', { name: /Gọi lại/ }).click();
  await expect.poll(() => wavs.length, { timeout: 30_000 }).toBe(2);
  for (const w of wavs) {
    expect(w.seconds).toBeGreaterThan(3);
    expect(w.seconds).toBeLessThan(15);
  }
  expect(wavs[1]!.at - wavs[0]!.at).toBeGreaterThanOrEqual(wavs[0]!.seconds * 1000 - 500);
  await expect(display.locator('.display-call.is-newest')).toContainText('Gọi lại');

  // Chuyển to Quầy 2: it leaves this counter's list (Quầy 2 will call it first).
  await page.keyboard.press('c');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('Chuyển số A002');
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('counter-transfer.png') });
  await dialog.getByRole('combobox').selectOption({ label: 'Quầy 2' });
  await dialog.getByRole('button', { name: 'Chuyển' }).click();
  await expect(page.getByText('Chưa có số nào tại quầy')).toBeVisible();
  await expect.poll(() => waitingAt(page)).toEqual(['A001', offline]);

  // Next: A001, who does not come (Vắng mặt).
  await page.getByRole('button', { name: /Gọi số tiếp/ }).click();
  await expect(current).toContainText('A001');
  await expect(display.locator('.display-call.is-newest')).toContainText('A001', { timeout: 1_000 });
  await page.getByRole('button', { name: /Vắng mặt/ }).click();
  await expect(page.getByText('Chưa có số nào tại quầy')).toBeVisible();

  // Next: the offline ticket, marked as such; served (Hoàn thành).
  await page.getByRole('button', { name: /Gọi số tiếp/ }).click();
  await expect(current).toContainText(offline);
  await expect(current).toContainText('Khi kiosk mất kết nối');
  await expect(display.locator('.display-call.is-newest')).toContainText(offline, { timeout: 1_000 });
  await page.keyboard.press('h');
  await expect(page.getByText('Chưa có số nào tại quầy')).toBeVisible();
  await expect.poll(() => wavs.length, { timeout: 60_000 }).toBe(4);
  await expect(display.locator('main.display')).toHaveAttribute('data-announced', '4', { timeout: 60_000 });

  // Central recorded who did each thing and when.
  const store = await openCentralStore(central.db);
  let expected: ReturnType<typeof estimateWait>;
  try {
    const audit = await store.all<{ action: string; username: string }>(
      "SELECT action, username FROM officer_audit WHERE action NOT LIKE 'officer.%' ORDER BY at, id",
    );
    expect(audit.map((a) => a.action)).toEqual([
      'sign-in',
      'counter.open',
      'call-next',
      'recall',
      'transfer',
      'call-next',
      'no-show',
      'call-next',
      'served',
    ]);
    expect(new Set(audit.map((a) => a.username))).toEqual(new Set(['canbo1.anxuyen']));
    // The offline ticket took seconds here; make it a six-minute service as a real one is, so the
    // estimate is visibly the served time (central reads called → served of served tickets).
    const served = await store.get<{ id: string; served_at: string }>(
      "SELECT id, served_at FROM tickets WHERE status = 'served'",
    );
    await store.run('UPDATE tickets SET called_at = ? WHERE id = ?', [
      new Date(Date.parse(served!.served_at) - 6 * 60_000).toISOString(),
      served!.id,
    ]);
    // A002 still waits (for Quầy 2) in the same service: one person ahead, one counter serving.
    expected = estimateWait(1, [6 * 60_000], 1);
  } finally {
    await store.close();
  }
  expect(expected).toEqual({ minMinutes: 6, maxMinutes: 12 });
  await tap(kioskPage.getByTestId('tile-ticket'));
  await tap(kioskPage.getByTestId('area-tu-phap'));
  await tap(kioskPage.getByTestId('service-ho-tich-regular'));
  await expect(kioskPage.getByTestId('ticket-wait')).toHaveText('Khoảng 6–12 phút');
});

test('the counter app refuses wrong passwords with a clear message, and locks after five', async ({ page }) => {
  central = await startOfficeCentral();
  await page.goto(`${central.url}/counter`);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel('Tên đăng nhập').fill('canbo1.anxuyen');
    await page.getByLabel('Mật khẩu').fill(`sai-${i}`);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect(page.getByRole('alert')).toHaveText('Tên đăng nhập hoặc mật khẩu không đúng.');
  }
  await page.getByLabel('Mật khẩu').fill('motcua-2026');
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('alert')).toContainText('Đăng nhập sai quá nhiều lần');
  await axe(page);
});
