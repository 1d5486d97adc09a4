/**
 * `npm run screenshots`: every citizen screen (test/support/screens.ts) in normal and
 * large-text mode, photographed at 1920×1080 from the real kiosk (a real central on loopback with
 * the demo office, simulated devices) into `screenshots/`, for people to review.
 * `npm run screenshots -- payment rating` photographs only the screens whose names contain one
 * of the words.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
import { screenVisits, startKioskFor, type KioskKind } from '../test/support/screens.ts';

const outDir = join(process.cwd(), 'screenshots');
const only = process.argv.slice(2);
const chosen = screenVisits.filter((s) => only.length === 0 || only.some((w) => s.name.includes(w)));
mkdirSync(outDir, { recursive: true });

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
  for (const mode of ['normal', 'large-text'] as const) {
    for (const screen of chosen) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      try {
        const kiosk = await kioskFor(screen.kiosk ?? 'offline');
        await page.clock.install();
        await page.goto(kiosk.url);
        await page.getByTestId('home').waitFor();
        if (mode === 'large-text') await page.getByTestId('large-text-toggle').click();
        await screen.visit(page);
        await page.waitForTimeout(400);
        const file = join(outDir, `${screen.name}-${mode}.png`);
        await page.screenshot({ path: file });
        process.stdout.write(`${file}\n`);
      } catch (err) {
        failed += 1;
        process.stderr.write(`${screen.name} (${mode}): ${(err as Error).message.split('\n')[0]}\n`);
      } finally {
        await page.close();
      }
    }
  }
} finally {
  await browser.close();
  for (const k of kiosks.values()) await k.stop();
}
process.exit(failed ? 1 : 0);
