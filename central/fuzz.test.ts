import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from './server.node.ts';
import { enrolTestDevice, makeTestDb, routesWithProbe, type TestDb } from './testing.node.ts';

/** Small seeded PRNG so a failure can be replayed. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('central under hostile input', () => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;

  beforeAll(async () => {
    db = await makeTestDb('sqlite');
    central = await startCentral({ db: db.url, routes: routesWithProbe });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterAll(async () => {
    await central.close();
    await db.dispose();
  });

  it('answers random bodies, paths and credentials on every route with a 4xx/2xx and an error message, never a 5xx', async () => {
    const random = rng(46110);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const values: unknown[] = [
      null,
      true,
      0,
      -1,
      1e308,
      '',
      'x'.repeat(300),
      [],
      {},
      { items: null },
      { items: [{}] },
      { code: 1 },
      { key: 'a', kind: 'b' },
      [1, 2, 3],
      { __proto__: { polluted: 1 } },
      '\ud800',
      'Đầm \udfff Dơi',
      { ['\ud83d']: 'x' },
      '😀',
    ];
    const randomValue = (depth = 0): unknown => {
      const r = random();
      if (depth > 2 || r < 0.5) return pick(values);
      if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(depth + 1));
      return Object.fromEntries(
        Array.from({ length: Math.floor(random() * 4) }, () => [
          pick(['items', 'code', 'key', 'kind', 'payload', 'n', 'kioskName', 'keys', 'officeId', 'x']),
          randomValue(depth + 1),
        ]),
      );
    };
    const failures: string[] = [];
    for (const route of central.routes) {
      for (let i = 0; i < 25; i++) {
        const path = route.url.replace(/:(\w+)/g, () =>
          encodeURIComponent(pick(['ca-mau-an-xuyen', 'x', '../../etc', '%00', '1'.repeat(200), 'Đầm Dơi', '😀'])),
        );
        const headers: Record<string, string> = {};
        const auth = random();
        if (auth < 0.6) headers.authorization = `Bearer ${token}`;
        else if (auth < 0.8)
          headers.authorization = pick(['Bearer ', 'Bearer x', 'Basic Zm9v', `Bearer ${token}x`, 'bearer']);
        let body: string | undefined;
        if (route.method !== 'GET' && route.method !== 'HEAD') {
          const kind = random();
          if (kind < 0.7) {
            headers['content-type'] = 'application/json';
            body = JSON.stringify(randomValue());
          } else if (kind < 0.85) {
            headers['content-type'] = 'application/json';
            body = pick(['{', '{"items":[}', '\u0000', 'null', '"str"', '[[[[[[[[[[]]]]]]]]]]']);
          } else {
            headers['content-type'] = pick([
              'text/plain',
              'application/x-www-form-urlencoded',
              'multipart/form-data; boundary=x',
            ]);
            body = 'a=1&b=2';
          }
        }
        const res = await fetch(central.url + path + (random() < 0.2 ? '?x=%ZZ&y=' : ''), {
          method: route.method,
          headers,
          body,
        });
        const text = await res.text();
        if (res.status >= 500)
          failures.push(`${route.method} ${path} → ${res.status} ${text.slice(0, 120)} (body ${body?.slice(0, 80)})`);
        else if (res.status >= 400 && !/"message":"[^"]{3,}/.test(text))
          failures.push(`${route.method} ${path} → ${res.status} without a message: ${text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
