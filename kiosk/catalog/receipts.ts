import type { ReceiptBlock, ReceiptDoc } from '../../drivers/printer/receipt.ts';
import { CHANNEL_NAMES, type Procedure } from '../../protocol/catalog.ts';
import { DOSSIER_STATUSES, type DossierLookup } from '../../protocol/dossiers.ts';
import { statusStage, TIMELINE_STAGES } from '../../contract/domains/catalog.ts';
import { localDateTime, vnDay } from '../../protocol/tickets.ts';
import { nextStep, STAGE_WORDS } from './status-words.ts';

const text = (t: string, more: Partial<Extract<ReceiptBlock, { kind: 'text' }>> = {}): ReceiptBlock => ({
  kind: 'text',
  text: t,
  ...more,
});

/** How many of a document to bring, in words: "1 bản chính, 1 bản sao". */
export function copiesText(d: { originals: number; copies: number }): string {
  const parts: string[] = [];
  if (d.originals) parts.push(`${d.originals} bản chính`);
  if (d.copies) parts.push(`${d.copies} bản sao`);
  return parts.join(', ') || 'xuất trình';
}

/**
 * "In hướng dẫn": the documents to bring for a procedure, with boxes to tick, the time limit,
 * the fee and its exemptions verbatim, and where to submit. Vietnamese: it is read at the
 * counter, whatever language the screen was in.
 */
export function checklistReceipt(
  p: Procedure,
  opts: { officeName: string; fieldName: string; printedAt: Date },
): ReceiptDoc {
  const blocks: ReceiptBlock[] = [
    text(opts.officeName, { align: 'center', size: 'small' }),
    text('HƯỚNG DẪN CHUẨN BỊ HỒ SƠ', { align: 'center', size: 'large', bold: true }),
    { kind: 'separator', style: 'double' },
    text(p.name, { bold: true }),
    ...(p.sample ? [text('(Thủ tục mẫu — dữ liệu thử, không phải thủ tục chính thức)', { size: 'small' })] : []),
    { kind: 'pair', left: 'Mã thủ tục', right: p.code },
    { kind: 'pair', left: 'Lĩnh vực', right: opts.fieldName },
    { kind: 'separator', style: 'line' },
    text('GIẤY TỜ CẦN MANG THEO', { bold: true }),
  ];
  for (const c of p.cases) {
    if (c.name) blocks.push(text(`Trường hợp: ${c.name}`, { bold: true }));
    c.documents.forEach((d, i) => {
      blocks.push(text(`[ ] ${i + 1}. ${d.name} — ${copiesText(d)}`));
      if (d.template)
        blocks.push(text(`    ${/^mẫu/i.test(d.template) ? d.template : `Mẫu: ${d.template}`}`, { size: 'small' }));
      if (d.note) blocks.push(text(`    (${d.note})`, { size: 'small' }));
    });
  }
  blocks.push({ kind: 'separator', style: 'line' });
  const channel = p.channels.find((c) => c.kind === 'truc-tiep') ?? p.channels[0]!;
  blocks.push(text(`Thời hạn giải quyết (${CHANNEL_NAMES[channel.kind].toLowerCase()}): ${channel.timeLimit}`));
  blocks.push(text(`Phí, lệ phí: ${channel.fee}`));
  for (const other of p.channels) {
    if (other !== channel && other.fee !== channel.fee)
      blocks.push(text(`${CHANNEL_NAMES[other.kind]}: ${other.fee}`, { size: 'small' }));
  }
  if (p.feeExemptions.length) {
    blocks.push(text('Miễn, giảm phí:', { bold: true }));
    for (const e of p.feeExemptions) blocks.push(text(e, { size: 'small' }));
  }
  blocks.push(text(`Nơi nộp: ${p.whereToSubmit}`));
  blocks.push({ kind: 'separator', style: 'dashed' });
  blocks.push(
    text(`In lúc ${localDateTime(opts.printedAt)}. Thông tin để tham khảo; cán bộ tiếp nhận sẽ hướng dẫn thêm.`, {
      size: 'small',
      align: 'center',
    }),
  );
  blocks.push({ kind: 'cut', partial: true });
  return { kind: 'checklist', blocks };
}

/** The dossier status slip ("In"): status, timeline, appointment, what to do next. */
export function dossierStatusReceipt(
  d: DossierLookup,
  opts: { officeName: string; printedAt: Date; checkedAt: Date; stale: boolean },
): ReceiptDoc {
  const blocks: ReceiptBlock[] = [
    text(opts.officeName, { align: 'center', size: 'small' }),
    text('TÌNH TRẠNG HỒ SƠ', { align: 'center', size: 'large', bold: true }),
    { kind: 'separator', style: 'double' },
    { kind: 'pair', left: 'Mã hồ sơ', right: d.dossierCode },
    text(d.procedureName, { bold: true }),
    { kind: 'pair', left: 'Người nộp', right: d.applicantMasked },
    { kind: 'pair', left: 'Ngày hẹn trả', right: vnDay(d.appointmentDate) },
    { kind: 'separator', style: 'line' },
    text(`Trạng thái: ${DOSSIER_STATUSES[d.status as keyof typeof DOSSIER_STATUSES] ?? d.statusLabel}`, {
      bold: true,
      size: 'large',
    }),
  ];
  for (const s of TIMELINE_STAGES) {
    const event = d.timeline.filter((e) => statusStage(e.status) === s.stage).at(-1);
    if (!event && s.optional) continue;
    const mark = event ? '[x]' : '[ ]';
    blocks.push(text(`${mark} ${STAGE_WORDS[s.stage]}${event ? ` — ${localDateTime(new Date(event.at))}` : ''}`));
    if (event?.note) blocks.push(text(`    ${event.note}`, { size: 'small' }));
  }
  blocks.push({ kind: 'separator', style: 'line' });
  blocks.push(text('Việc cần làm tiếp theo:', { bold: true }));
  blocks.push(text(nextStep(d, 'vi')));
  if (opts.stale)
    blocks.push(
      text(`Thông tin cập nhật lần cuối lúc ${localDateTime(opts.checkedAt)} (kiosk đang mất kết nối).`, {
        size: 'small',
      }),
    );
  blocks.push({ kind: 'qr', data: d.dossierCode, cell: 5, align: 'center' });
  blocks.push(text(`In lúc ${localDateTime(opts.printedAt)}`, { size: 'small', align: 'center' }));
  blocks.push({ kind: 'cut', partial: true });
  return { kind: 'dossier-status', blocks };
}
