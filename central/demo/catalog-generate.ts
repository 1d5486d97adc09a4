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
 * are measured on realistic Vietnamese text. Each subject takes only the actions that make
 * sense for its kind ("Gia hạn giấy phép…", never "Gia hạn khai sinh"). Every generated one is
 * marked `sample` (said so on screen and on paper); the written-out real ones are `common`,
 * so they rank first for their own words. Deterministic: the same count gives the same
 * catalog, byte for byte (codes `3.xxxxxx` never clash with national ones).
 */

interface FieldSeed {
  field: Field;
  agencyTinh: string;
  subjects: string[];
}

/** The actions a subject of each kind takes, by what its name starts with (first match wins). */
const ACTIONS_BY_KIND: ReadonlyArray<[kind: RegExp, actions: readonly string[]]> = [
  [
    /^(giấy phép|chứng chỉ|thẻ|phù hiệu|biển hiệu|chứng thư)/i,
    ['Cấp', 'Cấp lại', 'Cấp đổi', 'Gia hạn', 'Điều chỉnh nội dung', 'Thu hồi'],
  ],
  [
    /^(giấy chứng nhận|giấy đăng ký|giấy xác nhận|giấy chứng sinh|mã số|phiếu)/i,
    ['Cấp', 'Cấp lại', 'Điều chỉnh nội dung', 'Thu hồi'],
  ],
  [/^(bằng tốt nghiệp|văn bằng)/i, ['Cấp bản sao', 'Chỉnh sửa nội dung']],
  [/^(bằng khen|giấy khen|danh hiệu)/i, ['Xét tặng', 'Đề nghị tặng']],
  [/^(hỗ trợ|trợ cấp|trợ giúp|chế độ|học bổng)/i, ['Giải quyết', 'Đề nghị', 'Thôi hưởng']],
  [/^(miễn|hoàn thuế|ghi nợ|tạm hoãn)/i, ['Giải quyết', 'Đề nghị']],
  [
    /^(trung tâm|nhà thuốc|nhóm trẻ|cơ sở|hội |quỹ|chợ|cụm công nghiệp|câu lạc bộ|thư viện|bến|cảng|tuyến|tổ hòa giải|văn phòng|chi nhánh|hợp tác xã|công ty)/i,
    ['Thành lập', 'Công nhận', 'Giải thể', 'Đăng ký hoạt động'],
  ],
  [
    /^(kế hoạch|báo cáo|quyết toán|giá|tài sản|điều lệ|nội quy|thỏa ước|hợp đồng|quyết định)/i,
    ['Thẩm định', 'Phê duyệt', 'Đăng ký'],
  ],
];
const OTHER_ACTIONS = ['Đăng ký', 'Thông báo'];
/** A subject written as a whole name (capitalised: "Đăng ký nuôi con nuôi…") or starting with a verb takes no action of its own. */
const WHOLE = /^(\p{Lu}|đăng ký |chuyển |tuyển dụng |kiểm dịch |công bố |khuyến mại)/u;
const actionsFor = (subject: string): readonly string[] =>
  WHOLE.test(subject) ? [''] : (ACTIONS_BY_KIND.find(([kind]) => kind.test(subject))?.[1] ?? OTHER_ACTIONS);
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const SEEDS: FieldSeed[] = [
  {
    field: { id: 'giao-duc', name: 'Giáo dục và Đào tạo' },
    agencyTinh: 'Sở Giáo dục và Đào tạo',
    subjects: [
      'giấy phép thành lập trường mầm non tư thục',
      'bằng tốt nghiệp trung học phổ thông',
      'chứng chỉ ngoại ngữ',
      'văn bằng, chứng chỉ',
      'giấy phép dạy thêm',
      'quyết định cho phép hoạt động giáo dục',
      'chuyển trường cho học sinh trung học',
      'học bổng chính sách',
      'miễn, giảm học phí',
      'hỗ trợ chi phí học tập',
      'nhóm trẻ độc lập tư thục',
      'trung tâm ngoại ngữ, tin học',
    ],
  },
  {
    field: { id: 'y-te', name: 'Y tế' },
    agencyTinh: 'Sở Y tế',
    subjects: [
      'chứng chỉ hành nghề khám bệnh, chữa bệnh',
      'giấy phép hoạt động phòng khám',
      'chứng chỉ hành nghề dược',
      'giấy chứng nhận đủ điều kiện kinh doanh dược',
      'giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm',
      'thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi',
      'giấy phép quảng cáo thực phẩm',
      'giấy xác nhận nội dung quảng cáo mỹ phẩm',
      'phiếu công bố mỹ phẩm',
      'giấy chứng sinh',
      'cơ sở dịch vụ thẩm mỹ',
      'nhà thuốc tư nhân',
    ],
  },
  {
    field: { id: 'giao-thong', name: 'Giao thông vận tải' },
    agencyTinh: 'Sở Xây dựng',
    subjects: [
      'giấy phép lái xe',
      'giấy phép kinh doanh vận tải bằng xe ô tô',
      'phù hiệu xe ô tô kinh doanh vận tải',
      'giấy chứng nhận đăng ký phương tiện thủy nội địa',
      'giấy phép thi công công trình đường bộ',
      'bến khách ngang sông',
      'giấy phép lưu hành xe quá tải trọng',
      'biển hiệu xe ô tô du lịch',
      'chứng chỉ chuyên môn thuyền trưởng',
      'đăng ký xe máy chuyên dùng',
      'cảng, bến thủy nội địa',
      'tuyến vận tải hành khách cố định',
    ],
  },
  {
    field: { id: 'nong-nghiep', name: 'Nông nghiệp và Môi trường' },
    agencyTinh: 'Sở Nông nghiệp và Môi trường',
    subjects: [
      'giấy chứng nhận cơ sở nuôi trồng thủy sản',
      'giấy phép khai thác thủy sản',
      'giấy chứng nhận an toàn dịch bệnh động vật',
      'giấy phép khai thác nước dưới đất',
      'giấy phép môi trường',
      'đăng ký tàu cá',
      'giấy chứng nhận an toàn kỹ thuật tàu cá',
      'hỗ trợ khắc phục thiệt hại thiên tai',
      'giấy phép xả nước thải vào nguồn nước',
      'kế hoạch bảo vệ môi trường',
      'giấy chứng nhận VietGAP',
      'mã số vùng trồng',
      'chuyển đổi cơ cấu cây trồng trên đất trồng lúa',
      'kiểm dịch động vật vận chuyển ra khỏi tỉnh',
    ],
  },
  {
    field: { id: 'lao-dong', name: 'Lao động, việc làm' },
    agencyTinh: 'Sở Nội vụ',
    subjects: [
      'giấy phép lao động cho người nước ngoài',
      'trợ cấp thất nghiệp',
      'hỗ trợ học nghề',
      'giấy phép hoạt động dịch vụ việc làm',
      'thỏa ước lao động tập thể',
      'nội quy lao động',
      'hỗ trợ người lao động tạm hoãn hợp đồng',
      'giấy chứng nhận đăng ký hoạt động giáo dục nghề nghiệp',
      'hợp đồng đưa người lao động đi làm việc ở nước ngoài',
      'chế độ tai nạn lao động',
    ],
  },
  {
    field: { id: 'van-hoa', name: 'Văn hóa, thể thao và du lịch' },
    agencyTinh: 'Sở Văn hóa, Thể thao và Du lịch',
    subjects: [
      'giấy phép kinh doanh dịch vụ karaoke',
      'giấy phép tổ chức biểu diễn nghệ thuật',
      'danh hiệu gia đình văn hóa',
      'giấy phép kinh doanh lữ hành nội địa',
      'thẻ hướng dẫn viên du lịch',
      'công nhận hạng cơ sở lưu trú du lịch',
      'giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao',
      'lễ hội truyền thống',
      'giấy phép xây dựng tượng đài, tranh hoành tráng',
      'thư viện cộng đồng',
      'câu lạc bộ thể dục thể thao',
      'di tích lịch sử - văn hóa cấp tỉnh',
    ],
  },
  {
    field: { id: 'tai-chinh', name: 'Tài chính, thuế' },
    agencyTinh: 'Sở Tài chính',
    subjects: [
      'mã số thuế cá nhân',
      'miễn, giảm thuế sử dụng đất phi nông nghiệp',
      'hoàn thuế thu nhập cá nhân',
      'quyết toán dự án hoàn thành',
      'mã số đơn vị có quan hệ với ngân sách',
      'giá bán nhà ở xã hội',
      'ghi nợ tiền sử dụng đất',
      'tài sản công',
      'miễn tiền thuê đất',
      'thẩm định giá đất cụ thể',
    ],
  },
  {
    field: { id: 'cong-thuong', name: 'Công thương' },
    agencyTinh: 'Sở Công Thương',
    subjects: [
      'giấy phép bán lẻ rượu',
      'giấy phép bán lẻ sản phẩm thuốc lá',
      'giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu',
      'giấy phép hoạt động điện lực',
      'giấy chứng nhận huấn luyện kỹ thuật an toàn hóa chất',
      'khuyến mại',
      'hội chợ, triển lãm thương mại',
      'giấy phép sản xuất rượu thủ công',
      'chợ truyền thống',
      'cụm công nghiệp',
      'giấy chứng nhận đủ điều kiện kinh doanh LPG',
    ],
  },
  {
    field: { id: 'tu-phap', name: 'Tư pháp, bổ trợ tư pháp' },
    agencyTinh: 'Sở Tư pháp',
    subjects: [
      'thẻ công chứng viên',
      'giấy đăng ký hoạt động văn phòng công chứng',
      'thẻ luật sư',
      'giấy đăng ký hoạt động của tổ chức hành nghề luật sư',
      'hòa giải viên cơ sở',
      'trợ giúp pháp lý',
      'thừa phát lại',
      'thẻ đấu giá viên',
      'tổ hòa giải ở cơ sở',
      'báo cáo viên pháp luật',
    ],
  },
  {
    field: { id: 'noi-vu', name: 'Nội vụ, tôn giáo, thi đua khen thưởng' },
    agencyTinh: 'Sở Nội vụ',
    subjects: [
      'bằng khen của Chủ tịch UBND tỉnh',
      'danh hiệu Chiến sĩ thi đua cơ sở',
      'hoạt động tín ngưỡng',
      'sinh hoạt tôn giáo tập trung',
      'hội có phạm vi hoạt động trong xã',
      'quỹ xã hội, quỹ từ thiện',
      'giấy khen của Chủ tịch UBND cấp xã',
      'tuyển dụng công chức cấp xã',
      'điều lệ hội',
      'danh hiệu Tập thể lao động tiên tiến',
    ],
  },
  {
    field: { id: 'khoa-hoc', name: 'Khoa học, công nghệ và thông tin' },
    agencyTinh: 'Sở Khoa học và Công nghệ',
    subjects: [
      'giấy phép hoạt động in',
      'giấy phép xuất bản bản tin',
      'giấy chứng nhận đăng ký kết quả nhiệm vụ khoa học',
      'giấy phép sử dụng thiết bị X-quang',
      'giấy phép thiết lập trang thông tin điện tử tổng hợp',
      'giấy chứng nhận doanh nghiệp khoa học và công nghệ',
      'công bố hợp chuẩn, hợp quy',
      'giấy phép hoạt động đài truyền thanh cấp xã',
      'chứng thư số chuyên dùng',
      'đăng ký tên miền cơ quan nhà nước',
    ],
  },
  {
    field: { id: 'quoc-phong', name: 'Quốc phòng, dân quân tự vệ' },
    agencyTinh: 'Bộ Chỉ huy quân sự tỉnh',
    subjects: [
      'đăng ký nghĩa vụ quân sự lần đầu',
      'tạm hoãn gọi nhập ngũ',
      'chế độ trợ cấp một lần đối với quân nhân xuất ngũ',
      'đăng ký quân nhân dự bị',
      'chế độ chính sách dân quân',
      'miễn gọi nhập ngũ',
      'trợ cấp đối với người tham gia kháng chiến',
      'chuyển đăng ký nghĩa vụ quân sự',
    ],
  },
  ...REAL_FIELDS.map((field) => ({
    field,
    agencyTinh: 'Sở Tư pháp',
    subjects: {
      'ho-tich': [
        'Ghi vào Sổ hộ tịch việc ly hôn đã giải quyết ở nước ngoài',
        'Đăng ký nuôi con nuôi trong nước',
        'Đăng ký khai sinh có yếu tố nước ngoài',
        'Đăng ký kết hôn có yếu tố nước ngoài',
        'Đăng ký khai tử có yếu tố nước ngoài',
        'Đăng ký giám hộ có yếu tố nước ngoài',
        'Đăng ký xác định lại dân tộc',
        'Ghi vào Sổ hộ tịch việc hộ tịch đã giải quyết ở nước ngoài',
      ],
      'chung-thuc': [
        'Chứng thực bản sao từ bản chính giấy tờ do cơ quan nước ngoài cấp',
        'Chứng thực di chúc',
        'Chứng thực văn bản từ chối nhận di sản',
        'Chứng thực văn bản thỏa thuận phân chia di sản',
        'Chứng thực hợp đồng ủy quyền',
        'Chứng thực giấy ủy quyền',
      ],
      'cu-tru': [
        'Khai báo thông tin về cư trú cho người chưa đủ điều kiện đăng ký thường trú',
        'Tách hộ',
        'Điều chỉnh thông tin về cư trú trong Cơ sở dữ liệu về cư trú',
        'Đăng ký thường trú cho người được nhận làm con nuôi',
        'Xác nhận thông tin về cư trú',
      ],
      'ho-kinh-doanh': [
        'Đăng ký thay đổi địa điểm kinh doanh của hộ kinh doanh',
        'Đăng ký thay đổi ngành, nghề kinh doanh của hộ kinh doanh',
        'Đăng ký thay đổi tên hộ kinh doanh',
        'Đăng ký thay đổi vốn kinh doanh của hộ kinh doanh',
        'Thông báo tạm ngừng kinh doanh của hộ kinh doanh',
        'Chấm dứt hoạt động hộ kinh doanh',
      ],
      'dat-dai': [
        'Chuyển mục đích sử dụng đất',
        'Tách thửa hoặc hợp thửa đất',
        'Gia hạn sử dụng đất nông nghiệp',
        'Đăng ký thế chấp quyền sử dụng đất',
        'Xóa đăng ký thế chấp quyền sử dụng đất',
        'Giao đất làm nhà ở',
        'Cho thuê đất',
        'Hòa giải tranh chấp đất đai',
      ],
      'bao-tro-xa-hoi': [
        'Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm',
        'Nhận chăm sóc, nuôi dưỡng đối tượng cần bảo vệ khẩn cấp',
        'Trợ giúp xã hội khẩn cấp về hỗ trợ làm nhà ở',
        'Hỗ trợ kinh phí chăm sóc người khuyết tật đặc biệt nặng',
        'Thành lập cơ sở trợ giúp xã hội ngoài công lập',
      ],
      'nguoi-co-cong': [
        'Giải quyết trợ cấp thờ cúng liệt sĩ',
        'Di chuyển hài cốt liệt sĩ',
        'Giải quyết trợ cấp ưu đãi đối với con của người có công',
        'Cấp giấy chứng nhận thương binh',
        'Hỗ trợ cải thiện nhà ở cho người có công',
        'Hỗ trợ thăm viếng mộ liệt sĩ',
      ],
      'ly-lich-tu-phap': [
        'Cấp Phiếu lý lịch tư pháp theo yêu cầu của cơ quan tiến hành tố tụng',
        'Cấp Phiếu lý lịch tư pháp cho người nước ngoài đã cư trú tại Việt Nam',
      ],
      'xay-dung': [
        'Cấp giấy phép xây dựng có thời hạn',
        'Cấp giấy phép sửa chữa, cải tạo công trình',
        'Cấp giấy phép di dời công trình',
        'Cấp chứng chỉ hành nghề hoạt động xây dựng',
        'Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng',
        'Xét duyệt đối tượng được mua nhà ở xã hội',
      ],
      'doanh-nghiep': [
        'Đăng ký thay đổi người đại diện theo pháp luật',
        'Đăng ký hoạt động chi nhánh, văn phòng đại diện',
        'Giải thể doanh nghiệp',
        'Thông báo tạm ngừng kinh doanh của doanh nghiệp',
        'Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên',
        'Đăng ký thành lập hợp tác xã',
        'Chuyển đổi loại hình doanh nghiệp',
      ],
    }[field.id] ?? ['Giải quyết hồ sơ'],
  })),
];

