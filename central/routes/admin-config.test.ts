import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../protocol/catalog.ts';
import { OfficeConfig } from '../../protocol/office.ts';
import { setCatalog } from '../admin.node.ts';
import { catalogToRows, rowsToXlsx } from '../catalog-import.node.ts';
import { demoCatalog } from '../demo/catalog-generate.ts';
import { createOfficer } from '../officers.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, OfficerClient, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (day: string, hhmm: string) => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));
const OFFICE = 'ca-mau-an-xuyen';
const OTHER = 'ca-mau-dam-doi';
const A = `/v1/admin/offices/${OFFICE}`;

const b64 = (b: Buffer | string) => Buffer.from(b).toString('base64');
/** CSV as a spreadsheet writes it: every cell quoted, line breaks kept inside cells, CRLF between records. */
const csvOf = (rows: string[][]) =>
  rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n') + '\r\n';

describe.each(testDialects())('office administration on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  let now = local('2026-11-30', '09:00');

  const officer = async (username: string, roles: Array<'counter' | 'manager' | 'admin'>, officeId = OFFICE) => {
    await createOfficer(
      central.store,
      { officeId, username, displayName: username, password: 'dung-mat-khau', roles },
      now,
    );
    const c = new OfficerClient(central.url);
    expect((await c.signIn(username, 'dung-mat-khau')).status).toBe(200);
    return c;
  };
  const kiosk = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(central.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const issue = (serviceId: string) =>
    kiosk('POST', '/v1/tickets', {
      ticketId: uuidv4(),
      serviceId,
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now.toISOString(),
    });

  beforeEach(async () => {
    now = local('2026-11-30', '09:00');
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, now: () => now, webDir: '/nonexistent-web-dir' });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('saves hours and a closed day through the kiosk schema: kiosks pull the new version, tickets are refused that day, the change is audited', async () => {
    const admin = await officer('quantri.test', ['admin']);
    const got = await admin.req('GET', `${A}/config`);
    expect(got.status).toBe(200);
    const config = OfficeConfig.parse(got.body.config);
    expect((await issue('ho-tich')).status).toBe(200);

    const pulled = await kiosk('GET', `/v1/offices/${OFFICE}/config`);
    expect(pulled.headers.get('etag')).toBe(got.body.etag);

    // Hours that overlap, and a service pointing at no counter: refused with the reasons.
    const bad = structuredClone(config);
    bad.openingHours['1'] = [
      { open: '07:00', close: '12:00' },
      { open: '11:00', close: '17:00' },
    ];
    bad.areas[0]!.services[0]!.counterIds = ['q99'];
    const refused = await admin.req('POST', `${A}/config`, { config: bad, etag: got.body.etag });
    expect(refused.status).toBe(400);
    const issues = JSON.stringify(refused.body.error.details.issues);
    expect(issues).toContain('overlaps');
    expect(issues).toContain('no counter q99');

    const next = structuredClone(config);
    next.areas[0]!.services[0]!.openingHours = { '1': [{ open: '08:00', close: '10:00' }] };
    next.closedDays = [{ date: '2026-12-01', name: 'Ngày nghỉ bù' }];
    const saved = await admin.req('POST', `${A}/config`, { config: next, etag: got.body.etag });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ changed: true });
    expect(saved.body.etag).not.toBe(got.body.etag);

    const history = await admin.req('GET', `${A}/config/history`);
    expect(history.body.changes[0]).toMatchObject({ username: 'quantri.test' });
    expect(history.body.changes[0].keys).toEqual(expect.arrayContaining(['areas', 'closedDays']));
    // A second administrator still holding the old version cannot overwrite it.
    expect((await admin.req('POST', `${A}/config`, { config, etag: got.body.etag })).status).toBe(409);

    // The kiosk's conditional pull gets the new version (not a 304) with the new hours.
    const again = await fetch(`${central.url}/v1/offices/${OFFICE}/config`, {
      headers: { authorization: `Bearer ${token}`, 'if-none-match': got.body.etag },
    });
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe(saved.body.etag);
    const kioskView = OfficeConfig.parse(await again.json());
    expect(kioskView.closedDays).toEqual([{ date: '2026-12-01', name: 'Ngày nghỉ bù' }]);

    // Monday 10:30 is past the service's new hours; Tuesday is the closed day.
    now = local('2026-11-30', '10:30');
    const late = await issue('ho-tich');
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('SERVICE_CLOSED');
    now = local('2026-12-01', '09:00');
    const closed = await issue('chung-thuc');
    expect(closed.status).toBe(409);
    const body = (await closed.json()) as { error: { code: string; details: Record<string, unknown> } };
    expect(body.error.code).toBe('SERVICE_CLOSED');
    expect(body.error.details.closedDay).toBe('Ngày nghỉ bù');
    // The next day opens at 07:00 local.
    expect(body.error.details.opensAt).toBe(local('2026-12-02', '07:00').toISOString());

    const audit = await central.store.get<{ username: string; detail: string }>(
      "SELECT username, detail FROM officer_audit WHERE action = 'admin.config.changed'",
    );
    expect(audit?.username).toBe('quantri.test');
    const detail = JSON.parse(audit!.detail) as { before: OfficeConfig; after: OfficeConfig };
    expect(detail.before.closedDays).toBeUndefined();
    expect(detail.after.closedDays).toHaveLength(1);
  });

  it('keeps every office to itself: an admin of one office can neither read nor change another', async () => {
    const admin = await officer('quantri.test', ['admin']);
    const theirs = (await enrolTestDevice(central.store, 'Kiosk Đầm Dơi', OTHER)).deviceId;
    const other = `/v1/admin/offices/${OTHER}`;
    expect((await admin.req('GET', `${other}/config`)).status).toBe(403);
    expect((await admin.req('GET', `${other}/officers`)).status).toBe(403);
    const theirConfig = (await central.store.get<{ config_json: string }>(
      'SELECT config_json FROM offices WHERE id = ?',
      [OTHER],
    ))!.config_json;
    expect((await admin.req('POST', `${other}/config`, { config: JSON.parse(theirConfig), etag: 'x' })).status).toBe(
      403,
    );
    // Through its own office's path, another office's configuration or records answer as unknown.
    const mine = await admin.req('GET', `${A}/config`);
    expect(
      (await admin.req('POST', `${A}/config`, { config: JSON.parse(theirConfig), etag: mine.body.etag })).status,
    ).toBe(403);
    expect((await admin.req('POST', `${A}/kiosks/rename`, { deviceId: theirs, name: 'Của tôi' })).status).toBe(404);
    expect((await admin.req('POST', `${A}/kiosks/revoke`, { deviceId: theirs })).status).toBe(404);
    const theirOfficer = await createOfficer(central.store, {
      officeId: OTHER,
      username: 'canbo.damdoi',
      displayName: 'x',
      password: 'dung-mat-khau',
      roles: ['counter'],
    });
    expect(
      (await admin.req('POST', `${A}/officers/update`, { officerId: theirOfficer.id, disabled: true })).status,
    ).toBe(404);
    const kiosks = await admin.req('GET', `${A}/kiosks`);
    expect(kiosks.body.kiosks.map((k: { officeId: string }) => k.officeId)).toEqual([OFFICE]);
    const row = await central.store.get<{ name: string; revoked_at: string | null }>(
      'SELECT name, revoked_at FROM devices WHERE id = ?',
      [theirs],
    );
    expect(row).toEqual({ name: 'Kiosk Đầm Dơi', revoked_at: null });
  });

  it('answers 403 to a counter-only officer or a manager on every admin route, and wants the CSRF token', async () => {
    const counter = await officer('canbo.test', ['counter']);
    const manager = await officer('quanly.test', ['manager']);
    const adminRoutes = central.routes.filter((r) => r.url.startsWith('/v1/admin/'));
    expect(adminRoutes.length).toBeGreaterThanOrEqual(14);
    for (const r of adminRoutes) {
      const path = r.url.replace(':officeId', OFFICE);
      for (const who of [counter, manager]) {
        const res = await who.req(r.method as 'GET' | 'POST', path, r.method === 'POST' ? {} : undefined);
        expect(res.status, `${r.method} ${r.url}`).toBe(403);
      }
      const anonymous = await fetch(central.url + path, { method: r.method });
      expect(anonymous.status, `${r.method} ${r.url} without a session`).toBe(401);
    }
    const admin = await officer('quantri.test', ['admin']);
    expect((await admin.req('POST', `${A}/enrol-codes`, { ttlHours: 1 }, { csrf: null })).status).toBe(403);
  });

  it('imports a catalog file: line-numbered errors, a diff before applying, versions, rollback; kiosks pull each version', async () => {
    const base = demoCatalog(0);
    await setCatalog(central.store, base);
    const admin = await officer('quantri.test', ['admin']);
    const rows = catalogToRows(base);
    const header = rows[0]!;
    const col = (name: string) => header.indexOf(name);
    const fresh = [...rows[1]!];
    fresh[col('Mã thủ tục')] = '2.000999';
    fresh[col('Tên thủ tục')] = 'Cấp giấy phép nuôi chim yến trong khu dân cư';
    const renamed = [...rows[2]!];
    renamed[col('Tên thủ tục')] = `${renamed[col('Tên thủ tục')]} (sửa đổi)`;
    const badCode = [...rows[3]!];
    badCode[col('Mã thủ tục')] = 'ABC';
    const badLevel = [...rows[4]!];
    badLevel[col('Cấp thực hiện')] = 'Cấp Huyện';
    const noSteps = [...rows[5]!];
    noSteps[col('Trình tự thực hiện')] = '';
    // Removed: the last row of the current catalog.
    const good = [header, fresh, renamed, ...rows.slice(3, -1)];
    const withErrors = [header, fresh, renamed, badCode, badLevel, noSteps, ...rows.slice(6, -1)];
    // CSV lines: records hold line breaks (steps, documents), so a row's line is where it starts in the file.
    const text = csvOf(withErrors);
    const lineOf = (row: string[]) => csvOf(withErrors.slice(0, withErrors.indexOf(row))).split('\n').length;
    expect(lineOf(badCode)).toBeGreaterThan(4); // rows span several lines: the number is the file's line

    const preview = await admin.req('POST', `${A}/catalog/preview`, {
      format: 'csv',
      fileName: 'thutuc.csv',
      dataBase64: b64(text),
    });
    expect(preview.status).toBe(200);
    expect(preview.body.errors.map((e: { line: number }) => e.line)).toEqual([
      lineOf(badCode),
      lineOf(badLevel),
      lineOf(noSteps),
    ]);
    expect(preview.body.errors[1].message).toContain('Cấp Huyện');
    const refused = await admin.req('POST', `${A}/catalog/apply`, {
      format: 'csv',
      fileName: 'thutuc.csv',
      dataBase64: b64(text),
      baseEtag: preview.body.baseEtag,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.errors).toHaveLength(3);

    // Fixed, as XLSX: the diff names what is added, changed and removed.
    const xlsx = await rowsToXlsx(good);
    const fixed = { format: 'xlsx', fileName: 'thutuc.xlsx', dataBase64: b64(xlsx) };
    const p2 = await admin.req('POST', `${A}/catalog/preview`, fixed);
    expect(p2.body.errors).toEqual([]);
    expect(p2.body.diff).toMatchObject({ added: 1, changed: 1, removed: 2 });
    expect(p2.body.diff.sample.added).toEqual([{ code: '2.000999', name: fresh[col('Tên thủ tục')] }]);
    const applied = await admin.req('POST', `${A}/catalog/apply`, { ...fixed, baseEtag: p2.body.baseEtag });
    expect(applied.status).toBe(200);
    expect(applied.body.version).toMatchObject({
      seq: 1,
      current: true,
      summary: { added: 1, changed: 1, removed: 2 },
    });
    // Applying against a stale preview is refused.
    expect((await admin.req('POST', `${A}/catalog/apply`, { ...fixed, baseEtag: p2.body.baseEtag })).status).toBe(409);

    const pulled = Catalog.parse(await (await kiosk('GET', '/v1/catalog')).json());
    expect(pulled.procedures.find((p) => p.code === '2.000999')?.name).toBe(fresh[col('Tên thủ tục')]);
    expect(pulled.procedures).toHaveLength(good.length - 1);

    const rolled = await admin.req('POST', `${A}/catalog/rollback`, { seq: 1 });
    expect(rolled.status).toBe(200);
    // Roll back to the first import after a second one.
    const second = await admin.req('POST', `${A}/catalog/preview`, {
      format: 'csv',
      fileName: 'again.csv',
      dataBase64: b64(csvOf(rows)),
    });
    await admin.req('POST', `${A}/catalog/apply`, {
      format: 'csv',
      fileName: 'again.csv',
      dataBase64: b64(csvOf(rows)),
      baseEtag: second.body.baseEtag,
    });
    expect(Catalog.parse(await (await kiosk('GET', '/v1/catalog')).json()).procedures).toHaveLength(rows.length - 1);
    const back = await admin.req('POST', `${A}/catalog/rollback`, { seq: 1 });
    expect(back.body.versions[0]).toMatchObject({ seq: 4, current: true });
    const afterRollback = Catalog.parse(await (await kiosk('GET', '/v1/catalog')).json());
    expect(afterRollback.procedures.some((p) => p.code === '2.000999')).toBe(true);
    // Another office's kiosks keep the province's catalog.
    const theirToken = (await enrolTestDevice(central.store, 'Kiosk Đầm Dơi', OTHER)).token;
    const theirs = await fetch(`${central.url}/v1/catalog`, { headers: { authorization: `Bearer ${theirToken}` } });
    expect(Catalog.parse(await theirs.json()).procedures.some((p) => p.code === '2.000999')).toBe(false);
    expect(
      (await central.store.all("SELECT action FROM officer_audit WHERE action LIKE 'admin.catalog.%'")).length,
    ).toBe(4);
  });

  it('imports 2,000 procedures from XLSX in seconds', async () => {
    const admin = await officer('quantri.test', ['admin']);
    const big = demoCatalog(2000);
    const file = { format: 'xlsx', fileName: 'tinh.xlsx', dataBase64: b64(await rowsToXlsx(catalogToRows(big))) };
    const started = performance.now();
    const preview = await admin.req('POST', `${A}/catalog/preview`, file);
    const applied = await admin.req('POST', `${A}/catalog/apply`, { ...file, baseEtag: preview.body.baseEtag });
    const ms = performance.now() - started;
    expect(preview.body.errors).toEqual([]);
    expect(applied.body.version.procedures).toBe(big.procedures.length);
    console.log(
      `catalog import (${dialect}): ${big.procedures.length} procedures, preview ${preview.body.ms} ms, preview+apply ${Math.round(ms)} ms (target ≤ 10 s: ${(ms / 10_000).toFixed(2)})`,
    );
    expect(ms).toBeLessThan(20_000); // a loaded CI machine; the target (10 s) is printed above
  });

  it("cannot grant or take away the province role: one office's admin never widens anyone's reach", async () => {
    const admin = await officer('quantri.tinh', ['admin']);
    const refused = await admin.req('POST', `${A}/officers`, {
      username: 'giamsat.moi',
      displayName: 'Giám sát',
      password: 'mat-khau-moi',
      roles: ['manager', 'province'],
    });
    expect(refused.status).toBe(400);
    // A province officer of this office (granted from central's CLI): the office admin's role edits keep the grant.
    const supervisor = await createOfficer(
      central.store,
      {
        officeId: OFFICE,
        username: 'giamsat.tinh',
        displayName: 'Giám sát',
        password: 'dung-mat-khau',
        roles: ['manager', 'province'],
      },
      now,
    );
    expect(
      (await admin.req('POST', `${A}/officers/update`, { officerId: supervisor.id, roles: ['province'] })).status,
    ).toBe(400);
    expect(
      (await admin.req('POST', `${A}/officers/update`, { officerId: supervisor.id, roles: ['counter'] })).status,
    ).toBe(200);
    const row = await central.store.get<{ roles: string }>('SELECT roles FROM officers WHERE id = ?', [supervisor.id]);
    expect(row!.roles.split(',').sort()).toEqual(['counter', 'province']);
  });

  it('issues, lists and expires enrolment codes; renames and revokes kiosks; manages officer accounts', async () => {
    const admin = await officer('quantri.test', ['admin']);
    const issued = await admin.req('POST', `${A}/enrol-codes`, { ttlHours: 24, note: 'Kiosk tầng 2' });
    expect(issued.status).toBe(200);
    const list = await admin.req('GET', `${A}/enrol-codes`);
    const row = list.body.codes.find((c: { note: string }) => c.note === 'Kiosk tầng 2');
    expect(row.state).toBe('active');
    expect((await admin.req('POST', `${A}/enrol-codes/expire`, { id: row.id })).status).toBe(200);
    const enrol = await fetch(`${central.url}/v1/enrol`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: issued.body.code, kioskName: 'Kiosk mới' }),
    });
    expect(enrol.status).toBe(401);
    expect(
      (await admin.req('GET', `${A}/enrol-codes`)).body.codes.find((c: { id: string }) => c.id === row.id).state,
    ).toBe('expired');

    const kiosks = (await admin.req('GET', `${A}/kiosks`)).body.kiosks as Array<{ deviceId: string }>;
    const id = kiosks[0]!.deviceId;
    expect((await admin.req('POST', `${A}/kiosks/rename`, { deviceId: id, name: 'Kiosk sảnh chính' })).status).toBe(
      200,
    );
    expect((await admin.req('POST', `${A}/kiosks/revoke`, { deviceId: id })).status).toBe(200);
    expect((await kiosk('GET', '/v1/catalog')).status).toBe(403);

    const created = await admin.req('POST', `${A}/officers`, {
      username: 'canbo.moi',
      displayName: 'Cán bộ mới',
      password: 'mat-khau-moi',
      roles: ['counter'],
    });
    expect(created.status).toBe(200);
    const c = new OfficerClient(central.url);
    expect((await c.signIn('canbo.moi', 'mat-khau-moi')).status).toBe(200);
    expect((await c.req('GET', `${A}/config`)).status).toBe(403);
    await admin.req('POST', `${A}/officers/update`, { officerId: created.body.id, roles: ['counter', 'admin'] });
    expect((await c.req('GET', `${A}/config`)).status).toBe(200);
    await admin.req('POST', `${A}/officers/update`, { officerId: created.body.id, password: 'mat-khau-khac' });
    // The reset ends the open session; the new password works.
    expect((await c.req('GET', `${A}/config`)).status).toBe(401);
    expect((await c.signIn('canbo.moi', 'mat-khau-khac')).status).toBe(200);
    await admin.req('POST', `${A}/officers/update`, { officerId: created.body.id, disabled: true });
    expect((await new OfficerClient(central.url).signIn('canbo.moi', 'mat-khau-khac')).status).toBe(401);
    const me = (await admin.req('GET', `${A}/officers`)).body.officers.find(
      (o: { username: string }) => o.username === 'quantri.test',
    );
    expect((await admin.req('POST', `${A}/officers/update`, { officerId: me.id, roles: ['counter'] })).status).toBe(
      409,
    );
    const actions = (
      await central.store.all<{ action: string }>(
        "SELECT action FROM officer_audit WHERE action LIKE 'admin.%' ORDER BY at, id",
      )
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'admin.enrol-code.issued',
        'admin.enrol-code.expired',
        'admin.kiosk.renamed',
        'admin.kiosk.revoked',
        'admin.officer.created',
        'admin.officer.changed',
      ]),
    );
  });
});
