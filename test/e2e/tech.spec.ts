import AxeBuilder from '@axe-core/playwright';
import { tap, tapTimes } from '../support/reach.ts';
import { expect, test, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { kioskctl, startCentral, startKiosk, tmpDir, type CentralProcess } from '../support/appliance.ts';
import { FakePrinter } from '../support/fake-printer.ts';
import { DEMO_MANAGER_USER, signInForPage } from '../support/office.ts';
import { createPtyPair } from '../support/pty.ts';

/** Types into a field with its on-screen keyboard, key by key, as a technician at a kiosk without a physical keyboard must. */
async function typeWithKeys(page: Page, testId: string, text: string) {
  await tap(page.getByTestId(`${testId}-keyboard-toggle`));
  const osk = page.locator('.osk');
  await tap(osk.locator('[data-skbtn="{clear}"]'));
  for (const ch of text) await tap(osk.locator(`[data-skbtn="${ch}"]`));
  await tap(page.getByTestId(`${testId}-keyboard-toggle`));
  await expect(page.getByTestId(testId)).toHaveValue(text);
}

// Each test starts real processes (kiosk, central, socat) and walks whole flows: more than the default minute on a loaded 2-core CI machine.
test.describe.configure({ timeout: 120_000 });

const PIN = '246810';
const OFFICER_PIN = '864200';

async function axe(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** Press and hold the top-left corner for the gesture's three seconds. */
async function longPressCorner(page: Page) {
  await page.mouse.move(30, 30);
  await page.mouse.down();
  await page.waitForTimeout(3_300);
  await page.mouse.up();
}

let central: CentralProcess | undefined;
test.afterEach(async () => {
  await central?.stop();
  central = undefined;
});

test('a new kiosk opens the setup wizard and is enrolled, tested and given a PIN before citizens see it', async ({
  page,
}) => {
  central = await startCentral();
  const kiosk = await startKiosk({ provisioned: false, env: { KIOSK_CENTRAL_URL: central.url } });
  try {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('setup-office')).toBeVisible();
    await expect(page.getByTestId('home')).toHaveCount(0);
    await expect(page.getByTestId('setup-central')).toHaveValue(central.url);
    // The central's address has its own keyboard (letters, digits, ":" and "/"), typed key by key.
    await typeWithKeys(page, 'setup-central', central.url);
    await tap(page.getByTestId('setup-load'));
    await page.getByTestId('setup-office-select').selectOption('ca-mau-an-xuyen');
    await page.getByTestId('setup-name').fill('Kiosk sảnh A');
    await axe(page);
    await page.screenshot({ path: join(tmpDir('shots-'), 'setup-office.png') });
    await tap(page.getByTestId('setup-next'));

    await page.getByTestId('setup-code').fill('ABCD-EFGH');
    await tap(page.getByTestId('setup-enrol-submit'));
    await expect(page.getByTestId('setup-error')).toContainText('enrolment code not accepted');
    await page.getByTestId('setup-code').fill(central.issueCode());
    await tap(page.getByTestId('setup-enrol-submit'));

    await expect(page.getByTestId('setup-devices')).toBeVisible();
    await expect(page.getByText(/Đã đăng ký: thiết bị dev_/)).toBeVisible();
    await axe(page);
    await tap(page.getByTestId('setup-devices-use'));

    await expect(page.getByTestId('setup-tests')).toBeVisible();
    await expect(page.getByTestId('setup-next')).toBeDisabled();
    await tap(page.getByTestId('setup-test-print'));
    await expect(page.getByTestId('setup-print-ok')).toBeVisible();
    await tap(page.getByTestId('setup-simulate-scan'));
    await expect(page.getByTestId('setup-scan-status')).toContainText('Đã quét');
    await axe(page);
    await tap(page.getByTestId('setup-next'));

    // A kiosk has no physical keyboard: the PIN fields open the on-screen number pad (issue 20, item 14).
    await typeWithKeys(page, 'setup-pin-1', PIN);
    await typeWithKeys(page, 'setup-pin-2', PIN);
    await axe(page);
    await tap(page.getByTestId('setup-finish'));
    await expect(page.getByTestId('home')).toBeVisible();
    await expect(page.getByText('UBND phường')).toBeVisible();

    const config = JSON.parse(readFileSync(join(kiosk.dataDir, 'kiosk.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ kioskName: 'Kiosk sảnh A', officeId: 'ca-mau-an-xuyen', centralUrl: central.url });
    // A reload does not bring the wizard back.
    await page.reload();
    await expect(page.getByTestId('home')).toBeVisible();
  } finally {
    await kiosk.stop();
  }
});

test('technician mode: gesture and PIN, diagnostics, sync, logs, settings applied live, and it leaves on lock', async ({
  page,
}) => {
  const dataDir = tmpDir('kiosk-tech-');
  kioskctl(['config', 'set', 'technicianPin', PIN], dataDir);
  const kiosk = await startKiosk({ dataDir });
  try {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('home')).toBeVisible();
    // A short tap on the corner does nothing.
    await page.mouse.click(30, 30);
    await expect(page.getByTestId('tech-pin')).toHaveCount(0);
    await longPressCorner(page);
    await expect(page.getByTestId('tech-pin')).toBeVisible();
    await axe(page);

    const enter = async (pin: string) => {
      for (const d of pin) await tap(page.getByTestId('tech-pin').getByRole('button', { name: d, exact: true }));
      await tap(page.getByTestId('tech-pin-open'));
    };
    await enter('111111');
    await expect(page.getByTestId('tech-pin-error')).toHaveText(/Mã PIN sai/);
    await enter(PIN);

    await expect(page.getByTestId('tech-diagnostics-page')).toBeVisible();
    await expect(page.getByTestId('diag-printer-state')).toContainText('ready');
    await expect(page.getByTestId('diag-central')).toContainText('Không kết nối được');
    await tap(page.getByTestId('print-raster'));
    await expect(page.getByText(/Đã in \(raster/)).toBeVisible();
    await tap(page.getByTestId('print-codepage'));
    await expect(page.getByText(/Đã in \(codepage/)).toBeVisible();
    // The same page in the printer's own font and in downloaded characters, for the technician to compare.
    await tap(page.getByTestId('print-text'));
    await expect(page.getByText(/Đã in \(text/)).toBeVisible();
    await tap(page.getByTestId('print-glyphs'));
    await expect(page.getByText(/Đã in \(glyphs/)).toBeVisible();
    await expect(page.getByTestId('diag-idreader')).toContainText(/không thấy đầu đọc nào|đầu đọc:/);
    await expect(page.getByTestId('diag-docscanner')).toHaveText('sim — sẵn sàng; thiết bị: —');
    await page.evaluate(() =>
      fetch('/api/call/scans.simulate', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-kiosk-token': document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content,
        },
        body: JSON.stringify({
          input: { text: 'https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html?ma=000.00.00.H12-240101-0001' },
        }),
      }),
    );
    await expect(page.getByTestId('diag-scans')).toContainText('sim →');
    await axe(page);
    await page.screenshot({ path: join(tmpDir('shots-'), 'tech-diagnostics.png'), fullPage: true });

    await tap(page.getByTestId('tech-tab-sync'));
    await expect(page.getByTestId('sync-counts')).toContainText('Chờ gửi: 0');
    await axe(page);

    await tap(page.getByTestId('tech-tab-logs'));
    await page.getByTestId('logs-level').selectOption('info');
    await typeWithKeys(page, 'logs-grep', 'technician');
    await typeWithKeys(page, 'logs-since', '1H'); // the code pad has capitals: "1H" is one hour
    await tap(page.getByTestId('logs-apply'));
    await expect(page.getByTestId('logs-list')).toContainText('technician mode opened');
    await expect(page.getByTestId('logs-list')).not.toContainText(PIN);
    await axe(page);

    await tap(page.getByTestId('tech-tab-settings'));
    await typeWithKeys(page, 'settings-warning', '5');
    await tap(page.getByTestId('settings-save'));
    await expect(page.getByTestId('settings-note')).toContainText('timeouts.warningMs');
    await typeWithKeys(page, 'settings-warning', '25');
    await typeWithKeys(page, 'settings-idle', '45');
    await tap(page.getByTestId('settings-save'));
    await expect(page.getByTestId('settings-note')).toContainText('Đã lưu');
    await axe(page);
    const saved = JSON.parse(readFileSync(join(dataDir, 'kiosk.json'), 'utf8')) as {
      timeouts: { idleWarningMs: number; warningMs: number };
    };
    expect(saved.timeouts).toMatchObject({ idleWarningMs: 45_000, warningMs: 25_000 });

    // The officer desk has no PIN on a new kiosk (no well-known default): the technician sets it here.
    await expect(page.getByTestId('pin-state-officer')).toHaveText('(chưa đặt)');
    await expect(page.getByTestId('pin-officer-shut')).toBeVisible();
    await typeWithKeys(page, 'pin-new-officer', OFFICER_PIN);
    await typeWithKeys(page, 'pin-again-officer', '864201');
    await expect(page.getByTestId('pin-form-officer').getByRole('alert')).toContainText('không khớp');
    await expect(page.getByTestId('pin-save-officer')).toBeDisabled();
    await typeWithKeys(page, 'pin-again-officer', OFFICER_PIN);
    await tap(page.getByTestId('pin-save-officer'));
    await expect(page.getByTestId('pin-state-officer')).toHaveText('(đã đặt)');
    await expect(page.getByTestId('pin-officer-shut')).toHaveCount(0);
    await axe(page);

    await tap(page.getByTestId('tech-lock'));
    await expect(page.getByTestId('tech-overlay')).toHaveCount(0);
    await expect(page.getByTestId('home')).toBeVisible();
    const audit = kioskctl(['logs', '--grep', 'technician'], dataDir);
    expect(audit).toMatch(/technician mode opened/);
    expect(audit).not.toContain(PIN);

    // The PIN just set opens the officer desk; the technician PIN does not.
    const officerEnter = async (pin: string) => {
      for (const d of pin) await tap(page.getByTestId(`pin-${d}`));
      await tap(page.getByTestId('pin-open'));
    };
    await tapTimes(page.getByTestId('office-name'), 5);
    await officerEnter(PIN);
    await expect(page.getByTestId('officer-pin')).toContainText('Mã PIN không đúng');
    await officerEnter(OFFICER_PIN);
    await expect(page.getByTestId('officer-desk')).toBeVisible();
    expect(readFileSync(join(dataDir, 'kiosk.db')).includes(Buffer.from(OFFICER_PIN))).toBe(false);
  } finally {
    await kiosk.stop();
  }
});

test('wrong PINs lock the PIN pad with a countdown, and the core refuses even the right PIN meanwhile', async ({
  page,
}) => {
  const dataDir = tmpDir('kiosk-lockout-');
  kioskctl(['config', 'set', 'technicianPin', PIN], dataDir);
  const kiosk = await startKiosk({ dataDir });
  try {
    await page.goto(kiosk.url);
    await expect(page.getByTestId('home')).toBeVisible();
    await longPressCorner(page);
    const pad = page.getByTestId('tech-pin');
    const enter = async (pin: string) => {
      for (const d of pin) await tap(pad.getByRole('button', { name: d, exact: true }));
      await tap(page.getByTestId('tech-pin-open'));
    };
    for (let i = 0; i < 3; i++) {
      await enter('999999');
      await expect(page.getByTestId('tech-pin-dots')).toHaveText(' ');
    }
    await expect(page.getByTestId('tech-pin-error')).toHaveText(/Thử lại sau (29|30) giây/);
    await expect(page.getByTestId('tech-pin-open')).toBeDisabled();
    // The screen's wait is a courtesy: the core itself refuses, whoever calls.
    const refused = await page.evaluate(async (pin) => {
      const token = document.querySelector<HTMLMetaElement>('meta[name="kiosk-token"]')!.content;
      const res = await fetch('/api/call/tech.unlock', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-kiosk-token': token },
        body: JSON.stringify({ input: { pin } }),
      });
      return res.json();
    }, PIN);
    expect(refused).toMatchObject({ ok: false, error: { code: 'LOCKED_OUT' } });
    const db = new Database(join(dataDir, 'kiosk.db'), { readonly: true });
    const audit = db
      .prepare("SELECT action FROM audit_log WHERE actor = 'technician' ORDER BY id")
      .pluck()
      .all() as string[];
    db.close();
    expect(audit.slice(-4)).toEqual([
      'tech.unlock.failed',
      'tech.unlock.failed',
      'tech.unlock.failed',
      'tech.unlock.refused',
    ]);
  } finally {
    await kiosk.stop();
  }
});

test('heartbeats reach central, and a printer reporting paper out turns the kiosk amber on the fleet page', async ({
  page,
}) => {
  central = await startCentral();
  const pty = await createPtyPair();
  const port = new SerialPort({ path: pty.b, baudRate: 19200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const link = { write: (b: Uint8Array) => port.write(Buffer.from(b)) };
  const printer = new FakePrinter(link);
  port.on('data', (d: Buffer) => printer.feed(d));
  const dataDir = tmpDir('kiosk-fleet-');
  const enrolled = kioskctl(
    ['enroll', '--central', central.url, '--code', central.issueCode(), '--name', 'Kiosk đội 1'],
    dataDir,
  );
  const deviceId = /(dev_\S+)/.exec(enrolled)![1]!;
  const kiosk = await startKiosk({
    dataDir,
    env: { KIOSK_CENTRAL_URL: central.url, KIOSK_PRINTER: `serial:${pty.a}?baud=19200`, KIOSK_HEARTBEAT_MS: '2000' },
  });
  try {
    // The fleet page is for the office's managers: the browser is sent to sign in, then back.
    await signInForPage(page, central.url, '/fleet', DEMO_MANAGER_USER);
    await expect(page.getByRole('heading', { name: 'Danh sách kiosk / Kiosk fleet' })).toBeVisible();
    const row = page.locator(`tr[data-device="${deviceId}"]`);
    await expect(async () => {
      await page.goto(`${central!.url}/fleet`);
      await expect(row).toHaveAttribute('data-health', 'green', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(row).toContainText('Kiosk đội 1');
    await axe(page);

    printer.state = { paperOut: true };
    await expect(async () => {
      await page.goto(`${central!.url}/fleet`);
      await expect(row).toHaveAttribute('data-health', 'amber', { timeout: 1_000 });
    }).toPass({ timeout: 20_000 });
    await expect(row).toContainText('máy in hết giấy / printer: paper out');
    await page.screenshot({ path: join(tmpDir('shots-'), 'fleet.png') });
  } finally {
    await kiosk.stop();
    await new Promise<void>((r) => (port.isOpen ? port.close(() => r()) : r()));
    await pty.close();
  }
});
