import { localDateTime, localDay, vnDay } from '../../protocol/tickets.ts';
import { randomUUID } from 'node:crypto';
import {
  DOSSIER_KIND,
  DossierAccepted,
  DossierSubmission,
  formatProvisionalNo,
  type Applicant,
} from '../../protocol/dossiers.ts';
import type { ReceiptBlock, ReceiptDoc } from '../../drivers/printer/receipt.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { LocalDossier } from '../../contract/domains/submission.ts';
import { KioskError } from '../../contract/errors.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { chipVerifiedApplicant } from './chip.node.ts';
import {
  cleanValues,
  feeFor,
  formFor,
  parseDmy,
  validateForm,
  type FormSchema,
  type FormValues,
} from '../../contract/forms/index.ts';
import type { Db } from '../store/db.node.ts';
import { kioskEnv } from '../config/env.node.ts';
import type { KioskCapture } from './capture.node.ts';
import type { AttachmentRef } from '../../protocol/attachments.ts';
import { normalizeVnMobile } from '../../protocol/phone.ts';

/** The sync members these services use (kiosk/sync/wire.node.ts SyncParts). */

/** How long the citizen waits for central's code before the provisional receipt is printed. */

export const vnd = (n: number): string => `${n.toLocaleString('vi-VN').replace(/,/g, '.')} đồng`;

interface DossierRow {
  id: string;
  provisional_no: string;
  procedure_code: string;
  procedure_name: string;
  fee: number;
  status: 'pending' | 'accepted' | 'parked';
  dossier_code: string | null;
  appointment_date: string | null;
  received_at: string | null;
  created_at: string;
}

const toLocal = (r: DossierRow): LocalDossier => ({
  provisionalNo: r.provisional_no,
  procedureCode: r.procedure_code,
  procedureName: r.procedure_name,
  status: r.status,
  dossierCode: r.dossier_code,
  appointmentDate: r.appointment_date,
  fee: r.fee,
  createdAt: r.created_at,
});

export function findLocalDossier(db: Db, ref: string): DossierRow | undefined {
  return db.prepare('SELECT * FROM dossiers WHERE provisional_no = ? OR dossier_code = ?').get(ref, ref) as
    DossierRow | undefined;
}

/** The applicant as the wire wants it, from the form's applicant fields (already validated). */
function applicantOf(values: FormValues): Applicant {
  return {
    fullName: values.applicantName!,
    idNumber: values.applicantId!,
    birthDate: parseDmy(values.applicantBirthDate!)!,
    sex: values.applicantSex === 'female' ? 'female' : 'male',
    address: values.applicantAddress!,
    ...(values.applicantPhone ? { phone: values.applicantPhone.replace(/[\s.]/g, '') } : {}),
  };
}

export interface ReceiptFacts {
  officeName: string;
  /** The kiosk's name (never its device id: that means nothing on a citizen's paper). */
  kioskName: string;
  provisionalNo: string;
  form: FormSchema;
  applicantName: string;
  fee: number;
  submittedAt: Date;
  accepted: DossierAccepted | null;
}

/**
 * The receipt. Final (central gave the code): "PHIẾU TIẾP NHẬN" with the QR upper-left as
 * Circular 01/2023 puts it. Provisional: no QR, no code, an inverted "CHỜ ĐỒNG BỘ" banner and
 * words that say it is not yet an acceptance.
 */
