import { localDateTime } from '../../protocol/tickets.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { randomUUID } from 'node:crypto';
import { buildVietQr } from '../../drivers/id/vietqr.ts';
import type { ReceiptDoc } from '../../drivers/printer/receipt.ts';
import { DOSSIER_CODE_RE, DossierLookup } from '../../protocol/dossiers.ts';
import { OfficeConfig } from '../../protocol/office.ts';
import { PAYMENT_KIND, PaymentIntent, PaymentStatus } from '../../protocol/payments.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { PaymentCheck } from '../../contract/domains/payments.ts';
import { KioskError } from '../../contract/errors.ts';
import { CentralClientError } from '../sync/central-client.node.ts';
import { findLocalDossier, vnd } from './submission.node.ts';

/** The visible countdown: how long the kiosk waits for the bank's confirmation. */
export const PAYMENT_WAIT_MS = 5 * 60_000;

interface PaymentRow {
  id: string;
  dossier_code: string;
  amount: number;
  purpose: string;
  status: 'waiting' | 'confirmed' | 'abandoned';
  created_at: string;
  confirmed_at: string | null;
  bank_ref: string | null;
}

export function paymentSlip(p: {
  officeName: string;
  kioskName: string;
  dossierCode: string;
  procedureName: string | null;
  amount: number;
  bankRef: string;
  confirmedAt: string;
  accountName: string;
  accountNumber: string;
}): ReceiptDoc {
  return {
    kind: 'payment-slip',
    blocks: [
      { kind: 'text', text: p.officeName, align: 'center', bold: true },
      { kind: 'separator', style: 'line' },
      { kind: 'text', text: 'XÁC NHẬN ĐÃ NỘP LỆ PHÍ', align: 'center', size: 'large', bold: true },
      { kind: 'separator', style: 'line' },
      { kind: 'pair', left: 'Mã hồ sơ', right: p.dossierCode, bold: true },
      ...(p.procedureName ? [{ kind: 'text' as const, text: `Thủ tục: ${p.procedureName}` }] : []),
      { kind: 'pair', left: 'Số tiền', right: vnd(p.amount), bold: true },
      { kind: 'pair', left: 'Hình thức', right: 'Chuyển khoản (VietQR)' },
      { kind: 'pair', left: 'Tài khoản nhận', right: p.accountNumber },
      { kind: 'text', text: p.accountName, align: 'right', size: 'small' },
      { kind: 'pair', left: 'Mã giao dịch', right: p.bankRef },
      { kind: 'pair', left: 'Xác nhận lúc', right: localDateTime(new Date(p.confirmedAt)) },
      // The kiosk's name as the office knows it: a device id means nothing to a citizen.
      { kind: 'pair', left: 'Kiosk', right: p.kioskName },
      { kind: 'separator', style: 'dashed' },
      { kind: 'text', text: 'Biên lai điện tử do cơ quan gửi theo số điện thoại trong hồ sơ.', size: 'small' },
      { kind: 'feed', lines: 2 },
      { kind: 'cut', partial: true },
    ],
  };
}

export function paymentsHandlers(
  ctx: ApplianceContext,
): Pick<
  Handlers,
  | 'payments.quote'
  | 'payments.start'
  | 'payments.check'
  | 'payments.printSlip'
  | 'payments.abandon'
  | 'payments.demoConfirm'
  | 'payments.recent'
