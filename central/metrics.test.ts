import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RATING_KIND } from '../protocol/ratings.ts';
import { upsertOffice, getOfficeConfig } from './admin.node.ts';
import { DEMO_OFFICE_ID } from './demo/seed.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from './testing.node.ts';

const TOKEN = 'metrics-token-of-the-province';

/** Reads one sample of a metric (with its labels, as printed) from the Prometheus text. */
const sample = (text: string, line: string): number => {
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found ? Number(found.slice(line.length + 1)) : NaN;
};

describe.each(testDialects())('central metrics and request ids on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  beforeEach(async () => {
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, metricsToken: TOKEN, trustProxy: ['127.0.0.1'] });
    token = (await enrolTestDevice(central.store)).token;
    const office = (await getOfficeConfig(central.store, DEMO_OFFICE_ID))!.config;
    const allDay = [{ open: '00:00', close: '23:59' }];
    await upsertOffice(central.store, {
      ...office,
      openingHours: { '1': allDay, '2': allDay, '3': allDay, '4': allDay, '5': allDay, '6': allDay, '7': allDay },
    });
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });
  const post = (path: string, body: unknown) =>
    fetch(central.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('counts requests by route, batch sizes, tickets issued and called, outbox lag and pool use', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await post('/v1/tickets', {
        ticketId: uuidv4(),
        serviceId: 'ho-tich',
        priorityGroupId: null,
        source: 'kiosk',
        issuedAt: new Date().toISOString(),
      });
      expect(r.status).toBe(200);
    }
    expect((await post('/v1/tickets/call-next', { counterId: 'q1' })).status).toBe(200);
    const now = new Date().toISOString();
    const items = Array.from({ length: 7 }, (_, i) => ({
      key: uuidv7(),
      kind: RATING_KIND,
      createdAt: now,
      seq: i + 1,
      payload: {
        ratingId: uuidv4(),
        kioskId: 'k',
        overall: 'satisfied',
        criteria: {},
        reasons: [],
        context: 'standalone',
        createdAt: now,
      },
    }));
    expect((await post('/v1/batch', { items })).status).toBe(200);
    const beat = await post('/v1/fleet/heartbeat', {
      version: '0.1.0',
      kioskName: 'Kiosk',
      uptimeS: 5,
      sentAt: now,
      printer: { state: 'ready', online: true, paperOut: false, paperNearEnd: false, coverOpen: false, error: false },
      scanner: { kind: 'hid', state: 'ready', missing: false },
      outbox: { pending: 4, parked: 0, oldestPendingS: 420 },
      lastSyncAt: null,
      configRevision: 0,
    });
    expect(beat.status).toBe(200);

    const res = await fetch(`${central.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(sample(text, 'central_tickets_issued_total{origin="central"}')).toBe(3);
    expect(sample(text, 'central_tickets_called_total')).toBe(1);
    expect(sample(text, 'central_batch_items_sum')).toBe(7);
    expect(sample(text, 'central_kiosk_outbox_lag_seconds_sum')).toBe(420);
    expect(sample(text, 'central_kiosk_outbox_lag_seconds_bucket{le="300"}')).toBe(0);
    expect(sample(text, 'central_kiosk_outbox_lag_seconds_bucket{le="900"}')).toBe(1);
    expect(
      sample(text, 'central_http_request_duration_seconds_count{method="POST",route="/v1/tickets",status="200"}'),
    ).toBe(3);
    expect(text).toMatch(/^central_db_pool_total \d+$/m);
  });

  it('answers /metrics to loopback and the token only; every answer carries its request id', async () => {
    // Through a proxy (X-Forwarded-For from another address): not this machine.
    const viaProxy = await fetch(`${central.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(viaProxy.status).toBe(403);
    const wrong = await fetch(`${central.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.9', authorization: 'Bearer not-the-token-at-all' },
    });
    expect(wrong.status).toBe(403);
    const right = await fetch(`${central.url}/metrics`, {
      headers: { 'x-forwarded-for': '203.0.113.9', authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);

    const given = await fetch(`${central.url}/health`, { headers: { 'x-request-id': 'haproxy-1234abcd' } });
    expect(given.headers.get('x-request-id')).toBe('haproxy-1234abcd');
    const made = await fetch(`${central.url}/health`, { headers: { 'x-request-id': 'bad id <script>' } });
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
