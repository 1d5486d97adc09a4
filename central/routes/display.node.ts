import type { FastifyReply } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localTime } from '../../protocol/tickets.ts';
import { z } from 'zod';
import { announcementText, displayCallOf, type DisplayStateResponse } from '../../protocol/counter.ts';
import type { OfficeConfig } from '../../protocol/office.ts';
import { localDay } from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import type { CentralContext, CentralRoute } from '../context.node.ts';
import { streamOfficeEvents } from '../live.node.ts';
import { announcementWav } from '../speech.node.ts';
import { APP_CSP, HttpError, parse } from '../http.node.ts';
import type { Sql } from '../store/store.node.ts';

/**
 * The waiting-room display (`GET /display?office=ID`): a public, server-rendered page for the TV
 * of a one-stop office, fed by the same ticket registry the kiosks and counters use. The numbers
 * being called, very large, each with its counter; the ones called before; how many wait per
 * service. Ticket numbers and counter names only: nothing personal.
 *
 * With the office web apps built (`npm run build`: renderer/display.html), the page is that app
 * with this server-rendered state inside: it then listens to `/display/events` (SSE), re-reads
 * `/display/state` on each event, and plays each call's announcement (`/display/calls/<id>.wav`:
 * chime + Vietnamese speech from espeak-ng) one after another. Without the build it falls back
 * to the server-rendered page reloading itself every few seconds.
 */

export interface DisplayCall {
  number: string;
  counter: string;
  service: string;
  calledAt: string;
  /** Still at the counter (called, not yet served). */
  current: boolean;
}

export interface DisplayState {
  office: string;
  day: string;
  calls: DisplayCall[];
  waiting: Array<{ service: string; prefix: string; count: number }>;
}

/** How many calls the page shows: the current ones large, the rest as "called before". */
export const DISPLAY_CALLS = 8;
export const DISPLAY_REFRESH_S = 5;
const DISPLAY_LARGE = 3;

