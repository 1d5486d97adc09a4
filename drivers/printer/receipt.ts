import { z } from 'zod';

/**
 * A receipt as flows build it: a small typed document, independent of any printer. The printer
 * driver renders it to ESC/POS (raster text by default, a code page where chosen) and to a PNG
 * preview (the on-screen fallback when printing fails, and for tests).
 */
export const Align = z.enum(['left', 'center', 'right']);
export const TextSize = z.enum(['small', 'normal', 'large', 'xlarge', 'huge']);

export const ReceiptBlock = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    text: z.string(),
    align: Align.default('left'),
    size: TextSize.default('normal'),
    bold: z.boolean().default(false),
    /** White on black, for marks such as "ƯU TIÊN" that must not rely on colour. */
    invert: z.boolean().default(false),
  }),
  /** Two columns on one line: a label on the left, a value on the right. */
  z.object({ kind: z.literal('pair'), left: z.string(), right: z.string(), bold: z.boolean().default(false) }),
  z.object({ kind: z.literal('separator'), style: z.enum(['line', 'dashed', 'double', 'blank']).default('line') }),
  z.object({
    kind: z.literal('qr'),
    data: z.string().min(1).max(1500),
    /** Module size in dots (1–16). */
    cell: z.number().int().min(1).max(16).default(6),
    align: Align.default('center'),
    /** Text printed beside the QR (Circular 01/2023 puts the QR upper-left with facts beside it). */
    caption: z.array(z.string()).optional(),
  }),
  z.object({
    kind: z.literal('barcode'),
    data: z.string().min(1).max(80),
    symbology: z.enum(['CODE128', 'CODE39']).default('CODE128'),
    align: Align.default('center'),
  }),
  /** A 1-bit-able image: PNG bytes as base64. */
  z.object({ kind: z.literal('image'), png: z.string().min(1), align: Align.default('center') }),
  z.object({ kind: z.literal('feed'), lines: z.number().int().min(1).max(10).default(1) }),
  z.object({ kind: z.literal('cut'), partial: z.boolean().default(true) }),
]);
export type ReceiptBlock = z.input<typeof ReceiptBlock>;

export const ReceiptDoc = z.object({
  /** What this receipt is, for logs and health (never personal data). */
  kind: z.enum(['ticket', 'checklist', 'dossier-status', 'dossier-receipt', 'payment-slip', 'rating', 'test']),
  blocks: z.array(ReceiptBlock).min(1).max(500),
});
export type ReceiptDoc = z.input<typeof ReceiptDoc>;
export type ReceiptDocParsed = z.output<typeof ReceiptDoc>;
