import { test as base, expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startKiosk, tmpDir, type RunningProcess } from './appliance.ts';

type Kiosk = RunningProcess & { dataDir: string };

export interface KioskFixture {
  kiosk: Kiosk;
  /** Opens the kiosk page with Playwright's fake clock installed (time-outs can be skipped). */
  openKiosk(page: Page): Promise<void>;
  /** Opens the worker's shared kiosk: for tests that only look (a new page is a new session). */
  openSharedKiosk(page: Page): Promise<void>;
}

async function startTestKiosk(): Promise<Kiosk> {
  const dataDir = tmpDir('kiosk-e2e-');
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({
      officeName: 'UBND Phường 5, Cà Mau',
      kioskId: 'KIOSK-01',
      officeId: 'demo',
      timeouts: { idleWarningMs: 30_000, warningMs: 20_000, attractMs: 60_000 },
    }),
  );
  return startKiosk({ dataDir });
}

const open = async (page: Page, kiosk: Kiosk) => {
  await page.clock.install();
  await page.goto(kiosk.url);
  await expect(page.getByTestId('home')).toBeVisible();
};

/** A kiosk (web host only, central unreachable) with short idle time-outs for tests. */
export const test = base.extend<KioskFixture, { sharedKiosk: Kiosk }>({
  kiosk: async ({}, use) => {
    const kiosk = await startTestKiosk();
    await use(kiosk);
    await kiosk.stop();
  },
  sharedKiosk: [
    async ({}, use) => {
      const kiosk = await startTestKiosk();
      await use(kiosk);
      await kiosk.stop();
    },
    { scope: 'worker' },
  ],
  openKiosk: async ({ kiosk }, use) => {
    await use((page) => open(page, kiosk));
  },
  openSharedKiosk: async ({ sharedKiosk }, use) => {
    await use((page) => open(page, sharedKiosk));
  },
});

export { expect };
