import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeProviderEnv, fakeSms, fakeZalo, type FakeProvider } from '../../test/support/fake-providers.ts';
import { notifyOptionsFromEnv } from '../notify/options.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, 07:30 office time, moving with real time (the notifier's timers). */
const offset = Date.parse('2026-11-30T07:30:00+07:00') - Date.now();
const now = () => new Date(Date.now() + offset);
const settle = () => new Promise((r) => setTimeout(r, 400));
const waitFor = async (what: () => boolean | Promise<boolean>, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!(await what())) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe.each(testDialects())('the booking code by Zalo or SMS on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let zalo: FakeProvider;
  let sms: FakeProvider;
  let logged = '';

  const book = async (slot: string, idNumber: string, extra: Record<string, string> = {}) => {
    const res = await fetch(`${central.url}/hen`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        officeId: 'ca-mau-an-xuyen',
        serviceId: 'ho-tich',
        day: '2026-11-30',
        slot,
        idKind: 'phone',
        idNumber,
        ...extra,
      }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of the answer
    return { status: res.status, body: (await res.json()) as any };
  };
  const contacts = () => central.store.all('SELECT * FROM appointment_contacts');

  beforeEach(async () => {
    logged = '';
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
    await enrolTestDevice(central.store);
  });
  afterEach(async () => {
    await central.close();
    await zalo.close();
    await sms.close();
    await db.dispose();
  });

  it('sends the code once by the chosen channel with the booking link, then forgets the number; none when not asked', async () => {
    const bySms = await book('09:30', '0912 345 678', { notify: 'sms' });
    expect(bySms.body).toMatchObject({ notify: 'sms', last3: '678' });
    await waitFor(() => sms.received.length === 1);
    const m = sms.received[0]!.json;
    expect(m).toMatchObject({ Phone: '84912345678', Brandname: 'UBND-ANXUYEN' });
    expect(m.Content).toContain(`Mã lịch hẹn: ${bySms.body.code}`);
    expect(m.Content).toContain('09:30 30/11/2026');
    expect(m.Content).toContain(`${central.url}/a/${bySms.body.code}`);
    await waitFor(async () => (await contacts()).length === 0);

    const byZalo = await book('10:00', '0987654321', { notify: 'zalo' });
    await waitFor(() => zalo.received.length === 1);
    expect(zalo.received[0]!.json).toMatchObject({
      phone: '84987654321',
      template_id: 'tpl-lich-hen',
      template_data: { ma_lich_hen: byZalo.body.code, thoi_gian: '10:00 30/11/2026' },
    });

    // Not asked, or a CCCD number: nothing is sent and no number is kept.
    expect((await book('10:30', '0911111111')).body.notify).toBeNull();
    expect((await book('10:30', '079203001234', { idKind: 'cccd', notify: 'sms' })).body.notify).toBeNull();
    await settle();
    expect(sms.received).toHaveLength(1);
    expect(zalo.received).toHaveLength(1);
    expect(await contacts()).toEqual([]);
    expect(logged).toContain('notify: sent');
    expect(logged).not.toMatch(/912345678|987654321/);
    const outbox = await central.store.all<{ payload: string }>('SELECT payload FROM notify_outbox');
    expect(outbox.map((r) => r.payload).join('')).not.toMatch(/912345678|987654321/);
  });

  it('a cancelled booking’s code is not sent any more, and its number goes', async () => {
    sms.fail(100); // the gateway is down: the message waits
    const b = await book('09:30', '0912345678', { notify: 'sms' });
    expect(b.body.notify).toBe('sms');
    const cancel = await fetch(`${central.url}/a/${b.body.code}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(cancel.status).toBe(200);
    expect(await contacts()).toEqual([]);
    sms.fail(0);
    await settle();
    expect(sms.received).toHaveLength(0);
  });

  it('offers the channels on the booking form and says the code is being sent', async () => {
    const form = await (await fetch(`${central.url}/hen?office=ca-mau-an-xuyen&service=ho-tich&day=2026-11-30`)).text();
    expect(form).toContain('name="notify" value="zalo"');
    expect(form).toContain('name="notify" value="sms"');
    const res = await fetch(`${central.url}/hen`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'officeId=ca-mau-an-xuyen&serviceId=ho-tich&day=2026-11-30&slot=09%3A30&idKind=phone&idNumber=0912345678&notify=zalo',
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const page = await (await fetch(new URL(res.headers.get('location')!, central.url))).text();
    expect(page).toContain('Mã lịch hẹn đang được gửi qua Zalo');
    await waitFor(() => zalo.received.length === 1);
  });
});