export function dossierReceipt(f: ReceiptFacts): ReceiptDoc {
  const blocks: ReceiptBlock[] = [{ kind: 'text', text: f.officeName, align: 'center', bold: true }];
  if (f.accepted) {
    const a = f.accepted;
    const qr = JSON.stringify({
      maHoSo: a.dossierCode,
      maTTHC: f.form.procedureCode,
      chuHoSo: f.applicantName,
      tenHoSo: f.form.name.vi,
      heThong: `OneStop Kiosk — ${f.kioskName}`,
      ngayTiepNhan: a.receivedAt,
      ngayHenTra: a.appointmentDate,
    });
    blocks.push(
      { kind: 'separator', style: 'line' },
      {
        kind: 'qr',
        data: qr,
        cell: 4,
        align: 'left', // Split after the agency id so the code never breaks mid-number beside the QR.
        caption: [
          'PHIẾU TIẾP NHẬN',
          'HỒ SƠ',
          a.dossierCode.slice(0, a.dossierCode.indexOf('-') + 1),
          a.dossierCode.slice(a.dossierCode.indexOf('-') + 1),
        ],
      },
      { kind: 'separator', style: 'line' },
      { kind: 'pair', left: 'Mã hồ sơ', right: a.dossierCode, bold: true },
      { kind: 'text', text: `Thủ tục: ${f.form.name.vi} (${f.form.procedureCode})` },
      { kind: 'text', text: `Người nộp: ${f.applicantName}` },
      { kind: 'pair', left: 'Tiếp nhận', right: localDateTime(new Date(a.receivedAt)) },
      { kind: 'pair', left: 'Ngày hẹn trả', right: vnDay(a.appointmentDate), bold: true },
      { kind: 'pair', left: 'Lệ phí', right: a.fee === 0 ? 'Miễn phí' : vnd(a.fee) },
      { kind: 'separator', style: 'dashed' },
      { kind: 'text', text: 'Mang theo giấy tờ sau khi đến quầy:', size: 'small' },
      ...f.form.documents.map((d): ReceiptBlock => ({ kind: 'text', text: `- ${d.vi}`, size: 'small' })),
      { kind: 'text', text: 'Quét mã QR ở góc trên tại kiosk để tra cứu hồ sơ.', size: 'small' },
    );
  } else {
    blocks.push(
      { kind: 'separator', style: 'double' },
      { kind: 'text', text: 'GIẤY BIÊN NHẬN TẠM', align: 'center', size: 'large', bold: true },
      { kind: 'text', text: 'CHỜ ĐỒNG BỘ', align: 'center', size: 'large', bold: true, invert: true },
      { kind: 'text', text: 'Chưa phải phiếu tiếp nhận hồ sơ', align: 'center', bold: true },
      { kind: 'separator', style: 'double' },
      // The bare number in the QR: the kiosk's home screen reads it and opens the status.
      { kind: 'qr', data: f.provisionalNo, cell: 6, align: 'left', caption: ['SỐ TẠM', f.provisionalNo] },
      { kind: 'pair', left: 'Số tạm', right: f.provisionalNo, bold: true },
      { kind: 'pair', left: 'Kiosk', right: f.kioskName },
      { kind: 'text', text: `Thủ tục: ${f.form.name.vi} (${f.form.procedureCode})` },
      { kind: 'pair', left: 'Lúc', right: localDateTime(f.submittedAt) },
      { kind: 'pair', left: 'Lệ phí dự kiến', right: f.fee === 0 ? 'Miễn phí' : vnd(f.fee) },
      { kind: 'separator', style: 'dashed' },
      { kind: 'text', text: 'Kiosk đang mất kết nối. Hồ sơ đã được lưu và sẽ tự gửi khi có mạng.', size: 'small' },
      {
        kind: 'text',
        text: `Sau đó quét mã QR trên giấy này tại kiosk (hoặc nhập số tạm ${f.provisionalNo}) để biết mã hồ sơ và ngày hẹn trả.`,
        size: 'small',
      },
    );
  }
  blocks.push({ kind: 'feed', lines: 2 }, { kind: 'cut', partial: true });
  return { kind: 'dossier-receipt', blocks };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Registers what the kiosk does when central answers for a dossier: keep the code, wipe the personal data. */
export function registerDossierOutbox(ctx: ApplianceContext): void {
  ctx.outbox.registerHandler(DOSSIER_KIND, {
    onAccepted(db, entry, result) {
      const a = DossierAccepted.safeParse(result);
      if (!a.success) return;
      const now = ctx.clock.now().toISOString();
      db.prepare(
        `UPDATE dossiers SET status = 'accepted', dossier_code = ?, appointment_date = ?, received_at = ?, fee = ?,
           applicant_name = NULL, data_json = NULL, wiped_at = ?, last_error = NULL WHERE outbox_key = ?`,
      ).run(a.data.dossierCode, a.data.appointmentDate, a.data.receivedAt, a.data.fee, now, entry.key);
      const row = db.prepare('SELECT provisional_no FROM dossiers WHERE outbox_key = ?').get(entry.key) as
        { provisional_no: string } | undefined;
      // After the transaction that records the answer.
      if (row)
        queueMicrotask(() =>
          ctx.events.emit('submission.accepted', {
            provisionalNo: row.provisional_no,
            dossierCode: a.data.dossierCode,
          }),
        );
    },
    onParked(db, entry, reason) {
      db.prepare("UPDATE dossiers SET status = 'parked', last_error = ? WHERE outbox_key = ?").run(reason, entry.key);
    },
    // Central holds the dossier: the kiosk keeps only what a receipt reprint or audit needs.
    retain: (payload) => {
      const p = payload as Partial<DossierSubmission>;
      return {
        provisionalNo: p.provisionalNo,
        procedureCode: p.procedureCode,
        submittedAt: p.submittedAt,
        ...(p.attachments ? { attachments: p.attachments.map((a) => ({ docId: a.docId, sha256: a.sha256 })) } : {}),
      };
    },
  });
}

/**
 * This kiosk's slot in its office: the offline ticket series central assigns once per device
 * (kiosk/tickets/desk.node.ts keeps it), so `T<slot>-…` never repeats within an office. 0 when
 * the kiosk has not yet been told its slot (it asks at start and on every reconnect).
 */
function provisionalSlot(ctx: ApplianceContext): number {
  const officeId = ctx.credentials.get()?.officeId ?? ctx.config.officeId;
  return (
    (ctx.db.prepare('SELECT slot FROM ticket_series WHERE office_id = ?').pluck().get(officeId) as
      number | undefined) ?? 0
  );
}

export function submissionHandlers(
  ctx: ApplianceContext,
  opts: {
    ackWaitMs?: number;
    /** The papers (issue 16); without it the kiosk takes no documents (`documents` must be empty). */
    capture?: KioskCapture;
    /** Refuse a dossier without the procedure's required documents (a kiosk that can capture them). */
    requireDocuments?: boolean;
  } = {},
): Pick<Handlers, 'submission.submit' | 'submission.local'> {
  const ackWaitMs = opts.ackWaitMs ?? kioskEnv().KIOSK_ACK_WAIT_MS;
  registerDossierOutbox(ctx);

  return {
    'submission.submit': async ({ procedureCode, values, identitySource: claimed, documents, notify }) => {
      const form = formFor(procedureCode);
      if (!form) throw new KioskError('NOT_FOUND', `no form for procedure ${procedureCode}`);
      // The number is checked here and never logged; it travels only inside the dossier's payload.
      const notifyPhone = notify ? normalizeVnMobile(notify.phone) : null;
      if (notify && !notifyPhone) throw new KioskError('BAD_INPUT', 'not a Vietnamese mobile number');
      const now = ctx.clock.now();
      // The same validator as the screen: a half-filled form never leaves this function.
      const errors = validateForm(form, values, localDay(now));
      if (errors.length)
        throw new KioskError('BAD_INPUT', `form ${procedureCode} has ${errors.length} problem(s)`, { errors });
      const clean = cleanValues(form, values);
      const chipOk = chipVerifiedApplicant(ctx, applicantOf(clean));
      // A claim of a verified chip that the chip read does not back is recorded as typed by hand.
      const identitySource = chipOk ? 'chip-verified' : claimed === 'chip-verified' ? 'manual' : claimed;
      if (claimed === 'chip-verified' && !chipOk)
        ctx.log.warn(
          { procedureCode },
          'chip-verified claimed without a matching verified chip read; recorded as manual',
        );
      const applicant = { ...applicantOf(clean), identitySource };
      const fee = feeFor(form, clean);
      const {
        applicantName: _n,
        applicantId: _i,
        applicantBirthDate: _b,
        applicantSex: _s,
        applicantAddress: _a,
        applicantPhone: _p,
        ...fields
      } = clean;

      // The papers: one encrypted PDF per document, written before the dossier's transaction.
      let attachments: AttachmentRef[] = [];
      if (opts.capture && (documents.length || opts.requireDocuments)) {
        attachments = await opts.capture.prepare(
          opts.requireDocuments
            ? form
            : { ...form, attachments: (form.attachments ?? []).map((a) => ({ ...a, optional: true })) },
          documents,
        );
      } else if (documents.length) throw new KioskError('BAD_INPUT', 'this kiosk takes no documents');

      const id = randomUUID();
      const save = ctx.db.transaction(() => {
        const localNo =
          ((ctx.db.prepare('SELECT MAX(local_no) FROM dossiers').pluck().get() as number | null) ?? 0) + 1;
        const provisionalNo = formatProvisionalNo(provisionalSlot(ctx), localNo);
        const payload = DossierSubmission.parse({
          provisionalNo,
          kioskId: ctx.config.kioskId,
          procedureCode,
          procedureName: form.name.vi,
          applicant,
          fields,
          fee,
          processingDays: form.processingDays,
          consentAt: now.toISOString(),
          submittedAt: now.toISOString(),
          ...(attachments.length ? { attachments } : {}),
          ...(notify && notifyPhone ? { notify: { channel: notify.channel, phone: notifyPhone, consent: 'v1' } } : {}),
        });
        const { key } = ctx.outbox.enqueue(DOSSIER_KIND, payload, { now });
        opts.capture?.record(ctx.db, key, attachments, now);
        ctx.db
          .prepare(
            `INSERT INTO dossiers (id, local_no, provisional_no, procedure_code, procedure_name, applicant_name, data_json, fee, outbox_key, status, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)`,
          )
          .run(
            id,
            localNo,
            provisionalNo,
            procedureCode,
            form.name.vi,
            applicant.fullName,
            JSON.stringify(payload),
            fee,
            key,
            now.toISOString(),
          );
        return provisionalNo;
      });
      const provisionalNo = save();
      if (opts.capture) {
        opts.capture.commitPages(documents);
        ctx.attachments.kick();
      }
      ctx.log.info(
        {
          provisionalNo,
          procedureCode,
          documents: attachments.length,
          pages: attachments.reduce((n, a) => n + a.pages, 0),
        },
        'dossier saved',
      );

      // Short wait for central's code; the sync engine was woken by the enqueue.
      const deadline = Date.now() + ackWaitMs;
      let row = findLocalDossier(ctx.db, provisionalNo)!;
      while (row.status === 'pending' && Date.now() < deadline) {
        await sleep(100);
        row = findLocalDossier(ctx.db, provisionalNo)!;
      }
      const accepted: DossierAccepted | null =
        row.status === 'accepted' && row.dossier_code
          ? {
              dossierCode: row.dossier_code,
              appointmentDate: row.appointment_date!,
              receivedAt: row.received_at!,
              fee: row.fee,
            }
          : null;
      const doc = dossierReceipt({
        officeName: ctx.config.officeName,
        kioskName: ctx.config.kioskName,
        provisionalNo,
        form,
        applicantName: applicant.fullName,
        fee,
        submittedAt: now,
        accepted,
      });
      const print = await ctx.printer.printOrPreview(doc);
      return {
        provisionalNo,
        accepted: accepted !== null,
        dossierCode: accepted?.dossierCode ?? null,
        appointmentDate: accepted?.appointmentDate ?? null,
        fee: accepted?.fee ?? fee,
        print,
        identitySource,
        attachments: attachments.map((a) => ({ docId: a.docId, pages: a.pages, bytes: a.bytes })),
      };
    },
    'submission.local': ({ ref }) => {
      const row = findLocalDossier(ctx.db, ref.trim());
      if (!row) throw new KioskError('NOT_FOUND', `no dossier ${ref} on this kiosk`);
      return toLocal(row);
    },
  };
}
