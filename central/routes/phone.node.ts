import { createHash } from 'node:crypto';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { OfficeConfig } from '../../protocol/office.ts';
import {
  PHONE_LANGS,
  PHONE_TEXT,
  PublicToken,
  type PhoneLang,
  type PhoneTextKey,
  type PhoneTicketState,
} from '../../protocol/phone.ts';
import { findService, localDateTime, localDay } from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import type { CentralContext, CentralRoute } from '../context.node.ts';
import { HttpError, parse, sha256 } from '../http.node.ts';
import type { Sql } from '../store/store.node.ts';
import { registerNotify } from '../notify/routes.node.ts';
import { COLS, estimateFor, serviceFacts, type Row } from './tickets.node.ts';

/**
 * The live ticket page a citizen's phone opens from the ticket QR (`/t/<token>`, docs/phone.md):
 * public, no sign-in, server-rendered so the first paint needs one small response; a few lines
 * of script then hold a Server-Sent Events stream (`/t/<token>/events`) that pushes the page's
 * main part again whenever the office's queue moves. Numbers and names of services and counters
 * only: no personal data. An unknown or a past day's token gets a message and nothing else.
 */

const LangQuery = z.object({ lang: z.enum(PHONE_LANGS).catch('vi').default('vi') });
const TokenParams = z.object({ token: z.string().max(100) });

/** The ticket a token opens, if it is one of today's. */
async function ticketOfToken(
  q: Sql,
  token: string,
  now: Date,
): Promise<{ row: Row } | { state: 'unknown' | 'expired' }> {
  if (!PublicToken.safeParse(token).success) return { state: 'unknown' };
  const row = await q.get<Row>(`SELECT ${COLS} FROM tickets WHERE public_token_hash = ?`, [sha256(token)]);
  if (!row) return { state: 'unknown' };
  if (row.day !== localDay(now)) return { state: 'expired' };
  return { row };
}

const counterName = (office: OfficeConfig, id: string | null) =>
  id ? (office.counters.find((c) => c.id === id)?.name ?? id) : null;

export async function phoneState(
  q: Sql,
  token: string,
  now: Date,
): Promise<{ officeId: string | null; state: PhoneTicketState }> {
  const found = await ticketOfToken(q, token, now);
  if (!('row' in found)) return { officeId: null, state: { state: found.state } };
  const { row } = found;
  const office = (await getOfficeConfig(q, row.office_id))?.config;
  if (!office) return { officeId: null, state: { state: 'unknown' } };
  const service = findService(office, row.service_id)?.service;
  const waiting = row.status === 'waiting' || row.status === 'held';
  const estimate = waiting
    ? estimateFor(await serviceFacts(q, office, row.service_id, now), Number(row.weight), row.issued_at, row.id)
    : null;
  return {
    officeId: office.officeId,
    state: {
      state: waiting ? 'waiting' : (row.status as 'called' | 'served' | 'skipped'),
      office: office.name,
      number: row.number,
      service: service?.name ?? row.service_id,
      counters:
        office.counters
          .filter((c) => service?.counterIds.includes(c.id))
          .map((c) => c.name)
          .join(', ') || '—',
      ahead: estimate?.ahead ?? null,
      wait: estimate?.wait ?? null,
      calledTo: row.status === 'called' ? counterName(office, row.counter_id) : null,
      issuedAt: localDateTime(new Date(row.issued_at)),
    },
  };
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const say = (lang: PhoneLang, key: PhoneTextKey, vars: Record<string, string | number> = {}) =>
  PHONE_TEXT[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));

