import AxeBuilder from '@axe-core/playwright';
import { tap, unreachableControls } from '../support/reach.ts';
import type { Page } from '@playwright/test';
import { screenVisits, startKioskFor, type KioskKind, type ScreenVisit } from '../support/screens.ts';
import { expect, test as base } from '../support/fixtures.ts';

type Started = { url: string; stop(): Promise<void> };

/** The kiosks the visits need (offline, online with a central, printer missing): started once per worker, when first needed. */
const test = base.extend<
  { openFor(page: Page, screen: ScreenVisit): Promise<void> },
  { kiosks: (kind: KioskKind) => Promise<Started> }
>({
  kiosks: [
    async ({}, use) => {
      const started = new Map<KioskKind, Promise<Started>>();
      await use((kind) => {
        if (!started.has(kind)) {
          const starting = startKioskFor(kind);
          started.set(kind, starting);
          // A kiosk that failed to come up is tried again by the next test, not blamed on it.
          starting.catch(() => started.delete(kind));
        }
        return started.get(kind)!;
      });
      for (const k of started.values())
        await k.then(
          (s) => s.stop(),
          () => undefined,
        );
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  openFor: async ({ kiosks }, use) => {
    await use(async (page, screen) => {
      const kiosk = await kiosks(screen.kiosk ?? 'offline');
      await page.clock.install();
      await page.goto(kiosk.url);
      // A kiosk that was just started (or a loaded machine) may take a while for its first page.
      await expect(page.getByTestId('home')).toBeVisible({ timeout: 30_000 });
    });
  },
});

// Each screen is independent: spread them over the workers.
test.describe.configure({ mode: 'parallel' });

type Mode = 'normal' | 'large-text' | 'high-contrast';
const modes: Mode[] = ['normal', 'large-text', 'high-contrast'];

async function setMode(page: Page, mode: Mode) {
  if (mode === 'large-text') await tap(page.getByTestId('large-text-toggle'));
  if (mode === 'high-contrast') await tap(page.getByTestId('contrast-toggle'));
}

/** Elements whose text is cut off sideways, or which stick out of the screen. */
const overflowing = (page: Page) =>
  page.evaluate(() => {
    const bad: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1)
      bad.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!hasText || el.closest('[hidden]') || el.offsetParent === null) continue;
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      // Zero-sized, or visually hidden on purpose (1 px, clipped: text for screen readers only).
      if (r.width <= 1 || r.height <= 1) continue;
      if (style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 1)
        bad.push(`clipped: ${el.tagName}.${el.className} "${el.textContent!.trim().slice(0, 40)}"`);
      if (r.right > vw + 1 || r.left < -1)
        bad.push(`off screen: ${el.tagName}.${el.className} "${el.textContent!.trim().slice(0, 40)}"`);
    }
    return bad;
  });

/** Text smaller than large-text mode promises: a capital H of 0.7° at 600 mm (41.3 px type). */
const tooSmall = (page: Page, minPx: number) =>
  page.evaluate((min) => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
      if (!hasText || el.offsetParent === null || el.closest('[hidden], [aria-hidden="true"], .kiosk-qr-caption'))
        continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < min) bad.push(`${el.tagName}.${el.className} ${size}px "${el.textContent!.trim().slice(0, 30)}"`);
    }
    return bad;
  }, minPx);

/** Touch targets smaller than 15 mm (60 px on a 21.5" 1920×1080 panel). */
const smallTargets = (page: Page) =>
  page.evaluate(() => {
    const bad: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      'button, [role="button"], a[href], input, select, textarea, [role="tab"], [role="radio"], [role="checkbox"]',
    )) {
      if (el.offsetParent === null || el.closest('[hidden]')) continue;
      const r = el.getBoundingClientRect();
      if (r.width < 60 || r.height < 60)
        bad.push(
          `${el.tagName} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 30)}" ${Math.round(r.width)}×${Math.round(r.height)}`,
        );
    }
    return bad;
  });

