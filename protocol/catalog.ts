import { z } from 'zod';

/**
 * The procedure catalog (`GET /v1/catalog`), after the national procedure database's model
 * (vietnam.md §4): each administrative procedure (thủ tục hành chính, TTHC) with its field,
 * level, agency, steps, channels (each with its time limit and fee), the documents to bring
 * per case, applicants, result, legal basis, online level and fee exemptions. Texts that the
 * citizen reads (fees, exemptions, time limits) are kept as written, not re-phrased.
 */

/** Level of government after the 2025 reform (districts abolished). */
export const ProcedureLevel = z.enum(['bo', 'tinh', 'xa']);
export type ProcedureLevel = z.infer<typeof ProcedureLevel>;
export const LEVEL_NAMES: Record<ProcedureLevel, string> = { bo: 'Cấp Bộ', tinh: 'Cấp Tỉnh', xa: 'Cấp Xã' };

/** trực tiếp / trực tuyến / bưu chính. */
export const ChannelKind = z.enum(['truc-tiep', 'truc-tuyen', 'buu-chinh']);
export type ChannelKind = z.infer<typeof ChannelKind>;
export const CHANNEL_NAMES: Record<ChannelKind, string> = {
  'truc-tiep': 'Trực tiếp',
  'truc-tuyen': 'Trực tuyến',
  'buu-chinh': 'Qua dịch vụ bưu chính',
};

/** Online public service level: the whole procedure online, part of it, or none. */
export const OnlineLevel = z.enum(['toan-trinh', 'mot-phan', 'khong']);
export type OnlineLevel = z.infer<typeof OnlineLevel>;

/** National procedure code, e.g. `1.001193`; provinces sometimes add a suffix (`1.001193.000.00.00.H12`). */
export const ProcedureCode = z.string().regex(/^\d\.\d{6}(\.[0-9A-Z.]+)?$/, 'procedure code like 1.001193');

export const Channel = z.object({
  kind: ChannelKind,
  /** As published, e.g. "Ngay trong ngày tiếp nhận; trường hợp … không quá 03 ngày làm việc". */
  timeLimit: z.string().min(1),
  /** Working days for the common case, for sorting and the appointment date; null when not fixed. */
  timeLimitDays: z.number().min(0).max(365).nullable(),
  /** The fee text as published ("Lệ phí: 8.000 đồng/bản"; "Không"). */
  fee: z.string().min(1),
  /** The common-case amount in VND (0 = free), null when it depends on the case. */
  feeAmount: z.number().int().nonnegative().nullable(),
  /** Channel-specific notes (e.g. where to send by post). */
  note: z.string().optional(),
});
export type Channel = z.infer<typeof Channel>;

export const RequiredDocument = z.object({
  name: z.string().min(1),
  /** Form template (mẫu đơn, tờ khai), e.g. "Mẫu Tờ khai đăng ký khai sinh (TT 04/2020/TT-BTP)". */
  template: z.string().nullable(),
  originals: z.number().int().min(0).max(20),
  copies: z.number().int().min(0).max(20),
  /** When the document is needed only in some cases, said in plain words. */
  note: z.string().optional(),
});
export type RequiredDocument = z.infer<typeof RequiredDocument>;

/** The documents for one case ("Trường hợp …"); `name` null for the only/general case. */
export const DocumentCase = z.object({
  name: z.string().nullable(),
  documents: z.array(RequiredDocument).min(1),
});
export type DocumentCase = z.infer<typeof DocumentCase>;

export const Field = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
});
export type Field = z.infer<typeof Field>;

export const Procedure = z.object({
  code: ProcedureCode,
  name: z.string().min(3),
  fieldId: z.string(),
  level: ProcedureLevel,
  /** Implementing agency (cơ quan thực hiện). */
  agency: z.string().min(1),
  /** Where the citizen submits (the one-stop office and its address, the portal…). */
  whereToSubmit: z.string().min(1),
  steps: z.array(z.string().min(1)).min(1),
  channels: z.array(Channel).min(1),
  cases: z.array(DocumentCase).min(1),
  /** Who may apply (đối tượng thực hiện). */
  applicants: z.array(z.string().min(1)).min(1),
  /** Conditions (yêu cầu, điều kiện), if any. */
  requirements: z.array(z.string()).default([]),
  result: z.string().min(1),
  legalBasis: z.array(z.string().min(1)),
  onlineLevel: OnlineLevel,
  /** Fee exemptions, shown verbatim. */
  feeExemptions: z.array(z.string().min(1)).default([]),
  /** Other words citizens use for this procedure ("làm giấy khai sinh"), searched like the name. */
  keywords: z.array(z.string()).default([]),
  /** One the office's citizens ask for every day (khai sinh, tạm trú, chứng thực…): ranked first among equal matches. */
  common: z.boolean().default(false),
  /** Made up for a demo or a load test, not a real procedure: said so on screen and on paper. */
  sample: z.boolean().default(false),
});
export type Procedure = z.infer<typeof Procedure>;
export type ProcedureInput = z.input<typeof Procedure>;

export const Catalog = z.object({
  /** Changes whenever the content does (the ETag is computed from the body). */
  version: z.string().min(1),
  publishedAt: z.string(),
  /** The province the catalog is published for (its procedures at province and commune level). */
  province: z.string(),
  fields: z.array(Field),
  procedures: z.array(Procedure),
});
export type Catalog = z.infer<typeof Catalog>;
