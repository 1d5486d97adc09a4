import { expect, test, type Page } from '@playwright/test';
import { tap, tapTimes } from '../support/reach.ts';
import AxeBuilder from '@axe-core/playwright';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { enrolDevice, getOfficeConfig, issueEnrolCode, upsertOffice } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { kioskctl, spawnReady, startKiosk, tmpDir, type RunningProcess } from '../support/appliance.ts';
import { decodeEscPos, decodedLines } from '../support/escpos-decode.ts';
import { FakePrinter } from '../support/fake-printer.ts';
import { createPtyPair, type PtyPair } from '../support/pty.ts';

/**
 * Queue tickets end to end: the real central (child process, SQLite file), the real kiosk web
 * host, Debian's Chromium. Central's demo office is opened all week for these tests, since the
 * suite runs at any hour.
 */
const OFFICE = 'ca-mau-an-xuyen';

// Each test starts central and one or two kiosks as real processes: slow on a 2-core machine.
test.describe.configure({ timeout: 240_000 });

interface Central extends RunningProcess {
  db: string;
  port: number;
}

async function startTicketCentral(
  db = join(tmpDir('tickets-central-'), 'central.sqlite'),
  port = 0,
  seed = true,
): Promise<Central> {
  const proc = await spawnReady(
    'central/main.node.ts',
    ['--port', String(port), '--db', db, ...(seed ? ['--seed'] : [])],
    {},
    /central listening on (http:\/\/\S+)/,
  );
  if (seed) {
    const store = await openCentralStore(db);
    const office = (await getOfficeConfig(store, OFFICE))!.config;
    const allDay = [{ open: '00:00', close: '23:59' }];
    await upsertOffice(store, {
      ...office,
      openingHours: { '1': allDay, '2': allDay, '3': allDay, '4': allDay, '5': allDay, '6': allDay, '7': allDay },
    });
    await store.close();
  }
  return Object.assign(proc, { db, port: Number(new URL(proc.url).port) });
}

/**
 * Enrols a kiosk data directory with central (as `kioskctl enroll` would) and writes its config.
 * Long idle times: on a loaded machine a kiosk waiting for its turn must not fall to the attract screen.
 */
async function enrolledDataDir(central: Central, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const dataDir = tmpDir('tickets-kiosk-');
  const store = await openCentralStore(central.db);
  const { code } = await issueEnrolCode(store, { officeId: OFFICE });
  const e = await store.tx((q) => enrolDevice(q, { code, kioskName: name }));
  await store.close();
  writeFileSync(
    join(dataDir, 'credentials.json'),
    JSON.stringify({ ...e, centralUrl: central.url, enrolledAt: new Date().toISOString() }),
    { mode: 0o600 },
  );
  writeFileSync(
    join(dataDir, 'kiosk.json'),
    JSON.stringify({
      kioskName: name,
      officeId: OFFICE,
      officeName: 'UBND phường An Xuyên',
      timeouts: { idleWarningMs: 600_000, warningMs: 20_000, attractMs: 3_600_000 },
      ...extra,
    }),
  );
  return dataDir;
}

const startTicketKiosk = (central: Central, dataDir: string, env: NodeJS.ProcessEnv = {}) =>
  startKiosk({ dataDir, env: { KIOSK_CENTRAL_URL: central.url, ...env } });

async function centralTickets(central: Central) {
  const store = await openCentralStore(central.db);
  try {
    return await store.all<{ id: string; number: string; origin: string; issued_at: string; service_id: string }>(
      'SELECT id, number, origin, issued_at, service_id FROM tickets ORDER BY issued_at',
    );
  } finally {
    await store.close();
  }
}

/** Tile → area → "Thường" on the service's row → "Lấy số": the citizen's four touches. */
async function takeTicket(page: Page, area = 'tu-phap', service: string | null = 'ho-tich') {
  await tap(page.getByTestId('tile-ticket'));
  await tap(page.getByTestId(`area-${area}`));
  // null: the area has one open service, so its step is skipped and the priority question comes on its own.
  if (service) await tap(page.getByTestId(`service-${service}-regular`));
  else await tap(page.getByTestId('priority-none'));
  await expect(page.getByTestId('ticket-confirm')).toBeVisible();
  await tap(page.getByTestId('ticket-take'));
  await expect(page.getByTestId('ticket-done')).toBeVisible();
  return (await page.getByTestId('ticket-number').textContent())!.trim();
}

