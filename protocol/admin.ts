import { z } from 'zod';
import { OfficerRole, Username } from './counter.ts';
import { FleetKiosk, KioskPushSettings } from './fleet.ts';
import { OfficeConfig } from './office.ts';

/**
 * The office administration API (issue 14, role `admin`): `/v1/admin/offices/:officeId/…`.
 * The configuration saved is checked with protocol/office.ts's `AdminOfficeConfig` (the schema
 * kiosks read, plus consistency rules); the ETag is what kiosks get from their config pull.
 */

export const AdminConfigResponse = z.object({ config: OfficeConfig, etag: z.string() });
export type AdminConfigResponse = z.infer<typeof AdminConfigResponse>;

/** `etag`: the version the administrator edited; a save over a newer one is refused (409). */
export const SaveConfigRequest = z.object({ config: z.unknown(), etag: z.string().min(1) });
export type SaveConfigRequest = z.infer<typeof SaveConfigRequest>;
export const SaveConfigResponse = z.object({ etag: z.string(), changed: z.boolean() });
export type SaveConfigResponse = z.infer<typeof SaveConfigResponse>;

export const ConfigChange = z.object({
  at: z.string(),
  username: z.string().nullable(),
  /** Top-level keys of the configuration that changed. */
  keys: z.array(z.string()),
});
export const ConfigHistoryResponse = z.object({ changes: z.array(ConfigChange) });
export type ConfigHistoryResponse = z.infer<typeof ConfigHistoryResponse>;

// ───────── procedure catalog import ─────────

/** A clerk's file, base64 (12 MB of file at most). */
export const CatalogFileRequest = z.object({
  format: z.enum(['csv', 'xlsx']),
  fileName: z.string().min(1).max(200),
  dataBase64: z
    .string()
    .min(1)
    .max(16 * 1024 * 1024),
});
export type CatalogFileRequest = z.infer<typeof CatalogFileRequest>;

export const ImportErrorView = z.object({ line: z.number().int(), message: z.string() });
const Named = z.object({ code: z.string(), name: z.string() });
export const CatalogDiffView = z.object({
  added: z.number().int(),
  changed: z.number().int(),
  removed: z.number().int(),
  /** The first few of each, to read before applying. */
  sample: z.object({ added: z.array(Named), changed: z.array(Named), removed: z.array(Named) }),
});
export type CatalogDiffView = z.infer<typeof CatalogDiffView>;

export const CatalogPreviewResponse = z.object({
  rows: z.number().int(),
  procedures: z.number().int(),
  errors: z.array(ImportErrorView),
  diff: CatalogDiffView,
  /** The catalog the diff was made against; pass it to apply. */
  baseEtag: z.string().nullable(),
  ms: z.number(),
});
export type CatalogPreviewResponse = z.infer<typeof CatalogPreviewResponse>;

export const CatalogApplyRequest = CatalogFileRequest.extend({ baseEtag: z.string().nullable() });
export type CatalogApplyRequest = z.infer<typeof CatalogApplyRequest>;

export const CatalogVersionView = z.object({
  seq: z.number().int(),
  etag: z.string(),
  fileName: z.string().nullable(),
  createdAt: z.string(),
  username: z.string().nullable(),
  procedures: z.number().int(),
  summary: z.object({ added: z.number().int(), changed: z.number().int(), removed: z.number().int() }),
  current: z.boolean(),
});
export type CatalogVersionView = z.infer<typeof CatalogVersionView>;
export const CatalogVersionsResponse = z.object({ versions: z.array(CatalogVersionView) });
export type CatalogVersionsResponse = z.infer<typeof CatalogVersionsResponse>;
export const CatalogApplyResponse = z.object({ version: CatalogVersionView });
export type CatalogApplyResponse = z.infer<typeof CatalogApplyResponse>;
export const RollbackRequest = z.object({ seq: z.number().int().positive() });

// ───────── enrolment codes, kiosks, officers ─────────

export const EnrolCodeView = z.object({
  id: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  deviceId: z.string().nullable(),
  state: z.enum(['active', 'used', 'expired']),
});
export type EnrolCodeView = z.infer<typeof EnrolCodeView>;
export const EnrolCodesResponse = z.object({ codes: z.array(EnrolCodeView) });
export const IssueCodeRequest = z.object({
  ttlHours: z.number().int().min(1).max(720),
  note: z.string().max(120).optional(),
});
export const IssueCodeResponse = z.object({ code: z.string(), expiresAt: z.string() });
export const ExpireCodeRequest = z.object({ id: z.string().regex(/^[0-9a-f]{16}$/) });

export const KiosksResponse = z.object({ kiosks: z.array(FleetKiosk) });
export const RenameKioskRequest = z.object({
  deviceId: z.string().min(1).max(80),
  name: z.string().trim().min(1).max(80),
});
export const RevokeKioskRequest = z.object({ deviceId: z.string().min(1).max(80) });
export const PushKioskSettingsRequest = z.object({
  deviceId: z.string().min(1).max(80),
  values: KioskPushSettings,
});
export const PushKioskSettingsResponse = z.object({ revision: z.number().int().positive() });

export const OfficerView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(OfficerRole),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type OfficerView = z.infer<typeof OfficerView>;
export const OfficersResponse = z.object({ officers: z.array(OfficerView) });
export const Password = z.string().min(8, 'at least 8 characters').max(200);
/**
 * The roles an office's administrator may grant. `province` (reading every office of the province)
 * is granted by the province from central's CLI, never by one office: an office admin cannot widen
 * anyone's reach beyond the office, and a province grant they see is kept as it is.
 */
export const GrantableRole = z.enum(['counter', 'manager', 'admin']);
export type GrantableRole = z.infer<typeof GrantableRole>;
export const CreateOfficerRequest = z.object({
  username: Username,
  displayName: z.string().trim().min(1).max(100),
  password: Password,
  roles: z.array(GrantableRole).min(1),
});
export const UpdateOfficerRequest = z.object({
  officerId: z.string().min(1).max(80),
  roles: z.array(GrantableRole).min(1).optional(),
  disabled: z.boolean().optional(),
  password: Password.optional(),
});
export const OkResponse = z.object({ ok: z.literal(true) });
