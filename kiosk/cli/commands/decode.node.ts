import { readFileSync } from 'node:fs';
import { classifyScan, type ScanResult } from '../../../drivers/id/index.ts';
import type { Command, CommandIO } from '../command.ts';

/** One line per field a technician would check, Vietnamese label first. */
function describe(result: ScanResult): Array<[label: string, value: string]> {
  switch (result.kind) {
    case 'cccd': {
      const c = result.cccd;
      return [
        ['Số định danh / ID', c.id],
        ['CMND cũ / old ID', c.oldId ?? '—'],
        ['Họ tên / name', c.fullName],
        ['Ngày sinh / birth', c.birthDate],
        ['Giới tính / sex', c.sex === 'male' ? 'Nam / male' : 'Nữ / female'],
        ['Địa chỉ / address', c.address],
        ['Ngày cấp / issued', c.issueDate],
        [
          'Tỉnh ĐKKS / province',
          c.province
            ? `${c.province.code} ${c.province.name}${c.province.since2025 !== c.province.name ? ` (từ 2025: ${c.province.since2025})` : ''}`
            : '?',
        ],
      ];
    }
    case 'mrz': {
      const m = result.mrz;
      return [
        ['Loại / document', `${m.documentCode} ${m.issuingState}`],
        ['Số giấy tờ / number', m.documentNumber],
        ['Số định danh / ID', m.personalId ?? '—'],
        ['Họ tên / name', `${m.surname}, ${m.givenNames}`],
        ['Ngày sinh / birth', m.birthDate],
        ['Giới tính / sex', m.sex ?? '—'],
        ['Hết hạn / expiry', m.expiryDate ?? 'không thời hạn / none'],
      ];
    }
    case 'dossier': {
      const d = result.dossier;
      const rows: Array<[string, string]> = [
        ['Mã hồ sơ / dossier', d.code],
        ['Cơ quan / agency', d.agencyId],
        ['Ngày nhận / received', d.receivedOn],
        ['Số thứ tự / sequence', d.sequence],
        ['Dạng / shape', d.via],
      ];
      for (const [label, value] of [
        ['URL', d.url],
        ['Thủ tục / procedure', d.procedureCode],
        ['Người nộp / applicant', d.applicant],
        ['Hẹn trả / appointment', d.appointmentDate],
      ] as const)
        if (value) rows.push([label, value]);
      return rows;
    }
    case 'vietqr': {
      const v = result.vietqr;
      return [
        ['Ngân hàng (BIN) / bank', v.bin],
        ['Tài khoản / account', v.account],
        ['Số tiền / amount', v.amount === null ? '— (tĩnh / static)' : `${v.amount.toLocaleString('vi-VN')} VND`],
        ['Nội dung / purpose', v.purpose ?? '—'],
        ['CRC', `${v.crc} ✓`],
      ];
    }
    case 'ticket':
      return [['Phiếu / ticket', result.ticket.ticketId ?? `…/t/${result.ticket.token ?? ''}`]];
    case 'plain':
    case 'unknown':
      return [['Nội dung / text', result.text.length > 200 ? `${result.text.slice(0, 200)}…` : result.text]];
    case 'error':
      return [
        ['Lỗi / error', result.error.code],
        ['vi', result.error.message.vi],
        ['en', result.error.message.en],
        ['Dạng nhận ra / looked like', result.attempted],
      ];
  }
}

const KIND_LABEL: Record<ScanResult['kind'], string> = {
  cccd: 'Căn cước (QR) / CCCD QR',
  mrz: 'Căn cước (MRZ) / ICAO 9303 TD1 MRZ',
  dossier: 'Phiếu tiếp nhận hồ sơ / dossier receipt',
  vietqr: 'VietQR chuyển khoản / bank transfer',
  ticket: 'Phiếu số thứ tự / queue ticket',
  plain: 'Mã thường / plain code',
  unknown: 'Không nhận ra / unknown',
  error: 'Đọc lỗi / bad read',
};

export function printScan(result: ScanResult, io: CommandIO): void {
  io.out(KIND_LABEL[result.kind]);
  for (const [label, value] of describe(result)) io.out(`  ${label.padEnd(28)} ${value}`);
  for (const w of result.warnings) io.out(`  ! ${w.message.vi} / ${w.message.en}`);
}

export const decodeCommand: Command = {
  name: 'decode',
  summary: 'show what a scanned payload would be understood as (use - to read it from stdin)',
  usage: 'kioskctl decode <payload|-> [--json]',
  async run(args, io) {
    const json = args.includes('--json');
    const rest = args.filter((a) => a !== '--json');
    if (rest.length !== 1) {
      io.err(`usage: ${this.usage}`);
      return 2;
    }
    // `-`: multi-line payloads (an MRZ) and payloads full of shell metacharacters come from stdin.
    const payload = rest[0] === '-' ? readFileSync(0, 'utf8') : rest[0]!;
    const result = classifyScan(payload, 'manual');
    if (json) io.out(JSON.stringify(result, null, 2));
    else printScan(result, io);
    return result.kind === 'error' ? 1 : 0;
  },
};
