import type { FastifyInstance } from 'fastify';
import { DOSSIER_CODE_RE } from '../protocol/dossiers.ts';
import { OfficeId } from '../protocol/http.ts';
import type { Device } from './context.node.ts';
import { HttpError } from './http.node.ts';
import type { Sql } from './store/store.node.ts';

/**
 * What a kiosk may read at central: what belongs to its own office. Two parts, both here:
 * - a hook: a route naming an office (`:officeId`) answers only for the device's own office;
 * - scoped store access: a record named by id (a dossier code, a payment id) is read only
 *   together with the device's office. Another office's record answers 404, as if it did not
 *   exist (codes are sequential: a 403 would confirm them).
 * Routes read dossiers and payments through `scoped(device)`, never by id alone.
 */
export function registerOfficeScope(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const officeId = (req.params as Record<string, unknown> | undefined)?.officeId;
    // A malformed id is the route's 400; a well-formed one of another office is a 404.
    if (
      req.device &&
      typeof officeId === 'string' &&
      OfficeId.safeParse(officeId).success &&
      officeId !== req.device.officeId
    )
      throw new HttpError(404, 'NOT_FOUND', `no office ${officeId.slice(0, 64)}`);
  });
}

export interface ScopedDossierRow {
  code: string;
  office_id: string;
  provisional_no: string;
  procedure_code: string;
  procedure_name: string;
  applicant_name: string;
  fee: number;
  status: number;
  received_at: string;
  appointment_date: string;
  paid_at: string | null;
}

export interface ScopedPaymentRow {
  id: string;
  dossier_code: string;
  office_id: string;
  device_id: string;
  amount: number;
  status: 'pending' | 'confirmed' | 'rejected' | 'superseded' | 'overpaid';
  confirmed_at: string | null;
  bank_ref: string | null;
}

const DOSSIER_COLS =
  'code, office_id, provisional_no, procedure_code, procedure_name, applicant_name, fee, status, received_at, appointment_date, paid_at';

/** Reads of one office's records (see registerOfficeScope). */
export const scoped = (device: Pick<Device, 'officeId'>) => ({
  /** A dossier by code, or by the provisional number a kiosk of the same office printed. */
  dossier: (q: Sql, ref: string): Promise<ScopedDossierRow | undefined> =>
    DOSSIER_CODE_RE.test(ref)
      ? q.get<ScopedDossierRow>(`SELECT ${DOSSIER_COLS} FROM dossiers WHERE code = ? AND office_id = ?`, [
          ref,
          device.officeId,
        ])
      : q.get<ScopedDossierRow>(`SELECT ${DOSSIER_COLS} FROM dossiers WHERE provisional_no = ? AND office_id = ?`, [
          ref,
          device.officeId,
        ]),
  payment: (q: Sql, id: string): Promise<ScopedPaymentRow | undefined> =>
    q.get<ScopedPaymentRow>(
      'SELECT id, dossier_code, office_id, device_id, amount, status, confirmed_at, bank_ref FROM payments WHERE id = ? AND office_id = ?',
      [id, device.officeId],
    ),
});
