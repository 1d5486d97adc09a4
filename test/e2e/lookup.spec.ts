import AxeBuilder from '@axe-core/playwright';
import { tap } from '../support/reach.ts';
import { expect, test, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { enrolDevice, issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_DOSSIERS } from '../../central/demo/catalog-seed.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { spawnReady, startKiosk, tmpDir, type RunningProcess } from '../support/appliance.ts';
import { decodeEscPos, decodedLines } from '../support/escpos-decode.ts';
import { FakePrinter } from '../support/fake-printer.ts';
import { createPtyPair, type PtyPair } from '../support/pty.ts';

/**
 * Procedure lookup and dossier status end to end: the real central (child process, SQLite,
 * demo catalog and dossiers seeded), the real kiosk web host with a serial printer and a
 * serial scanner on pseudo-terminals, Debian's Chromium, typing on the on-screen keyboard.
 */
const OFFICE = 'ca-mau-an-xuyen';

interface Central extends RunningProcess {
  db: string;
}

const startLookupCentral = async (db = join(tmpDir('lookup-central-'), 'central.sqlite')): Promise<Central> =>
  Object.assign(
    await spawnReady(
      'central/main.node.ts',
      ['--port', '0', '--db', db, '--seed'],
      {},
      /central listening on (http:\/\/\S+)/,
      60_000,
    ),
    { db },
  );

/** A kiosk data directory enrolled with central, printing in a code page so the bytes read back as text. */
async function enrolledDataDir(central: Central): Promise<string> {
  const dataDir = tmpDir('lookup-kiosk-');
  const store = await openCentralStore(central.db);
  const { code } = await issueEnrolCode(store, { officeId: OFFICE });
  const e = await store.tx((q) => enrolDevice(q, { code, kioskName: 'Kiosk tra cứu' }));
  await store.close();
  writeFileSync(
    join(dataDir, 'credentials.json'),
    JSON.stringify({ ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({
      kioskName: 'Kiosk tra cứu',
      officeId: OFFICE,
      officeName: 'UBND phường An Xuyên',
      printerMode: 'codepage',
      printerCodePage: 52,
      timeouts: { idleWarningMs: 30_000, warningMs: 20_000, attractMs: 60_000 },
    }),
  );
  return dataDir;
}

let central: Central | undefined;
let kiosk: (RunningProcess & { dataDir: string }) | undefined;
const ptys: PtyPair[] = [];
const ports: SerialPort[] = [];

test.afterEach(async () => {
  await kiosk?.stop();
  await central?.stop();
  kiosk = central = undefined;
  for (const p of ports.splice(0)) await new Promise<void>((r) => (p.isOpen ? p.close(() => r()) : r()));
  for (const p of ptys.splice(0)) await p.close();
});

async function openPort(path: string): Promise<SerialPort> {
  const port = new SerialPort({ path, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  ports.push(port);
  return port;
}

/** Types on the on-screen keyboard, key by key, as a citizen would. */
async function typeOnScreen(page: Page, keys: string) {
  for (const k of keys) {
    const name = k === ' ' ? '{space}' : k;
    await tap(page.locator(`.osk [data-skbtn="${name}"]`).first());
  }
}

/** Waits until the kiosk has pulled and stored the catalog (the background pull runs at start). */
async function openProcedures(page: Page) {
  await tap(page.getByTestId('tile-procedures'));
  await expect(page.getByTestId('field-ho-tich')).toBeVisible({ timeout: 30_000 });
}

test('a citizen finds a procedure by typing Telex on the on-screen keyboard, opens it and prints its checklist on a serial printer', async ({
  page,
}) => {
  test.setTimeout(120_000);
  central = await startLookupCentral();
  const pty = await createPtyPair();
  ptys.push(pty);
  const port = await openPort(pty.b);
  const printer = new FakePrinter({ write: (b: Uint8Array) => port.write(Buffer.from(b)) });
  port.on('data', (d: Buffer) => printer.feed(d));
  kiosk = await startKiosk({
    dataDir: await enrolledDataDir(central),
    env: { KIOSK_CENTRAL_URL: central.url, KIOSK_PRINTER: `serial:${pty.a}?baud=115200` },
  });
  await page.goto(kiosk.url);
  await openProcedures(page);
  await expect(page.getByTestId('keyboard-text')).toBeVisible();

  // Search starts without marks (it folds them anyway); Telex is one tap away:
  // "ddawng kys khai sinh" → "đăng ký khai sinh".
  await expect(page.getByTestId('keyboard-method-plain')).toHaveAttribute('aria-checked', 'true');
  await tap(page.getByTestId('keyboard-method-telex'));
  await typeOnScreen(page, 'ddawng kys khai sinh');
  await expect(page.getByTestId('procedure-search')).toHaveValue('đăng ký khai sinh');
  const first = page.getByTestId('procedure-row').first();
  await expect(first).toContainText('Đăng ký khai sinh');
  await expect(first).toHaveAttribute('data-code', '1.001193');
  await page.screenshot({ path: 'test-results/lookup-search.png' });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations).toEqual([]);

  await tap(first);
  await expect(page.getByTestId('procedure-name')).toHaveText('Đăng ký khai sinh');
  await expect(page.getByTestId('procedure-documents').first()).toContainText('Giấy chứng sinh do cơ sở y tế cấp');
  await expect(page.getByTestId('procedure-exemptions')).toContainText(
    'Miễn lệ phí đăng ký khai sinh đúng hạn (Luật Hộ tịch, Điều 11).',
  );
  await expect(page.getByTestId('procedure-channels')).toContainText('Ngay trong ngày tiếp nhận');
  await expect(page.getByTestId('procedure-submit')).toBeVisible();
  await page.screenshot({ path: 'test-results/lookup-detail.png' });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations).toEqual([]);

  await tap(page.getByTestId('procedure-print'));
  await expect(page.getByTestId('print-result')).toContainText('Đã in hướng dẫn');
  await expect(async () => {
    const ops = decodeEscPos(printer.received(), { codePageEncodings: { 52: 'cp1258' } });
    expect(ops.some((o) => o.op === 'cut')).toBe(true);
    const text = decodedLines(ops).join(' ');
    expect(text).toContain('HƯỚNG DẪN CHUẨN BỊ HỒ SƠ');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('Giấy chứng sinh do cơ sở y tế cấp');
    expect(text).toContain('1.001193');
  }).toPass({ timeout: 15_000 });
});

test('browsing by field and level lists the procedures of that field at that level', async ({ page }) => {
  test.setTimeout(90_000);
  central = await startLookupCentral();
  kiosk = await startKiosk({ dataDir: await enrolledDataDir(central), env: { KIOSK_CENTRAL_URL: central.url } });
  await page.goto(kiosk.url);
  await openProcedures(page);
  await tap(page.getByTestId('level-xa'));
  await tap(page.getByTestId('field-cu-tru'));
  const rows = page.getByTestId('procedure-browse').getByTestId('procedure-row');
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId('procedure-browse')).toContainText('Đăng ký tạm trú');
  for (const text of await rows.allTextContents()) expect(text).toContain('Cấp xã, phường');
});

test('a dossier is looked up by a scan from a serial scanner and by typing its code on the keypad', async ({
  page,
}) => {
  test.setTimeout(120_000);
  central = await startLookupCentral();
  const scanPty = await createPtyPair();
  ptys.push(scanPty);
  const scanner = await openPort(scanPty.b);
  kiosk = await startKiosk({
    dataDir: await enrolledDataDir(central),
    env: { KIOSK_CENTRAL_URL: central.url, KIOSK_SCANNER: `serial:${scanPty.a}?baud=115200` },
  });
  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-dossier'));
  await expect(page.getByTestId('keyboard-code')).toBeVisible();

  // A receipt QR that encodes the province's lookup URL, read by the serial scanner.
  const supplement = DEMO_DOSSIERS[2]!.code;
  await expect(async () => {
    scanner.write(`https://dichvucong.camau.gov.vn/tra-cuu-ho-so?ma=${encodeURIComponent(supplement)}\r\n`);
    await expect(page.getByTestId('dossier-result')).toBeVisible({ timeout: 3_000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByTestId('dossier-code')).toHaveText(supplement);
  await expect(page.getByTestId('dossier-status-label')).toHaveText('Yêu cầu bổ sung giấy tờ');
  await expect(page.getByTestId('dossier-next')).toContainText('bổ sung giấy tờ');
  await expect(page.getByTestId('dossier-timeline').locator('[data-stage="supplement"]')).toHaveAttribute(
    'data-state',
    'current',
  );
  await page.screenshot({ path: 'test-results/lookup-dossier.png' });
  expect((await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze()).violations).toEqual([]);

  // Another dossier, typed on the code keypad.
  await tap(page.getByTestId('dossier-another'));
  const done = DEMO_DOSSIERS[4]!.code;
  await typeOnScreen(page, done);
  await expect(page.getByTestId('dossier-code-input')).toHaveValue(done);
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-status-label')).toHaveText('Đã xử lý xong');
  await expect(page.getByTestId('dossier-next')).toContainText('Kết quả đã sẵn sàng');

  // A malformed code, a code of another province, an unknown code: three different messages.
  await tap(page.getByTestId('dossier-another'));
  await typeOnScreen(page, '12345');
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'malformed');
  await tap(page.locator('.osk [data-skbtn="{clear}"]'));
  await typeOnScreen(page, '000.00.01.H26-251120-0001');
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'other-province');
  await expect(page.getByTestId('dossier-message')).toContainText('tỉnh, thành phố khác');
  await tap(page.locator('.osk [data-skbtn="{clear}"]'));
  await typeOnScreen(page, '000.31.12.H12-251120-9999');
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'unknown');
  await expect(page.getByTestId('dossier-message')).toContainText('Không tìm thấy hồ sơ');
});

test('with central stopped the kiosk says it is offline and shows the last known status with its age', async ({
  page,
}) => {
  test.setTimeout(120_000);
  central = await startLookupCentral();
  kiosk = await startKiosk({ dataDir: await enrolledDataDir(central), env: { KIOSK_CENTRAL_URL: central.url } });
  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-dossier'));
  const known = DEMO_DOSSIERS[1]!.code;
  await typeOnScreen(page, known);
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-status-label')).toHaveText('Đang xử lý');
  await expect(page.getByTestId('dossier-stale')).toHaveCount(0);

  await central.stop();
  central = undefined;
  await tap(page.getByTestId('dossier-another'));
  await typeOnScreen(page, known);
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-stale')).toContainText('Kiosk đang mất kết nối');
  await expect(page.getByTestId('dossier-stale')).toContainText(/vừa xong|phút trước/);
  await expect(page.getByTestId('dossier-status-label')).toHaveText('Đang xử lý');

  await tap(page.getByTestId('dossier-another'));
  const never = DEMO_DOSSIERS[0]!.code;
  await typeOnScreen(page, never);
  await tap(page.getByTestId('dossier-lookup'));
  await expect(page.getByTestId('dossier-message')).toHaveAttribute('data-kind', 'offline');
  await expect(page.getByTestId('dossier-message')).toContainText('mất kết nối');
  await page.screenshot({ path: 'test-results/lookup-offline.png' });
});

test('text typed into the search field is gone after the idle time-out returns the kiosk home', async ({ page }) => {
  test.setTimeout(90_000);
  central = await startLookupCentral();
  kiosk = await startKiosk({ dataDir: await enrolledDataDir(central), env: { KIOSK_CENTRAL_URL: central.url } });
  await page.clock.install();
  await page.goto(kiosk.url);
  await openProcedures(page);
  await tap(page.getByTestId('keyboard-method-telex'));
  await typeOnScreen(page, 'keets hoon');
  await expect(page.getByTestId('procedure-search')).toHaveValue('kết hôn');
  await page.clock.runFor(31_000);
  await expect(page.getByTestId('idle-warning')).toBeVisible();
  await page.clock.runFor(21_000);
  await expect(page.getByTestId('home')).toBeVisible();
  await openProcedures(page);
  await expect(page.getByTestId('procedure-search')).toHaveValue('');
  await expect(page.getByTestId('procedure-results')).toHaveCount(0);
});

test('VNI and the mark buttons compose Vietnamese on the on-screen keyboard, in the tone style the technician set', async ({
  page,
}) => {
  // No central needed: the keyboard works whatever the catalog.
  kiosk = await startKiosk();
  await page.goto(kiosk.url);
  await tap(page.getByTestId('tile-procedures'));
  const field = page.getByTestId('procedure-search');
  // The tone style is no question for a citizen: the keyboard offers none (technician settings do).
  await expect(page.locator('[data-testid^="keyboard-style-"]')).toHaveCount(0);
  await tap(page.getByTestId('keyboard-method-vni'));
  await typeOnScreen(page, 'd9a8ng ky1 hoa2');
  await expect(field).toHaveValue('đăng ký hòa');
  // Backspace takes the whole composed letter; the tone stays on the o that carries it.
  await tap(page.locator('.osk [data-skbtn="{bksp}"]'));
  await expect(field).toHaveValue('đăng ký hò');

  // Telex gives back a word that is no Vietnamese syllable as typed, as Unikey does.
  await tap(page.getByTestId('keyboard-method-telex'));
  await tap(page.locator('.osk [data-skbtn="{clear}"]'));
  await typeOnScreen(page, 'kiosk tieengs');
  await expect(field).toHaveValue('kiosk tiếng');

  // Without any method: plain letters, then the mark buttons put the marks on the word.
  await tap(page.getByTestId('keyboard-method-plain'));
  await tap(page.locator('.osk [data-skbtn="{clear}"]'));
  await typeOnScreen(page, 'dang');
  await expect(field).toHaveValue('dang');
  for (const mark of ['{breve}', '{t1}', '{dd}']) await tap(page.locator(`.osk [data-skbtn="${mark}"]`));
  await expect(field).toHaveValue('đắng');
  await tap(page.locator('.osk [data-skbtn="{t1}"]'));
  await expect(field).toHaveValue('đăng');
});
