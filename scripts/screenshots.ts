/**
 * `npm run screenshots`: every citizen screen (test/support/screens.ts) in normal and
 * large-text mode, photographed at 1920×1080 from the real appliance (embedded central, demo
 * data, simulated devices) into `screenshots/`, for people to review.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnReady, tmpDir } from '../test/support/appliance.ts';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
import { screenVisits } from '../test/support/screens.ts';

const outDir = join(process.cwd(), 'screenshots');
mkdirSync(outDir, { recursive: true });

const kiosk = await spawnReady(
  'kiosk/start.node.ts',
  ['--web'],
  { KIOSK_DATA_DIR: tmpDir('kiosk-shots-'), KIOSK_HOST_PORT: '0', KIOSK_CENTRAL_PORT: '0' },
  /OneStop Kiosk ready: (http:\/\/\S+)/,
  90_000,
);
const browser = await chromium.launch(chromiumLaunchOptions());
let failed = 0;
try {
  for (const mode of ['normal', 'large-text'] as const) {
    for (const screen of screenVisits) {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
      try {
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
  await kiosk.stop();
}
process.exit(failed ? 1 : 0);
