import { createECDH, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import ece from 'http_ece';
import { pino } from 'pino';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TICKET_NOTIFY_KIND } from '../../protocol/phone.ts';
import {
  fakeProviderEnv,
  fakePushService,
  fakeSms,
  fakeZalo,
  type FakeProvider,
} from '../../test/support/fake-providers.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { notifyOptionsFromEnv } from './options.node.ts';

/** Real time, shifted to Monday 30 Nov 2026 09:00 office time (the demo office is open). */
const offset = Date.parse('2026-11-30T09:00:00+07:00') - Date.now();
const now = () => new Date(Date.now() + offset);
const waitFor = async (what: () => boolean, ms = 5_000) => {
  const until = Date.now() + ms;
  while (!what()) {
    if (Date.now() > until) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};
const PHONE = '0912345678';

describe.each(testDialects())('notifications before the turn on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let device: string;
  let zalo: FakeProvider;
  let sms: FakeProvider;
  let logged = '';

  const start = async (extra: Record<string, unknown> = {}) => {
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
      notify: { ...notifyOptionsFromEnv(fakeProviderEnv(zalo, sms)), backoffMs: 50, pollMs: 100, ...extra },
    });
  };
  const post = async (path: string, json: unknown) => {
    const res = await fetch(central.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a few fields of the answers
    return { status: res.status, body: (await res.json()) as any };
  };
  const issue = async () => {
    const publicToken = randomBytes(16).toString('base64url');
    const ticketId = uuidv4();
    const r = await post('/v1/tickets', {
      ticketId,
      serviceId: 'dat-dai',
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now().toISOString(),
      publicToken,
    });
    expect(r.status).toBe(200);
    return { ticketId, publicToken, number: r.body.ticket.number as string };
  };
  const optIn = async (ticketId: string, channel: 'zalo' | 'sms', phone = PHONE) => {
    const r = await post('/v1/batch', {
      items: [
        {
          key: uuidv7(),
          kind: TICKET_NOTIFY_KIND,
          payload: { ticketId, channel, phone, consent: 'v1' },
          createdAt: now().toISOString(),
          seq: 1,
        },
      ],
    });
    expect(r.body.results[0].status).toBe('accepted');
  };
  const callNext = () => post('/v1/tickets/call-next', { counterId: 'q3' });
  const zaloEvents = () => zalo.received.map((r) => `${r.json.template_id} ${r.json.template_data.so_thu_tu}`);

  beforeEach(async () => {
    logged = '';
    db = await makeTestDb(dialect);
    zalo = await fakeZalo();
    sms = await fakeSms();
    await start();
    device = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await zalo.close();
    await sms.close();
    await db.dispose();
  });

  it('sends one "sắp đến lượt" when 3 are ahead and one "mời đến quầy" when called, by Zalo and SMS, and never logs the number', async () => {
    const others = [await issue(), await issue(), await issue(), await issue()];
    const mine = await issue();
    await optIn(mine.ticketId, 'zalo');
    await optIn(mine.ticketId, 'sms');
    await new Promise((r) => setTimeout(r, 300));
    expect(zalo.received).toHaveLength(0); // 4 ahead: not yet
    await callNext(); // 3 ahead now
    await waitFor(() => zalo.received.length === 1 && sms.received.length === 1);
    expect(zalo.received[0]!.json).toMatchObject({
      phone: '84912345678',
      template_id: 'tpl-sap-den-luot',
      template_data: { so_thu_tu: mine.number, so_nguoi_truoc: '3' },
      tracking_id: `${mine.ticketId}:soon:zalo`,
    });
    expect(sms.received[0]!.json).toMatchObject({ Phone: '84912345678', Brandname: 'UBND-ANXUYEN', SmsType: '2' });
    expect(sms.received[0]!.json.Content).toContain('Sắp đến lượt quý khách');
    for (let i = 0; i < others.length; i++) await callNext();
    await waitFor(() => zalo.received.length === 2 && sms.received.length === 2);
    expect(zalo.received[1]!.json).toMatchObject({
      template_id: 'tpl-moi-den-quay',
      template_data: { quay: 'Quầy 3' },
    });
    expect(sms.received[1]!.json.Content).toContain(`Đến lượt quý khách số ${mine.number} — mời đến Quầy 3`);
    // More events (a recall, the next calls) send nothing more; the number is gone once the call is sent.
    await callNext();
    await new Promise((r) => setTimeout(r, 400));
    expect(zaloEvents()).toEqual([`tpl-sap-den-luot ${mine.number}`, `tpl-moi-den-quay ${mine.number}`]);
    expect(sms.received).toHaveLength(2);
    expect(await central.store.all('SELECT * FROM ticket_contacts')).toEqual([]);
    expect(logged).toContain('notify: sent');
    expect(logged).not.toContain('912345678');
  });

  it('never holds up a call while a provider is down, and delivers once when it is back', async () => {
    await issue();
    const mine = await issue();
    await optIn(mine.ticketId, 'zalo');
    zalo.fail(3);
    await waitFor(() => sms.received.length === 0 && zalo.received.length === 1, 3_000).catch(() => undefined);
    const t0 = Date.now();
    expect((await callNext()).status).toBe(200);
    expect((await callNext()).body.ticket.number).toBe(mine.number);
    // Two calls answered while Zalo fails (a loaded 2-core machine answers one in ~100 ms).
    expect(Date.now() - t0).toBeLessThan(2_000);
    await waitFor(() => zaloEvents().length === 2);
    expect(zaloEvents()).toEqual([`tpl-sap-den-luot ${mine.number}`, `tpl-moi-den-quay ${mine.number}`]);
    const outbox = () =>
      central.store.all<{ event: string; status: string; attempts: number }>(
        'SELECT event, status, attempts FROM notify_outbox ORDER BY created_at',
      );
    // The fake server counts a message when it arrives; the row is marked sent once its answer is back.
    await expect.poll(async () => (await outbox()).map((r) => r.status), { timeout: 5_000 }).toEqual(['sent', 'sent']);
    expect((await outbox()).reduce((a, r) => a + Number(r.attempts), 0)).toBe(3);
  });

  it('keeps retrying a message Zalo refuses for a bad token (an operator fixes it), and sends the others', async () => {
    const mine = await issue();
    await optIn(mine.ticketId, 'sms');
    await central.close();
    const refusing = await fakeZalo();
    await start({
      zalo: { url: refusing.url, accessToken: 'wrong', templates: { soon: 'a', called: 'b' } },
      maxAttempts: 1_000,
    });
    await optIn(mine.ticketId, 'zalo');
    await waitFor(() => sms.received.length === 1);
    await waitFor(() => refusing.received.length >= 2);
    const zaloRow = () =>
      central.store.get<{ status: string; last_error: string | null; attempts: number }>(
        "SELECT status, last_error, attempts FROM notify_outbox WHERE channel = 'zalo'",
      );
    // -124 (bad token) is retried: an operator fixes the token; it waits, it is not lost.
    await expect.poll(async () => (await zaloRow())?.last_error, { timeout: 5_000 }).toBe('ZALO_-124');
    expect(['pending', 'sending']).toContain((await zaloRow())?.status);
    expect(Number((await zaloRow())?.attempts)).toBeGreaterThanOrEqual(1);
    await refusing.close();
  });

  it('sends each message once across a restart of central', async () => {
    await issue();
    await issue();
    const mine = await issue();
    await optIn(mine.ticketId, 'zalo');
    await optIn(mine.ticketId, 'sms');
    await waitFor(() => zalo.received.length === 1 && sms.received.length === 1);
    await central.close();
    await start();
    await new Promise((r) => setTimeout(r, 300));
    expect(zalo.received).toHaveLength(1);
    await callNext();
    await callNext();
    await callNext();
    await waitFor(() => zalo.received.length === 2 && sms.received.length === 2);
    // A message written but not yet sent when central stops goes out after the restart.
    const next = await issue();
    await optIn(next.ticketId, 'sms');
    sms.fail(1);
    await waitFor(() => sms.received.length === 2);
    await central.close();
    await start();
    await waitFor(() => sms.received.length === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(zaloEvents()).toEqual([`tpl-sap-den-luot ${mine.number}`, `tpl-moi-den-quay ${mine.number}`]);
    expect(sms.received.map((r) => r.json.RequestId)).toEqual([
      `${mine.ticketId}:soon:sms`,
      `${mine.ticketId}:called:sms`,
      `${next.ticketId}:soon:sms`,
    ]);
  });

  it('rate limits each channel', async () => {
    await central.close();
    await start({ perSecond: 1 });
    const tickets = [await issue(), await issue(), await issue()];
    for (const t of tickets) await optIn(t.ticketId, 'sms');
    await waitFor(() => sms.received.length === 3, 6_000);
    expect(sms.received[2]!.at - sms.received[0]!.at).toBeGreaterThanOrEqual(1_500);
  });

  it('forgets phone numbers at the end of the day', async () => {
    const t = await issue();
    await post('/v1/tickets/call-next', { counterId: 'q1' }); // another service: t still waits
    await central.store.run('UPDATE notify_outbox SET status = ?', ['sent']);
    await optIn(t.ticketId, 'sms');
    await central.store.run("UPDATE ticket_contacts SET day = '2026-11-29'");
    await waitFor(() => false, 400).catch(() => undefined);
    expect(await central.store.all('SELECT * FROM ticket_contacts')).toEqual([]);
  });

  it('pushes to a Web Push subscription made on the phone page, encrypted for it (VAPID)', async () => {
    const push = await fakePushService();
    await central.close();
    await start({ webPush: { subject: 'mailto:motcua@example.vn' } });
    const mine = await issue();
    const page = await (await fetch(`${central.url}/t/${mine.publicToken}`)).text();
    const key = /data-key="([^"]+)"/.exec(page)?.[1];
    expect(key).toBeTruthy();
    // The browser's side of a subscription: its own P-256 key pair and auth secret.
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const res = await fetch(`${central.url}/t/${mine.publicToken}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        endpoint: push.url,
        keys: { p256dh: ecdh.getPublicKey('base64url'), auth: auth.toString('base64url') },
      }),
    });
    expect(res.status).toBe(201);
    await waitFor(() => push.received.length === 1);
    const got = push.received[0]!;
    expect(got.headers['content-encoding']).toBe('aes128gcm');
    expect(String(got.headers.authorization)).toMatch(new RegExp(`^vapid t=.+, k=${key}$`));
    const plain = ece.decrypt(got.body, {
      version: 'aes128gcm',
      privateKey: ecdh,
      authSecret: auth.toString('base64url'),
    });
    expect(JSON.parse(plain.toString('utf8'))).toMatchObject({ title: mine.number, event: 'soon' });
    // A wrong token subscribes nothing.
    const wrong = await fetch(`${central.url}/t/${randomBytes(16).toString('base64url')}/push`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ endpoint: push.url, keys: { p256dh: 'x', auth: 'y' } }),
    });
    expect(wrong.status).toBe(404);
    await push.close();
  });
});
