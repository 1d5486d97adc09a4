import { localDay } from '../../protocol/tickets.ts';
import {
  DOSSIER_KIND,
  DOSSIER_STATUSES,
  DossierSubmission,
  maskName,
  type DossierAccepted,
  type DossierLookup,
} from '../../protocol/dossiers.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, RejectItem, type CentralRoute } from '../context.node.ts';
import { HttpError } from '../http.node.ts';
import { scoped, type ScopedDossierRow } from '../scope.node.ts';
import { nextCounter, type Sql } from '../store/store.node.ts';

/** Vietnam keeps UTC+7 all year: the office's calendar day of an instant. */

/** `days` working days (Monday–Friday) after `isoDate`; 0 = the same day. Public holidays are not known here. */
export function addWorkingDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  let left = days;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    const wd = d.getUTCDay();
    if (wd !== 0 && wd !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
}

type DossierRow = ScopedDossierRow;

const label = (status: number): string => DOSSIER_STATUSES[status as keyof typeof DOSSIER_STATUSES] ?? String(status);

/** A dossier of an office by its code, or by the provisional number a kiosk of that office printed (office-scoped: central/scope.node.ts). */
export const findDossier = (q: Sql, ref: string, officeId: string): Promise<DossierRow | undefined> =>
  scoped({ officeId }).dossier(q, ref);

export const route: CentralRoute = {
  name: 'dossiers',
  register(app, ctx) {
    ctx.registerBatchKind(DOSSIER_KIND, {
      payload: DossierSubmission,
      async accept(q, item, device): Promise<DossierAccepted> {
        const office = await getOfficeConfig(q, device.officeId);
        if (!office) throw new RejectItem('UNKNOWN_OFFICE', `office ${device.officeId} is not configured`);
        const p = item.payload;
        const now = ctx.now();
        const day = localDay(now);
        const yymmdd = day.slice(2).replace(/-/g, '');
        const agency = office.config.agencyCode;
        // The counter restarts daily per agency and may pass 9999 (then it simply grows).
        const n = await nextCounter(q, `dossier:${agency}:${yymmdd}`);
        const code = `${agency}-${yymmdd}-${String(n).padStart(4, '0')}`;
        const receivedAt = now.toISOString();
        const appointmentDate = addWorkingDays(day, p.processingDays);
        const clash = await q.get('SELECT code FROM dossiers WHERE office_id = ? AND provisional_no = ?', [
          device.officeId,
          p.provisionalNo,
        ]);
        if (clash)
          throw new RejectItem(
            'PROVISIONAL_REUSED',
            `provisional number ${p.provisionalNo} already names another dossier`,
          );
        await q.run(
          `INSERT INTO dossiers (code, office_id, device_id, kiosk_id, provisional_no, item_key, procedure_code, procedure_name, applicant_name,
             applicant_json, fields_json, fee, status, consent_at, submitted_at, received_at, appointment_date, paid_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
          [
            code,
            device.officeId,
            device.id,
            p.kioskId,
            p.provisionalNo,
            item.key,
            p.procedureCode,
            p.procedureName,
            p.applicant.fullName,
            JSON.stringify(p.applicant),
            JSON.stringify(p.fields),
            p.fee,
            2,
            p.consentAt,
            p.submittedAt,
            receivedAt,
            appointmentDate,
          ],
        );
        for (const a of p.attachments ?? [])
          await q.run(
            'INSERT INTO dossier_attachments (dossier_code, office_id, doc_id, title, sha256, bytes, pages) VALUES (?, ?, ?, ?, ?, ?, ?)',
            [code, device.officeId, a.docId, a.title, a.sha256, a.bytes, a.pages],
          );
        await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [
          code,
          1,
          p.submittedAt,
          `kiosk ${p.kioskId}`,
        ]);
        await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [
          code,
          2,
          receivedAt,
          null,
        ]);
        return { dossierCode: code, receivedAt, appointmentDate, fee: p.fee };
      },
    });

    app.get<{ Params: { ref: string } }>('/v1/dossiers/:ref', async (req): Promise<DossierLookup> => {
      const device = deviceOf(req);
      const ref = req.params.ref.trim();
      const row = await findDossier(ctx.store, ref, device.officeId);
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no dossier ${ref}`);
      const events = await ctx.store.all<{ status: number; at: string; note: string | null }>(
        'SELECT status, at, note FROM dossier_events WHERE dossier_code = ? ORDER BY at, status',
        [row.code],
      );
      return {
        dossierCode: row.code,
        provisionalNo: row.provisional_no,
        procedureCode: row.procedure_code,
        procedureName: row.procedure_name,
        applicantMasked: maskName(row.applicant_name),
        status: Number(row.status),
        statusLabel: label(Number(row.status)),
        receivedAt: row.received_at,
        appointmentDate: row.appointment_date,
        fee: Number(row.fee),
        paid: row.paid_at !== null,
        timeline: events.map((e) => ({
          status: Number(e.status),
          label: label(Number(e.status)),
          at: e.at,
          note: e.note,
        })),
      };
    });
  },
};
