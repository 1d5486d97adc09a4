import { kioskctl } from '../support/appliance.ts';
import { expectReachable, tap } from '../support/reach.ts';
import { expect, test } from '../support/fixtures.ts';

test('the home screen greets the citizen in Vietnamese with the six tiles', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào! Quý khách cần làm gì?');
  for (const label of [
    'Lấy số thứ tự',
    'Tra cứu thủ tục',
    'Tra cứu hồ sơ',
    'Nộp hồ sơ',
    'Thanh toán lệ phí',
    'Đánh giá hài lòng',
  ]) {
    await expect(page.getByRole('button', { name: new RegExp(label) })).toBeVisible();
  }
  await expect(page.getByText('UBND Phường 5, Cà Mau')).toBeVisible();
  await expect(page.getByTestId('net-status')).toHaveText(/Mất kết nối mạng/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
});

test('the language switch turns the screen to English and back', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await tap(page.getByRole('button', { name: 'English' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello! What would you like to do?');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await tap(page.getByRole('button', { name: 'Tiếng Việt' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Xin chào! Quý khách cần làm gì?');
});

test('a tile navigates away from home and the home button comes back', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await tap(page.getByTestId('tile-rating'));
  await expect(page.getByTestId('home')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1 })).not.toHaveText('Xin chào! Quý khách cần làm gì?');
  await tap(page.getByTestId('nav-home'));
  await expect(page.getByTestId('home')).toBeVisible();
});

test('the idle warning offers more time, and "Thêm thời gian" extends the session', async ({ page, openKiosk }) => {
  await openKiosk(page);
  await tap(page.getByTestId('tile-rating'));
  await page.clock.runFor(31_000);
  const warning = page.getByTestId('idle-warning');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('Quý khách còn cần thêm thời gian?');
  await tap(warning.getByRole('button', { name: 'Thêm thời gian' }));
  await expect(warning).toHaveCount(0);
  await expect(page.getByTestId('home')).toHaveCount(0);
  // The extension restarts the full idle period.
  await page.clock.runFor(25_000);
  await expect(warning).toHaveCount(0);
});

test.describe('on a touchscreen', () => {
  test.use({ hasTouch: true });
  test('a full idle period returns to the home screen, then to the attract screen', async ({ page, openKiosk }) => {
    await openKiosk(page);
    const tile = (await page.getByTestId('tile-procedures').boundingBox())!;
    const [tileX, tileY] = [tile.x + tile.width / 2, tile.y + tile.height / 2];
    await tap(page.getByTestId('tile-rating'));
    await page.clock.runFor(31_000);
    await expect(page.getByTestId('idle-warning')).toBeVisible();
    await page.clock.runFor(21_000);
    await expect(page.getByTestId('home')).toBeVisible();
    await expect(page.getByTestId('idle-warning')).toHaveCount(0);
    await page.clock.runFor(61_000);
    await expect(page.getByTestId('attract')).toBeVisible();
    // A finger's touch, once, where the home screen draws a tile: the kiosk wakes on the touch itself
    // (pointerdown), so the attract screen may be gone before the click completes (a locator click
    // would wait for it forever) — and the click that follows must not press the tile now under it.
    const attract = page.getByTestId('attract');
    await expectReachable(attract);
    // A real touch (a mouse click is dropped when its press target vanishes; a touch's click is
    // aimed at whatever is under the finger when it lifts).
    const cdp = await page.context().newCDPSession(page);
    const at = [{ x: tileX, y: tileY }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at });
    await expect(page.getByTestId('home')).toBeVisible(); // drawn while the finger is still down
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await expect(page.getByTestId('home')).toBeVisible();
    await page.clock.runFor(1_000);
    await expect(page.getByTestId('home')).toBeVisible();
    await expect(page.getByTestId('tile-rating')).toBeVisible();
  });
});

test('a dossier receipt scanned on the home screen opens its status straight away', async ({ page, openKiosk }) => {
  await openKiosk(page);
  const answer = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
    const res = await fetch('/api/call/scans.simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify({ input: { text: '000.31.12.H12-251120-0002' } }),
    });
    return res.json();
  });
  expect(answer).toEqual({ ok: true, value: { ok: true } });
  await expect(page.getByTestId('home')).toHaveCount(0);
  // This kiosk has no central: the status screen says so for the scanned code.
  await expect(page.getByTestId('dossier-message')).toBeVisible();
  await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'offline');
});

