import type { FastifyRequest } from 'fastify';
import { PAYMENT_KIND, PaymentConfirmation, PaymentId, PaymentIntent, type PaymentStatus } from '../../protocol/payments.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, RejectItem, type CentralContext, type CentralRoute } from '../context.node.ts';
import { HttpError, parse, safeEqual, sha256 } from '../http.node.ts';

/**
 * The bank/PayGov integration's credential for the confirmation hook. Central compares hashes
 * in constant time; without the variable the hook answers 403 to everyone.
 */
const hookTokenHash = (): string | null => {
  const t = process.env.CENTRAL_PAYMENT_HOOK_TOKEN;
  return t && t.length >= 16 ? sha256(t) : null;
};

interface PaymentRow {
  id: string;
  dossier_code: string;
  office_id: string;
  amount: number;
  status: 'pending' | 'confirmed' | 'rejected';
  confirmed_at: string | null;
  bank_ref: string | null;
}

const view = (r: PaymentRow): PaymentStatus => ({
  paymentId: r.id,
  dossierCode: r.dossier_code,
  amount: Number(r.amount),
  status: r.status,
  confirmedAt: r.confirmed_at,
  bankRef: r.bank_ref,
});

async function confirm(ctx: CentralContext, id: string, amount: number, bankRef: string, by: string, paidAt: string): Promise<PaymentStatus> {
  return ctx.store.tx(async (q) => {
    const row = await q.get<PaymentRow>('SELECT * FROM payments WHERE id = ?', [id]);
    if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id} (the kiosk may not have synced it yet)`);
    if (Number(row.amount) !== amount) throw new HttpError(409, 'CONFLICT', `amount ${amount} does not match the intent (${row.amount})`);
    if (row.status === 'confirmed') return view(row);
    await q.run("UPDATE payments SET status = 'confirmed', confirmed_at = ?, confirmed_by = ?, bank_ref = ? WHERE id = ?", [paidAt, by, bankRef, id]);
    await q.run('UPDATE dossiers SET paid_at = ? WHERE code = ? AND paid_at IS NULL', [paidAt, row.dossier_code]);
    await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [row.dossier_code, 6, paidAt, `đã nộp phí ${amount} đồng (${bankRef})`]);
    return { ...view(row), status: 'confirmed', confirmedAt: paidAt, bankRef };
  });
}

const bearer = (req: FastifyRequest): string | null => /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? null;

export const route: CentralRoute = {
  name: 'payments',
  register(app, ctx) {
    ctx.registerBatchKind(PAYMENT_KIND, {
      payload: PaymentIntent,
      async accept(q, item, device) {
        const p = item.payload;
        const dossier = await q.get<{ fee: number }>('SELECT fee FROM dossiers WHERE code = ?', [p.dossierCode]);
        if (!dossier) throw new RejectItem('UNKNOWN_DOSSIER', `no dossier ${p.dossierCode}`);
        await q.run(
          `INSERT INTO payments (id, dossier_code, office_id, device_id, amount, purpose, bank_bin, account_number, status, created_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          [p.paymentId, p.dossierCode, device.officeId, device.id, p.amount, p.purpose, p.bankBin, p.accountNumber, p.createdAt, ctx.now().toISOString()],
        );
        return { paymentId: p.paymentId };
      },
    });

    app.get<{ Params: { id: string } }>('/v1/payments/:id', async (req): Promise<PaymentStatus> => {
      deviceOf(req);
      const id = parse(PaymentId, req.params.id, 'payment id');
      const row = await ctx.store.get<PaymentRow>('SELECT * FROM payments WHERE id = ?', [id]);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id}`);
      return view(row);
    });

    // The hook a bank/PayGov integration calls; its own credential, not a kiosk's.
    app.post<{ Params: { id: string } }>('/v1/payments/:id/confirm', { config: { public: true } }, async (req): Promise<PaymentStatus> => {
      const expected = hookTokenHash();
      const given = bearer(req);
      if (!expected || !given || !safeEqual(sha256(given), expected)) throw new HttpError(403, 'FORBIDDEN', 'payment confirmation needs the integration token');
      const id = parse(PaymentId, req.params.id, 'payment id');
      const body = parse(PaymentConfirmation, req.body);
      return confirm(ctx, id, body.amount, body.bankRef, 'hook', body.paidAt ?? ctx.now().toISOString());
    });

    // Demo offices only (office config `payment.demoConfirm: true`): a technician confirms from the kiosk.
    app.post<{ Params: { id: string } }>('/v1/payments/:id/demo-confirm', async (req): Promise<PaymentStatus> => {
      const device = deviceOf(req);
      const office = await getOfficeConfig(ctx.store, device.officeId);
      if (office?.config.payment?.demoConfirm !== true) throw new HttpError(403, 'FORBIDDEN', 'this office does not allow demo payment confirmation');
      const id = parse(PaymentId, req.params.id, 'payment id');
      const row = await ctx.store.get<PaymentRow>('SELECT * FROM payments WHERE id = ?', [id]);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id}`);
      return confirm(ctx, id, Number(row.amount), `DEMO-${id.slice(-8).toUpperCase()}`, `demo:${device.id}`, ctx.now().toISOString());
    });
  },
};