async function axe(page: Page) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

const waitSynced = (central: Central, n: number) =>
  expect(async () => {
    expect((await centralTickets(central)).length).toBe(n);
  }).toPass({ timeout: 30_000 });

let central: Central | undefined;
const kiosks: RunningProcess[] = [];
let pty: PtyPair | undefined;
/** SIGTERM, and SIGKILL if the process has not gone within 15 s (a loaded machine must not hang the suite). */
async function stopOrKill(p: RunningProcess) {
  const gone = await Promise.race([
    p.stop().then(() => true),
    new Promise<boolean>((r) => setTimeout(() => r(false), 15_000)),
  ]);
  if (!gone) await p.kill();
}

test.afterEach(async ({ page }) => {
  // The page's event socket would otherwise keep the web host busy while it shuts down.
  await page.close();
  for (const k of kiosks.splice(0)) await stopOrKill(k);
  if (central) await stopOrKill(central);
  central = undefined;
  await pty?.close();
  pty = undefined;
});

test('a citizen takes a ticket with the sim printer: area, service, people ahead and wait, then the number', async ({
  page,
}) => {
  central = await startTicketCentral();
  const kiosk = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk sảnh'));
  kiosks.push(kiosk);
  await page.goto(kiosk.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await expect(page.getByTestId('tile-ticket')).not.toContainText('Sắp có');
  await tap(page.getByTestId('tile-ticket'));
  await expect(page.getByTestId('ticket-areas')).toBeVisible();
  await axe(page);
  await tap(page.getByTestId('area-tu-phap'));
  await expect(page.getByTestId('ticket-services')).toBeVisible();
  await axe(page);
  await tap(page.getByTestId('service-ho-tich-priority'));
  await expect(page.getByTestId('ticket-priority')).toBeVisible();
  await axe(page);
  await tap(page.getByTestId('priority-cao-tuoi'));
  await expect(page.getByTestId('ticket-ahead')).toHaveText('0');
  // Nobody is serving yet: an honest "not known", not a made-up wait.
  await expect(page.getByTestId('ticket-wait')).toHaveText('Chưa xác định');
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('tickets-confirm.png') });
  await tap(page.getByTestId('ticket-take'));
  await expect(page.getByTestId('ticket-number')).toHaveText('A001');
  await expect(page.getByTestId('ticket-card')).toContainText('Người cao tuổi');
  await expect(page.getByTestId('ticket-card')).toContainText('Quầy 1');
  await expect(page.getByTestId('ticket-qr')).toBeVisible();
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('tickets-done.png') });
  await tap(page.getByTestId('ticket-finish'));
  await expect(page.getByTestId('home')).toBeVisible();
  expect((await centralTickets(central)).map((t) => t.number)).toEqual(['A001']);
});

test('after taking a ticket the citizen can rate the service, and central keeps the rating with the ticket', async ({
  page,
}) => {
  central = await startTicketCentral();
  const kiosk = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk đánh giá'));
  kiosks.push(kiosk);
  await page.goto(kiosk.url);
  expect(await takeTicket(page)).toBe('A001');
  await tap(page.getByTestId('ticket-rate'));
  await expect(page.getByTestId('rating-choose')).toBeVisible();
  await tap(page.getByTestId('rating-very_satisfied'));
  await expect(page.getByTestId('rating-details')).toBeVisible();
  await tap(page.getByTestId('rating-send'));
  await expect(page.getByTestId('rating-thanks')).toBeVisible();
  const [ticket] = await centralTickets(central);
  const store = await openCentralStore(central.db);
  try {
    await expect
      .poll(
        async () =>
          (
            await store.all<{ ticket_id: string | null; context: string }>('SELECT ticket_id, context FROM ratings')
          ).map((r) => [r.ticket_id, r.context]),
        { timeout: 30_000 },
      )
      .toEqual([[ticket!.id, 'ticket']]);
  } finally {
    await store.close();
  }
});

