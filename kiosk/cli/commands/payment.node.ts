import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PaymentStatus } from '../../../protocol/payments.ts';
import type { Command } from '../command.ts';
import { loadConfigOrReport } from '../../config/config.node.ts';
import { openDatabase } from '../../store/db.node.ts';
import { readEmbeddedHookToken } from '../../demo/hook-token.node.ts';

const USAGE = [
  'kioskctl payment list',
  'kioskctl payment confirm <paymentId> [--amount VND] [--bank-ref REF] [--central URL]',
].join('\n       ');

interface Row {
  id: string;
  dossier_code: string;
  amount: number;
  status: string;
  created_at: string;
}

/**
 * Payments started at this kiosk, and the bank's side of a demo: `confirm` calls central's
 * confirmation hook exactly as a bank/PayGov integration would, with its token from
 * CENTRAL_PAYMENT_HOOK_TOKEN or, under `npm start`, the embedded central's own (the amount is read
 * from this kiosk's record unless given).
 */
export const paymentCommand: Command = {
  name: 'payment',
  summary: 'list fee payments; confirm one as the bank integration would (demo)',
  usage: USAGE,
  async run(args, io) {
    const config = loadConfigOrReport(io.env, io.err);
    if (!config) return 1;
    const [verb, ...rest] = args;
    const db = openDatabase(join(config.dataDir, 'kiosk.db'));
    try {
      if (verb === 'list') {
        const rows = db
          .prepare(
            'SELECT id, dossier_code, amount, status, created_at FROM payments ORDER BY created_at DESC LIMIT 20',
          )
          .all() as Row[];
        if (!rows.length) io.out('Chưa có thanh toán nào / no payments yet');
        for (const r of rows) io.out(`${r.id}  ${r.dossier_code}  ${r.amount} đ  ${r.status}  ${r.created_at}`);
        return 0;
      }
      if (verb === 'confirm') {
        const { values, positionals } = parseArgs({
          args: rest,
          allowPositionals: true,
          options: { amount: { type: 'string' }, 'bank-ref': { type: 'string' }, central: { type: 'string' } },
        });
        const id = positionals[0];
        if (!id) {
          io.err(`usage: ${USAGE}`);
          return 2;
        }
        // The bank's credential: CENTRAL_PAYMENT_HOOK_TOKEN, or the one `npm start`'s embedded central made.
        const token = io.env.CENTRAL_PAYMENT_HOOK_TOKEN || readEmbeddedHookToken(config.dataDir);
        if (!token) {
          io.err(
            'CENTRAL_PAYMENT_HOOK_TOKEN is not set (the bank integration token central was started with; npm start keeps its own in <data dir>/embedded-central/payment-hook-token)',
          );
          return 1;
        }
        const local = db.prepare('SELECT amount FROM payments WHERE id = ?').get(id) as { amount: number } | undefined;
        const amount = values.amount ? Number(values.amount) : local?.amount;
        if (!amount || !Number.isSafeInteger(amount)) {
          io.err(`no amount for payment ${id}: pass --amount`);
          return 1;
        }
        const bankRef = values['bank-ref'] ?? `DEMO${Date.now().toString().slice(-8)}`;
        const res = await fetch(
          new URL(`/v1/payments/${encodeURIComponent(id)}/confirm`, values.central ?? config.centralUrl),
          {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ amount, bankRef }),
            signal: AbortSignal.timeout(10_000),
          },
        );
        const body: unknown = await res.json().catch(() => null);
        if (!res.ok) {
          io.err(`central answered ${res.status}: ${JSON.stringify(body)}`);
          return 1;
        }
        const s = PaymentStatus.parse(body);
        io.out(`Đã xác nhận / confirmed: ${s.paymentId}  ${s.dossierCode}  ${s.amount} đ  ${s.bankRef}`);
        return 0;
      }
      io.err(`usage: ${USAGE}`);
      return 2;
    } finally {
      db.close();
    }
  },
};