test('"Quay lại" leaves a flow from its first steps without losing the kiosk', async ({ page, openKiosk }) => {
  await openKiosk(page);
  const steps: Array<{ tile: string; before?: () => Promise<void>; back: string }> = [
    { tile: 'payment', back: 'payment-back' },
    { tile: 'rating', back: 'rating-back' },
    { tile: 'submit', back: 'nav-back' },
    // Back from a form already begun: one step back to the list of procedures, then home.
    {
      tile: 'submit',
      before: async () => {
        await tap(page.locator('[data-testid^="procedure-"]').first());
        await tap(page.getByTestId('submit-back'));
        await expect(page.getByTestId('submit-choose')).toBeVisible();
      },
      back: 'nav-back',
    },
    { tile: 'procedures', back: 'nav-back' },
    { tile: 'dossier', back: 'nav-back' },
  ];
  for (const { tile, before, back } of steps) {
    await tap(page.getByTestId(`tile-${tile}`));
    await expect(page.getByTestId('home')).toHaveCount(0);
    await before?.();
    await tap(page.getByTestId(back));
    await expect(page.getByTestId('home')).toBeVisible();
  }
});

test('a screen that fails while drawing says so, is logged, and the kiosk starts over at home', async ({
  page,
  openKiosk,
  kiosk,
}) => {
  // Fault injection from outside the product: number formatting throws while the flag is set
  // (the list of procedures to submit formats each fee).
  await page.addInitScript(() => {
    const original = Number.prototype.toLocaleString;
    Number.prototype.toLocaleString = function (this: number, ...args: Parameters<typeof original>) {
      if ((window as unknown as { __fault?: boolean }).__fault) throw new Error('injected fault');
      return original.apply(this, args);
    };
  });
  await openKiosk(page);
  await page.evaluate(() => void ((window as unknown as { __fault?: boolean }).__fault = true));
  await tap(page.getByTestId('tile-submit'));
  await expect(page.getByTestId('screen-error')).toContainText('màn hình này gặp lỗi');
  await expect(page.getByTestId('a11y-bar')).toBeVisible();
  await page.evaluate(() => void ((window as unknown as { __fault?: boolean }).__fault = false));
  await page.clock.runFor(3_100);
  await expect(page.getByTestId('home')).toBeVisible();
  await tap(page.getByTestId('tile-submit'));
  await expect(page.getByTestId('submit-choose')).toBeVisible();
  // Logged for technicians: the screen and the error, nothing the citizen typed.
  await expect
    .poll(() => kioskctl(['logs', '--grep', 'screen failed'], kiosk.dataDir))
    .toMatch(/a screen failed while drawing.*submit.*injected fault/s);
});

test('large text, English and speech stay for the citizen across "Màn hình chính", and "Kết thúc" resets them', async ({
  page,
  openKiosk,
}) => {
  await openKiosk(page);
  await tap(page.getByTestId('large-text-toggle'));
  await tap(page.getByTestId('speech-toggle'));
  await tap(page.getByRole('button', { name: 'English' }));
  await tap(page.getByTestId('tile-rating'));
  await tap(page.getByTestId('nav-home'));
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.locator('html')).toHaveClass(/large-text/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('speech-toggle')).toHaveAttribute('aria-pressed', 'true');
  // The session ends on an explicit "Kết thúc" (assisted: ten times the 30 s idle time first).
  await tap(page.getByTestId('tile-rating'));
  await page.clock.runFor(301_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await tap(page.getByTestId('idle-warning').getByRole('button', { name: 'Finish' }));
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.locator('html')).not.toHaveClass(/large-text/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'vi');
  await expect(page.getByTestId('speech-toggle')).toHaveAttribute('aria-pressed', 'false');
});

test('a scan counts as activity: a citizen holding a card at the scanner gets no time-out warning', async ({
  page,
  openKiosk,
}) => {
  await openKiosk(page);
  await tap(page.getByTestId('tile-rating'));
  await page.clock.runFor(25_000);
  await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
    await fetch('/api/call/scans.simulate', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
      body: JSON.stringify({ input: { text: 'ABC123' } }),
    });
  });
  await page.clock.runFor(10_000);
  await expect(page.getByTestId('idle-warning')).toHaveCount(0);
  // The idle time counts again from the scan.
  await page.clock.runFor(21_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
});
