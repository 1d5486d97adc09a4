import { Writable } from 'node:stream';
import { pino } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOSSIER_KIND, type DossierSubmission } from '../../protocol/dossiers.ts';
import { fakeProviderEnv, fakeSms, fakeZalo, type FakeProvider } from '../../test/support/fake-providers.ts';
import { getOfficeConfig, upsertOffice } from '../admin.node.ts';
import { createOfficer } from '../officers.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { notifyOptionsFromEnv } from './options.node.ts';

/** Real time, shifted to Monday 30 Nov 2026 09:00 office time; `later` moves it further. */
const offset = Date.parse('2026-11-30T09:00:00+07:00') - Date.now();
let later = 0;
const now = () => new Date(Date.now() + offset + later);
const waitFor = async (what: () => boolean | Promise<boolean>, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const settle = () => new Promise((r) => setTimeout(r, 400));

let seq = 0;
const submission = (notify?: DossierSubmission['notify']): DossierSubmission => ({
  provisionalNo: `T1-${String(++seq).padStart(6, '0')}`,
  kioskId: 'KIOSK-01',
  procedureCode: '2.000635',
  procedureName: 'Cấp bản sao trích lục hộ tịch',
  applicant: {
    fullName: 'Nguyễn Thị Ánh Tuyết',
    idNumber: '096190012345',
    birthDate: '1990-03-15',
    sex: 'female',
    address: 'Khóm 5, phường An Xuyên, tỉnh Cà Mau',
  },
  fields: { recordType: 'khai-sinh', copies: '2' },
  fee: 16000,
  processingDays: 3,
  consentAt: now().toISOString(),
  submittedAt: now().toISOString(),
  ...(notify ? { notify } : {}),
});

describe.each(testDialects())('dossier status messages on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let device: string;
  let zalo: FakeProvider;
  let sms: FakeProvider;
  let logged = '';
  let officer: { cookie: string; csrf: string };

  const post = async (path: string, json: unknown, auth: Record<string, string>) => {
    const res = await fetch(central.url + path, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of the answers
    return { status: res.status, body: (await res.json()) as any };
  };
  const submit = async (payload: DossierSubmission, key = uuidv7()) => {
    const r = await post(
      '/v1/batch',
      { items: [{ key, kind: DOSSIER_KIND, payload, createdAt: now().toISOString(), seq: 1 }] },
      { authorization: `Bearer ${device}` },
    );
    expect(['accepted', 'duplicate']).toContain(r.body.results[0].status);
    return r.body.results[0].result.dossierCode as string;
  };
  const signIn = async (username: string, officeId = 'ca-mau-an-xuyen') => {
    await createOfficer(central.store, {
      officeId,
      username,
      displayName: username,
      password: 'mat-khau-thu',
      roles: ['counter'],
    });
    const res = await fetch(`${central.url}/v1/officer/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: 'mat-khau-thu' }),
    });
    const body = (await res.json()) as { csrfToken: string };
    return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: body.csrfToken };
  };
  const setStatus = (code: string, status: number, who = officer) =>
    post(
      `/v1/officer/dossiers/${encodeURIComponent(code)}/status`,
      { status },
      { cookie: who.cookie, 'x-csrf-token': who.csrf },
    );
  const contacts = () => central.store.all<{ dossier_code: string }>('SELECT dossier_code FROM dossier_contacts');

  beforeEach(async () => {
    logged = '';
    later = 0;
    db = await makeTestDb(dialect);
    zalo = await fakeZalo();
    sms = await fakeSms();
    central = await startCentral({
      db: db.url,
      now,
      log: pino(
        { level: 'debug' },
        new Writable({
          write(chunk: Buffer, _e, cb) {
            logged += chunk.toString();
            cb();
          },
        }),
      ),
      notify: { ...notifyOptionsFromEnv(fakeProviderEnv(zalo, sms)), backoffMs: 50, pollMs: 100 },
    });
    device = (await enrolTestDevice(central.store)).token;
    officer = await signIn('canbo.hoso');
  });
  afterEach(async () => {
    await central.close();
    await zalo.close();
    await sms.close();
    await db.dispose();
  });

  it('tells an opted-in citizen once per status (received, processing, result ready) with the status page link, and never logs the number', async () => {
    const key = uuidv7();
    const payload = submission({ channel: 'zalo', phone: '0912 345 678', consent: 'v1' });
    const code = await submit(payload, key);
    await waitFor(() => zalo.received.length === 1);
    const first = zalo.received[0]!.json;
    expect(first).toMatchObject({
      phone: '84912345678',
      template_id: 'tpl-ho-so',
      template_data: { ma_ho_so: code, thu_tuc: 'Cấp bản sao trích lục hộ tịch', trang_thai: 'Được tiếp nhận' },
      tracking_id: `dossier:${code}:2:zalo`,
    });
    const link = first.template_data.lien_ket as string;
    expect(link).toMatch(new RegExp(`^${central.url}/hs/[A-Za-z0-9_-]{22}$`));

    // The kiosk's outbox sends the same item again: nothing more.
    await submit(payload, key);
    expect((await setStatus(code, 4)).body).toMatchObject({ status: 4, changed: true });
    expect((await setStatus(code, 4)).body).toMatchObject({ changed: false });
    await waitFor(() => zalo.received.length === 2);
    expect(zalo.received[1]!.json.template_data.trang_thai).toBe('Đang xử lý');
    expect((await setStatus(code, 9)).status).toBe(200);
    await waitFor(() => zalo.received.length === 3);
    expect(zalo.received[2]!.json).toMatchObject({
      template_data: { trang_thai: 'Đã xử lý xong', lien_ket: link },
      tracking_id: `dossier:${code}:9:zalo`,
    });
    // Handing over the result is not a message; the number was forgotten after "result ready".
    await setStatus(code, 10);
    await settle();
    expect(zalo.received).toHaveLength(3);
    expect(sms.received).toHaveLength(0);
    await waitFor(async () => (await contacts()).length === 0);

    // The link opens the dossier's status page: code, status, no personal data.
    const page = await fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(code);
    expect(html).toContain('Đã trả kết quả');
    expect(html).not.toMatch(/Nguyễn|912345678|096190012345/);
    expect((await fetch(link.slice(0, -3) + 'AAA')).status).toBe(404);
    const notFound = await fetch(`${central.url}/hs/khong-phai-ma`, { headers: { accept: 'text/html' } });
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toContain('Không tìm thấy hồ sơ');

    expect(logged).toContain('notify: sent');
    expect(logged).not.toContain('912345678');
    const outbox = await central.store.all<{ payload: string }>('SELECT payload FROM notify_outbox');
    expect(outbox.map((r) => r.payload).join('')).not.toContain('912345678');
  });

  it('sends by SMS in the gateway shape, and nothing for a dossier without opt-in', async () => {
    const withSms = await submit(submission({ channel: 'sms', phone: '0987654321', consent: 'v1' }));
    const without = await submit(submission());
    await waitFor(() => sms.received.length === 1);
    await setStatus(without, 4);
    await setStatus(without, 9);
    await setStatus(withSms, 4);
    await waitFor(() => sms.received.length === 2);
    await settle();
    expect(zalo.received).toHaveLength(0);
    expect(sms.received).toHaveLength(2);
    expect(sms.received[1]!.json).toMatchObject({
      Phone: '84987654321',
      Brandname: 'UBND-ANXUYEN',
      RequestId: `dossier:${withSms}:4:sms`,
    });
    expect(sms.received[1]!.json.Content).toMatch(
      new RegExp(
        `Hồ sơ ${withSms.replace(/\./g, '\\.')} \\(Cấp bản sao trích lục hộ tịch\\) của quý khách: Đang xử lý\\. Xem tại ${central.url}/hs/`,
      ),
    );
    const keys = await central.store.all<{ key: string }>("SELECT key FROM notify_outbox WHERE event = 'dossier'");
    expect(keys.map((k) => k.key).sort()).toEqual([`dossier:${withSms}:2:sms`, `dossier:${withSms}:4:sms`]);
  });

  it('lets only an officer of the dossier’s office record a status, and forgets a number at its expiry', async () => {
    const code = await submit(submission({ channel: 'zalo', phone: '0912345678', consent: 'v1' }));
    await waitFor(() => zalo.received.length === 1);
    const demo = (await getOfficeConfig(central.store, 'ca-mau-an-xuyen'))!.config;
    await upsertOffice(central.store, { ...demo, officeId: 'mot-xa-khac', name: 'UBND xã khác' });
    const stranger = await signIn('canbo.noikhac', 'mot-xa-khac');
    expect((await setStatus(code, 4, stranger)).status).toBe(404);
    expect((await setStatus(code, 4, { ...officer, csrf: 'sai' })).status).toBe(403);
    expect((await setStatus(code, 7)).status).toBe(400);
    expect(await contacts()).toHaveLength(1);
    // 3 working days to the appointment + 30 days: the opt-in is deleted even though the dossier is open.
    later = 40 * 86_400_000;
    await waitFor(async () => (await contacts()).length === 0);
    await setStatus(code, 4);
    await settle();
    expect(zalo.received).toHaveLength(1);
  });
});