for (const screen of screenVisits) {
  test(`${screen.name} passes axe-core, fits the screen, has 15 mm targets a finger can reach in normal, large-text and high-contrast modes`, async ({
    page,
    openFor,
  }) => {
    test.setTimeout(150_000);
    for (const mode of modes) {
      await test.step(mode, async () => {
        await openFor(page, screen);
        await setMode(page, mode);
        await screen.visit(page);
        await page.waitForTimeout(300);
        const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
        expect(
          axe.violations.map((v) => `${mode} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
        ).toEqual([]);
        expect(await overflowing(page)).toEqual([]);
        expect(await smallTargets(page)).toEqual([]);
        // What a finger sees: every control visible, on the screen and on top where it is drawn, without scrolling.
        expect(await unreachableControls(page)).toEqual([]);
        // The screen fills the display: the accessibility bar sits at its bottom, never mid-screen.
        const bar = await page.getByTestId('a11y-bar').boundingBox();
        if (bar)
          expect(Math.round(bar.y + bar.height), 'bottom of the accessibility bar').toBe(page.viewportSize()!.height);
        if (mode === 'large-text') expect(await tooSmall(page, 41)).toEqual([]);
      });
    }
  });
}

/** The citizen screens' speech log (technician mode has its own, never switched on by the citizen's bar). */
const speechLog = (page: Page) => page.getByTestId('speech-log').first();

for (const screen of screenVisits.filter((s) => s.spoken)) {
  test(`${screen.name} is read aloud when speech is on`, async ({ page, openFor }) => {
    test.setTimeout(90_000);
    await openFor(page, screen);
    await tap(page.getByTestId('speech-toggle'));
    await screen.visit(page);
    await expect(speechLog(page)).toHaveAttribute('data-last', screen.spoken!);
  });
}

test('speech follows the language: English text is read in English', async ({ page, openFor }) => {
  await openFor(page, screenVisits[0]!);
  await tap(page.getByTestId('speech-toggle'));
  await tap(page.getByRole('button', { name: 'English' }));
  await expect(speechLog(page)).toHaveAttribute('data-last', /Hello! What would you like to do\?.*Choices:/);
});

test('speech can be paused, resumed and repeated, and the volume resets with the session', async ({
  page,
  openKiosk,
}) => {
  await openKiosk(page);
  await tap(page.getByTestId('speech-toggle'));
  await tap(page.getByTestId('speech-pause'));
  await expect(page.getByTestId('speech-pause')).toHaveText(/Đọc tiếp/);
  // A pause holds: the screen read out after it (and a new screen) stays silent until resumed.
  await expect(speechLog(page)).toHaveAttribute('data-last', /Các lựa chọn:/);
  await tap(page.getByTestId('tile-procedures'));
  await expect(speechLog(page)).toHaveAttribute('data-last', /^Tra cứu thủ tục hành chính/);
  await expect(page.getByTestId('speech-pause')).toHaveText(/Đọc tiếp/);
  await expect(speechLog(page)).toHaveAttribute('data-paused', 'true');
  await tap(page.getByTestId('speech-pause'));
  await expect(page.getByTestId('speech-pause')).toHaveText(/Tạm dừng/);
  await expect(speechLog(page)).toHaveAttribute('data-paused', 'false');
  await tap(page.getByTestId('speech-repeat'));
  await tap(page.getByRole('button', { name: 'To hơn' }));
  await expect(page.getByTestId('volume-level')).toHaveText('Âm lượng 5/5');
  await tap(page.getByTestId('nav-home'));
  // "Màn hình chính" keeps the citizen's speech and volume for their next errand.
  await expect(page.getByTestId('speech-toggle')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('volume-level')).toHaveText('Âm lượng 5/5');
  // A finished session starts the next citizen with speech off and the volume at its default.
  await tap(page.getByTestId('tile-rating'));
  await page.clock.runFor(301_000);
  await tap(page.getByTestId('idle-warning').getByRole('button', { name: 'Kết thúc' }));
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('speech-toggle')).toHaveAttribute('aria-pressed', 'false');
  await tap(page.getByTestId('speech-toggle'));
  await expect(page.getByTestId('volume-level')).toHaveText('Âm lượng 4/5');
});

test('the offline voice really produces Vietnamese audio', async ({ page, openKiosk }) => {
  await openKiosk(page);
  const result = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
    const res = await fetch('/api/call/speech.synthesize', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify({ input: { text: 'Số thứ tự của quý khách là A 012', lang: 'vi' } }),
    });
    return res.json();
  });
  expect(result.ok).toBe(true);
  const wav = Buffer.from(result.value.wav, 'base64');
  expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
  expect(wav.length).toBeGreaterThan(20_000);
});

test('"Thêm thời gian" works ten times in a row', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await tap(page.getByTestId('tile-rating'));
  for (let i = 0; i < 10; i++) {
    await page.clock.runFor(31_000);
    await expect(page.getByTestId('idle-warning')).toBeVisible();
    await tap(page.getByRole('button', { name: 'Thêm thời gian' }));
    await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  }
  await expect(page.getByTestId('home')).toHaveCount(0);
});

test('large text gives the citizen ten times longer before the warning', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await tap(page.getByTestId('large-text-toggle'));
  await tap(page.getByTestId('tile-rating'));
  await page.clock.runFor(31_000);
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  await page.clock.runFor(270_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
});
