import { z } from 'zod';
import type { Catalog, ProcedureInput } from '../../protocol/catalog.ts';
import { Catalog as CatalogSchema, Field, Procedure } from '../../protocol/catalog.ts';
import demoProcedures from './catalog-procedures.json' with { type: 'json' };
import { seededRandom } from './rng.ts';

/** The real procedures of the demo: data (catalog-procedures.json), checked like any input. */
const DemoProcedures = z.object({ fields: z.array(Field), procedures: z.array(Procedure) });
const real = DemoProcedures.parse(demoProcedures);
const REAL_FIELDS: Field[] = real.fields;
const REAL_PROCEDURES: ProcedureInput[] = real.procedures;

/**
 * A generated catalog at the scale of a real province (≈ 2,000 procedures): names built from
 * the actions and subjects that real procedure names use, per field, so search and browsing
 * are measured on realistic Vietnamese text. Deterministic: the same count gives the same
 * catalog, byte for byte (codes `3.xxxxxx` never clash with national ones).
 */


interface FieldSeed {
  field: Field;
  agencyTinh: string;
  subjects: string[];
}

const ACTIONS = ['Cấp', 'Cấp lại', 'Cấp đổi', 'Gia hạn', 'Điều chỉnh', 'Thu hồi', 'Đăng ký', 'Xác nhận', 'Thẩm định', 'Phê duyệt', 'Công nhận', 'Chấp thuận', 'Thông báo', 'Bổ sung, sửa đổi'];

