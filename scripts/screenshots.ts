/**
 * `npm run screenshots`: every citizen screen (test/support/screens.ts) in normal and
 * large-text mode, in portrait (1080×1920, the kiosk's primary layout) and landscape (1920×1080),
 * photographed from the real kiosk (a real central on loopback with the demo office, simulated
 * devices) into `screenshots/portrait/` and `screenshots/landscape/`, for people to review.
 * `npm run screenshots -- payment rating` photographs only the screens whose names contain one
 * of the words; `--portrait` or `--landscape` only that orientation. Then the office apps central
 * serves (`office-…`: counter sign-in, counter choice, the counter desk, its transfer dialog, the
 * waiting-room display, the admin app's sections `office-admin-…`), from a real central process.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
import {
  deviceToken,
  issueTicket,
  openCounter,
  signInAtCounter,
  signInForPage,
  startOfficeCentral,
  OFFICE,
} from '../test/support/office.ts';
import { screenVisits, startKioskFor, type KioskKind } from '../test/support/screens.ts';

const outDir = join(process.cwd(), 'screenshots');
const args = process.argv.slice(2);
const only = args.filter((a) => !a.startsWith('--'));
const orientations = (
  [
    ['portrait', { width: 1080, height: 1920 }],
    ['landscape', { width: 1920, height: 1080 }],
  ] as const
).filter(([o]) => !args.some((a) => a === '--portrait' || a === '--landscape') || args.includes(`--${o}`));
const chosen = screenVisits.filter((s) => only.length === 0 || only.some((w) => s.name.includes(w)));
for (const [o] of orientations) mkdirSync(join(outDir, o), { recursive: true });

// Each screen on the kind of kiosk it needs (offline, online with a central, printer missing),
// each kind started once — the same kiosks the accessibility suite checks.
const kiosks = new Map<KioskKind, { url: string; stop(): Promise<void> }>();
const kioskFor = async (kind: KioskKind) => {
  let k = kiosks.get(kind);
  if (!k) kiosks.set(kind, (k = await startKioskFor(kind)));
  return k;
};
const browser = await chromium.launch(chromiumLaunchOptions());
let failed = 0;
try {
  for (const [orientation, viewport] of orientations)
    for (const mode of ['normal', 'large-text'] as const) {
      for (const screen of chosen) {
        const page = await browser.newPage({ viewport, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
        try {
          const kiosk = await kioskFor(screen.kiosk ?? 'offline');
          await page.clock.install();
          await page.goto(kiosk.url);
          await page.getByTestId('home').waitFor();
          if (mode === 'large-text') await page.getByTestId('large-text-toggle').click();
          await screen.visit(page);
          await page.waitForTimeout(400);
          const file = join(outDir, orientation, `${screen.name}-${mode}.png`);
          await page.screenshot({ path: file });
          process.stdout.write(`${file}\n`);
        } catch (err) {
          failed += 1;
          process.stderr.write(`${screen.name} (${orientation}, ${mode}): ${(err as Error).message.split('\n')[0]}\n`);
        } finally {
          await page.close();
        }
      }
    }
  if (only.length === 0 || only.some((w) => 'office-counter-display'.includes(w))) failed += await officeScreens();
  if (only.length === 0 || only.some((w) => 'office-admin'.includes(w))) failed += await adminScreens();
} finally {
  await browser.close();
  for (const k of kiosks.values()) await k.stop();
}

async function officeScreens(): Promise<number> {
  const central = await startOfficeCentral();
  const context = await browser.newContext({
    viewport: { width: 1920, height: 1080 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  const shot = async (p: typeof page, name: string) => {
    await p.waitForTimeout(300);
    const file = join(outDir, `${name}.png`);
    await p.screenshot({ path: file });
    process.stdout.write(`${file}\n`);
  };
  try {
    const token = await deviceToken(central);
    for (const [service, group] of [
      ['ho-tich', null],
      ['ho-tich', 'cao-tuoi'],
      ['chung-thuc', null],
      ['ho-tich', null],
      ['chung-thuc', 'khuyet-tat'],
    ] as const)
      await issueTicket(central, token, service, group);
    await page.goto(`${central.url}/counter`);
    await page.getByLabel('Tên đăng nhập').waitFor();
    await shot(page, 'office-counter-sign-in');
    await signInAtCounter(page, central.url);
    await shot(page, 'office-counter-choose');
    await openCounter(page, 'Quầy 1');
    await page.getByRole('button', { name: /Gọi số tiếp/ }).click();
    await page.getByTestId('current-ticket').waitFor();
    await shot(page, 'office-counter-desk');
    await page.getByRole('button', { name: /Chuyển/ }).click();
    await page.getByRole('dialog').waitFor();
    await shot(page, 'office-counter-transfer');
    await page.getByRole('button', { name: 'Huỷ' }).click();
    const tv = await context.newPage();
    await tv.goto(`${central.url}/display?office=${OFFICE}`);
    await tv.locator('.display-call').first().waitFor();
    await shot(tv, 'office-display');
    return 0;
  } catch (err) {
    process.stderr.write(`office screens: ${(err as Error).message.split('\n')[0]}\n`);
    return 1;
  } finally {
    await context.close();
    await central.stop();
  }
}
/** The administration app (issue 14, docs/admin.md): each section at a desk PC's size (1366×768). */
async function adminScreens(): Promise<number> {
  const central = await startOfficeCentral();
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  try {
    await signInForPage(page, central.url, '/admin');
    for (const [name, nav] of [
      ['hours', 'Giờ làm việc và ngày nghỉ'],
      ['services', 'Dịch vụ, quầy, ưu tiên'],
      ['catalog', 'Danh mục thủ tục'],
      ['kiosks', 'Kiosk và mã đăng ký'],
      ['officers', 'Tài khoản cán bộ'],
    ] as const) {
      await page.getByRole('navigation').getByRole('button', { name: nav }).click();
      await page.getByRole('heading', { level: 1, name: nav }).waitFor();
      await page.waitForTimeout(400);
      const file = join(outDir, `office-admin-${name}.png`);
      await page.screenshot({ path: file });
      process.stdout.write(`${file}\n`);
    }
    return 0;
  } catch (err) {
    process.stderr.write(`admin screens: ${(err as Error).message.split('\n')[0]}\n`);
    return 1;
  } finally {
    await context.close();
    await central.stop();
  }
}
process.exit(failed ? 1 : 0);
