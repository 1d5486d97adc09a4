import { expect, test } from '@playwright/test';
import { crc16ccittFalse, parseVietQr, readTlv } from '../../drivers/id/vietqr.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { decodedLines } from '../support/escpos-decode.ts';
import { axe, centralRows, enrolledDataDir, HOOK_TOKEN, printed, startSubmissionCentral, type Central } from '../support/submission.ts';

/**
 * Thanh toán lệ phí end to end: a dossier central already holds (demo seed, 10.000 đ unpaid),
 * the VietQR on screen decoded and its CRC checked, the payment intent through the outbox, the
 * bank's confirmation hook on central, and the payment slip's bytes.
 */
test.describe.configure({ timeout: 180_000 });

const DOSSIER = '000.31.12.H12-251120-0006';

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
});

test('a citizen pays a fee by VietQR: amount from central, dossier code in the note, countdown, confirmation and slip', async ({ page }) => {
  central = await startSubmissionCentral();
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url } });
  await page.goto(kiosk.url);
  await expect(page.getByTestId('tile-payment')).not.toContainText('Sắp có');
  await page.getByTestId('tile-payment').click();
  await expect(page.getByTestId('payment-enter')).toBeVisible();
  await axe(page);
  await page.getByTestId('payment-ref').fill(DOSSIER);
  await page.getByTestId('payment-lookup').click();
  await expect(page.getByTestId('payment-amount')).toHaveText('10.000 đ');
  await axe(page);
  await page.getByTestId('payment-pay').click();

  const qr = page.getByTestId('payment-qr');
  await expect(qr).toBeVisible();
  const payload = (await qr.getAttribute('data-payload'))!;
  // EMVCo TLV with CRC-16/CCITT-FALSE over everything before the CRC's value.
  expect(crc16ccittFalse(payload.slice(0, -4))).toBe(payload.slice(-4));
  const tlv = readTlv(payload)!;
  expect(tlv.find((f) => f.id === '63')?.value).toBe(payload.slice(-4));
  expect(parseVietQr(payload)).toMatchObject({ ok: true, value: { bin: '970405', account: '7800201000123', amount: 10000, purpose: DOSSIER, currency: '704', country: 'VN', initMethod: 'dynamic' } });

  const countdown = page.getByTestId('payment-countdown');
  await expect(countdown).toContainText(/\d:\d\d/);
  const first = await countdown.textContent();
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 });
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('payment-qr.png') });

  // The intent reaches central through the outbox.
  const payments = () => centralRows<{ id: string; status: string; amount: number }>(central!, 'SELECT id, status, amount FROM payments WHERE dossier_code = ?', [DOSSIER]);
  await expect(async () => expect(await payments()).toHaveLength(1)).toPass({ timeout: 20_000 });
  const [intent] = await payments();
  expect(Number(intent!.amount)).toBe(10000);

  // "Tôi đã chuyển khoản" before the money arrived: an honest "not yet".
  await page.getByTestId('payment-claim').click();
  await expect(page.getByText('Chưa thấy tiền đến')).toBeVisible();

  // The bank's integration calls central's hook with its own token.
  const refused = await fetch(`${central.url}/v1/payments/${intent!.id}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: 10000, bankRef: 'FT1' }) });
  expect(refused.status).toBe(403);
  const hook = await fetch(`${central.url}/v1/payments/${intent!.id}/confirm`, {
    method: 'POST',
    headers: { authorization: `Bearer ${HOOK_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ amount: 10000, bankRef: 'FT26333123456' }),
  });
  expect(hook.status).toBe(200);
  await page.getByTestId('payment-claim').click();
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
