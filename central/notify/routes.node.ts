import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotifyOptInPayload, PublicToken, TICKET_NOTIFY_KIND } from '../../protocol/phone.ts';
import { localDay } from '../../protocol/tickets.ts';
import { RejectItem, type CentralContext } from '../context.node.ts';
import { HttpError, parse, sha256 } from '../http.node.ts';
import { Notifier } from './notifier.node.ts';
import { PushSubscription } from './providers.node.ts';

/** The Web Push service worker: shows what central pushes, opens the page when touched. */
export const SERVICE_WORKER = `self.addEventListener('push',function(e){var d={};try{d=e.data.json();}catch(x){}
e.waitUntil(self.registration.showNotification(d.title||'',{body:d.body||'',tag:d.event||'ticket',renotify:true}));});
self.addEventListener('notificationclick',function(e){e.notification.close();e.waitUntil(clients.matchAll({type:'window'}).then(function(c){if(c[0])return c[0].focus();}));});
`;

/**
 * Opting in and the notifier's life (docs/phone.md): the kiosk's outbox kind `ticket.notify`
 * (a phone number for Zalo or SMS), the phone page's Web Push subscription
 * (`POST /t/<token>/push`), and the worker that sends, started with central and stopped with it.
 */
export function registerNotify(app: FastifyInstance, ctx: CentralContext): Notifier {
  const notifier = new Notifier(ctx.store, ctx.log.child({ module: 'notify' }), ctx.now, ctx.notify);
  const stop = notifier.start(ctx.live);
  app.addHook('onClose', async () => stop());

  ctx.registerBatchKind(TICKET_NOTIFY_KIND, {
    payload: NotifyOptInPayload,
    accept: async (q, item, device) => {
      const p = item.payload;
      const t = await q.get<{ office_id: string; day: string }>('SELECT office_id, day FROM tickets WHERE id = ?', [
        p.ticketId,
      ]);
      if (!t) throw new RejectItem('UNKNOWN_TICKET', `no ticket ${p.ticketId}`);
      if (t.office_id !== device.officeId) throw new RejectItem('TICKET_CONFLICT', 'ticket belongs to another office');
      await notifier.optIn(q, { ticketId: p.ticketId, officeId: t.office_id, day: t.day }, p.channel, p.phone);
      return { ticketId: p.ticketId, channel: p.channel };
    },
  });

  app.get('/t/sw.js', { config: { public: true } }, async (_req, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .header('content-security-policy', "default-src 'none'")
      .send(SERVICE_WORKER),
  );

  app.post('/t/:token/push', { config: { public: true } }, async (req, reply) => {
    if (!notifier.providers.has('webpush')) throw new HttpError(404, 'NOT_FOUND', 'Web Push is not offered here');
    const { token } = parse(z.object({ token: PublicToken }), req.params, 'path');
    const sub = parse(PushSubscription, req.body);
    const now = ctx.now();
    const t = await ctx.store.get<{ id: string; office_id: string; day: string; status: string }>(
      'SELECT id, office_id, day, status FROM tickets WHERE public_token_hash = ?',
      [sha256(token)],
    );
    if (!t || t.day !== localDay(now) || !['waiting', 'held'].includes(t.status))
      throw new HttpError(404, 'NOT_FOUND', 'no waiting ticket under this address');
    await notifier.optIn(
      ctx.store,
      { ticketId: t.id, officeId: t.office_id, day: t.day },
      'webpush',
      JSON.stringify(sub),
    );
    void notifier.evaluate(t.office_id).catch(() => undefined);
    return reply.code(201).send({ ok: true });
  });

  return notifier;
}
