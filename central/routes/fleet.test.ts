import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signInReturnPath } from '../../protocol/counter.ts';
import { FleetResponse } from '../../protocol/fleet.ts';
import { DEMO_OFFICE_ID } from '../demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, signedInOfficer, testDialects, type TestDb } from '../testing.node.ts';

const OTHER_OFFICE = 'ca-mau-dam-doi';

describe('the sign-in return path (no open redirect)', () => {
  it('accepts only the allow-listed same-origin paths', () => {
    expect(signInReturnPath('/fleet')).toBe('/fleet');
    for (const bad of [
      '//evil.example/fleet',
      'https://evil.example/fleet',
      '/fleet/../counter',
      '/fleet?x=1',
      '/counter',
      'fleet',
      '',
      null,
      undefined,
      ['/fleet'],
    ])
      expect(signInReturnPath(bad)).toBeNull();
  });
});

describe.each(testDialects())('the fleet behind the officer sign-in (%s)', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let kioskToken: string;
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(central.url + path, { headers, redirect: 'manual' });

  beforeEach(async () => {
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, webDir: '/nonexistent-web-dir' });
    kioskToken = (await enrolTestDevice(central.store, 'Kiosk An Xuyên sảnh', DEMO_OFFICE_ID)).token;
    await enrolTestDevice(central.store, 'Kiosk Đầm Dơi cổng', OTHER_OFFICE);
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('refuses the JSON without a session, even to a kiosk credential, and sends a browser to the sign-in and back', async () => {
    const json = await get('/v1/fleet');
    expect(json.status).toBe(401);
    expect((await json.json()).error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await get('/v1/fleet', { authorization: `Bearer ${kioskToken}` })).status).toBe(401);

    const page = await get('/fleet');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/counter?next=%2Ffleet');
    expect(await page.text()).not.toContain('Kiosk');
    // A query cannot steer where the sign-in sends the browser back.
    expect((await get('/fleet?next=https://evil.example')).headers.get('location')).toBe('/counter?next=%2Ffleet');
  });

  it('answers 403 to a counter-only officer (JSON for the API, a page for the browser)', async () => {
    const cookie = await signedInOfficer(central, { username: 'canbo.quay', roles: ['counter'] });
    const json = await get('/v1/fleet', { cookie });
    expect(json.status).toBe(403);
    expect((await json.json()).error).toMatchObject({ code: 'FORBIDDEN' });
    const page = await get('/fleet', { cookie });
    expect(page.status).toBe(403);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('Tài khoản này không được xem trang này');
    expect(html).not.toContain('Kiosk An Xuyên');
  });

  it("shows a manager (or an admin) only their own office's kiosks, and refuses another office", async () => {
    const managerA = await signedInOfficer(central, { username: 'quanly.anxuyen', roles: ['manager'] });
    const fleetA = FleetResponse.parse(await (await get('/v1/fleet', { cookie: managerA })).json());
    expect(fleetA.kiosks.map((k) => k.name)).toEqual(['Kiosk An Xuyên sảnh']);
    expect(new Set(fleetA.kiosks.map((k) => k.officeId))).toEqual(new Set([DEMO_OFFICE_ID]));
    const pageA = await get('/fleet', { cookie: managerA });
    expect(pageA.status).toBe(200);
    const htmlA = await pageA.text();
    expect(htmlA).toContain('Kiosk An Xuyên sảnh');
    expect(htmlA).not.toContain('Kiosk Đầm Dơi cổng');
    for (const path of [`/v1/fleet?office=${OTHER_OFFICE}`, `/fleet?office=${OTHER_OFFICE}`])
      expect((await get(path, { cookie: managerA })).status).toBe(403);

    const adminB = await signedInOfficer(central, {
      username: 'quantri.damdoi',
      officeId: OTHER_OFFICE,
      roles: ['admin'],
    });
    const fleetB = FleetResponse.parse(await (await get('/v1/fleet', { cookie: adminB })).json());
    expect(fleetB.kiosks.map((k) => k.name)).toEqual(['Kiosk Đầm Dơi cổng']);
    const htmlB = await (await get('/fleet', { cookie: adminB })).text();
    expect(htmlB).toContain('Kiosk Đầm Dơi cổng');
    expect(htmlB).not.toContain('Kiosk An Xuyên sảnh');
  });
});
