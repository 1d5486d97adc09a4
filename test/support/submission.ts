import AxeBuilder from '@axe-core/playwright';
import { tap } from './reach.ts';
import { expect, type Page } from '@playwright/test';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrolDevice, issueEnrolCode } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { SAMPLE_VALUES } from '../../contract/forms/samples.ts';
import { spawnReady, tmpDir, type RunningProcess } from './appliance.ts';
import { decodeEscPos } from './escpos-decode.ts';

/**
 * Helpers for the submission, payment and rating end-to-end tests: a central with the payment
 * hook token set (restartable on the same port), an enrolled kiosk data directory with a file
 * printer in code-page mode (so receipts decode to text), and the decoded receipt bytes.
 */
/** The bank/PayGov integration's token the test central accepts on the confirmation hook. */
export const HOOK_TOKEN = 'hook-token-for-e2e-0123456789';

export const OFFICE = 'ca-mau-an-xuyen';
// Synthetic card (vietnam.md §1): the address still names the pre-2025 ward and province.
export const CCCD =
  '096190012345|381234567|Nguyễn Thị Ánh Tuyết|15031990|Nữ|Khóm 5, Phường 5, Thành phố Cà Mau, Cà Mau|20042021';

export interface Central extends RunningProcess {
  db: string;
  port: number;
}

export const startSubmissionCentral = async (
  db = join(tmpDir('submit-central-'), 'central.sqlite'),
  port = 0,
  env: Record<string, string> = {},
): Promise<Central> => {
  const proc = await spawnReady(
    'central/main.node.ts',
    ['--port', String(port), '--db', db, '--seed'],
    { CENTRAL_PAYMENT_HOOK_TOKEN: HOOK_TOKEN, ...env },
    /central listening on (http:\/\/\S+)/,
  );
  return Object.assign(proc, { db, port: Number(new URL(proc.url).port) });
};

export async function enrolledDataDir(central: Central): Promise<string> {
  const dataDir = tmpDir('submit-kiosk-');
  const store = await openCentralStore(central.db);
  const { code } = await issueEnrolCode(store, { officeId: OFFICE });
  const e = await store.tx((q) => enrolDevice(q, { code, kioskName: 'Kiosk nộp hồ sơ' }));
  await store.close();
  writeFileSync(
    join(dataDir, 'credentials.json'),
    JSON.stringify({ ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({
      kioskId: 'KIOSK-01',
      kioskName: 'Kiosk nộp hồ sơ',
      officeId: OFFICE,
      officeName: 'UBND phường An Xuyên',
      // Code-page text so the test can read the receipt's words back from its bytes.
      printer: `file:${join(dataDir, 'printer.bin')}`,
      printerMode: 'codepage',
      printerCodePage: 52,
      timeouts: { idleWarningMs: 600_000, warningMs: 30_000, attractMs: 600_000 },
    }),
  );
  return dataDir;
}

export async function centralDossiers(central: Central) {
  const store = await openCentralStore(central.db);
  try {
    return await store.all<{ code: string; provisional_no: string; applicant_name: string }>(
      "SELECT code, provisional_no, applicant_name FROM dossiers WHERE kiosk_id = 'KIOSK-01'",
    );
  } finally {
    await store.close();
  }
}

export async function axe(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

export const printed = (dataDir: string) => {
  const file = join(dataDir, 'printer.bin');
  return existsSync(file) ? decodeEscPos(readFileSync(file), { codePageEncodings: { 52: 'cp1258' } }) : [];
};

/** Types the rest of the sample answers (the applicant part came from the card) by the physical-keyboard path of TextField. */
export async function fillRest(page: Page, code: string, skip: string[]) {
  for (const [field, value] of Object.entries(SAMPLE_VALUES[code]!)) {
    if (skip.includes(field)) continue;
    const choice = page.getByTestId(`field-${field}-${value}`);
    if (await choice.count()) await tap(choice);
    else await page.getByTestId(`field-${field}`).fill(value);
  }
}

/**
 * "Gửi hồ sơ" on the review screen, then "Bỏ qua" on the optional "Nhắn tin về hồ sơ" step when
 * it is offered (the demo office offers Zalo and SMS; a kiosk that never got its office
 * configuration does not), for tests about something else.
 */
export async function sendSkippingNotify(page: Page) {
  await tap(page.getByTestId('submit-send'));
  const step = page.getByTestId('submit-notify');
  await expect(step.or(page.getByTestId('submit-done'))).toBeVisible({ timeout: 30_000 });
  if (await step.isVisible()) await tap(page.getByTestId('submit-notify-skip'));
}

/** Asks central's table directly (the test's view of what arrived). */
export async function centralRows<T>(central: Central, sql: string, params: Array<string | number> = []): Promise<T[]> {
  const store = await openCentralStore(central.db);
  try {
    return await store.all<T>(sql, params);
  } finally {
    await store.close();
  }
}

export const deviceToken = (dataDir: string): string =>
  JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')).token;

/**
 * The papers step (issue 16) for tests about something else: optional papers skipped, a required
 * one scanned once on the kiosk's document scanner (the simulator unless told otherwise) and used.
 */
export async function passPapers(page: Page) {
  const papers = page.getByTestId('submit-papers');
  const review = page.getByTestId('submit-review-screen');
  for (let i = 0; i < 6; i++) {
    await expect(papers.or(review)).toBeVisible();
    if (await review.isVisible()) return;
    const title = await page.locator('#screen-title').textContent();
    if (await page.getByTestId('papers-skip').isVisible()) await tap(page.getByTestId('papers-skip'));
    else {
      await tap(page.getByTestId('papers-scan'));
      await tap(page.getByTestId('page-use'), 20_000);
      await tap(page.getByTestId('papers-next'));
    }
    await expect(page.locator('#screen-title')).not.toHaveText(title ?? '');
  }
}
