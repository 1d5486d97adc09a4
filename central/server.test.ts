import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { v7 as uuidv7 } from 'uuid';
import { BatchResponse } from '../protocol/batch.ts';
import { EnrolResponse } from '../protocol/enrol.ts';
import { OfficeConfig, OfficeListResponse } from '../protocol/office.ts';
import { ENROL_CODE_REFUSED, issueEnrolCode, revokeDevice, setCatalog } from './admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from './demo/seed.node.ts';
import { ENROL_MAX_FAILURES } from './routes/enrol.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import {
  enrolTestDevice,
  makeTestDb,
  probeCounts,
  PROBE_KIND,
  routesWithProbe,
  testDialects,
  type TestDb,
} from './testing.node.ts';

const item = (n: number, extra: Partial<{ key: string; kind: string; payload: unknown }> = {}) => ({
  key: extra.key ?? uuidv7(),
  kind: extra.kind ?? PROBE_KIND,
  payload: 'payload' in extra ? extra.payload : { n },
  createdAt: new Date().toISOString(),
  seq: n,
});

describe.each(testDialects())('central on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;

  const call = (path: string, init: RequestInit & { auth?: string | null; json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    const auth = init.auth === undefined ? token : init.auth;
    if (auth) headers.set('authorization', `Bearer ${auth}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(central.url + path, { ...init, headers, body });
  };

  beforeEach(async () => {
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, routes: routesWithProbe });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('answers /health without credentials', async () => {
    const res = await call('/health', { auth: null });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, storage: dialect });
  });

  it('lists offices publicly for the setup wizard', async () => {
    const res = await call('/v1/offices', { auth: null });
    const body = OfficeListResponse.parse(await res.json());
    expect(body.offices.map((o) => o.id)).toContain(DEMO_OFFICE_ID);
    expect(body.offices.find((o) => o.id === DEMO_OFFICE_ID)?.province).toBe('Cà Mau');
  });

  it('refuses requests without, with malformed or with unknown credentials with 401', async () => {
    for (const auth of [null, 'nonsense', 'osk_' + 'x'.repeat(43)]) {
      const res = await call('/v1/me', { auth });
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('UNAUTHORIZED');
    }
    const res = await fetch(central.url + '/v1/me', { headers: { authorization: 'Basic abc' } });
    expect(res.status).toBe(401);
  });

  it('enrols with a one-time code exactly once, and refuses wrong codes', async () => {
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const first = await call('/v1/enrol', {
      auth: null,
      method: 'POST',
      json: { code: code.toLowerCase().replace('-', ' '), kioskName: 'Kiosk sảnh' },
    });
    expect(first.status).toBe(200);
    const enrolled = EnrolResponse.parse(await first.json());
    expect(enrolled.officeId).toBe(DEMO_OFFICE_ID);

    const me = await call('/v1/me', { auth: enrolled.token });
    expect(await me.json()).toMatchObject({ deviceId: enrolled.deviceId, name: 'Kiosk sảnh' });

    const again = await call('/v1/enrol', { auth: null, method: 'POST', json: { code, kioskName: 'Kiosk khác' } });
    expect(again.status).toBe(401);
    expect(await again.json()).toMatchObject({ error: { code: 'ENROL_CODE_INVALID', message: ENROL_CODE_REFUSED } });

    const wrong = await call('/v1/enrol', { auth: null, method: 'POST', json: { code: 'AAAA-BBBB', kioskName: 'x' } });
    expect(wrong.status).toBe(401);

    const stored = await central.store.get<{ token_hash: string }>('SELECT token_hash FROM devices WHERE id = ?', [
      enrolled.deviceId,
    ]);
    expect(stored?.token_hash).not.toContain(enrolled.token);
    expect(stored?.token_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('slows down code guessing: 429 with Retry-After after repeated wrong codes, even for a right one', async () => {
    for (let i = 0; i < ENROL_MAX_FAILURES; i++) {
      expect(
        (
          await call('/v1/enrol', {
            auth: null,
            method: 'POST',
            json: { code: `WRNG-${String(i).padStart(4, 'A')}`, kioskName: 'x' },
          })
        ).status,
      ).toBe(401);
    }
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const res = await call('/v1/enrol', { auth: null, method: 'POST', json: { code, kioskName: 'x' } });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await res.json()).error.code).toBe('RATE_LIMITED');
  });

  it('answers an unknown, a used and an expired enrolment code identically, so a guesser cannot tell which codes exist', async () => {
    const { code: expired } = await issueEnrolCode(central.store, {
      officeId: DEMO_OFFICE_ID,
      ttlHours: 1,
      now: new Date(Date.now() - 2 * 3_600_000),
    });
    const { code: used } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    expect((await call('/v1/enrol', { auth: null, method: 'POST', json: { code: used, kioskName: 'x' } })).status).toBe(
      200,
    );
    const answers = [];
    for (const code of [expired, used, 'ZZZZ-ZZZZ']) {
      const res = await call('/v1/enrol', { auth: null, method: 'POST', json: { code, kioskName: 'x' } });
      answers.push({ status: res.status, body: await res.text() });
    }
    expect(answers[0]).toEqual({
      status: 401,
      body: JSON.stringify({ error: { code: 'ENROL_CODE_INVALID', message: ENROL_CODE_REFUSED } }),
    });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('refuses a revoked device with 403 DEVICE_REVOKED', async () => {
    const me = await (await call('/v1/me')).json();
    expect(await revokeDevice(central.store, me.deviceId)).toBe(true);
    const res = await call('/v1/me');
    expect(res.status).toBe(403);
    expect((await res.json()).error.code).toBe('DEVICE_REVOKED');
  });

  it('serves office configuration with an ETag and 304 when unchanged', async () => {
    const res = await call(`/v1/offices/${DEMO_OFFICE_ID}/config`);
    expect(res.status).toBe(200);
    const config = OfficeConfig.parse(await res.json());
    expect(config.areas.length).toBeGreaterThan(1);
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    const again = await call(`/v1/offices/${DEMO_OFFICE_ID}/config`, { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await call('/v1/offices/khong-co/config')).status).toBe(404);
    expect((await call('/v1/offices/BAD%20ID/config')).status).toBe(400);
    expect((await call(`/v1/offices/${DEMO_OFFICE_ID}/config`, { auth: null })).status).toBe(401);
  });

  it('distributes the catalog with an ETag that changes only with its content', async () => {
    expect((await call('/v1/catalog')).status).toBe(404);
    await setCatalog(central.store, { version: 1, procedures: [{ code: '1.001193', name: 'Đăng ký khai sinh' }] });
    const res = await call('/v1/catalog');
    expect(res.status).toBe(200);
    expect((await res.json()).procedures[0].name).toBe('Đăng ký khai sinh');
    const etag = res.headers.get('etag')!;
    expect((await call('/v1/catalog', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await setCatalog(central.store, { version: 1, procedures: [{ code: '1.001193', name: 'Đăng ký khai sinh' }] });
    expect((await call('/v1/catalog', { headers: { 'if-none-match': etag } })).status).toBe(304);
    await setCatalog(central.store, { version: 2, procedures: [] });
    const changed = await call('/v1/catalog', { headers: { 'if-none-match': etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('takes a batch item by item: accepted, duplicate with the first result, rejected with a reason', async () => {
    const a = item(1);
    const b = item(2);
    const res = await call('/v1/batch', {
      method: 'POST',
      json: { items: [a, b, item(3, { kind: 'nobody.handles' }), item(4, { payload: { n: 'four' } })] },
    });
    expect(res.status).toBe(200);
    const { results } = BatchResponse.parse(await res.json());
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'rejected', 'rejected']);
    expect(results[0]).toMatchObject({ key: a.key, result: { receivedN: 1 } });
    expect(results[2]).toMatchObject({ reason: { code: 'UNKNOWN_KIND' } });
    expect(results[3]).toMatchObject({ reason: { code: 'INVALID_PAYLOAD' } });

    const replay = await call('/v1/batch', { method: 'POST', json: { items: [a, b, item(5)] } });
    const again = BatchResponse.parse(await replay.json()).results;
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted']);
    expect(again[0]).toMatchObject({ result: { receivedN: 1 } });
    expect(await probeCounts(central.store)).toEqual({ rows: 3, distinct: 3 });
  });

  it('refuses a lone surrogate anywhere in a body with 400 and a message, before any route stores it', async () => {
    const res = await call('/v1/batch', {
      method: 'POST',
      json: { items: [item(1, { payload: { n: 1, citizen: 'Nguyễn \ud800' } })] },
    });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/items\.0\.payload\.citizen: not well-formed Unicode/);
    const key = await call('/v1/batch', { method: 'POST', json: { items: [], ['\udfff']: 1 } });
    expect(key.status).toBe(400);
    expect(await probeCounts(central.store)).toEqual({ rows: 0, distinct: 0 });
  });

  it('treats the same key twice in one batch as one item', async () => {
    const a = item(1);
    const { results } = BatchResponse.parse(
      await (await call('/v1/batch', { method: 'POST', json: { items: [a, a] } })).json(),
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    expect(await probeCounts(central.store)).toEqual({ rows: 1, distinct: 1 });
  });

  it('rejects a key reused for a different payload or by another device', async () => {
    const a = item(1);
    await call('/v1/batch', { method: 'POST', json: { items: [a] } });
    const changed = await call('/v1/batch', { method: 'POST', json: { items: [{ ...a, payload: { n: 2 } }] } });
    expect(BatchResponse.parse(await changed.json()).results[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'KEY_REUSED' },
    });
    const other = await enrolTestDevice(central.store, 'Kiosk 2');
    const stolen = await call('/v1/batch', { method: 'POST', auth: other.token, json: { items: [a] } });
    expect(BatchResponse.parse(await stolen.json()).results[0]).toMatchObject({
      status: 'rejected',
      reason: { code: 'KEY_REUSED' },
    });
  });

  it('answers malformed, oversized and unauthenticated batches with clear 4xx, never 500', async () => {
    const cases: Array<[string, RequestInit & { auth?: string | null; json?: unknown }, number, string]> = [
      [
        'not JSON',
        { method: 'POST', body: '{"items": [', headers: { 'content-type': 'application/json' } },
        400,
        'BAD_REQUEST',
      ],
      ['empty body', { method: 'POST', headers: { 'content-type': 'application/json' } }, 400, 'BAD_REQUEST'],
      [
        'wrong media type',
        { method: 'POST', body: 'items', headers: { 'content-type': 'text/plain' } },
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      ],
      ['no items', { method: 'POST', json: {} }, 400, 'BAD_REQUEST'],
      ['empty items', { method: 'POST', json: { items: [] } }, 400, 'BAD_REQUEST'],
      ['items not an array', { method: 'POST', json: { items: 'x' } }, 400, 'BAD_REQUEST'],
      ['JSON null', { method: 'POST', json: null }, 400, 'BAD_REQUEST'],
      ['bad key', { method: 'POST', json: { items: [{ ...item(1), key: 'not-a-uuid' }] } }, 400, 'BAD_REQUEST'],
      ['extra field', { method: 'POST', json: { items: [{ ...item(1), evil: true }] } }, 400, 'BAD_REQUEST'],
      [
        'too many items',
        { method: 'POST', json: { items: Array.from({ length: 501 }, (_, i) => item(i)) } },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      [
        'body too large',
        { method: 'POST', json: { items: [item(1, { payload: { n: 1, citizen: 'x'.repeat(33 * 1024 * 1024) } })] } },
        413,
        'PAYLOAD_TOO_LARGE',
      ],
      ['no credential', { method: 'POST', auth: null, json: { items: [item(1)] } }, 401, 'UNAUTHORIZED'],
      ['wrong credential', { method: 'POST', auth: 'osk_wrong', json: { items: [item(1)] } }, 401, 'UNAUTHORIZED'],
      ['wrong method', { method: 'PUT', json: { items: [item(1)] } }, 404, 'NOT_FOUND'],
    ];
    for (const [label, init, status, code] of cases) {
      const res = await call('/v1/batch', init);
      const body = await res.json();
      expect({ label, status: res.status, code: body.error?.code }).toEqual({ label, status, code });
      expect(body.error.message.length).toBeGreaterThan(3);
    }
    expect(await probeCounts(central.store)).toEqual({ rows: 0, distinct: 0 });
  });

  it('tells a kiosk which of its keys central holds', async () => {
    const a = item(1);
    await call('/v1/batch', { method: 'POST', json: { items: [a] } });
    const lost = uuidv7();
    const res = await call('/v1/sync/reconcile', { method: 'POST', json: { keys: [a.key, lost] } });
    expect(await res.json()).toEqual({ known: [a.key], unknown: [lost] });
    expect((await call('/v1/sync/reconcile', { method: 'POST', json: { keys: ['x'] } })).status).toBe(400);
  });

  it('keeps data across a restart on the same database', async () => {
    const a = item(1);
    await call('/v1/batch', { method: 'POST', json: { items: [a] } });
    await central.close();
    central = await startCentral({ db: db.url, routes: routesWithProbe });
    const res = await call('/v1/batch', { method: 'POST', json: { items: [a] } });
    expect(BatchResponse.parse(await res.json()).results[0]?.status).toBe('duplicate');
    await seedDemo(central.store);
  });
});

describe('central OpenAPI document', () => {
  it('documents every route central serves', async () => {
    const spec = parseYaml(readFileSync(new URL('./openapi.yaml', import.meta.url), 'utf8')) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const db = await makeTestDb('sqlite');
    const central = await startCentral({ db: db.url });
    try {
      expect(central.routes.length).toBeGreaterThan(5);
      for (const { method, url } of central.routes) {
        const path = url.replace(/:(\w+)/g, '{$1}');
        expect(spec.paths[path]?.[method.toLowerCase()], `${method} ${path} in central/openapi.yaml`).toBeDefined();
      }
    } finally {
      await central.close();
      await db.dispose();
    }
  });
});
