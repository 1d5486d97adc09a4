import { expect, test, type Page } from '@playwright/test';
import { tap } from '../support/reach.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { classifyScan } from '../../drivers/id/index.ts';
import { startKiosk, type RunningProcess } from '../support/appliance.ts';
import { decodedLines } from '../support/escpos-decode.ts';
import { createPtyPair, type PtyPair } from '../support/pty.ts';
import {
  axe,
  centralDossiers,
  CCCD,
  enrolledDataDir,
  fillRest,
  passPapers,
  printed,
  startSubmissionCentral as startCentral,
  type Central,
  sendSkippingNotify,
} from '../support/submission.ts';

/**
 * Nộp hồ sơ end to end: the real central and kiosk web host as processes, a CCCD read by a
 * serial scanner on a socat pseudo-terminal (KIOSK_SCANNER=serial:<pty>), Debian's Chromium,
 * and the receipt bytes from a file printer decoded with test/support/escpos-decode.ts.
 */
test.describe.configure({ timeout: 240_000 });

let central: Central | undefined;
let kiosk: RunningProcess | undefined;
let pty: PtyPair | undefined;
let scanner: SerialPort | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
  if (scanner?.isOpen) await new Promise((r) => scanner!.close(r));
  scanner = undefined;
  await pty?.close();
  pty = undefined;
});

async function startWithScanner(dataDir: string) {
  pty = await createPtyPair();
  kiosk = await startKiosk({
    dataDir,
    env: { KIOSK_CENTRAL_URL: central!.url, KIOSK_SCANNER: `serial:${pty.a}`, KIOSK_ACK_WAIT_MS: '5000' },
  });
  scanner = new SerialPort({ path: pty.b, baudRate: 9600, autoOpen: false });
  await new Promise<void>((resolve, reject) => scanner!.open((e) => (e ? reject(e) : resolve())));
}
const scan = (text: string) =>
  new Promise<void>((resolve, reject) =>
    scanner!.write(Buffer.from(`${text}\r\n`, 'utf8'), (e) => (e ? reject(e) : scanner!.drain(() => resolve()))),
  );

test('a CCCD from a serial scanner fills the form, the citizen corrects the address, reviews, consents and gets the final receipt', async ({
  page,
}) => {
  central = await startCentral();
  const dataDir = await enrolledDataDir(central);
  await startWithScanner(dataDir);
  await page.goto(kiosk!.url);
  await expect(page.getByTestId('tile-submit')).not.toContainText('Sắp có');
  await tap(page.getByTestId('tile-submit'));
  await expect(page.getByTestId('submit-choose')).toBeVisible();
  await axe(page);
  await tap(page.getByTestId('procedure-2.000635'));
  await expect(page.getByTestId('submit-fill')).toBeVisible();

  // Nothing filled yet: "Xem lại" shows every problem beside its field and in the summary.
  await tap(page.getByTestId('submit-review'));
  await expect(page.getByTestId('form-summary')).toContainText('Vui lòng điền ô "Họ, chữ đệm và tên"');
  await expect(page.locator('#field-applicantPhone')).toContainText('Vui lòng điền ô "Số điện thoại"');
  await axe(page);

  await tap(page.getByTestId('scan-cccd'));
  // A card from Bạc Liêu (095, merged into Cà Mau in 2025) whose ID digits say male: filled, with a kind note, not refused.
  await scan('095090012345||Trần Thị Mai|02021990|Nữ|Ấp 3, xã Vĩnh Lợi, Bạc Liêu|01012022');
  await expect(page.getByTestId('field-applicantName')).toHaveValue('Trần Thị Mai');
  await expect(page.getByTestId('scan-notice')).toContainText('Xin lưu ý');
  await expect(page.getByTestId('scan-notice')).toContainText('đã sáp nhập từ 01/7/2025');
  // The mismatch is said once, under the form (which rechecks it as the citizen corrects), with what to do.
  await expect(page.getByText(/Giới tính không khớp với số định danh/)).toHaveCount(1);
  await expect(page.getByTestId('id-consistency')).toContainText(
    'Vui lòng kiểm tra số định danh và giới tính; nếu thẻ đúng, hãy báo cán bộ.',
  );
  // Something that is not a card: said plainly, nothing changes.
  await scan('not a card at all');
  await expect(page.getByTestId('scan-notice')).toContainText('không phải thẻ Căn cước');
  await expect(page.getByTestId('field-applicantName')).toHaveValue('Trần Thị Mai');
  await scan(CCCD);
  await expect(page.getByTestId('field-applicantName')).toHaveValue('Nguyễn Thị Ánh Tuyết');
  await expect(page.getByTestId('field-applicantId')).toHaveValue('096190012345');
  await expect(page.getByTestId('field-applicantBirthDate')).toHaveValue('15/03/1990');
  await expect(page.getByTestId('field-applicantSex-female')).toHaveAttribute('aria-checked', 'true');
  await expect(page.getByTestId('field-applicantAddress')).toHaveValue('Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau');
  await expect(page.getByTestId('scan-notice')).toContainText('Đã điền thông tin từ thẻ Căn cước');
  await page.screenshot({ path: test.info().outputPath('submit-filled.png') });

  // The ward was renamed in the 2025 merger: the citizen corrects it; a wrong phone is explained.
  await page.getByTestId('field-applicantAddress').fill('Khóm 5, phường An Xuyên, tỉnh Cà Mau');
  await fillRest(page, '2.000635', [
    'applicantName',
    'applicantId',
    'applicantBirthDate',
    'applicantSex',
    'applicantAddress',
  ]);
  await page.getByTestId('field-applicantPhone').fill('12345');
  await tap(page.getByTestId('submit-review'));
  await expect(page.locator('#field-applicantPhone')).toContainText(
    'Số điện thoại phải có 10 chữ số và bắt đầu bằng số 0',
  );
  await expect(page.getByTestId('form-summary')).toContainText('Còn 1 ô cần sửa');
  await page.getByTestId('field-applicantPhone').fill('0912345678');
  await tap(page.getByTestId('submit-review'));
  await passPapers(page);

  await expect(page.getByTestId('submit-review-screen')).toBeVisible();
  await expect(page.getByTestId('review-list')).toContainText('Khóm 5, phường An Xuyên, tỉnh Cà Mau');
  await expect(page.getByTestId('submit-send')).toBeDisabled();
  await axe(page);
  await tap(page.getByTestId('consent-box'));
  await page.screenshot({ path: test.info().outputPath('submit-review.png') });
  await sendSkippingNotify(page);
  await expect(page.getByTestId('receipt-final')).toBeVisible({ timeout: 20_000 });
  const code = (await page.getByTestId('dossier-code').textContent())!.trim();
  expect(code).toMatch(/^000\.31\.12\.H12-\d{6}-0001$/);
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('submit-done.png') });

  const ops = printed(dataDir);
  const lines = decodedLines(ops).map((l) => l.trim());
  expect(lines).toContain('PHIẾU TIẾP NHẬN');
  expect(lines.some((l) => l.includes(code))).toBe(true);
  const qr = ops.find((o) => o.op === 'qr');
  const read = classifyScan(qr && qr.op === 'qr' ? qr.text : '', 'manual');
  expect(read.kind === 'dossier' && read.dossier.code).toBe(code);
  expect(await centralDossiers(central)).toEqual([
    { code, provisional_no: 'T1-000001', applicant_name: 'Nguyễn Thị Ánh Tuyết' },
  ]);

  // "Xong" closes the flow: what was entered is gone, the next errand starts from an empty form.
  await tap(page.getByTestId('submit-finish'));
  await expect(page.getByTestId('home')).toBeVisible();
  await tap(page.getByTestId('tile-submit'));
  await tap(page.getByTestId('procedure-2.000635'));
  await expect(page.getByTestId('field-applicantName')).toHaveValue('');
});

