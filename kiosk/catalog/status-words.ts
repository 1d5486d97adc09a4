import type { TimelineStage } from '../../contract/domains/catalog.ts';
import type { DossierLookup } from '../../protocol/dossiers.ts';
import { vnDay } from '../../protocol/tickets.ts';

/** Timeline stage names for printed slips (the screen has its own in renderer/i18n). */
export const STAGE_WORDS: Record<TimelineStage, string> = {
  received: 'Đã tiếp nhận',
  processing: 'Đang xử lý',
  supplement: 'Yêu cầu bổ sung giấy tờ',
  financial: 'Yêu cầu thực hiện nghĩa vụ tài chính',
  stopped: 'Dừng xử lý / không tiếp nhận',
  done: 'Đã có kết quả',
  returned: 'Đã trả kết quả',
};

/** The latest note central gave with the current status (what to add, how much to pay…). */
export const currentNote = (d: DossierLookup): string | null =>
  d.timeline.filter((e) => e.status === d.status).at(-1)?.note ?? null;

/** What the citizen should do next, in plain Vietnamese, for a printed slip. */
export function nextStep(d: DossierLookup, _lang: 'vi'): string {
  const date = vnDay(d.appointmentDate);
  const note = currentNote(d);
  switch (d.status) {
    case 1:
      return 'Hồ sơ đang chờ cán bộ kiểm tra để tiếp nhận. Quý khách chưa cần làm gì thêm.';
    case 2:
    case 4:
      return `Hồ sơ đang được giải quyết. Quý khách mang phiếu hẹn đến nhận kết quả vào ngày ${date}.`;
    case 3:
      return `Hồ sơ không được tiếp nhận${note ? `: ${note}` : ''}. Quý khách vui lòng đến quầy tiếp nhận để được hướng dẫn.`;
    case 5:
      return `Quý khách cần bổ sung giấy tờ${note ? `: ${note}` : ''}. Vui lòng mang giấy tờ bổ sung đến quầy tiếp nhận.`;
    case 6:
      return `Quý khách cần thực hiện nghĩa vụ tài chính${note ? `: ${note}` : ''}. Có thể nộp tại quầy hoặc chuyển khoản bằng mã QR ở kiosk.`;
    case 7:
      return 'Hồ sơ đã được rút theo yêu cầu của quý khách.';
    case 8:
      return `Hồ sơ đã dừng xử lý${note ? `: ${note}` : ''}. Quý khách vui lòng đến quầy tiếp nhận để được hướng dẫn.`;
    case 9:
      return 'Kết quả đã sẵn sàng. Quý khách mang phiếu hẹn và giấy tờ tùy thân đến quầy trả kết quả.';
    case 10:
      return 'Hồ sơ đã hoàn tất, kết quả đã được trả.';
    default:
      return 'Quý khách vui lòng hỏi cán bộ tại quầy tiếp nhận.';
  }
}
