import { expect, test, type Page } from '@playwright/test';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { expectReachable, tap } from '../support/reach.ts';
import {
  passPapers,
  centralRows,
  enrolledDataDir,
  fillRest,
  startSubmissionCentral as startCentral,
  type Central,
  sendSkippingNotify,
} from '../support/submission.ts';

/**
 * Nộp hồ sơ from the chip of the Căn cước card: the real central and kiosk web host as
 * processes, KIOSK_IDREADER=sim (an emulated chip read through the same BAC, secure messaging and
 * passive authentication as a PC/SC card), the back of the card read by the sim scanner, Chromium.
 */
test.describe.configure({ timeout: 240_000 });

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
});

async function apiCall<T>(page: Page, name: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([n, i]) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
      const res = await fetch(`/api/call/${n}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
        body: JSON.stringify({ input: i }),
      });
      return res.json();
    },
    [name, input] as const,
  ) as Promise<T>;
}

const hitTestable = (page: Page, testId: string) => expectReachable(page.getByTestId(testId));

test('placing the card and scanning its back fills the form from the verified chip; central records chip-verified', async ({
  page,
}) => {
  central = await startCentral();
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({
    dataDir,
    env: { KIOSK_CENTRAL_URL: central.url, KIOSK_SCANNER: 'sim', KIOSK_IDREADER: 'sim', KIOSK_ACK_WAIT_MS: '5000' },
  });
  await page.setViewportSize({ width: 1080, height: 1920 });
  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-submit'));
  await tap(page.getByTestId('procedure-2.000635'));
  await expect(page.getByTestId('chip-panel')).toContainText('Đặt thẻ Căn cước lên đầu đọc');
  await hitTestable(page, 'chip-panel');
  await hitTestable(page, 'scan-cccd');

  // A tampered card first: refused with a clear message, nothing filled.
  const tampered = await apiCall<{ ok: true; value: { mrz: string[] } }>(page, 'chip.simulate', {
    action: 'insert',
    tampered: true,
  });
  await expect(page.getByTestId('chip-panel')).toHaveAttribute('data-card', 'yes');
  await apiCall(page, 'scans.simulate', { text: tampered.value.mrz.join('\n') });
  await expect(page.getByTestId('scan-notice')).toContainText('đã bị thay đổi');
  await expect(page.getByTestId('field-applicantName')).toHaveValue('');
  await expect(page.getByTestId('chip-verified')).toHaveCount(0);

  const good = await apiCall<{ ok: true; value: { mrz: string[] } }>(page, 'chip.simulate', { action: 'insert' });
  await apiCall(page, 'scans.simulate', { text: good.value.mrz.join('\n') });
  await expect(page.getByTestId('chip-verified')).toContainText('Đã xác thực chip');
  await expect(page.getByTestId('field-applicantName')).toHaveValue('Nguyễn Thị Ánh Tuyết');
  await expect(page.getByTestId('field-applicantId')).toHaveValue('096190012345');
  await expect(page.getByTestId('field-applicantBirthDate')).toHaveValue('15/03/1990');
  await expect(page.getByTestId('field-applicantSex-female')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('field-applicantAddress')).toHaveValue('Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau');
  await page.screenshot({ path: test.info().outputPath('chip-filled.png') });

  await fillRest(page, '2.000635', [
    'applicantName',
    'applicantId',
    'applicantBirthDate',
    'applicantSex',
    'applicantAddress',
  ]);
  await tap(page.getByTestId('submit-review'));
  await passPapers(page);
  await tap(page.getByTestId('consent-box'));
  await sendSkippingNotify(page);
  await expect(page.getByTestId('receipt-final')).toBeVisible({ timeout: 20_000 });
  const code = (await page.getByTestId('dossier-code').textContent())!.trim();
  const rows = await centralRows<{ applicant_json: string }>(
    central,
    'SELECT applicant_json FROM dossiers WHERE code = ?',
    [code],
  );
  expect(JSON.parse(rows[0]!.applicant_json)).toMatchObject({
    identitySource: 'chip-verified',
    idNumber: '096190012345',
  });
});