test('offline, the kiosk prints a provisional receipt; when central is back the dossier arrives once and its code is found by the provisional number', async ({
  page,
}) => {
  central = await startCentral();
  const { db, port } = central;
  const dataDir = await enrolledDataDir(central);
  await startWithScanner(dataDir);
  await central.stop();

  await page.goto(`${kiosk!.url}`);
  await tap(page.getByTestId('tile-submit'));
  await tap(page.getByTestId('procedure-1.004194'));
  await tap(page.getByTestId('scan-cccd'));
  await scan(CCCD);
  await expect(page.getByTestId('field-applicantName')).toHaveValue('Nguyễn Thị Ánh Tuyết');
  await page.getByTestId('field-applicantAddress').fill('Khóm 5, phường An Xuyên, tỉnh Cà Mau');
  await fillRest(page, '1.004194', [
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
  await expect(page.getByTestId('receipt-provisional')).toBeVisible({ timeout: 20_000 });
  // Short and typeable on the code pad: T, the kiosk's slot in the office, its sequence. Shown with its QR.
  const provisionalNo = (await page.getByTestId('provisional-no').textContent())!;
  expect(provisionalNo).toMatch(/^T\d{1,3}-000001$/);
  await expect(page.getByTestId('provisional-qr')).toHaveAttribute('data-value', provisionalNo);
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('submit-provisional.png') });

  const ops = printed(dataDir);
  const text = decodedLines(ops).join('\n');
  expect(text).toContain('CHỜ ĐỒNG BỘ');
  expect(text).toContain('GIẤY BIÊN NHẬN TẠM');
  expect(text).not.toContain('PHIẾU TIẾP NHẬN');
  expect(text).not.toContain('KIOSK-01');
  const qr = ops.find((o) => o.op === 'qr');
  expect(qr && qr.op === 'qr' && qr.text).toBe(provisionalNo);

  central = await startCentral(db, port);
  await expect(async () => {
    expect((await centralDossiers(central!)).map((d) => d.provisional_no)).toEqual([provisionalNo]);
  }).toPass({ timeout: 30_000 });
  // Status lookup by the provisional number answers the code central gave.
  await expect(async () => {
    const rows = await centralDossiers(central!);
    const res = await fetch(`${central!.url}/v1/dossiers/${provisionalNo}`, {
      headers: { authorization: `Bearer ${JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')).token}` },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).dossierCode).toBe(rows[0]!.code);
  }).toPass({ timeout: 30_000 });
  expect(await centralDossiers(central)).toHaveLength(1);
  // The provisional receipt's QR, scanned on the home screen, opens the dossier's status.
  await tap(page.getByTestId('nav-home'));
  await expect(page.getByTestId('home')).toBeVisible();
  await scan(provisionalNo);
  await expect(page.getByTestId('dossier-code')).toHaveText((await centralDossiers(central))[0]!.code, {
    timeout: 20_000,
  });
});
