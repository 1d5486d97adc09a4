import type { LaunchOptions } from '@playwright/test';

/** Debian's Chromium, never a downloaded browser; the flags keep it off the closed network. */
export const CHROMIUM_PATH = process.env.KIOSK_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumLaunchOptions(extraArgs: string[] = []): LaunchOptions {
  return {
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  };
}
