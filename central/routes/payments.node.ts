import type { FastifyRequest } from 'fastify';
import {
  PAYMENT_KIND,
  PaymentConfirmation,
  PaymentId,
  PaymentIntent,
  type PaymentStatus,
} from '../../protocol/payments.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, RejectItem, type CentralContext, type CentralRoute } from '../context.node.ts';
import { HttpError, parse, safeEqual, sha256 } from '../http.node.ts';
import { scoped, type ScopedPaymentRow } from '../scope.node.ts';

/**
 * The bank/PayGov integration's credential for the confirmation hook. Central compares hashes
 * in constant time; without the variable the hook answers 403 to everyone.
 */
const hookTokenHash = (ctx: CentralContext): string | null => {
  const t = ctx.paymentHookToken();
  return t && t.length >= 16 ? sha256(t) : null;
};

type PaymentRow = ScopedPaymentRow;

const view = (r: PaymentRow): PaymentStatus => ({
  paymentId: r.id,
  dossierCode: r.dossier_code,
  amount: Number(r.amount),
  status: r.status,
  confirmedAt: r.confirmed_at,
  bankRef: r.bank_ref,
});

/**
 * Every confirmation path (the bank hook, the demo button) ends here. Money is applied to the
 * dossier only when this payment is the dossier's open one, for the amount due, at its own
 * office; money for a superseded QR or an already paid dossier is recorded as an overpayment
 * for an officer (status `overpaid`, a note), never applied silently.
 */
async function confirm(
  ctx: CentralContext,
  row: PaymentRow,
  amount: number,
  bankRef: string,
  by: string,
  paidAt: string,
): Promise<PaymentStatus> {
  return ctx.store.tx(async (q) => {
    const current = await q.get<PaymentRow>('SELECT * FROM payments WHERE id = ? AND office_id = ?', [
      row.id,
      row.office_id,
    ]);
    if (!current) throw new HttpError(404, 'NOT_FOUND', `no payment ${row.id}`);
    if (Number(current.amount) !== amount)
      throw new HttpError(409, 'CONFLICT', `amount ${amount} does not match the intent (${current.amount})`);
    if (current.status === 'confirmed' || current.status === 'overpaid') return view(current);
    const dossier = await q.get<{ fee: number; paid_at: string | null }>(
      'SELECT fee, paid_at FROM dossiers WHERE code = ? AND office_id = ?',
      [current.dossier_code, current.office_id],
    );
    const why =
      current.status === 'superseded'
        ? 'a newer QR replaced this one'
        : !dossier
          ? 'the dossier is not at this office'
          : dossier.paid_at !== null
            ? 'the dossier was already paid'
            : Number(dossier.fee) !== amount
              ? `the fee due is ${dossier.fee}`
              : null;
    if (why) {
      const note = `overpayment ${amount} đ (${bankRef}): ${why}; refund or apply by an officer`;
      await q.run(
        "UPDATE payments SET status = 'overpaid', confirmed_at = ?, confirmed_by = ?, bank_ref = ?, review_note = ? WHERE id = ?",
        [paidAt, by, bankRef, note, current.id],
      );
      ctx.log.warn(
        { paymentId: current.id, dossierCode: current.dossier_code, amount, why },
        'payment kept as an overpayment for an officer',
      );
      return { ...view(current), status: 'overpaid', confirmedAt: paidAt, bankRef };
    }
    await q.run(
      "UPDATE payments SET status = 'confirmed', confirmed_at = ?, confirmed_by = ?, bank_ref = ? WHERE id = ?",
      [paidAt, by, bankRef, current.id],
    );
    await q.run('UPDATE dossiers SET paid_at = ? WHERE code = ? AND paid_at IS NULL', [paidAt, current.dossier_code]);
    await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [
      current.dossier_code,
      6,
      paidAt,
      `đã nộp phí ${amount} đồng (${bankRef})`,
    ]);
    return { ...view(current), status: 'confirmed', confirmedAt: paidAt, bankRef };
  });
}

