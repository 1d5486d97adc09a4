import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v4 as uuidv4 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  announcementText,
  DisplayStateResponse,
  spokenTicketNumber,
  vietnameseNumber,
} from '../../protocol/counter.ts';
import { getOfficeConfig, upsertOffice } from '../admin.node.ts';
import { readWav } from '../speech.node.ts';
import { DEMO_OFFICE_ID } from '../demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';

/** Monday 30 Nov 2026, local time (UTC+7) → the instant. */
const local = (hhmm: string) => new Date(Date.parse(`2026-11-30T${hhmm}:00.000+07:00`));

describe.each(testDialects())('the waiting-room display on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  let now = local('09:00');

  const post = async (path: string, json: unknown) => {
    const res = await fetch(central.url + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(json),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { ticket: { number: string } | null };
  };
  const issue = (serviceId: string) =>
    post('/v1/tickets', {
      ticketId: uuidv4(),
      serviceId,
      priorityGroupId: null,
      source: 'kiosk',
      issuedAt: now.toISOString(),
    });
  const callNext = (counterId: string) => post('/v1/tickets/call-next', { counterId });
  /** The page as a TV would fetch it: no credentials. */
  const page = async (office = DEMO_OFFICE_ID) => {
    const res = await fetch(`${central.url}/display?office=${encodeURIComponent(office)}`);
    return { status: res.status, type: res.headers.get('content-type'), html: await res.text() };
  };
  const calling = (html: string) =>
    [...html.matchAll(/<li class="call" data-number="([^"]+)">.*?<span class="counter">([^<]+)</g)].map(
      (m) => `${m[1]} → ${m[2]}`,
    );
  const waitingFor = (html: string, prefix: string) =>
    new RegExp(`<td class="prefix">${prefix}</td><td class="count">(\\d+)</td>`).exec(html)?.[1];

  beforeEach(async () => {
    now = local('09:00');
    db = await makeTestDb(dialect);
    // No built web app here: the server-rendered page (its own fallback) is what is tested first.
    central = await startCentral({ db: db.url, now: () => now, webDir: join(tmpdir(), 'no-built-display') });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    await central.close();
    await db.dispose();
  });

  it('shows the numbers being called with their counters, the ones called before and who waits, without credentials', async () => {
    for (const s of ['ho-tich', 'ho-tich', 'chung-thuc', 'dat-dai']) {
      now = new Date(now.getTime() + 60_000);
      await issue(s);
    }
    const empty = await page();
    expect(empty.status).toBe(200);
    expect(empty.type).toContain('text/html');
    expect(empty.html).toContain('Chưa gọi số nào');
    expect(empty.html).toMatch(/<meta http-equiv="refresh" content="\d+">/);
    expect([
      waitingFor(empty.html, 'A'),
      waitingFor(empty.html, 'B'),
      waitingFor(empty.html, 'C'),
      waitingFor(empty.html, 'D'),
    ]).toEqual(['2', '1', '1', '0']);

    now = local('09:05');
    expect((await callNext('q1')).ticket?.number).toBe('A001');
    now = local('09:06');
    expect((await callNext('q3')).ticket?.number).toBe('C001');
    // The latest call first, each with the counter's name from the office configuration.
    expect(calling((await page()).html)).toEqual(['C001 → Quầy 3', 'A001 → Quầy 1']);

    // Quầy 1 calls again: A001 was served and moves to "called before", with its time.
    now = local('09:12');
    expect((await callNext('q1')).ticket?.number).toBe('A002');
    const later = (await page()).html;
    expect(calling(later)).toEqual(['A002 → Quầy 1', 'C001 → Quầy 3']);
    expect(later).toMatch(/<li><b>A001<\/b> → Quầy 1 <small>09:05<\/small><\/li>/);
    expect([waitingFor(later, 'A'), waitingFor(later, 'B'), waitingFor(later, 'C')]).toEqual(['0', '1', '0']);
  });

  it('escapes what the office configuration says, and answers a missing or unknown office with a clear 4xx', async () => {
    const office = (await getOfficeConfig(central.store, DEMO_OFFICE_ID))!.config;
    await upsertOffice(central.store, { ...office, name: 'UBND <script>alert(1)</script> & "Một cửa"' });
    const { html } = await page();
    expect(html).not.toContain('<script>');
    expect(html).toContain('UBND &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;Một cửa&quot;');
    expect((await page('no-such-office')).status).toBe(404);
    expect((await fetch(`${central.url}/display`)).status).toBe(400);
  });

  it('serves the built live display with the state already inside it (no reload), when the web app is built', async () => {
    const web = mkdtempSync(join(tmpdir(), 'display-web-'));
    writeFileSync(
      join(web, 'display.html'),
      '<!doctype html><html lang="vi"><head><script type="module" src="/assets/display-x.js"></script></head><body><div id="root"></div></body></html>',
    );
    const built = await startCentral({ db: db.url, now: () => now, webDir: web });
    try {
      await issue('ho-tich');
      await callNext('q1');
      const html = await (await fetch(`${built.url}/display?office=${DEMO_OFFICE_ID}`)).text();
      expect(html).toContain('src="/assets/display-x.js"');
      expect(html).not.toMatch(/http-equiv="refresh"/);
      expect(calling(html)).toEqual(['A001 → Quầy 1']);
    } finally {
      await built.close();
      rmSync(web, { recursive: true, force: true });
    }
  });

  it('announces each call as a chime and Vietnamese speech of plausible length, read digit by digit', async () => {
    expect(spokenTicketNumber('A004')).toBe('A không không bốn');
    expect(spokenTicketNumber('A2-015')).toBe('A hai, không một năm');
    expect([2, 10, 15, 21, 24, 105].map(vietnameseNumber)).toEqual([
      'hai',
      'mười',
      'mười lăm',
      'hai mươi mốt',
      'hai mươi tư',
      'một trăm linh năm',
    ]);
    expect(announcementText('A004', 'Quầy 2')).toBe('Mời công dân có số thứ tự A không không bốn đến quầy số hai');
    await issue('ho-tich');
    await callNext('q1');
    const state = DisplayStateResponse.parse(
      await (await fetch(`${central.url}/display/state?office=${DEMO_OFFICE_ID}`)).json(),
    );
    expect(state.calls).toHaveLength(1);
    const res = await fetch(central.url + state.calls[0]!.audioUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('audio/wav');
    const pcm = readWav(Buffer.from(await res.arrayBuffer()));
    const seconds = pcm.samples.length / pcm.sampleRate;
    // Chime (~1.2 s) + a sentence of 14 syllables at 135 words a minute: a few seconds, not a click.
    expect(seconds).toBeGreaterThan(3);
    expect(seconds).toBeLessThan(15);
    const speech = pcm.samples.subarray(Math.round(pcm.sampleRate * 1.3));
    const rms = Math.sqrt(speech.reduce((a, x) => a + x * x, 0) / speech.length);
    expect(rms).toBeGreaterThan(300);
    // Another office's call id is not served through this office.
    expect(
      (await fetch(`${central.url}/display/calls/${state.calls[0]!.callId}.wav?office=ca-mau-dam-doi`)).status,
    ).toBe(404);
  });
});
