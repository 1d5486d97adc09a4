import { z } from 'zod';
import { call, techCall } from '../define.ts';
import { PrintOutcome } from '../print.ts';

export const PaymentQuote = z.object({
  dossierCode: z.string(),
  procedureName: z.string(),
  amount: z.number().int().nonnegative(),
  paid: z.boolean(),
  /** Whom the QR pays (the office's account). */
  accountName: z.string(),
  accountNumber: z.string(),
  bankBin: z.string(),
});
export type PaymentQuote = z.infer<typeof PaymentQuote>;

export const StartedPayment = z.object({
  paymentId: z.uuid(),
  dossierCode: z.string(),
  amount: z.number().int().positive(),
  /** The VietQR payload (EMVCo TLV with CRC) to draw on screen. */
  qr: z.string(),
  purpose: z.string(),
  accountName: z.string(),
  accountNumber: z.string(),
  /** How long the kiosk waits for central's confirmation (the visible countdown). */
  waitMs: z.number().int().positive(),
});
export type StartedPayment = z.infer<typeof StartedPayment>;

export const PaymentCheck = z.object({
  paymentId: z.uuid(),
  status: z.enum(['waiting', 'confirmed']),
  /** Central could not be asked just now (the answer may come later). */
  offline: z.boolean(),
  confirmedAt: z.string().nullable(),
  bankRef: z.string().nullable(),
});
export type PaymentCheck = z.infer<typeof PaymentCheck>;

export const WaitingPayment = z.object({
  paymentId: z.uuid(),
  dossierCode: z.string(),
  amount: z.number().int(),
  createdAt: z.string(),
  status: z.enum(['waiting', 'confirmed', 'abandoned']),
});

const ById = z.object({ paymentId: z.uuid() }).strict();

export const calls = {
  /** What to pay for a dossier, by code or provisional number: amount from central (or this kiosk's record offline). */
  'payments.quote': call(z.object({ ref: z.string().min(1).max(60) }).strict(), PaymentQuote),
  /** Records a payment intent (outbox) and answers the VietQR to show. */
  'payments.start': call(z.object({ dossierCode: z.string().min(1).max(40) }).strict(), StartedPayment),
  /** Asks central whether the transfer arrived ("Tôi đã chuyển khoản" and the polling both use it). */
  'payments.check': call(ById, PaymentCheck),
  /** Prints the payment slip for a confirmed payment. */
  'payments.printSlip': call(ById, z.object({ print: PrintOutcome })),
  /** The citizen left before confirmation: the intent stays at central; the kiosk stops waiting. */
  'payments.abandon': call(ById, z.object({ ok: z.literal(true) })),
  /** Technician (demo offices only): confirm as the bank hook would. FORBIDDEN elsewhere. */
  'payments.demoConfirm': techCall(ById, PaymentCheck),
  /** Technician: the latest payments started at this kiosk, newest first. */
  'payments.recent': techCall(
    z.object({ limit: z.number().int().min(1).max(50).optional() }).strict(),
    z.object({ payments: z.array(WaitingPayment) }),
  ),
};

export const events = {
  'payment.confirmed': z.object({ paymentId: z.uuid(), dossierCode: z.string() }),
};