const SEEDS: FieldSeed[] = [
  { field: { id: 'giao-duc', name: 'Giáo dục và Đào tạo' }, agencyTinh: 'Sở Giáo dục và Đào tạo', subjects: ['giấy phép thành lập trường mầm non tư thục', 'bằng tốt nghiệp trung học phổ thông', 'chứng chỉ ngoại ngữ', 'văn bằng, chứng chỉ', 'giấy phép dạy thêm', 'quyết định cho phép hoạt động giáo dục', 'chuyển trường cho học sinh trung học', 'học bổng chính sách', 'miễn, giảm học phí', 'hỗ trợ chi phí học tập', 'nhóm trẻ độc lập tư thục', 'trung tâm ngoại ngữ, tin học'] },
  { field: { id: 'y-te', name: 'Y tế' }, agencyTinh: 'Sở Y tế', subjects: ['chứng chỉ hành nghề khám bệnh, chữa bệnh', 'giấy phép hoạt động phòng khám', 'chứng chỉ hành nghề dược', 'giấy chứng nhận đủ điều kiện kinh doanh dược', 'giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm', 'thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi', 'giấy phép quảng cáo thực phẩm', 'giấy xác nhận nội dung quảng cáo mỹ phẩm', 'phiếu công bố mỹ phẩm', 'giấy chứng sinh', 'cơ sở dịch vụ thẩm mỹ', 'nhà thuốc tư nhân'] },
  { field: { id: 'giao-thong', name: 'Giao thông vận tải' }, agencyTinh: 'Sở Xây dựng', subjects: ['giấy phép lái xe', 'giấy phép kinh doanh vận tải bằng xe ô tô', 'phù hiệu xe ô tô kinh doanh vận tải', 'giấy chứng nhận đăng ký phương tiện thủy nội địa', 'giấy phép thi công công trình đường bộ', 'bến khách ngang sông', 'giấy phép lưu hành xe quá tải trọng', 'biển hiệu xe ô tô du lịch', 'chứng chỉ chuyên môn thuyền trưởng', 'đăng ký xe máy chuyên dùng', 'cảng, bến thủy nội địa', 'tuyến vận tải hành khách cố định'] },
  { field: { id: 'nong-nghiep', name: 'Nông nghiệp và Môi trường' }, agencyTinh: 'Sở Nông nghiệp và Môi trường', subjects: ['giấy chứng nhận cơ sở nuôi trồng thủy sản', 'giấy phép khai thác thủy sản', 'giấy chứng nhận an toàn dịch bệnh động vật', 'giấy phép khai thác nước dưới đất', 'giấy phép môi trường', 'đăng ký tàu cá', 'giấy chứng nhận an toàn kỹ thuật tàu cá', 'hỗ trợ khắc phục thiệt hại thiên tai', 'giấy phép xả nước thải vào nguồn nước', 'kế hoạch bảo vệ môi trường', 'giấy chứng nhận VietGAP', 'mã số vùng trồng', 'chuyển đổi cơ cấu cây trồng trên đất trồng lúa', 'kiểm dịch động vật vận chuyển ra khỏi tỉnh'] },
  { field: { id: 'lao-dong', name: 'Lao động, việc làm' }, agencyTinh: 'Sở Nội vụ', subjects: ['giấy phép lao động cho người nước ngoài', 'trợ cấp thất nghiệp', 'hỗ trợ học nghề', 'giấy phép hoạt động dịch vụ việc làm', 'thỏa ước lao động tập thể', 'nội quy lao động', 'hỗ trợ người lao động tạm hoãn hợp đồng', 'giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp', 'hợp đồng đưa người lao động đi làm việc ở nước ngoài', 'chế độ tai nạn lao động'] },
  { field: { id: 'van-hoa', name: 'Văn hóa, thể thao và du lịch' }, agencyTinh: 'Sở Văn hóa, Thể thao và Du lịch', subjects: ['giấy phép kinh doanh dịch vụ karaoke', 'giấy phép tổ chức biểu diễn nghệ thuật', 'danh hiệu gia đình văn hóa', 'giấy phép kinh doanh lữ hành nội địa', 'thẻ hướng dẫn viên du lịch', 'công nhận hạng cơ sở lưu trú du lịch', 'giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao', 'lễ hội truyền thống', 'giấy phép xây dựng tượng đài, tranh hoành tráng', 'thư viện cộng đồng', 'câu lạc bộ thể dục thể thao', 'di tích lịch sử - văn hóa cấp tỉnh'] },
  { field: { id: 'tai-chinh', name: 'Tài chính, thuế' }, agencyTinh: 'Sở Tài chính', subjects: ['mã số thuế cá nhân', 'miễn, giảm thuế sử dụng đất phi nông nghiệp', 'hoàn thuế thu nhập cá nhân', 'quyết toán dự án hoàn thành', 'mã số đơn vị có quan hệ với ngân sách', 'giá bán nhà ở xã hội', 'ghi nợ tiền sử dụng đất', 'tài sản công', 'miễn tiền thuê đất', 'thẩm định giá đất cụ thể'] },
  { field: { id: 'cong-thuong', name: 'Công thương' }, agencyTinh: 'Sở Công Thương', subjects: ['giấy phép bán lẻ rượu', 'giấy phép bán lẻ sản phẩm thuốc lá', 'giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu', 'giấy phép hoạt động điện lực', 'giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất', 'khuyến mại', 'hội chợ, triển lãm thương mại', 'giấy phép sản xuất rượu thủ công', 'chợ truyền thống', 'cụm công nghiệp', 'giấy chứng nhận đủ điều kiện kinh doanh LPG'] },
  { field: { id: 'tu-phap', name: 'Tư pháp, bổ trợ tư pháp' }, agencyTinh: 'Sở Tư pháp', subjects: ['thẻ công chứng viên', 'giấy đăng ký hoạt động văn phòng công chứng', 'thẻ luật sư', 'giấy đăng ký hoạt động của tổ chức hành nghề luật sư', 'hòa giải viên cơ sở', 'trợ giúp pháp lý', 'thừa phát lại', 'thẻ đấu giá viên', 'tổ hòa giải ở cơ sở', 'báo cáo viên pháp luật'] },
  { field: { id: 'noi-vu', name: 'Nội vụ, tôn giáo, thi đua khen thưởng' }, agencyTinh: 'Sở Nội vụ', subjects: ['bằng khen của Chủ tịch UBND tỉnh', 'danh hiệu Chiến sĩ thi đua cơ sở', 'hoạt động tín ngưỡng', 'sinh hoạt tôn giáo tập trung', 'hội có phạm vi hoạt động trong xã', 'quỹ xã hội, quỹ từ thiện', 'giấy khen của Chủ tịch UBND cấp xã', 'tuyển dụng công chức cấp xã', 'điều lệ hội', 'danh hiệu Tập thể lao động tiên tiến'] },
  { field: { id: 'khoa-hoc', name: 'Khoa học, công nghệ và thông tin' }, agencyTinh: 'Sở Khoa học và Công nghệ', subjects: ['giấy phép hoạt động in', 'giấy phép xuất bản bản tin', 'giấy chứng nhận đăng ký kết quả nhiệm vụ khoa học', 'giấy phép sử dụng thiết bị X-quang', 'giấy phép thiết lập trang thông tin điện tử tổng hợp', 'giấy chứng nhận doanh nghiệp khoa học và công nghệ', 'công bố hợp chuẩn, hợp quy', 'giấy phép hoạt động đài truyền thanh cấp xã', 'chứng thư số chuyên dùng', 'đăng ký tên miền cơ quan nhà nước'] },
  { field: { id: 'quoc-phong', name: 'Quốc phòng, dân quân tự vệ' }, agencyTinh: 'Bộ Chỉ huy quân sự tỉnh', subjects: ['đăng ký nghĩa vụ quân sự lần đầu', 'tạm hoãn gọi nhập ngũ', 'chế độ trợ cấp một lần đối với quân nhân xuất ngũ', 'đăng ký quân nhân dự bị', 'chế độ chính sách dân quân', 'miễn gọi nhập ngũ', 'trợ cấp đối với người tham gia kháng chiến', 'chuyển đăng ký nghĩa vụ quân sự'] },
  ...REAL_FIELDS.map((field) => ({
    field,
    agencyTinh: 'Sở Tư pháp',
    subjects: {
      'ho-tich': ['trích lục ghi chú ly hôn', 'việc nuôi con nuôi trong nước', 'khai sinh có yếu tố nước ngoài', 'kết hôn có yếu tố nước ngoài', 'khai tử có yếu tố nước ngoài', 'giám hộ có yếu tố nước ngoài', 'xác định lại dân tộc', 'ghi vào sổ hộ tịch việc hộ tịch đã giải quyết ở nước ngoài'],
      'chung-thuc': ['bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp', 'di chúc', 'văn bản từ chối nhận di sản', 'văn bản thỏa thuận phân chia di sản', 'hợp đồng ủy quyền', 'giấy ủy quyền'],
      'cu-tru': ['thông tin về cư trú cho người chưa thành niên', 'tách hộ', 'điều chỉnh thông tin trong Cơ sở dữ liệu về cư trú', 'thường trú cho người được nhận nuôi', 'số định danh cá nhân'],
      'ho-kinh-doanh': ['địa điểm kinh doanh của hộ kinh doanh', 'ngành nghề kinh doanh có điều kiện', 'tên hộ kinh doanh', 'vốn kinh doanh của hộ kinh doanh'],
      'dat-dai': ['chuyển mục đích sử dụng đất', 'tách thửa, hợp thửa đất', 'gia hạn sử dụng đất nông nghiệp', 'thế chấp quyền sử dụng đất', 'xóa đăng ký thế chấp quyền sử dụng đất', 'giao đất làm nhà ở', 'thuê đất', 'hòa giải tranh chấp đất đai'],
      'bao-tro-xa-hoi': ['hộ nghèo, hộ cận nghèo', 'nhận chăm sóc, nuôi dưỡng đối tượng cần bảo vệ khẩn cấp', 'trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở', 'hỗ trợ người khuyết tật đặc biệt nặng', 'cơ sở trợ giúp xã hội ngoài công lập'],
      'nguoi-co-cong': ['trợ cấp thờ cúng liệt sĩ', 'di chuyển hài cốt liệt sĩ', 'trợ cấp ưu đãi đối với con của người có công', 'giấy chứng nhận thương binh', 'hỗ trợ cải thiện nhà ở cho người có công', 'thăm viếng mộ liệt sĩ'],
      'ly-lich-tu-phap': ['Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng', 'Phiếu lý lịch tư pháp cho người nước ngoài'],
      'xay-dung': ['giấy phép xây dựng có thời hạn', 'giấy phép sửa chữa, cải tạo công trình', 'giấy phép di dời công trình', 'chứng chỉ hành nghề hoạt động xây dựng', 'thẩm định báo cáo kinh tế - kỹ thuật', 'nhà ở xã hội'],
      'doanh-nghiep': ['thay đổi người đại diện theo pháp luật', 'chi nhánh, văn phòng đại diện', 'giải thể doanh nghiệp', 'tạm ngừng kinh doanh của doanh nghiệp', 'công ty trách nhiệm hữu hạn một thành viên', 'hợp tác xã', 'chuyển đổi loại hình doanh nghiệp'],
    }[field.id] ?? ['hồ sơ'],
  })),
];

