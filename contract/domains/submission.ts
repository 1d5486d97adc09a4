import { z } from 'zod';
import { call } from '../define.ts';
import { PrintOutcome } from '../print.ts';
import { IdentitySource } from '../../protocol/dossiers.ts';
import { DocumentPages } from './capture.ts';

export const SubmitInput = z
  .object({
    procedureCode: z.string().min(1).max(40),
    /** Field id → value as typed (dates dd/mm/yyyy). Validated again here with the same engine. */
    values: z.record(z.string().max(60), z.string().max(2000)),
    /** Decree 13/2023: the citizen ticked the consent box on the review screen. */
    consent: z.literal(true),
    /** What filled the applicant's identity on screen. `chip-verified` is believed only when the values equal the chip read this session. */
    identitySource: IdentitySource.default('manual'),
    /** The papers captured for the procedure's documents: one PDF each (contract/domains/capture.ts). */
    documents: z.array(DocumentPages).max(20).default([]),
    /**
     * "Nhắn tin về hồ sơ" (docs/phone.md), optional: Zalo or SMS, the mobile number as typed on the
     * keypad, and the citizen's agreement to the consent wording shown with it.
     */
    notify: z
      .object({ channel: z.enum(['zalo', 'sms']), phone: z.string().max(20), consent: z.literal(true) })
      .strict()
      .optional(),
  })
  .strict();

export const SubmitResult = z.object({
  provisionalNo: z.string(),
  /** Central acknowledged within the short wait: the final receipt was printed. */
  accepted: z.boolean(),
  dossierCode: z.string().nullable(),
  appointmentDate: z.string().nullable(),
  fee: z.number().int(),
  print: PrintOutcome,
  /** The identity source the dossier recorded. */
  identitySource: IdentitySource,
  /** The documents attached (pages each), as saved; they are sent to central in the background. */
  attachments: z.array(z.object({ docId: z.string(), pages: z.number().int(), bytes: z.number().int() })).default([]),
});
export type SubmitResult = z.infer<typeof SubmitResult>;

export const LocalDossier = z.object({
  provisionalNo: z.string(),
  procedureCode: z.string(),
  procedureName: z.string(),
  status: z.enum(['pending', 'accepted', 'parked']),
  dossierCode: z.string().nullable(),
  appointmentDate: z.string().nullable(),
  fee: z.number().int(),
  createdAt: z.string(),
});
export type LocalDossier = z.infer<typeof LocalDossier>;

export const calls = {
  /**
   * Saves the dossier and its outbox entry in one transaction, waits briefly for central's
   * code and prints the final receipt, or a provisional one ("CHỜ ĐỒNG BỘ") when central did
   * not answer. BAD_INPUT with `details.errors` when the form is not complete.
   */
  'submission.submit': call(SubmitInput, SubmitResult),
  /** This kiosk's record of a dossier by provisional number or code (no personal data). */
  'submission.local': call(z.object({ ref: z.string().min(1).max(60) }).strict(), LocalDossier),
};

export const events = {
  /** Central gave a dossier submitted here its code (maybe long after, when back online). */
  'submission.accepted': z.object({ provisionalNo: z.string(), dossierCode: z.string() }),
};
