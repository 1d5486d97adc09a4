import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './test/support/browser.ts';

/**
 * The kiosk is portrait first (1080×1920) and supports landscape (1920×1080). Every spec runs in
 * portrait; in landscape the accessibility sweep (every screen, normal/large text/high contrast,
 * each control visible and hit-testable without scrolling) and the home smoke tests run, which
 * keeps `npm test` well inside its time on 2 cores.
 */
export const PORTRAIT = { width: 1080, height: 1920 };
export const LANDSCAPE = { width: 1920, height: 1080 };

export default defineConfig({
  testDir: 'test/e2e',
  testMatch: '**/*.spec.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    launchOptions: chromiumLaunchOptions(),
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    trace: 'off',
    screenshot: 'only-on-failure',
  },
  projects: [
    { name: 'portrait', use: { viewport: PORTRAIT } },
    {
      name: 'landscape',
      use: { viewport: LANDSCAPE },
      testMatch: ['**/a11y.spec.ts', '**/home.spec.ts'],
      // The speech and time-out tests do not depend on the screen's shape.
      grepInvert: /read aloud|speech|voice|Thêm thời gian|ten times longer|idle|fails while drawing/,
    },
  ],
});
