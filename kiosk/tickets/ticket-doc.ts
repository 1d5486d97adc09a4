import type { ReceiptBlock, ReceiptDoc } from '../../drivers/printer/receipt.ts';
import { buildTicketQr } from '../../drivers/id/ticket.ts';
import type { TicketView } from '../../contract/domains/tickets.ts';

/** Printed when neither the service nor the office configures a line of its own. */
export const DEFAULT_PREPARE = 'Chuẩn bị sẵn thẻ Căn cước và giấy tờ liên quan trước khi đến quầy.';

export function waitText(t: Pick<TicketView, 'wait' | 'ahead'>): string {
  if (!t.wait) return 'Chưa xác định';
  return t.wait.minMinutes === 0 && t.wait.maxMinutes <= 1
    ? 'Dưới 1 phút'
    : `${t.wait.minMinutes}–${t.wait.maxMinutes} phút`;
}

/**
 * The queue ticket as printed (and previewed on screen when the printer fails): office, area,
 * the number in the largest type, a priority mark in words on an inverted block (never colour
 * alone), time, people ahead and wait, where to wait, the QR (the live ticket page's address,
 * docs/phone.md; `OSK1:T:<id>` for a ticket without a token), what to prepare.
 */
export function buildTicketDoc(
  t: TicketView,
  opts: { officeName: string; prepare: string; reprint?: boolean; qr?: string },
): ReceiptDoc {
  const blocks: ReceiptBlock[] = [
    { kind: 'text', text: opts.officeName, align: 'center', size: 'normal', bold: true },
    { kind: 'text', text: t.areaName, align: 'center', size: 'normal' },
    { kind: 'separator', style: 'line' },
    { kind: 'text', text: 'SỐ THỨ TỰ', align: 'center', size: 'small' },
    { kind: 'text', text: t.number, align: 'center', size: 'huge', bold: true },
    { kind: 'text', text: t.serviceName, align: 'center', size: 'normal', bold: true },
  ];
  if (t.priorityName) {
    blocks.push({
      kind: 'text',
      text: ` ƯU TIÊN: ${t.priorityName.toUpperCase()} `,
      align: 'center',
      size: 'normal',
      bold: true,
      invert: true,
    });
  }
  if (t.appointmentSlot) {
    blocks.push({
      kind: 'text',
      text: ` LỊCH HẸN ${t.appointmentSlot} `,
      align: 'center',
      size: 'normal',
      bold: true,
      invert: true,
    });
  }
  if (opts.reprint) blocks.push({ kind: 'text', text: '(In lại)', align: 'center', size: 'small' });
  blocks.push(
    { kind: 'separator', style: 'dashed' },
    { kind: 'pair', left: 'Thời gian lấy số', right: t.issuedAtLocal },
    { kind: 'pair', left: 'Số người phía trước', right: t.ahead === null ? 'Chưa xác định' : String(t.ahead) },
    { kind: 'pair', left: 'Thời gian chờ dự kiến', right: waitText(t) },
    { kind: 'pair', left: 'Quầy phục vụ', right: t.counters },
  );
  if (t.location) blocks.push({ kind: 'text', text: `Chờ tại: ${t.location}`, align: 'left', size: 'normal' });
  blocks.push(
    { kind: 'separator', style: 'dashed' },
    { kind: 'qr', data: opts.qr ?? buildTicketQr(t.ticketId), cell: 5, align: 'center' },
    ...(opts.qr && !opts.qr.startsWith('OSK')
      ? [{ kind: 'text', text: 'Quét mã để theo dõi số trên điện thoại', align: 'center', size: 'small' } as const]
      : []),
    { kind: 'text', text: opts.prepare, align: 'center', size: 'small' },
  );
  if (t.origin === 'offline')
    blocks.push({
      kind: 'text',
      text: 'Số cấp khi mất kết nối — vẫn được gọi theo thứ tự đến.',
      align: 'center',
      size: 'small',
    });
  blocks.push(
    { kind: 'text', text: 'Vui lòng chờ gọi số trên màn hình.', align: 'center', size: 'small' },
    { kind: 'cut', partial: true },
  );
  return { kind: 'ticket', blocks };
}