const SCOPES = ['', ' cho cá nhân', ' cho tổ chức', ' trong trường hợp bị mất, hư hỏng', ' có yếu tố nước ngoài', ' trên địa bàn tỉnh', ' khi thay đổi thông tin', ' (thực hiện tại cấp xã)'];

const DOCS = ['Đơn đề nghị theo mẫu', 'Tờ khai theo mẫu', 'Bản sao giấy tờ pháp lý của người đề nghị', 'Giấy tờ chứng minh đủ điều kiện', 'Văn bản ủy quyền (nếu nộp thay)', 'Bản chính giấy phép đã cấp', 'Báo cáo tình hình hoạt động', 'Ảnh chân dung 3x4 cm'];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** `count` generated procedures (names unique), after the real ones. */
export function generateProcedures(count: number, seed = 20260101): ProcedureInput[] {
  const rnd = seededRandom(seed);
  const seen = new Set(REAL_PROCEDURES.map((p) => p.name));
  const out: ProcedureInput[] = [];
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    const fs = pick(rnd, SEEDS);
    const action = pick(rnd, ACTIONS);
    const subject = pick(rnd, fs.subjects);
    const scope = rnd() < 0.35 ? pick(rnd, SCOPES) : '';
    const name = `${action} ${subject}${scope}`;
    if (seen.has(name)) continue;
    seen.add(name);
    const level = rnd() < 0.45 ? 'xa' : rnd() < 0.9 ? 'tinh' : 'bo';
    const days = pick(rnd, [0, 1, 3, 5, 7, 10, 15, 20, 30]);
    const fee = pick(rnd, [0, 0, 0, 10000, 20000, 50000, 100000, 150000, 200000, 500000]);
    const feeText = fee === 0 ? 'Không thu phí, lệ phí' : `Lệ phí: ${fee.toLocaleString('vi-VN')} đồng/hồ sơ`;
    const online = pick(rnd, ['toan-trinh', 'mot-phan', 'mot-phan', 'khong'] as const);
    const docCount = 1 + Math.floor(rnd() * 4);
    const documents = Array.from({ length: docCount }, (_, i) => ({
      name: i === 0 ? DOCS[0]! : pick(rnd, DOCS.slice(1)),
      template: i === 0 ? `Mẫu số ${String(1 + Math.floor(rnd() * 20)).padStart(2, '0')}` : null,
      originals: i === 0 ? 1 : rnd() < 0.5 ? 1 : 0,
      copies: i === 0 ? 0 : rnd() < 0.5 ? 1 : 0,
    })).map((d) => (d.originals + d.copies === 0 ? { ...d, copies: 1 } : d));
    const agency = level === 'xa' ? 'Ủy ban nhân dân cấp xã' : level === 'tinh' ? `${fs.agencyTinh} tỉnh Cà Mau` : 'Bộ, cơ quan ngang Bộ';
    const n = 100000 + out.length;
    const timeLimit = days === 0 ? 'Trong ngày làm việc' : `${String(days).padStart(2, '0')} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ`;
    const channels: ProcedureInput['channels'] = [{ kind: 'truc-tiep', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee }];
    if (online !== 'khong') channels.push({ kind: 'truc-tuyen', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee });
    if (rnd() < 0.3) channels.push({ kind: 'buu-chinh', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee });
    out.push({
      code: `3.${n}`,
      name,
      fieldId: fs.field.id,
      level,
      agency,
      whereToSubmit: level === 'xa' ? 'Bộ phận Một cửa của UBND xã, phường' : 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau',
      steps: ['Nộp hồ sơ.', 'Cơ quan có thẩm quyền thẩm định.', 'Trả kết quả.'],
      channels,
      cases: [{ name: null, documents }],
      applicants: [pick(rnd, ['Cá nhân', 'Tổ chức', 'Cá nhân, tổ chức', 'Hộ gia đình, cá nhân'])],
      requirements: [],
      result: `Văn bản ${action.toLowerCase()} ${subject}`,
      legalBasis: ['Văn bản quy phạm pháp luật chuyên ngành'],
      onlineLevel: online,
      feeExemptions: fee > 0 && rnd() < 0.3 ? ['Miễn lệ phí đối với người thuộc hộ nghèo, người khuyết tật, người có công với cách mạng.'] : [],
      keywords: [],
    });
  }
  return out;
}

export const DEMO_CATALOG_VERSION = 'demo-2026.1';

/** The demo catalog: the written-out procedures plus `generated` made-up ones for scale. */
export function demoCatalog(generated = 2000): Catalog {
  const procedures = [...REAL_PROCEDURES, ...generateProcedures(generated)];
  const fieldIds = new Set(procedures.map((p) => p.fieldId));
  const fields = [...REAL_FIELDS, ...SEEDS.map((s) => s.field)].filter((f, i, all) => fieldIds.has(f.id) && all.findIndex((g) => g.id === f.id) === i);
  return CatalogSchema.parse({
    version: `${DEMO_CATALOG_VERSION}+${generated}`,
    publishedAt: '2026-01-01T00:00:00.000Z',
    province: 'Cà Mau',
    fields,
    procedures,
  });
}
