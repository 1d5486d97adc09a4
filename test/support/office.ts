import { expectReachable } from './reach.ts';
import { expect, type Page } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enrolDevice, getOfficeConfig, issueEnrolCode, upsertOffice } from '../../central/admin.node.ts';
import { openCentralStore } from '../../central/store/store.node.ts';
import { spawnReady, tmpDir, type RunningProcess } from './appliance.ts';

/**
 * The office behind the kiosk, for end-to-end tests: a real central process (SQLite file, demo
 * offices, officers and catalog; the demo office open all day since tests run at any hour),
 * kiosks enrolled with it, and the counter app's sign-in as an officer does it.
 */
export const OFFICE = 'ca-mau-an-xuyen';
export const DEMO_COUNTER_USER = { username: 'canbo1.anxuyen', password: 'motcua-2026' };
/** The demo office's admin (admin, manager, counter): opens the fleet page (central/demo/officers.node.ts). */
export const DEMO_MANAGER_USER = { username: 'quantri.anxuyen', password: 'quantri-2026' };

export interface OfficeCentral extends RunningProcess {
  db: string;
  port: number;
}

export async function startOfficeCentral(
  db = join(tmpDir('office-central-'), 'central.sqlite'),
  port = 0,
  seed = true,
  env: NodeJS.ProcessEnv = {},
): Promise<OfficeCentral> {
  const proc = await spawnReady(
    'central/main.node.ts',
    ['--port', String(port), '--db', db, ...(seed ? ['--seed'] : [])],
    env,
    /central listening on (http:\/\/\S+)/,
    60_000,
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

/** A kiosk data directory enrolled with central (as `kioskctl enroll` would), with long idle times. */
export async function enrolledKioskDir(central: OfficeCentral, name: string): Promise<string> {
  const dataDir = tmpDir('office-kiosk-');
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
    }),
  );
  return dataDir;
}

/** The counter app: sign in, then the counter choice screen is shown. */
export async function signInAtCounter(page: Page, centralUrl: string, user = DEMO_COUNTER_USER) {
  await page.goto(`${centralUrl}/counter`);
  await page.getByLabel('Tên đăng nhập').fill(user.username);
  await page.getByLabel('Mật khẩu').fill(user.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page.getByRole('heading', { name: 'Chọn quầy và dịch vụ hôm nay' })).toBeVisible();
}

/**
 * An officer page (`/fleet`) opened without a session: central redirects to the counter app's
 * sign-in (`/counter?next=/fleet`), which brings the browser back after signing in.
 */
export async function signInForPage(page: Page, centralUrl: string, path = '/fleet', user = DEMO_MANAGER_USER) {
  await page.goto(`${centralUrl}${path}`);
  await expect(page).toHaveURL(`${centralUrl}/counter?next=${encodeURIComponent(path)}`);
  await page.getByLabel('Tên đăng nhập').fill(user.username);
  await page.getByLabel('Mật khẩu').fill(user.password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await expect(page).toHaveURL(`${centralUrl}${path}`);
}

/** Chooses the counter (its default services) and opens the desk screen. */
export async function openCounter(page: Page, counterName = 'Quầy 1') {
  await page.locator('select[name="counter"]').selectOption({ label: counterName });
  await page.getByRole('button', { name: 'Mở quầy' }).click();
  await expect(page.getByRole('heading', { name: 'Đang phục vụ' })).toBeVisible();
}

/** A control is on screen and is what a click at its centre hits (no scrolling, nothing over it). */
/** The office apps' controls, held to the kiosk's rule: visible and hit-testable where drawn, without scrolling. */
export const expectHittable = (page: Page, selector: string) => expectReachable(page.locator(selector).first());

/** A device token of the demo office (as a kiosk holds), to issue tickets through the API. */
export async function deviceToken(central: OfficeCentral): Promise<string> {
  const store = await openCentralStore(central.db);
  try {
    const { code } = await issueEnrolCode(store, { officeId: OFFICE });
    return (await store.tx((q) => enrolDevice(q, { code, kioskName: 'Kiosk ảnh chụp' }))).token;
  } finally {
    await store.close();
  }
}

/** Issues a ticket as a kiosk would, online. */
export async function issueTicket(
  central: OfficeCentral,
  token: string,
  serviceId: string,
  priorityGroupId: string | null = null,
): Promise<string> {
  const res = await fetch(`${central.url}/v1/tickets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      ticketId: crypto.randomUUID(),
      serviceId,
      priorityGroupId,
      source: 'kiosk',
      issuedAt: new Date().toISOString(),
    }),
  });
  if (res.status !== 200) throw new Error(`issue ${serviceId}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { ticket: { number: string } }).ticket.number;
}
