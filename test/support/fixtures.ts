import { test as base, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKiosk, tmpDir, type RunningProcess } from './appliance.ts';

export interface KioskFixture {
  kiosk: RunningProcess & { dataDir: string };
  /** Opens the kiosk page with Playwright's fake clock installed (time-outs can be skipped). */
  openKiosk(page: Page): Promise<void>;
}

/** A kiosk (web host only, central unreachable) with short idle time-outs for tests. */
export const test = base.extend<KioskFixture>({
  kiosk: async ({}, use) => {
    const dataDir = tmpDir('kiosk-e2e-');
    writeFileSync(join(dataDir, 'kiosk.json'), JSON.stringify({ officeName: 'UBND Phường 5, Cà Mau', kioskId: 'KIOSK-01', officeId: 'demo', timeouts: { idleWarningMs: 30_000, warningMs: 20_000, attractMs: 60_000 } }));
    const kiosk = await startKiosk({ dataDir });
    await use(kiosk);
    await kiosk.stop();
  },
  openKiosk: async ({ kiosk }, use) => {
    await use(async (page) => {
      await page.clock.install();
      await page.goto(kiosk.url);
      await expect(page.getByTestId('home')).toBeVisible();
    });
  },
});

export { expect };