test('a ticket printed on a pseudo-terminal serial printer carries the number in its bytes', async ({ page }) => {
  central = await startTicketCentral();
  pty = await createPtyPair();
  const port = new SerialPort({ path: pty.b, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const printer = new FakePrinter({ write: (b: Uint8Array) => port.write(Buffer.from(b)) });
  port.on('data', (d: Buffer) => printer.feed(d));
  try {
    const dataDir = await enrolledDataDir(central, 'Kiosk quầy', { printerMode: 'codepage' });
    const kiosk = await startTicketKiosk(central, dataDir, { KIOSK_PRINTER: `serial:${pty.a}?baud=115200` });
    kiosks.push(kiosk);
    await page.goto(kiosk.url);
    expect(await takeTicket(page, 'dat-dai', null)).toBe('C001');
    await expect(page.getByTestId('ticket-qr')).toBeVisible();
    await expect(async () => {
      const ops = decodeEscPos(printer.received());
      expect(ops.some((o) => o.op === 'cut')).toBe(true);
      const text = decodedLines(ops).join('\n');
      expect(text).toContain('C001');
      expect(text).toContain('Đất đai');
      const qr = ops.find((o) => o.op === 'qr');
      expect(qr && 'text' in qr ? qr.text : '').toMatch(/^http:\/\/127\.0\.0\.1:\d+\/t\/[A-Za-z0-9_-]{22}$/);
    }).toPass({ timeout: 10_000 });
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
});

test('with the printer out of paper the ticket is still issued and shown large enough to photograph', async ({
  page,
}) => {
  central = await startTicketCentral();
  pty = await createPtyPair();
  const port = new SerialPort({ path: pty.b, baudRate: 115200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const printer = new FakePrinter({ write: (b: Uint8Array) => port.write(Buffer.from(b)) });
  printer.state = { paperOut: true };
  port.on('data', (d: Buffer) => printer.feed(d));
  try {
    const kiosk = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk hết giấy'), {
      KIOSK_PRINTER: `serial:${pty.a}?baud=115200`,
    });
    kiosks.push(kiosk);
    await page.goto(kiosk.url);
    expect(await takeTicket(page)).toBe('A001');
    const fallback = page.getByTestId('ticket-not-printed');
    await expect(fallback).toContainText('hết giấy');
    await expect(page.getByTestId('ticket-done')).toContainText('chụp ảnh màn hình');
    const preview = page.getByTestId('ticket-preview');
    await expect(preview).toBeVisible();
    const box = (await preview.boundingBox())!;
    expect(box.height).toBeGreaterThan(350);
    const numberBox = (await page.getByTestId('ticket-number').boundingBox())!;
    expect(numberBox.height).toBeGreaterThan(100);
    await axe(page);
    await page.screenshot({ path: test.info().outputPath('tickets-paper-out.png') });
    // Nothing of the job reached the printer (only the character downloads of the connect-time
    // warm-up, which need no paper): no text, no image, no cut; technician health knows why.
    const ops = decodeEscPos(printer.received());
    expect(
      ops.filter((o) => !['init', 'font', 'define-chars', 'user-set', 'cancel-char', 'status-request'].includes(o.op)),
    ).toEqual([]);
    expect(kiosk.output() + '').toBeDefined();
  } finally {
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }
});

test('with central stopped the kiosk issues from its own series at once; after central restarts the ticket is synced once', async ({
  page,
}) => {
  central = await startTicketCentral();
  const kiosk = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk mất mạng'));
  kiosks.push(kiosk);
  await page.goto(kiosk.url);
  expect(await takeTicket(page)).toBe('A001');
  await tap(page.getByTestId('ticket-finish'));
  const { db, port } = central;
  await stopOrKill(central);
  central = undefined;
  const offline = await takeTicket(page);
  expect(offline).toMatch(/^A\d+-001$/);
  await expect(page.getByTestId('ticket-card')).toContainText('mất kết nối');
  await tap(page.getByTestId('ticket-finish'));

  central = await startTicketCentral(db, port, false);
  await waitSynced(central, 2);
  const rows = await centralTickets(central);
  expect(rows.map((r) => r.number)).toEqual(['A001', offline]);
  expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  // Central answers again: the next number is central's.
  await expect(async () => {
    const n = await takeTicket(page);
    await tap(page.getByTestId('ticket-finish'));
    expect(n).toMatch(/^A00\d$/);
  }).toPass({ timeout: 60_000 });
});

test('two kiosks offline, then online: no duplicate numbers, and central keeps the order they were taken in', async ({
  browser,
}) => {
  central = await startTicketCentral();
  const a = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk A'));
  const b = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk B'));
  kiosks.push(a, b);
  const pa = await browser.newPage();
  const pb = await browser.newPage();
  await pa.goto(a.url);
  await pb.goto(b.url);
  // Each learns its offline series from central while online.
  expect(await takeTicket(pa)).toBe('A001');
  await tap(pa.getByTestId('ticket-finish'));
  expect(await takeTicket(pb)).toBe('A002');
  await tap(pb.getByTestId('ticket-finish'));
  const { db, port } = central;
  await stopOrKill(central);
  central = undefined;
  const taken: string[] = [];
  for (const page of [pa, pb, pa, pb, pb, pa]) {
    taken.push(await takeTicket(page));
    await tap(page.getByTestId('ticket-finish'));
  }
  expect(new Set(taken).size).toBe(6);
  central = await startTicketCentral(db, port, false);
  await waitSynced(central, 8);
  const rows = await centralTickets(central);
  expect(rows.map((r) => r.number)).toEqual(['A001', 'A002', ...taken]);
  expect(new Set(rows.map((r) => r.number)).size).toBe(8);
  await pa.close();
  await pb.close();
});

test('the officer desk opens with five taps on the office name and the PIN, and issues a priority ticket in one tap', async ({
  page,
}) => {
  central = await startTicketCentral();
  const kiosk = await startTicketKiosk(central, await enrolledDataDir(central, 'Kiosk cán bộ'));
  kiosks.push(kiosk);
  await page.goto(kiosk.url);
  await expect(page.getByTestId('home')).toBeVisible();
  await tapTimes(page.getByTestId('office-name'), 5);
  // A new kiosk has no officer PIN: the desk says so up front, before any PIN is typed.
  await expect(page.getByTestId('officer-no-pin')).toContainText('Chưa đặt mã PIN');
  await expect(page.getByTestId('pin-1')).toHaveCount(0);
  await tap(page.getByTestId('officer-close'));
  await expect(page.getByTestId('home')).toBeVisible();
  kioskctl(['officer-pin', 'set', '246810'], kiosk.dataDir);
  await tapTimes(page.getByTestId('office-name'), 5);
  await expect(page.getByTestId('officer-pin')).toBeVisible();
  await axe(page);
  for (const d of '1111') await tap(page.getByTestId(`pin-${d}`));
  await tap(page.getByTestId('pin-open'));
  await expect(page.getByTestId('officer-pin')).toContainText('Mã PIN không đúng');
  for (const d of '246810') await tap(page.getByTestId(`pin-${d}`));
  await tap(page.getByTestId('pin-open'));
  await expect(page.getByTestId('officer-desk')).toBeVisible();
  // No priority group is preselected: "Ưu tiên" appears only once the officer picks one.
  await expect(page.getByTestId('officer-priority-chung-thuc')).toHaveCount(0);
  await expect(page.locator('.officer-group[aria-pressed="true"]')).toHaveCount(0);
  await tap(page.locator('[data-testid^="officer-group-"]').first());
  await tap(page.getByTestId('officer-priority-chung-thuc'));
  await expect(page.getByTestId('officer-last')).toContainText('B001');
  // The choice is for one ticket: the next priority ticket is chosen again.
  await expect(page.getByTestId('officer-priority-chung-thuc')).toHaveCount(0);
  await expect(page.getByTestId('officer-issued-chung-thuc')).toHaveText('1');
  await tap(page.getByTestId('officer-normal-chung-thuc'));
  await expect(page.getByTestId('officer-last')).toContainText('B002');
  await tap(page.getByTestId('officer-reprint'));
  await expect(page.getByTestId('officer-last')).toContainText('B002');
  await axe(page);
  await page.screenshot({ path: test.info().outputPath('tickets-officer.png') });
  await tap(page.getByTestId('officer-lock'));
  await expect(page.getByTestId('home')).toBeVisible();
  expect((await centralTickets(central)).map((t) => t.number)).toEqual(['B001', 'B002']);
});
