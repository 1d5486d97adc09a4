import { readFileSync, writeFileSync } from 'node:fs';
import { tap } from '../support/reach.ts';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DEMO_DOSSIERS } from '../../central/demo/catalog-seed.node.ts';
import { crc16ccittFalse, parseVietQr, readTlv } from '../../drivers/id/vietqr.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { decodedLines } from '../support/escpos-decode.ts';
import {
  axe,
  centralRows,
  enrolledDataDir,
  HOOK_TOKEN,
  printed,
  startSubmissionCentral,
  type Central,
} from '../support/submission.ts';

/**
 * Thanh toán lệ phí end to end: a dossier central already holds (demo seed, 10.000 đ unpaid),
 * the VietQR on screen decoded and its CRC checked, the payment intent through the outbox, the
 * bank's confirmation hook on central, and the payment slip's bytes.
 */
test.describe.configure({ timeout: 180_000 });

// The demo's stopped dossier (counter 0006, 10.000 đ unpaid), received a few days before today.
const DOSSIER = DEMO_DOSSIERS.find((d) => d.seq === 6)!.code;

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
});

test('a citizen pays a fee by VietQR: amount from central, dossier code in the note, countdown, confirmation and slip', async ({
  page,
}) => {
  central = await startSubmissionCentral();
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url } });
  await page.goto(kiosk.url);
  await expect(page.getByTestId('tile-payment')).not.toContainText('Sắp có');
  await tap(page.getByTestId('tile-payment'));
  await expect(page.getByTestId('payment-enter')).toBeVisible();
  await axe(page);
  await page.getByTestId('payment-ref').fill(DOSSIER);
  await tap(page.getByTestId('payment-lookup'));
  await expect(page.getByTestId('payment-amount')).toHaveText('10.000 đ');
  await axe(page);
  await tap(page.getByTestId('payment-pay'));

  const qr = page.getByTestId('payment-qr');
  await expect(qr).toBeVisible();
  const payload = (await qr.getAttribute('data-payload'))!;
  // EMVCo TLV with CRC-16/CCITT-FALSE over everything before the CRC's value.
  expect(crc16ccittFalse(payload.slice(0, -4))).toBe(payload.slice(-4));
  const tlv = readTlv(payload)!;
  expect(tlv.find((f) => f.id === '63')?.value).toBe(payload.slice(-4));
  expect(parseVietQr(payload)).toMatchObject({
    ok: true,
    value: {
      bin: '970405',
      account: '7800201000123',
      amount: 10000,
      purpose: DOSSIER,
      currency: '704',
      country: 'VN',
      initMethod: 'dynamic',
    },
  });

  const countdown = page.getByTestId('payment-countdown');
  await expect(countdown).toContainText(/\d:\d\d/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 });
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('payment-qr.png') });

  // The intent reaches central through the outbox.
  const payments = () =>
    centralRows<{ id: string; status: string; amount: number }>(
      central!,
      'SELECT id, status, amount FROM payments WHERE dossier_code = ?',
      [DOSSIER],
    );
  await expect(async () => expect(await payments()).toHaveLength(1)).toPass({ timeout: 20_000 });
  const [intent] = await payments();
  expect(Number(intent!.amount)).toBe(10000);

  // "Tôi đã chuyển khoản" before the money arrived: an honest "not yet".
  await tap(page.getByTestId('payment-claim'));
  await expect(page.getByText('Chưa thấy tiền đến')).toBeVisible();

  // The bank's integration calls central's hook with its own token.
  const refused = await fetch(`${central.url}/v1/payments/${intent!.id}/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 10000, bankRef: 'FT1' }),
  });
  expect(refused.status).toBe(403);
  const hook = await fetch(`${central.url}/v1/payments/${intent!.id}/confirm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 10000, bankRef: 'FT26333123456' }),
  });
  expect(hook.status).toBe(200);
  await tap(page.getByTestId('payment-claim'));
  await expect(page.getByTestId('payment-paid')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId('payment-bank-ref')).toHaveText('FT26333123456');
  await axe(page);

  const text = decodedLines(printed(dataDir)).join('\n');
  expect(text).toContain('XÁC NHẬN ĐÃ NỘP LỆ PHÍ');
  expect(text).toContain(DOSSIER);
  expect(text).toContain('10.000 đồng');
  expect(text).toContain('FT26333123456');
  expect((await payments())[0]!.status).toBe('confirmed');
});

test('the VietQR wait holds off the idle time-out, warns in its last minute and gives more time with one tap', async ({
  page,
}) => {
  central = await startSubmissionCentral();
  const dataDir = await enrolledDataDir(central);
  // An office with a short idle time-out: the citizen transferring on their phone must not be sent home by it.
  const config = JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8'));
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({ ...config, timeouts: { idleWarningMs: 30_000, warningMs: 20_000, attractMs: 60_000 } }),
  );
  kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url } });
  await page.clock.install();
  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-payment'));
  await page.getByTestId('payment-ref').fill(DOSSIER);
  await tap(page.getByTestId('payment-lookup'));
  await tap(page.getByTestId('payment-pay'));
  await expect(page.getByTestId('payment-qr')).toBeVisible();
  const countdown = page.getByTestId('payment-countdown');
  await expect(countdown).toContainText('5:00');

  for (let round = 0; round < 2; round++) {
    // Three and a half minutes without a touch: no idle warning, no payment warning yet.
    await page.clock.runFor(210_000);
    await expect(countdown).toContainText('1:30');
    await expect(page.getByTestId('idle-warning')).toHaveCount(0);
    await expect(page.getByTestId('payment-warn')).toHaveCount(0);
    // The last minute: a warning, read out (role=alert), with one large button.
    await page.clock.runFor(40_000);
    await expect(page.getByTestId('payment-warn')).toBeVisible();
    await expect(page.getByTestId('payment-warn')).toContainText('Sắp hết thời gian chờ');
    await expect(page.getByRole('alert')).toContainText('Sắp hết thời gian chờ');
    await axe(page);
    await tap(page.getByTestId('payment-extend'));
    await expect(countdown).toContainText('5:00');
    await expect(page.getByTestId('payment-warn')).toHaveCount(0);
  }

  // Left to run out, the wait ends honestly; from there the ordinary idle time-out applies again.
  await page.clock.runFor(301_000);
  await expect(page.getByTestId('payment-expired')).toBeVisible();
  await page.clock.runFor(31_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await tap(page.getByRole('button', { name: 'Thêm thời gian' }));
  // "Tôi đã chuyển khoản" after the wait ran out: a whole new wait, its countdown from the start.
  await tap(page.getByTestId('payment-again'));
  await expect(page.getByTestId('payment-wait')).toBeVisible();
  await expect(countdown).toContainText('5:00');
  await expect(page.getByTestId('payment-warn')).toHaveCount(0);
});
