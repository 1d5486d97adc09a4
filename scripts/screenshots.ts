/**
 * `npm run screenshots`: every citizen screen (test/support/screens.ts) in normal and
 * large-text mode, in portrait (1080×1920, the kiosk's primary layout) and landscape (1920×1080),
 * photographed from the real kiosk (a real central on loopback with the demo office, simulated
 * devices) into `screenshots/portrait/` and `screenshots/landscape/`, for people to review.
 * `npm run screenshots -- payment rating` photographs only the screens whose names contain one
 * of the words; `--portrait` or `--landscape` only that orientation.
 */
import { chromium } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumLaunchOptions } from '../test/support/browser.ts';
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
  for (const [orientation, viewport] of orientations) for (const mode of ['normal', 'large-text'] as const) {
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
} finally {
  await browser.close();
  for (const k of kiosks.values()) await k.stop();
}
process.exit(failed ? 1 : 0);
