import { chromium, expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { join } from 'node:path';
import { createOfficer } from '../../central/officers.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { pdfPageCount, renderSamplePage, SAMPLE_PAGE_WORDS } from '../../drivers/docscanner/index.node.ts';
import { startKiosk, tmpDir, type RunningProcess } from '../support/appliance.ts';
import { chromiumLaunchOptions } from '../support/browser.ts';
import { jpegsOfPdf, ocrVietnamese } from '../support/pdf-pages.ts';
import { expectReachable, tap } from '../support/reach.ts';
import {
  axe,
  centralRows,
  enrolledDataDir,
  fillRest,
  OFFICE,
  startSubmissionCentral as startCentral,
  type Central,
  sendSkippingNotify,
} from '../support/submission.ts';

/**
 * Digitising the papers (issue 16) end to end: the real central and kiosk as processes, Debian's
 * Chromium, the document scanner as SANE's `test` backend through `scanimage` or the simulator
 * (a printed page with known Vietnamese words, tilted on a table), and central's copy of the
 * PDF fetched by an officer and read back by tesseract.
 */
test.describe.configure({ timeout: 240_000 });

const BIRTH = '1.001193';
let central: Central | undefined;
let kiosk: RunningProcess | undefined;
test.afterEach(async () => {
  await kiosk?.stop();
  kiosk = undefined;
  await central?.stop();
  central = undefined;
});

async function officerCookie(c: Central): Promise<string> {
  const store = await openCentralStore(c.db);
  await createOfficer(store, {
    officeId: OFFICE,
    username: 'canbo.sohoa',
    displayName: 'Cán bộ số hóa',
    password: 'mat-khau-so-hoa-2026',
    roles: ['counter'],
  });
  await store.close();
  const res = await fetch(`${c.url}/v1/officer/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'canbo.sohoa', password: 'mat-khau-so-hoa-2026' }),
  });
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Scans one page and waits for it on the check screen. */
async function scanPage(page: Page) {
  await tap(page.getByTestId('papers-scan'));
  await expect(page.getByTestId('submit-page-check')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByTestId('page-preview')).toBeVisible();
}

async function submitThreePages(page: Page, opts: { shots: boolean }) {
  await page.goto(kiosk!.url);
  await tap(page.getByTestId('tile-submit'));
  await tap(page.getByTestId(`procedure-${BIRTH}`));
  await fillRest(page, BIRTH, []);
  await tap(page.getByTestId('submit-review'));

  // The required paper: cannot go on without a page, cannot skip.
  await expect(page.getByTestId('submit-papers')).toBeVisible();
  await expect(page.getByTestId('paper-need')).toContainText('Bắt buộc');
  await expect(page.getByTestId('papers-next')).toBeDisabled();
  await expect(page.getByTestId('papers-skip')).toHaveCount(0);
  await expectReachable(page.getByTestId('papers-scan'));
  await expectReachable(page.getByTestId('submit-back'));
  if (opts.shots) await page.screenshot({ path: test.info().outputPath('capture-papers-empty.png') });

  // Page 1, shown large: "Chụp lại" throws it away and scans again; "Dùng ảnh này" keeps it.
  await scanPage(page);
  await expectReachable(page.getByTestId('page-retake'));
  await expectReachable(page.getByTestId('page-use'));
  await expectReachable(page.getByTestId('page-preview'));
  if (opts.shots) await page.screenshot({ path: test.info().outputPath('capture-page-check.png') });
  await axe(page);
  const first = await page.getByTestId('page-preview').getAttribute('data-page-id');
  await tap(page.getByTestId('page-retake'));
  await expect(page.getByTestId('page-preview')).not.toHaveAttribute('data-page-id', first!, { timeout: 20_000 });
  await tap(page.getByTestId('page-use'));
  for (let i = 2; i <= 3; i++) {
    await scanPage(page);
    await tap(page.getByTestId('page-use'));
  }
  await expect(page.getByTestId('paper-count')).toContainText('Đã có 3 trang');
  await expectReachable(page.getByTestId('papers-next'));
  if (opts.shots) await page.screenshot({ path: test.info().outputPath('capture-papers-three.png') });
  await axe(page);
  await tap(page.getByTestId('papers-next'));

  // The optional paper: skipped.
  await expect(page.getByTestId('paper-need')).toContainText('Không bắt buộc');
  await tap(page.getByTestId('papers-skip'));

  await expect(page.getByTestId('submit-review-screen')).toBeVisible();
  await expect(page.getByTestId('review-papers')).toContainText('Giấy chứng sinh: 3 trang');
  await expect(page.getByTestId('review-papers')).toContainText('bỏ qua');
  await tap(page.getByTestId('consent-box'));
  await sendSkippingNotify(page);
  await expect(page.getByTestId('receipt-final')).toBeVisible({ timeout: 30_000 });
  return (await page.getByTestId('dossier-code').textContent())!.trim();
}

/** Central's copy through the officers' API once the kiosk has sent it, and the kiosk's own leftovers. */
async function centralCopy(code: string, dataDir: string): Promise<Buffer> {
  await expect(async () => {
    const rows = await centralRows<{ doc_id: string; pages: number }>(
      central!,
      'SELECT doc_id, pages FROM dossier_attachments WHERE dossier_code = ?',
      [code],
    );
    expect(rows).toEqual([{ doc_id: 'giay-chung-sinh', pages: 3 }]);
    // Encrypted copies are deleted once central holds them.
    expect(readdirSync(join(dataDir, 'capture', 'outgoing'))).toEqual([]);
    expect(readdirSync(join(dataDir, 'capture', 'pages'))).toEqual([]);
  }).toPass({ timeout: 30_000 });
  const cookie = await officerCookie(central!);
  const res = await fetch(`${central!.url}/v1/officer/dossiers/${code}/attachments/giay-chung-sinh`, {
    headers: { cookie },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

test('SANE test backend: a three-page paper reaches central as one 3-page PDF', async ({ page }) => {
  central = await startCentral();
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({
    dataDir,
    env: {
      KIOSK_CENTRAL_URL: central.url,
      KIOSK_ACK_WAIT_MS: '8000',
      KIOSK_DOCSCANNER: 'sane:test?resolution=100&test-picture=Grid',
    },
  });
  const code = await submitThreePages(page, { shots: false });
  const pdf = await centralCopy(code, dataDir);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  expect(await pdfPageCount(pdf)).toBe(3);
});

test('simulator (a printed Vietnamese page, tilted on a table): central’s copy is legible to tesseract', async ({
  page,
}) => {
  central = await startCentral();
  const dataDir = await enrolledDataDir(central);
  kiosk = await startKiosk({
    dataDir,
    env: { KIOSK_CENTRAL_URL: central.url, KIOSK_ACK_WAIT_MS: '8000', KIOSK_DOCSCANNER: 'sim:' },
  });
  const code = await submitThreePages(page, { shots: true });
  const pdf = await centralCopy(code, dataDir);
  expect(await pdfPageCount(pdf)).toBe(3);
  const images = await jpegsOfPdf(pdf);
  expect(images).toHaveLength(3);
  const text = ocrVietnamese(images[0]!);
  const found = SAMPLE_PAGE_WORDS.filter((w) => text.includes(w));
  expect(found.length, text).toBeGreaterThanOrEqual(SAMPLE_PAGE_WORDS.length - 1);
});

test('camera (Chromium fake capture of the page photographed tilted on a table): taken, cleaned, legible at central', async ({}, testInfo) => {
  // The video: the sample page on a table, turned 4°, as ffmpeg's y4m (Chromium's fake camera plays it).
  const dir = tmpDir('capture-camera-');
  const png = await sharp(await renderSamplePage({ page: 1, pages: 1, tiltDeg: 4 }))
    .resize({ width: 1080, height: 1440, fit: 'fill' })
    .png()
    .toBuffer();
  writeFileSync(join(dir, 'page.png'), png);
  const y4m = join(dir, 'page.y4m');
  execFileSync('ffmpeg', [
    '-loglevel',
    'error',
    '-y',
    '-loop',
    '1',
    '-i',
    join(dir, 'page.png'),
    '-t',
    '1',
    '-r',
    '5',
    '-pix_fmt',
    'yuv420p',
    y4m,
  ]);
  const browser = await chromium.launch(
    chromiumLaunchOptions([
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${y4m}`,
    ]),
  );
  try {
    central = await startCentral();
    const dataDir = await enrolledDataDir(central);
    kiosk = await startKiosk({
      dataDir,
      env: { KIOSK_CENTRAL_URL: central.url, KIOSK_ACK_WAIT_MS: '8000', KIOSK_DOCSCANNER: 'sim:' },
    });
    const viewport =
      testInfo.project.name === 'landscape' ? { width: 1920, height: 1080 } : { width: 1080, height: 1920 };
    const page = await browser.newPage({ viewport });
    await page.goto(kiosk.url);
    await tap(page.getByTestId('tile-submit'));
    await tap(page.getByTestId(`procedure-${BIRTH}`));
    await fillRest(page, BIRTH, []);
    await tap(page.getByTestId('submit-review'));
    await tap(page.getByTestId('papers-camera'));
    await expect(page.getByTestId('paper-camera')).toHaveAttribute('data-state', 'live', { timeout: 20_000 });
    await expectReachable(page.getByTestId('papers-shoot'));
    await page.screenshot({ path: testInfo.outputPath('capture-camera.png') });
    await tap(page.getByTestId('papers-shoot'));
    await expect(page.getByTestId('submit-page-check')).toBeVisible({ timeout: 20_000 });
    await page.screenshot({ path: testInfo.outputPath('capture-camera-check.png') });
    await tap(page.getByTestId('page-use'));
    await tap(page.getByTestId('papers-next'));
    await tap(page.getByTestId('papers-skip'));
    await tap(page.getByTestId('consent-box'));
    await sendSkippingNotify(page);
    await expect(page.getByTestId('receipt-final')).toBeVisible({ timeout: 30_000 });
    const code = (await page.getByTestId('dossier-code').textContent())!.trim();
    await expect(async () => {
      const rows = await centralRows<{ pages: number }>(
        central!,
        'SELECT pages FROM dossier_attachments WHERE dossier_code = ?',
        [code],
      );
      expect(rows).toEqual([{ pages: 1 }]);
      expect(readdirSync(join(dataDir, 'capture', 'outgoing'))).toEqual([]);
    }).toPass({ timeout: 30_000 });
    const cookie = await officerCookie(central);
    const res = await fetch(`${central.url}/v1/officer/dossiers/${code}/attachments/giay-chung-sinh`, {
      headers: { cookie },
    });
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(await pdfPageCount(pdf)).toBe(1);
    const text = ocrVietnamese((await jpegsOfPdf(pdf))[0]!);
    const found = SAMPLE_PAGE_WORDS.filter((w) => text.includes(w));
    expect(found.length, text).toBeGreaterThanOrEqual(SAMPLE_PAGE_WORDS.length - 2);
  } finally {
    await browser.close();
  }
});