export async function displayState(q: Sql, office: OfficeConfig, now: Date): Promise<DisplayState> {
  const day = localDay(now);
  const services = office.areas.flatMap((a) => a.services);
  const serviceName = (id: string) => services.find((s) => s.id === id)?.name ?? id;
  const counterName = (id: string | null) => (id ? (office.counters.find((c) => c.id === id)?.name ?? id) : '—');
  const called = await q.all<{
    number: string;
    counter_id: string | null;
    service_id: string;
    called_at: string;
    status: string;
  }>(
    `SELECT number, counter_id, service_id, called_at, status FROM tickets
      WHERE office_id = ? AND day = ? AND called_at IS NOT NULL ORDER BY called_at DESC LIMIT ?`,
    [office.officeId, day, DISPLAY_CALLS],
  );
  const waiting = await q.all<{ service_id: string; n: number }>(
    "SELECT service_id, COUNT(*) AS n FROM tickets WHERE office_id = ? AND day = ? AND status = 'waiting' GROUP BY service_id",
    [office.officeId, day],
  );
  return {
    office: office.name,
    day,
    calls: called.map((r) => ({
      number: r.number,
      counter: counterName(r.counter_id),
      service: serviceName(r.service_id),
      calledAt: r.called_at,
      current: r.status === 'called',
    })),
    waiting: services.map((s) => ({
      service: s.name,
      prefix: s.prefix,
      count: Number(waiting.find((w) => w.service_id === s.id)?.n ?? 0),
    })),
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Hours and minutes in Viet Nam time. */
const hhmm = (iso: string) => localTime(new Date(iso));

function displayParts(s: DisplayState) {
  // The three latest calls still at a counter fit a 1080-line TV in large type; the rest are listed.
  const current = s.calls.filter((c) => c.current).slice(0, DISPLAY_LARGE);
  const before = s.calls.filter((c) => !current.includes(c));
  const big = current.length
    ? current
        .map(
          (c) =>
            `<li class="call" data-number="${esc(c.number)}"><span class="number">${esc(c.number)}</span><span class="arrow" aria-hidden="true">→</span><span class="counter">${esc(c.counter)}</span><span class="service">${esc(c.service)}</span></li>`,
        )
        .join('\n')
    : '<li class="none">Chưa gọi số nào / No number called yet</li>';
  const earlier = before
    .map((c) => `<li><b>${esc(c.number)}</b> → ${esc(c.counter)} <small>${hhmm(c.calledAt)}</small></li>`)
    .join('');
  const queue = s.waiting
    .map(
      (w) =>
        `<tr><td>${esc(w.service)}</td><td class="prefix">${esc(w.prefix)}</td><td class="count">${w.count}</td></tr>`,
    )
    .join('\n');
  return { big, earlier, queue };
}

export function renderDisplayMain(s: DisplayState): string {
  const { big, earlier, queue } = displayParts(s);
  return `<main>
<h1>${esc(s.office)}</h1>
<section aria-labelledby="now"><h2 id="now">Mời số / Now calling</h2><ul aria-live="polite">
${big}
</ul></section>
<section><h2>Đã gọi / Called</h2><ul class="earlier">${earlier || '<li>—</li>'}</ul>
<h2>Đang chờ / Waiting</h2><table><tbody>
${queue}
</tbody></table></section>
</main>`;
}

export function renderDisplayPage(s: DisplayState): string {
  const { big, earlier, queue } = displayParts(s);
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${DISPLAY_REFRESH_S}">
<title>Màn hình gọi số / Now calling — ${esc(s.office)}</title>
<style>
body{margin:0;font-family:"Noto Sans","DejaVu Sans",system-ui,sans-serif;background:#0b2a5b;color:#fff}
main{display:grid;grid-template-columns:2fr 1fr;gap:2vw;padding:2vw;min-height:100vh;box-sizing:border-box}
h1{grid-column:1/-1;margin:0;font-size:3vw}h2{font-size:2.4vw;margin:0 0 1vw;color:#ffe600}
ul{list-style:none;margin:0;padding:0}
.call{display:grid;grid-template-columns:auto auto 1fr;align-items:baseline;gap:0 2vw;background:#fff;color:#111;border-radius:1vw;padding:1vw 2vw;margin-bottom:1.5vw}
.number{font-size:9vw;font-weight:800;line-height:1}.arrow{font-size:5vw}.counter{font-size:5vw;font-weight:700}
.service{grid-column:1/-1;font-size:1.8vw;color:#333}
.none{font-size:2.5vw}
.earlier li{font-size:2.2vw;margin:.4vw 0}.earlier small{color:#cfd8ea}
table{border-collapse:collapse;width:100%;font-size:1.8vw}td{padding:.5vw;border-bottom:1px solid #4a6aa3}
.prefix,.count{text-align:right;font-weight:700}.count{font-size:2.6vw}
</style></head><body><main>
<h1>${esc(s.office)}</h1>
<section aria-labelledby="now"><h2 id="now">Mời số / Now calling</h2><ul aria-live="polite">
${big}
</ul></section>
<section><h2>Đã gọi / Called</h2><ul class="earlier">${earlier || '<li>—</li>'}</ul>
<h2>Đang chờ / Waiting</h2><table><tbody>
${queue}
</tbody></table></section>
</main></body></html>
`;
}

/** Calls of today, newest first, for the live display (each with its announcement). */
export async function displayCalls(q: Sql, office: OfficeConfig, now: Date): Promise<DisplayStateResponse> {
  const base = await displayState(q, office, now);
  const rows = await q.all<{
    id: string;
    seq: number;
    number: string;
    counter_id: string;
    service_id: string;
    kind: 'call' | 'recall';
    at: string;
    status: string | null;
    now_counter: string | null;
  }>(
    `SELECT c.id, c.seq, c.number, c.counter_id, c.service_id, c.kind, c.at, t.status, t.counter_id AS now_counter
       FROM ticket_calls c LEFT JOIN tickets t ON t.id = c.ticket_id
      WHERE c.office_id = ? AND c.at >= ? ORDER BY c.seq DESC LIMIT ?`,
    [office.officeId, dayStart(base.day), DISPLAY_CALLS * 2],
  );
  return {
    office: base.office,
    day: base.day,
    calls: rows.map((r) =>
      displayCallOf(
        office,
        {
          callId: r.id,
          seq: Number(r.seq),
          officeId: office.officeId,
          number: r.number,
          counterId: r.counter_id,
          serviceId: r.service_id,
          kind: r.kind,
          at: r.at,
        },
        r.status === 'called' && r.now_counter === r.counter_id,
      ),
    ),
    waiting: base.waiting,
  };
}

/** Local midnight (UTC+7) of a local day, as an ISO instant. */
const dayStart = (day: string) => new Date(Date.parse(`${day}T00:00:00.000+07:00`)).toISOString();

/** Announcement WAVs by text: the same number at the same counter sounds the same all day. */
class WavCache {
  private readonly map = new Map<string, Promise<Buffer>>();
  get(text: string): Promise<Buffer> {
    let hit = this.map.get(text);
    if (hit) {
      this.map.delete(text);
    } else {
      hit = announcementWav(text);
      hit.catch(() => this.map.delete(text));
    }
    this.map.set(text, hit);
    if (this.map.size > 300) this.map.delete(this.map.keys().next().value!);
    return hit;
  }
}

const OfficeQuery = z.object({ office: z.string().min(1).max(100) });

function builtPage(ctx: CentralContext): string | null {
  const file = join(ctx.webDir, 'display.html');
  return existsSync(file) ? readFileSync(file, 'utf8') : null;
}

export const route: CentralRoute = {
  name: 'display',
  register(app, ctx) {
    const wavs = new WavCache();
    const announcement = async (officeId: string, callId: string) => {
      const row = await ctx.store.get<{ number: string; counter_id: string }>(
        'SELECT number, counter_id FROM ticket_calls WHERE id = ? AND office_id = ?',
        [callId, officeId],
      );
      if (!row) return null;
      const found = await getOfficeConfig(ctx.store, officeId);
      const counter = found?.config.counters.find((c) => c.id === row.counter_id)?.name ?? row.counter_id;
      return announcementText(row.number, counter);
    };
    // Start speaking as soon as a number is called: the display asks for it within milliseconds.
    const warmed = new Set<string>();
    const warm = (officeId: string) => {
      if (warmed.has(officeId)) return;
      warmed.add(officeId);
      ctx.live.subscribe(officeId, (e) => {
        if (e.type === 'call')
          void announcement(officeId, e.callId)
            .then((text) => (text ? wavs.get(text) : null))
            .catch((err: unknown) => ctx.log.warn({ err: (err as Error).message }, 'announcement not synthesised'));
      });
    };

    app.get('/display', { config: { public: true } }, async (req, reply: FastifyReply) => {
      const { office: officeId } = parse(OfficeQuery, req.query, 'query');
      const found = await getOfficeConfig(ctx.store, officeId);
      if (!found) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
      const state = await displayState(ctx.store, found.config, ctx.now());
      const built = builtPage(ctx);
      const html = built
        ? built.replace('<div id="root"></div>', `<div id="root">${renderDisplayMain(state)}</div>`)
        : renderDisplayPage(state);
      if (built) reply.header('content-security-policy', APP_CSP);
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
    });

    // Every TV of an office asks at the same moment (right after an event): one read serves them
    // all until the office's next event (or 5 s, or local midnight).
    const shared = new Map<string, { key: string; at: number; state: Promise<DisplayStateResponse> }>();
    app.get('/display/state', { config: { public: true } }, async (req): Promise<DisplayStateResponse> => {
      const { office: officeId } = parse(OfficeQuery, req.query, 'query');
      const now = ctx.now();
      const key = `${ctx.live.version(officeId)}:${localDay(now)}`;
      const hit = shared.get(officeId);
      if (hit && hit.key === key && now.getTime() - hit.at < 5_000) return hit.state;
      const found = await getOfficeConfig(ctx.store, officeId);
      if (!found) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
      warm(officeId);
      const state = displayCalls(ctx.store, found.config, now);
      shared.set(officeId, { key, at: now.getTime(), state });
      state.catch(() => shared.delete(officeId));
      return state;
    });

    app.get('/display/events', { config: { public: true } }, async (req, reply) => {
      const { office: officeId } = parse(OfficeQuery, req.query, 'query');
      if (!(await getOfficeConfig(ctx.store, officeId))) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
      warm(officeId);
      streamOfficeEvents(ctx.live, officeId, req, reply, true);
    });

    app.get('/display/calls/:file', { config: { public: true } }, async (req, reply) => {
      const { file } = parse(
        z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.wav$/, 'a call id and .wav') }),
        req.params,
        'path',
      );
      const { office: officeId } = parse(OfficeQuery, req.query, 'query');
      const text = await announcement(officeId, file.slice(0, -4));
      if (!text) throw new HttpError(404, 'NOT_FOUND', 'no such call at this office');
      let wav: Buffer;
      try {
        wav = await wavs.get(text);
      } catch (err) {
        ctx.log.warn({ err: (err as Error).message }, 'announcement not synthesised');
        throw new HttpError(503, 'UNAVAILABLE', 'speech synthesis is unavailable on central (install espeak-ng)');
      }
      return reply.type('audio/wav').header('cache-control', 'public, max-age=86400').send(wav);
    });
  },
};
