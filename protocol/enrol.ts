import { z } from 'zod';
import { DeviceId, OfficeId } from './http.ts';

/** Codes are shown as `ABCD-EFGH`; spaces, dashes and case do not matter when typed back. */
export const normalizeEnrolCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

export const EnrolRequest = z
  .object({
    code: z.string().min(4).max(64),
    kioskName: z.string().trim().min(1).max(100),
    /** Software version, for the fleet inventory. */
    version: z.string().max(40).optional(),
  })
  .strict();
export type EnrolRequest = z.infer<typeof EnrolRequest>;

export const EnrolResponse = z.object({
  deviceId: DeviceId,
  /** Bearer credential. Central keeps only its hash: it cannot be shown again. */
  token: z.string().min(32),
  officeId: OfficeId,
  officeName: z.string(),
});
export type EnrolResponse = z.infer<typeof EnrolResponse>;

/** `GET /v1/me`: who central thinks this credential belongs to. */
export const WhoAmIResponse = z.object({
  deviceId: DeviceId,
  officeId: OfficeId,
  name: z.string(),
  enrolledAt: z.string(),
});
export type WhoAmIResponse = z.infer<typeof WhoAmIResponse>;