/** The page's main part: rendered here for the first paint and again for every pushed update. */
export function renderPhoneMain(s: PhoneTicketState, lang: PhoneLang): string {
  if (!('number' in s))
    return `<p class="note" role="alert">${esc(say(lang, s.state === 'unknown' ? 'notFound' : 'expired'))}</p>`;
  const wait = s.wait ? say(lang, 'minutes', { min: s.wait.minMinutes, max: s.wait.maxMinutes }) : say(lang, 'unknown');
  const banner =
    s.state === 'called'
      ? `<p class="called" role="alert">${esc(say(lang, 'called', { counter: s.calledTo ?? s.counters }))}</p>`
      : s.state === 'waiting'
        ? `<p class="note">${esc(say(lang, 'waiting'))}</p>`
        : `<p class="note">${esc(say(lang, s.state))}</p>`;
  const rows: Array<[PhoneTextKey, string]> = [
    ['service', s.service],
    ['counters', s.counters],
    ...(s.state === 'waiting'
      ? ([
          ['ahead', s.ahead === null ? say(lang, 'unknown') : String(s.ahead)],
          ['wait', wait],
        ] as Array<[PhoneTextKey, string]>)
      : []),
    ['issuedAt', s.issuedAt],
  ];
  return `<p class="office">${esc(s.office)}</p>
<p class="label">${esc(say(lang, 'number'))}</p><p class="number" data-state="${s.state}">${esc(s.number)}</p>
${banner}
<dl>${rows.map(([k, v]) => `<dt>${esc(say(lang, k))}</dt><dd data-k="${k}">${esc(v)}</dd>`).join('')}</dl>`;
}

/**
 * Holds the stream and swaps the main part on each push. Kept tiny and free of frameworks: a
 * cheap phone on 3G downloads the whole page in one response.
 */
const CLIENT = `(function(){var m=document.getElementById('m'),o=document.getElementById('off'),b=document.getElementById('push');
if(b&&'serviceWorker' in navigator&&window.PushManager){b.hidden=false;b.onclick=function(){b.disabled=true;
navigator.serviceWorker.register('/t/sw.js').then(function(r){return r.pushManager.subscribe({userVisibleOnly:true,applicationServerKey:b.dataset.key});})
.then(function(s){return fetch(location.pathname.replace(/\\/$/,'')+'/push',{method:'POST',headers:{'content-type':'application/json'},body:JSON.stringify(s)});})
.then(function(r){if(!r.ok)throw 0;b.hidden=true;document.getElementById('pushed').hidden=false;})
.catch(function(){b.disabled=false;b.textContent=b.dataset.fail;});};}
if(!window.EventSource)return;
var es=new EventSource(location.pathname.replace(/\\/$/,'')+'/events'+location.search),last='';
es.addEventListener('state',function(e){var d=JSON.parse(e.data);o.hidden=true;if(d.html===last)return;last=d.html;m.innerHTML=d.html;
if(d.state==='called'){document.title=d.title;if(navigator.vibrate)navigator.vibrate([300,100,300]);}});
es.onerror=function(){o.hidden=false;};})();`;
const CLIENT_HASH = createHash('sha256').update(CLIENT).digest('base64');

/** Only this page's own script (by hash), its inline style and its own event stream. */
export const PHONE_CSP = `default-src 'none'; script-src 'sha256-${CLIENT_HASH}'; style-src 'unsafe-inline'; connect-src 'self'; worker-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

const titleOf = (s: PhoneTicketState, lang: PhoneLang) =>
  s.state === 'called' ? `${s.number} — ${say(lang, 'called', { counter: s.calledTo ?? '' })}` : say(lang, 'title');

/** `pushKey`: central's VAPID public key when Web Push is on (the opt-in button is offered). */
export function renderPhonePage(s: PhoneTicketState, lang: PhoneLang, pushKey: string | null = null): string {
  const other: PhoneLang = lang === 'vi' ? 'en' : 'vi';
  const push =
    pushKey && s.state === 'waiting'
      ? `<p class="push"><button id="push" type="button" hidden data-key="${esc(pushKey)}" data-fail="${esc(say(lang, 'pushFailed'))}">${esc(say(lang, 'pushOptIn'))}</button></p><p id="pushed" class="note" role="status" hidden>${esc(say(lang, 'pushOn'))}</p>`
      : '';
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(titleOf(s, lang))}</title>
<style>
body{margin:0;font-family:"Noto Sans","DejaVu Sans",system-ui,sans-serif;background:#f4f6fa;color:#111;font-size:18px}
header{display:flex;justify-content:space-between;align-items:center;background:#0b2a5b;color:#fff;padding:12px 16px}
header h1{font-size:18px;margin:0}header a{color:#fff;font-size:16px;padding:8px}
main{padding:16px;max-width:480px;margin:0 auto}
.office{margin:0 0 8px;color:#444}.label{margin:0;text-align:center;color:#444}
.number{margin:0 0 8px;text-align:center;font-size:72px;font-weight:800;line-height:1.1;color:#0b2a5b}
.called{background:#0a7d2c;color:#fff;font-size:26px;font-weight:700;padding:16px;border-radius:12px;text-align:center}
.note{background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}
dl{display:grid;grid-template-columns:auto 1fr;gap:8px 12px;background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}
dt{color:#444}dd{margin:0;font-weight:700;text-align:right}
#off{background:#fff3cd;padding:8px 16px;margin:0}
.push{max-width:480px;margin:0 auto;padding:0 16px}#pushed{max-width:448px;margin:0 auto}
#push{width:100%;min-height:56px;font:inherit;font-weight:700;background:#0b2a5b;color:#fff;border:0;border-radius:12px}
</style></head><body>
<header><h1>${esc(say(lang, 'title'))}</h1><a href="?lang=${other}" hreflang="${other}">${esc(say(lang, 'switchLang'))}</a></header>
<p id="off" role="status" hidden>${esc(say(lang, 'offline'))}</p>
<main id="m" aria-live="polite">${renderPhoneMain(s, lang)}</main>
${push}
${s.state === 'unknown' || s.state === 'expired' ? '' : `<script>${CLIENT}</script>`}
</body></html>
`;
}