/** The level a procedure is carried out at, as real catalogs name it when a procedure exists at several. */
const LEVEL_SUFFIX = { xa: ' (thực hiện tại cấp xã)', tinh: ' (thực hiện tại cấp tỉnh)', bo: '' } as const;

const DOCS = [
  'Đơn đề nghị theo mẫu',
  'Tờ khai theo mẫu',
  'Bản sao giấy tờ pháp lý của người đề nghị',
  'Giấy tờ chứng minh đủ điều kiện',
  'Văn bản ủy quyền (nếu nộp thay)',
  'Bản chính giấy phép đã cấp',
  'Báo cáo tình hình hoạt động',
  'Ảnh chân dung 3x4 cm',
];

const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

/** `count` generated procedures (names unique), after the real ones. */
export function generateProcedures(count: number, seed = 20260101): ProcedureInput[] {
  const rnd = seededRandom(seed);
  // A name may recur at another level (real catalogs have "Chứng thực di chúc" at several), never twice at one.
  const seen = new Set(REAL_PROCEDURES.map((p) => `${p.name}|${p.level}`));
  const out: ProcedureInput[] = [];
  let attempts = 0;
  while (out.length < count && attempts < count * 50) {
    attempts++;
    const fs = pick(rnd, SEEDS);
    const subject = pick(rnd, fs.subjects);
    const action = pick(rnd, actionsFor(subject));
    const level = rnd() < 0.45 ? 'xa' : rnd() < 0.9 ? 'tinh' : 'bo';
    const scope = action === 'Cấp lại' && rnd() < 0.3 ? ' do bị mất, hư hỏng' : rnd() < 0.5 ? LEVEL_SUFFIX[level] : '';
    const name = capitalise(action ? `${action} ${subject}${scope}` : `${subject}${scope}`);
    if (seen.has(`${name}|${level}`)) continue;
    seen.add(`${name}|${level}`);
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
    const agency =
      level === 'xa'
        ? 'Ủy ban nhân dân cấp xã'
        : level === 'tinh'
          ? `${fs.agencyTinh} tỉnh Cà Mau`
          : 'Bộ, cơ quan ngang Bộ';
    const n = 100000 + out.length;
    const timeLimit =
      days === 0
        ? 'Trong ngày làm việc'
        : `${String(days).padStart(2, '0')} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ`;
    const channels: ProcedureInput['channels'] = [
      { kind: 'truc-tiep', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee },
    ];
    if (online !== 'khong')
      channels.push({ kind: 'truc-tuyen', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee });
    if (rnd() < 0.3) channels.push({ kind: 'buu-chinh', timeLimit, timeLimitDays: days, fee: feeText, feeAmount: fee });
    out.push({
      code: `3.${n}`,
      name,
      fieldId: fs.field.id,
      level,
      agency,
      whereToSubmit:
        level === 'xa' ? 'Bộ phận Một cửa của UBND xã, phường' : 'Trung tâm Phục vụ hành chính công tỉnh Cà Mau',
      steps: ['Nộp hồ sơ.', 'Cơ quan có thẩm quyền thẩm định.', 'Trả kết quả.'],
      channels,
      cases: [{ name: null, documents }],
      applicants: [pick(rnd, ['Cá nhân', 'Tổ chức', 'Cá nhân, tổ chức', 'Hộ gia đình, cá nhân'])],
      requirements: [],
      result: action
        ? `Văn bản ${action.toLowerCase()} ${subject}`
        : `Kết quả giải quyết: ${subject.charAt(0).toLowerCase()}${subject.slice(1)}`,
      legalBasis: ['Thủ tục mẫu (dữ liệu thử, không phải thủ tục chính thức)'],
      onlineLevel: online,
      feeExemptions:
        fee > 0 && rnd() < 0.3
          ? ['Miễn lệ phí đối với người thuộc hộ nghèo, người khuyết tật, người có công với cách mạng.']
          : [],
      keywords: [],
      sample: true,
    });
  }
  return out;
}

export const DEMO_CATALOG_VERSION = 'demo-2026.1';

/** The demo catalog: the written-out procedures plus `generated` made-up ones for scale. */
export function demoCatalog(generated = 2000): Catalog {
  const procedures = [...REAL_PROCEDURES.map((p) => ({ ...p, common: true })), ...generateProcedures(generated)];
  const fieldIds = new Set(procedures.map((p) => p.fieldId));
  const fields = [...REAL_FIELDS, ...SEEDS.map((s) => s.field)].filter(
    (f, i, all) => fieldIds.has(f.id) && all.findIndex((g) => g.id === f.id) === i,
  );
  return CatalogSchema.parse({
    version: `${DEMO_CATALOG_VERSION}+${generated}`,
    publishedAt: '2026-01-01T00:00:00.000Z',
    province: 'Cà Mau',
    fields,
    procedures,
  });
}
