import { z } from 'zod';
import {
  DOSSIER_PAGE_TEXT,
  PHONE_LANGS,
  PublicToken,
  type DossierPageTextKey,
  type PhoneLang,
} from '../../protocol/phone.ts';
import { localDateTime, localDay, vnDay } from '../../protocol/tickets.ts';
import {
  DOSSIER_FINAL_STATUSES,
  DOSSIER_KIND,
  DOSSIER_STATUSES,
  DossierStatus,
  DossierStatusChange,
  type DossierStatusChanged,
  DossierSubmission,
  maskName,
  type DossierAccepted,
  type DossierLookup,
} from '../../protocol/dossiers.ts';
import { getOfficeConfig } from '../admin.node.ts';
import { deviceOf, officerOf, RejectItem, type CentralRoute } from '../context.node.ts';
import { HttpError, parse, sha256 } from '../http.node.ts';
import { enqueueDossierStatus, optInDossier, recordDossierStatus } from '../notify/dossiers.node.ts';
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
        // "Nhắn tin về hồ sơ": the opt-in is kept with the dossier and "received" is the first message.
        if (p.notify) {
          const d = { code, officeId: device.officeId, officeName: office.config.name, procedureName: p.procedureName };
          const base = office.config.phone?.publicUrl ?? ctx.notify.publicUrl ?? '';
          await optInDossier(q, { ...d, appointmentDate }, p.notify, base, now);
          await enqueueDossierStatus(q, d, 2, now);
        }
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

    // An officer records a dossier's progress (processing, result ready, …) for their own office;
    // the citizen who opted in at submission is told (docs/phone.md).
    app.post<{ Params: { code: string } }>(
      '/v1/officer/dossiers/:code/status',
      { config: { officer: { roles: ['counter'] as const } } },
      async (req): Promise<DossierStatusChanged> => {
        const s = officerOf(req);
        const body = parse(DossierStatusChange, req.body);
        const at = ctx.now();
        return ctx.store.tx(async (q) => {
          const row = await findDossier(q, req.params.code.trim(), s.officer.officeId);
          if (!row) throw new HttpError(404, 'NOT_FOUND', `no dossier ${req.params.code}`);
          const current = Number(row.status);
          if (current === body.status) return { dossierCode: row.code, status: current, changed: false };
          if (DOSSIER_FINAL_STATUSES.includes(current) && !(current === 9 && body.status === 10))
            throw new HttpError(409, 'CONFLICT', `dossier ${row.code} is closed (${label(current)})`);
          const office = await getOfficeConfig(q, s.officer.officeId);
          await recordDossierStatus(
            q,
            {
              code: row.code,
              officeId: s.officer.officeId,
              officeName: office?.config.name ?? s.officer.officeId,
              procedureName: row.procedure_name,
            },
            body.status,
            at,
            body.note ?? null,
          );
          return { dossierCode: row.code, status: body.status, changed: true };
        });
      },
    );

    // The dossier's public status page, the link in the citizen's messages: no personal data.
    app.get('/hs/:token', { config: { public: true } }, async (req, reply) => {
      const { token } = parse(z.object({ token: z.string().max(100) }), req.params, 'path');
      const { lang } = z.object({ lang: z.enum(PHONE_LANGS).catch('vi').default('vi') }).parse(req.query ?? {});
      const row = PublicToken.safeParse(token).success
        ? await ctx.store.get<{
            code: string;
            procedure_name: string;
            status: number;
            appointment_date: string;
            office_id: string;
          }>(
            'SELECT code, procedure_name, status, appointment_date, office_id FROM dossiers WHERE public_token_hash = ?',
            [sha256(token)],
          )
        : undefined;
      const events = row
        ? await ctx.store.all<{ status: number; at: string }>(
            'SELECT status, at FROM dossier_events WHERE dossier_code = ? ORDER BY at, status',
            [row.code],
          )
        : [];
      // A phone's browser gets the page that says so; an API client the usual error body.
      if (!row && !String(req.headers.accept ?? '').includes('text/html'))
        throw new HttpError(404, 'NOT_FOUND', 'no dossier under this address');
      const office = row ? ((await getOfficeConfig(ctx.store, row.office_id))?.config.name ?? '') : '';
      return reply
        .code(row ? 200 : 404)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex')
        .header(
          'content-security-policy',
          "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        )
        .send(renderDossierPage(lang, row ? { ...row, office, events } : null));
    });
  },
};

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function renderDossierPage(
  lang: PhoneLang,
  d: {
    code: string;
    procedure_name: string;
    status: number;
    appointment_date: string;
    office: string;
    events: Array<{ status: number; at: string }>;
  } | null,
): string {
  const say = (k: DossierPageTextKey) => esc(DOSSIER_PAGE_TEXT[lang][k]);
  const other: PhoneLang = lang === 'vi' ? 'en' : 'vi';
  const main = d
    ? `<p class="office">${esc(d.office)}</p>
<dl><dt>${say('code')}</dt><dd data-k="code">${esc(d.code)}</dd><dt>${say('procedure')}</dt><dd>${esc(d.procedure_name)}</dd>
<dt>${say('status')}</dt><dd data-k="status">${esc(label(Number(d.status)))}</dd><dt>${say('appointment')}</dt><dd>${esc(vnDay(d.appointment_date))}</dd></dl>
<h2>${say('timeline')}</h2><ol>${d.events.map((e) => `<li>${esc(localDateTime(new Date(e.at)))} — ${esc(label(Number(e.status)))}</li>`).join('')}</ol>`
    : `<p class="note" role="alert">${say('notFound')}</p>`;
  return `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${say('title')}</title>
<style>
body{margin:0;font-family:"Noto Sans","DejaVu Sans",system-ui,sans-serif;background:#f4f6fa;color:#111;font-size:18px}
header{display:flex;justify-content:space-between;align-items:center;background:#0b2a5b;color:#fff;padding:12px 16px}
header h1{font-size:18px;margin:0}header a{color:#fff;font-size:16px;padding:8px}
main{padding:16px;max-width:480px;margin:0 auto}h2{font-size:18px}
.office{margin:0 0 8px;color:#444}.note{background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}
dl{display:grid;grid-template-columns:auto 1fr;gap:8px 12px;background:#fff;padding:12px;border-radius:12px;border:1px solid #d0d7e2}
dt{color:#444}dd{margin:0;font-weight:700;text-align:right}
</style></head><body>
<header><h1>${say('title')}</h1><a href="?lang=${other}" hreflang="${other}">${say('switchLang')}</a></header>
<main>${main}</main>
</body></html>
`;
}