const pageHeaders = (reply: FastifyReply) =>
  reply
    .header('cache-control', 'no-store')
    .header('x-robots-tag', 'noindex')
    .header('content-security-policy', PHONE_CSP);

export const route: CentralRoute = {
  name: 'phone',
  register(app, ctx: CentralContext) {
    const notifier = registerNotify(app, ctx);
    app.get('/t/:token', { config: { public: true } }, async (req, reply) => {
      const { token } = parse(TokenParams, req.params, 'path');
      const { lang } = LangQuery.parse(req.query ?? {});
      const { state } = await phoneState(ctx.store, token, ctx.now());
      const code = state.state === 'unknown' ? 404 : state.state === 'expired' ? 410 : 200;
      // A phone's browser gets the page that says so; an API client the usual error body.
      if (code !== 200 && !String(req.headers.accept ?? '').includes('text/html'))
        throw new HttpError(
          code,
          'NOT_FOUND',
          code === 404 ? 'no ticket under this address' : 'this ticket was for another day',
        );
      const pushKey = notifier.providers.has('webpush') ? (await notifier.vapidKeys()).publicKey : null;
      return pageHeaders(reply)
        .code(code)
        .type('text/html; charset=utf-8')
        .send(renderPhonePage(state, lang, pushKey));
    });

    app.get('/t/:token/state', { config: { public: true } }, async (req, reply) => {
      const { token } = parse(TokenParams, req.params, 'path');
      const { state } = await phoneState(ctx.store, token, ctx.now());
      return reply.header('cache-control', 'no-store').send(state);
    });

    app.get('/t/:token/events', { config: { public: true } }, async (req, reply) => {
      const { token } = parse(TokenParams, req.params, 'path');
      const { lang } = LangQuery.parse(req.query ?? {});
      const first = await phoneState(ctx.store, token, ctx.now());
      if (!first.officeId)
        throw new HttpError(
          first.state.state === 'unknown' ? 404 : 410,
          'NOT_FOUND',
          first.state.state === 'unknown' ? 'no ticket under this address' : 'this ticket was for another day',
        );
      const officeId = first.officeId;
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
      });
      let last = '';
      const send = (s: PhoneTicketState) => {
        const html = renderPhoneMain(s, lang);
        if (html === last) return;
        last = html;
        res.write(`event: state\ndata: ${JSON.stringify({ state: s.state, html, title: titleOf(s, lang) })}\n\n`);
      };
      res.write('retry: 2000\n\n');
      send(first.state);
      // Events come in bursts (a call is a 'changed' and a 'call'): one read per burst.
      let timer: NodeJS.Timeout | null = null;
      const unsubscribe = ctx.live.subscribe(officeId, () => {
        timer ??= setTimeout(() => {
          timer = null;
          phoneState(ctx.store, token, ctx.now())
            .then((s) => send(s.state))
            .catch((err: unknown) => ctx.log.warn({ err: (err as Error).message }, 'phone page: state not read'));
        }, 50);
      });
      const ping = setInterval(() => res.write(': ping\n\n'), 20_000);
      const close = () => {
        clearInterval(ping);
        if (timer) clearTimeout(timer);
        unsubscribe();
      };
      req.raw.on('close', close);
      res.on('close', close);
    });
  },
};