> {
  const account = async () => {
    let office: OfficeConfig | null = null;
    try {
      office = (await ctx.cache.officeConfig()).value;
    } catch {
      office = ctx.cache.read('office-config', OfficeConfig)?.value ?? null;
    }
    if (!office?.payment) throw new KioskError('NOT_PROVISIONED', 'the office has no bank account for fees');
    return { office, ...office.payment };
  };

  /** Central's record of a dossier; null when central does not know it; 'offline' when central cannot be asked. */
  const lookup = async (ref: string): Promise<DossierLookup | null | 'offline'> => {
    try {
      return (
        await ctx.central.request('GET', `/v1/dossiers/${encodeURIComponent(ref)}`, DossierLookup, { timeoutMs: 4000 })
      ).value!;
    } catch (err) {
      if (err instanceof CentralClientError && err.kind === 'REJECTED' && err.status === 404) return null;
      if (err instanceof CentralClientError) return 'offline';
      throw err;
    }
  };

  const row = (id: string) => ctx.db.prepare('SELECT * FROM payments WHERE id = ?').get(id) as PaymentRow | undefined;

  const markConfirmed = (id: string, status: PaymentStatus) => {
    const changed = ctx.db
      .prepare(
        "UPDATE payments SET status = 'confirmed', confirmed_at = ?, bank_ref = ? WHERE id = ? AND status != 'confirmed'",
      )
      .run(status.confirmedAt, status.bankRef, id).changes;
    if (changed) ctx.events.emit('payment.confirmed', { paymentId: id, dossierCode: status.dossierCode });
  };

  const check = async (paymentId: string): Promise<PaymentCheck> => {
    const local = row(paymentId);
    if (!local) throw new KioskError('NOT_FOUND', `no payment ${paymentId} on this kiosk`);
    if (local.status === 'confirmed')
      return {
        paymentId,
        status: 'confirmed',
        offline: false,
        confirmedAt: local.confirmed_at,
        bankRef: local.bank_ref,
      };
    try {
      const s = (await ctx.central.request('GET', `/v1/payments/${paymentId}`, PaymentStatus, { timeoutMs: 4000 }))
        .value!;
      if (s.status === 'confirmed') {
        markConfirmed(paymentId, s);
        return { paymentId, status: 'confirmed', offline: false, confirmedAt: s.confirmedAt, bankRef: s.bankRef };
      }
      if (s.status !== 'pending') {
        ctx.db.prepare("UPDATE payments SET status = 'abandoned' WHERE id = ? AND status = 'waiting'").run(paymentId);
        if (s.status === 'superseded')
          throw new KioskError('CONFLICT', 'a newer QR replaced this one: pay with the newest QR only', {
            reason: 'SUPERSEDED',
          });
        throw new KioskError('CONFLICT', 'central did not apply this payment to the dossier: please see an officer', {
          reason: s.status.toUpperCase(),
        });
      }
      return { paymentId, status: 'waiting', offline: false, confirmedAt: null, bankRef: null };
    } catch (err) {
      if (!(err instanceof CentralClientError)) throw err;
      // 404: the intent is still in the outbox on its way; anything else: central is out of reach.
      const notYet = err.kind === 'REJECTED' && err.status === 404;
      return { paymentId, status: 'waiting', offline: !notYet, confirmedAt: null, bankRef: null };
    }
  };

  return {
    'payments.quote': async ({ ref }) => {
      const r = ref.trim();
      const acct = await account();
      const remote = await lookup(r);
      if (remote && remote !== 'offline')
        return {
          dossierCode: remote.dossierCode,
          procedureName: remote.procedureName,
          amount: remote.fee,
          paid: remote.paid,
          accountName: acct.accountName,
          accountNumber: acct.accountNumber,
          bankBin: acct.bankBin,
        };
      // Offline (or central does not know it yet): this kiosk's own record, if it has the code.
      const local = findLocalDossier(ctx.db, r);
      if (local?.dossier_code)
        return {
          dossierCode: local.dossier_code,
          procedureName: local.procedure_name,
          amount: local.fee,
          paid: false,
          accountName: acct.accountName,
          accountNumber: acct.accountNumber,
          bankBin: acct.bankBin,
        };
      if (local) throw new KioskError('CONFLICT', `dossier ${r} has no code yet (waiting for central)`);
      if (remote === null) throw new KioskError('NOT_FOUND', `no dossier ${r}`);
      throw new KioskError('OFFLINE', 'central cannot be reached to look the dossier up');
    },

    'payments.start': async ({ dossierCode }) => {
      if (!DOSSIER_CODE_RE.test(dossierCode)) throw new KioskError('BAD_INPUT', 'a dossier code is needed to pay');
      const acct = await account();
      const found = await lookup(dossierCode);
      const remote = found === 'offline' ? undefined : found;
      const local = findLocalDossier(ctx.db, dossierCode);
      const amount = remote?.fee ?? local?.fee;
      if (amount === undefined)
        throw new KioskError(remote === null ? 'NOT_FOUND' : 'OFFLINE', `cannot tell the fee of ${dossierCode}`);
      if (amount <= 0) throw new KioskError('CONFLICT', `dossier ${dossierCode} has no fee to pay`);
      const paidHere =
        ctx.db.prepare("SELECT 1 FROM payments WHERE dossier_code = ? AND status = 'confirmed'").get(dossierCode) !==
        undefined;
      if (remote?.paid || paidHere) throw new KioskError('CONFLICT', `dossier ${dossierCode} is already paid`);
      const paymentId = randomUUID();
      const now = ctx.clock.now();
      // The dossier code is the transfer note: 25 ASCII characters at most, which a 4-digit counter fits.
      const purpose = dossierCode.length <= 25 ? dossierCode : dossierCode.replace(/\./g, '');
      const qr = buildVietQr({ bin: acct.bankBin, account: acct.accountNumber, amount, purpose });
      const intent = PaymentIntent.parse({
        paymentId,
        dossierCode,
        amount,
        purpose,
        bankBin: acct.bankBin,
        accountNumber: acct.accountNumber,
        kioskId: ctx.config.kioskId,
        createdAt: now.toISOString(),
      });
      ctx.db.transaction(() => {
        // One open payment per dossier: central supersedes the older QR when this intent arrives.
        ctx.db
          .prepare("UPDATE payments SET status = 'abandoned' WHERE dossier_code = ? AND status = 'waiting'")
          .run(dossierCode);
        const { key } = ctx.outbox.enqueue(PAYMENT_KIND, intent, { now });
        ctx.db
          .prepare(
            "INSERT INTO payments (id, dossier_code, amount, purpose, qr_payload, outbox_key, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'waiting', ?)",
          )
          .run(paymentId, dossierCode, amount, purpose, qr, key, now.toISOString());
      })();
      ctx.log.info({ paymentId, dossierCode, amount }, 'payment intent recorded');
      return {
        paymentId,
        dossierCode,
        amount,
        qr,
        purpose,
        accountName: acct.accountName,
        accountNumber: acct.accountNumber,
        waitMs: PAYMENT_WAIT_MS,
      };
    },

    'payments.check': ({ paymentId }) => check(paymentId),

    'payments.printSlip': async ({ paymentId }) => {
      const p = row(paymentId);
      if (!p) throw new KioskError('NOT_FOUND', `no payment ${paymentId}`);
      if (p.status !== 'confirmed' || !p.confirmed_at)
        throw new KioskError('CONFLICT', 'the payment is not confirmed yet');
      const acct = await account();
      const local = findLocalDossier(ctx.db, p.dossier_code);
      const doc = paymentSlip({
        officeName: ctx.config.officeName,
        kioskName: ctx.config.kioskName,
        dossierCode: p.dossier_code,
        procedureName: local?.procedure_name ?? null,
        amount: p.amount,
        bankRef: p.bank_ref ?? '',
        confirmedAt: p.confirmed_at,
        accountName: acct.accountName,
        accountNumber: acct.accountNumber,
      });
      return { print: await ctx.printer.printOrPreview(doc) };
    },

    'payments.abandon': ({ paymentId }) => {
      ctx.db.prepare("UPDATE payments SET status = 'abandoned' WHERE id = ? AND status = 'waiting'").run(paymentId);
      return { ok: true as const };
    },

    'payments.demoConfirm': async ({ paymentId }) => {
      if (!row(paymentId)) throw new KioskError('NOT_FOUND', `no payment ${paymentId} on this kiosk`);
      try {
        const s = (
          await ctx.central.request('POST', `/v1/payments/${paymentId}/demo-confirm`, PaymentStatus, { body: {} })
        ).value!;
        markConfirmed(paymentId, s);
        return { paymentId, status: 'confirmed', offline: false, confirmedAt: s.confirmedAt, bankRef: s.bankRef };
      } catch (err) {
        if (err instanceof CentralClientError && err.status === 403)
          throw new KioskError('FORBIDDEN', 'this office does not allow demo confirmation');
        if (err instanceof CentralClientError && err.status === 404)
          throw new KioskError('CONFLICT', 'central has not received this payment yet; try again in a moment');
        if (err instanceof CentralClientError) throw err.toKioskError();
        throw err;
      }
    },

    'payments.recent': ({ limit }) => ({
      payments: (
        ctx.db.prepare('SELECT * FROM payments ORDER BY created_at DESC LIMIT ?').all(limit ?? 10) as PaymentRow[]
      ).map((p) => ({
        paymentId: p.id,
        dossierCode: p.dossier_code,
        amount: p.amount,
        createdAt: p.created_at,
        status: p.status,
      })),
    }),
  };
}
