import { createHash, randomBytes } from 'node:crypto';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PhoneTicketState } from '../../protocol/phone.ts';
import { TICKET_ISSUED_KIND } from '../../protocol/tickets.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (hhmm: string, day = '2026-11-30') => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));
const newToken = () => randomBytes(16).toString('base64url');

describe.each(testDialects())('the live ticket page on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let device: string;
  let now = local('09:00');

  const post = async (path: string, json: unknown) => {
    const res = await fetch(central.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${device}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status).toBe(200);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read fields of several shapes
    return (await res.json()) as any;
  };
  const issue = async (serviceId = 'ho-tich', publicToken = newToken()) => {
    now = new Date(now.getTime() + 1_000);
    const r = await post('/v1/tickets', {
      ticketId: uuidv4(),
      serviceId,
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now.toISOString(),
      publicToken,
    });
    return { number: r.ticket.number as string, token: publicToken };
  };
  /** As a phone opens it: no credentials. */
  const page = async (token: string, lang = '') => {
    const res = await fetch(`${central.url}/t/${token}${lang}`, { headers: { accept: 'text/html' } });
    return { status: res.status, headers: res.headers, html: await res.text() };
  };
  const state = async (token: string) =>
    PhoneTicketState.parse(await (await fetch(`${central.url}/t/${token}/state`)).json());

  beforeEach(async () => {
    now = local('09:00');
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url, now: () => now });
    device = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('shows the number, service, counters, people ahead and an honest wait, without credentials', async () => {
    await issue();
    await issue();
    const mine = await issue();
    const p = await page(mine.token);
    expect(p.status).toBe(200);
    expect(p.headers.get('content-type')).toContain('text/html');
    expect(p.html).toContain(`>${mine.number}</p>`);
    expect(p.html).toContain('Đăng ký hộ tịch');
    expect(p.html).toContain('Quầy 1');
    expect(p.html).toMatch(/data-k="ahead">2</);
    // Nothing served yet, nobody serving: no made-up number.
    expect(p.html).toMatch(/data-k="wait">Chưa xác định</);
    expect(p.html).not.toContain('A001');
    const en = await page(mine.token, '?lang=en');
    expect(en.html).toContain('People ahead');
    expect(en.html).toContain('<html lang="en">');
  });

  it('says "Đến lượt quý khách — mời đến Quầy 1" once the ticket is called, and served afterwards', async () => {
    const mine = await issue();
    await post('/v1/tickets/call-next', { counterId: 'q1' });
    expect(await state(mine.token)).toMatchObject({ state: 'called', calledTo: 'Quầy 1', number: mine.number });
    expect((await page(mine.token)).html).toContain('Đến lượt quý khách — mời đến Quầy 1');
    await post('/v1/tickets/call-next', { counterId: 'q1' });
    expect((await state(mine.token)).state).toBe('served');
  });

  it('gives a wrong, malformed or past-day token a clear message and no ticket data', async () => {
    const mine = await issue();
    const wrong = await page(newToken());
    expect(wrong.status).toBe(404);
    expect(wrong.html).toContain('Không tìm thấy số thứ tự này');
    expect(wrong.html).not.toContain(mine.number);
    expect(wrong.html).not.toContain('<script');
    const malformed = await page('..%2F..%2Fetc');
    expect(malformed.status).toBe(404);
    expect(await state('x')).toEqual({ state: 'unknown' });
    now = local('08:00', '2026-12-01');
    const old = await page(mine.token);
    expect(old.status).toBe(410);
    expect(old.html).toContain('đã hết hạn');
    expect(old.html).not.toContain(mine.number);
    expect((await fetch(`${central.url}/t/${mine.token}/events`)).status).toBe(410);
    // An API client (no text/html) gets the usual JSON error instead of the page.
    const api = await fetch(`${central.url}/t/${mine.token}`);
    expect(api.status).toBe(410);
    expect(await api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('keeps only the SHA-256 of the token, and takes an offline ticket’s token from the kiosk’s outbox', async () => {
    const online = await issue();
    const rows = await central.store.all<{ public_token_hash: string }>('SELECT public_token_hash FROM tickets');
    expect(rows.map((r) => r.public_token_hash)).toEqual([createHash('sha256').update(online.token).digest('hex')]);
    const slot = Number(
      (
        await (
          await fetch(`${central.url}/v1/tickets/series`, { headers: { authorization: `Bearer ${device}` } })
        ).json()
      ).slot,
    );
    const token = newToken();
    const number = `A${slot}-001`;
    const merged = await post('/v1/batch', {
      items: [
        {
          key: uuidv7(),
          kind: TICKET_ISSUED_KIND,
          payload: {
            ticketId: uuidv4(),
            serviceId: 'ho-tich',
            priorityGroupId: null,
            source: 'kiosk',
            issuedAt: now.toISOString(),
            day: '2026-11-30',
            number,
            slot,
            seq: 1,
            publicToken: token,
          },
          createdAt: now.toISOString(),
          seq: 1,
        },
      ],
    });
    expect(merged.results[0].status).toBe('accepted');
    expect(await state(token)).toMatchObject({ state: 'waiting', number, ahead: 1 });
  });

  it('runs only its own script, by hash, under the security headers', async () => {
    const mine = await issue();
    const p = await page(mine.token);
    const csp = p.headers.get('content-security-policy') ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(p.html)?.[1] ?? '';
    expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(p.headers.get('x-frame-options')).toBe('DENY');
    expect(p.headers.get('referrer-policy')).toBe('no-referrer');
    expect(p.headers.get('cache-control')).toBe('no-store');
    expect(Buffer.byteLength(p.html)).toBeLessThan(8_000);
  });

  it('pushes the page again when the queue moves: people ahead, then the call', async () => {
    const first = await issue();
    const mine = await issue();
    const ac = new AbortController();
    const res = await fetch(`${central.url}/t/${mine.token}/events`, { signal: ac.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const nextState = async (): Promise<{ state: string; html: string }> => {
      for (;;) {
        const m = /event: state\ndata: (.*)\n\n/.exec(buffer);
        if (m) {
          buffer = buffer.slice(m.index + m[0].length);
          return JSON.parse(m[1]!) as { state: string; html: string };
        }
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value, { stream: true });
      }
    };
    try {
      expect((await nextState()).html).toMatch(/data-k="ahead">1</);
      await post('/v1/tickets/call-next', { counterId: 'q1' }); // calls `first`
      const moved = await nextState();
      expect(moved.html).toMatch(/data-k="ahead">0</);
      expect(moved.html).not.toContain(first.number);
      const t0 = Date.now();
      await post('/v1/tickets/call-next', { counterId: 'q1' });
      const called = await nextState();
      expect(called.state).toBe('called');
      expect(called.html).toContain('mời đến Quầy 1');
      expect(Date.now() - t0).toBeLessThan(1_000);
    } finally {
      ac.abort();
    }
  });
});
