import { expect, test } from '@playwright/test';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { fakeProviderEnv, fakeSms, fakeZalo, type FakeProvider } from '../support/fake-providers.ts';
import { openCounter, signInAtCounter } from '../support/office.ts';
import { expectReachable, tap } from '../support/reach.ts';
import {
  axe,
  centralRows,
  enrolledDataDir,
  fillRest,
  passPapers,
  startSubmissionCentral,
  type Central,
} from '../support/submission.ts';

/**
 * "Nhắn tin về hồ sơ" at the kiosk (docs/phone.md): after the review, the optional step takes a
 * mobile number on the keypad with the consent wording; central then tells the citizen by the
 * chosen channel (fake Zalo and SMS servers on loopback) that the dossier was received, with the
 * status page link.
 */
test.describe.configure({ timeout: 180_000 });

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
let zalo: FakeProvider | undefined;
let sms: FakeProvider | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  await central?.stop();
  await zalo?.close();
  await sms?.close();
  kiosk = central = zalo = sms = undefined;
});

test('the dossier opt-in step: every control reachable in portrait, axe clean, SMS chosen → one "Được tiếp nhận" with the status page link', async ({
  page,
}) => {
  zalo = await fakeZalo();
  sms = await fakeSms();
  central = await startSubmissionCentral(undefined, 0, fakeProviderEnv(zalo, sms));
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url, KIOSK_ACK_WAIT_MS: '5000' } });

  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-submit'));
  await tap(page.getByTestId('procedure-2.000635'));
  await fillRest(page, '2.000635', []);
  await tap(page.getByTestId('submit-review'));
  await passPapers(page);
  await tap(page.getByTestId('consent-box'));
  await tap(page.getByTestId('submit-send'));

  await expect(page.getByTestId('submit-notify')).toBeVisible();
  await expect(page.locator('#screen-title')).toHaveText('Nhắn tin về hồ sơ');
  for (const id of [
    'submit-notify-zalo',
    'submit-notify-sms',
    'submit-notify-phone',
    ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '0', 'erase'].map((k) => `notify-key-${k}`),
    'submit-notify-consent',
    'submit-notify-skip',
    'submit-notify-submit',
    'submit-notify-back',
  ])
    await expectReachable(page.getByTestId(id));
  await expect(page.getByTestId('submit-notify-submit')).toBeDisabled();
  await axe(page);

  // Back to the review and forward again: nothing was sent meanwhile.
  await tap(page.getByTestId('submit-notify-back'));
  await expect(page.getByTestId('submit-review-screen')).toBeVisible();
  await tap(page.getByTestId('submit-send'));
  await expect(page.getByTestId('submit-notify')).toBeVisible();

  await tap(page.getByTestId('submit-notify-sms'));
  await expect(page.getByTestId('submit-notify-consent')).toContainText('Tin nhắn SMS');
  for (const d of '09123456789') await tap(page.getByTestId(`notify-key-${d}`));
  await tap(page.getByTestId('notify-key-erase'));
  await expect(page.getByTestId('submit-notify-phone')).toHaveText('0912 345 678');
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('submit-notify.png') });
  await tap(page.getByTestId('submit-notify-submit'));

  await expect(page.getByTestId('receipt-final')).toBeVisible({ timeout: 20_000 });
  const code = (await page.getByTestId('dossier-code').textContent())!;
  await expect.poll(() => sms!.received.length, { timeout: 10_000 }).toBe(1);
  const m = sms.received[0]!.json;
  expect(m).toMatchObject({ Phone: '84912345678', RequestId: `dossier:${code}:2:sms` });
  expect(m.Content).toContain(`Hồ sơ ${code}`);
  expect(m.Content).toContain('Được tiếp nhận');
  expect(zalo.received).toHaveLength(0);
  const link = /Xem tại (\S+)$/.exec(m.Content as string)![1]!;
  expect(await centralRows(central, 'SELECT channel, address FROM dossier_contacts')).toEqual([
    { channel: 'sms', address: '84912345678' },
  ]);

  // The link opens the dossier's status page on a phone.
  await page.goto(link);
  await expect(page.locator('[data-k="code"]')).toHaveText(code);
  await expect(page.locator('[data-k="status"]')).toHaveText('Được tiếp nhận');
  await axe(page);

  // An officer records "Đang xử lý" on the counter app: the citizen gets the second message.
  await signInAtCounter(page, central.url);
  await openCounter(page);
  for (const id of ['dossier-progress-code', 'dossier-progress-status', 'dossier-progress-save'])
    await expectReachable(page.getByTestId(id));
  await page.getByTestId('dossier-progress-code').fill(code);
  await page.getByTestId('dossier-progress-status').selectOption('4');
  await tap(page.getByTestId('dossier-progress-save'));
  await expect(page.getByRole('status').filter({ hasText: `Đã ghi: hồ sơ ${code} — Đang xử lý.` })).toBeVisible();
  await expect.poll(() => sms!.received.length, { timeout: 10_000 }).toBe(2);
  expect(sms.received[1]!.json.Content).toContain('Đang xử lý');
  expect(sms.received[1]!.json.RequestId).toBe(`dossier:${code}:4:sms`);
  // The same status again records nothing and sends nothing.
  await tap(page.getByTestId('dossier-progress-save'));
  await expect(page.getByRole('status').filter({ hasText: 'đã ở trạng thái' })).toBeVisible();
  await page.getByTestId('dossier-progress-code').fill('000.31.12.H12-000000-9999');
  await tap(page.getByTestId('dossier-progress-save'));
  await expect(page.getByRole('alert').filter({ hasText: 'Không tìm thấy hồ sơ' })).toBeVisible();
  await axe(page);
  expect(sms.received).toHaveLength(2);
});