const bearer = (req: FastifyRequest): string | null =>
  /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? null;

export const route: CentralRoute = {
  name: 'payments',
  register(app, ctx) {
    ctx.registerBatchKind(PAYMENT_KIND, {
      payload: PaymentIntent,
      async accept(q, item, device) {
        const p = item.payload;
        // Only a dossier of the kiosk's own office, for the fee it owes, to the office's own account.
        const dossier = await scoped(device).dossier(q, p.dossierCode);
        if (!dossier) throw new RejectItem('UNKNOWN_DOSSIER', `no dossier ${p.dossierCode}`);
        if (dossier.paid_at !== null) throw new RejectItem('ALREADY_PAID', `dossier ${p.dossierCode} is already paid`);
        if (Number(dossier.fee) !== p.amount)
          throw new RejectItem('AMOUNT_MISMATCH', `the fee of ${p.dossierCode} is ${dossier.fee}, not ${p.amount}`);
        const office = await getOfficeConfig(q, device.officeId);
        const account = office?.config.payment;
        if (!account || account.bankBin !== p.bankBin || account.accountNumber !== p.accountNumber)
          throw new RejectItem('WRONG_ACCOUNT', "the QR does not pay the office's account");
        // One open payment per dossier: this QR replaces any older one still waiting.
        await q.run("UPDATE payments SET status = 'superseded' WHERE dossier_code = ? AND status = 'pending'", [
          p.dossierCode,
        ]);
        await q.run(
          `INSERT INTO payments (id, dossier_code, office_id, device_id, amount, purpose, bank_bin, account_number, status, created_at, received_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          [
            p.paymentId,
            p.dossierCode,
            device.officeId,
            device.id,
            p.amount,
            p.purpose,
            p.bankBin,
            p.accountNumber,
            p.createdAt,
            ctx.now().toISOString(),
          ],
        );
        return { paymentId: p.paymentId };
      },
    });

    app.get<{ Params: { id: string } }>('/v1/payments/:id', async (req): Promise<PaymentStatus> => {
      const id = parse(PaymentId, req.params.id, 'payment id');
      const row = await scoped(deviceOf(req)).payment(ctx.store, id);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id}`);
      return view(row);
    });

    // The hook a bank/PayGov integration calls; its own credential, not a kiosk's.
    app.post<{ Params: { id: string } }>(
      '/v1/payments/:id/confirm',
      { config: { public: true } },
      async (req): Promise<PaymentStatus> => {
        const expected = hookTokenHash(ctx);
        const given = bearer(req);
        if (!expected || !given || !safeEqual(sha256(given), expected))
          throw new HttpError(403, 'FORBIDDEN', 'payment confirmation needs the integration token');
        const id = parse(PaymentId, req.params.id, 'payment id');
        const body = parse(PaymentConfirmation, req.body);
        // The bank pays into an office's account: the payment's own office is its scope.
        const row = await ctx.store.get<PaymentRow>('SELECT * FROM payments WHERE id = ?', [id]);
        if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id} (the kiosk may not have synced it yet)`);
        return confirm(ctx, row, body.amount, body.bankRef, 'hook', body.paidAt ?? ctx.now().toISOString());
      },
    );

    // Demo offices only (office config `payment.demoConfirm: true`): a technician confirms from the kiosk.
    app.post<{ Params: { id: string } }>('/v1/payments/:id/demo-confirm', async (req): Promise<PaymentStatus> => {
      const device = deviceOf(req);
      const office = await getOfficeConfig(ctx.store, device.officeId);
      if (office?.config.payment?.demoConfirm !== true)
        throw new HttpError(403, 'FORBIDDEN', 'this office does not allow demo payment confirmation');
      const id = parse(PaymentId, req.params.id, 'payment id');
      const row = await scoped(device).payment(ctx.store, id);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no payment ${id}`);
      return confirm(
        ctx,
        row,
        Number(row.amount),
        `DEMO-${id.slice(-8).toUpperCase()}`,
        `demo:${device.id}`,
        ctx.now().toISOString(),
      );
    });
  },
};
