import { z } from 'zod';
import { DossierCode } from './dossiers.ts';

/**
 * Fee payment by VietQR. The kiosk records a payment intent (outbox kind `payment.intent`,
 * made with a kiosk-made id), shows the QR, and polls `GET /v1/payments/:id` until the bank or
 * PayGov integration calls `POST /v1/payments/:id/confirm` on central.
 */
export const PAYMENT_KIND = 'payment.intent';

export const PaymentId = z.uuid();

export const PaymentIntent = z
  .object({
    paymentId: PaymentId,
    dossierCode: DossierCode,
    /** Whole VND. */
    amount: z.number().int().positive(),
    /** The transfer note in the QR (ASCII, ≤ 25 characters): the dossier code. */
    purpose: z.string().min(1).max(25),
    bankBin: z.string().regex(/^\d{6}$/),
    accountNumber: z.string().min(1).max(19),
    kioskId: z.string().min(1),
    createdAt: z.iso.datetime({ offset: true }),
  })
  .strict();
export type PaymentIntent = z.infer<typeof PaymentIntent>;

/**
 * `superseded`: a newer QR for the same dossier replaced this one (one open payment per dossier);
 * `overpaid`: money arrived for a superseded QR or an already paid dossier: kept for an officer to
 * refund, never applied to the dossier.
 */
export const PaymentState = z.enum(['pending', 'confirmed', 'rejected', 'superseded', 'overpaid']);
export type PaymentState = z.infer<typeof PaymentState>;

/** `GET /v1/payments/:id` (device credential). */
export const PaymentStatus = z.object({
  paymentId: PaymentId,
  dossierCode: DossierCode,
  amount: z.number().int(),
  status: PaymentState,
  confirmedAt: z.string().nullable(),
  bankRef: z.string().nullable(),
});
export type PaymentStatus = z.infer<typeof PaymentStatus>;

/**
 * `POST /v1/payments/:id/confirm`: what a bank/PayGov integration sends, authenticated with the
 * integration's own bearer token (not a kiosk credential). The amount must match the intent.
 */
export const PaymentConfirmation = z
  .object({
    amount: z.number().int().positive(),
    /** The bank's transaction reference. */
    bankRef: z.string().min(1).max(64),
    paidAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type PaymentConfirmation = z.infer<typeof PaymentConfirmation>;
