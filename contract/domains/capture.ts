import { z } from 'zod';
import { call, noInput, okOutput } from '../define.ts';
import { DocScannerStatus } from '../../drivers/docscanner/types.ts';
import { ATTACHMENT_LIMITS, DocId } from '../../protocol/attachments.ts';

/**
 * Digitising the papers of a dossier (issue 16). A page is captured (scanner or camera), cleaned
 * on the kiosk and kept encrypted under a page id until the citizen submits; `submission.submit`
 * takes `documents: [{ docId, pageIds }]` and makes one PDF per document.
 */
export const PageId = z.uuid();

export const CapturedPage = z.object({
  pageId: PageId,
  /** The cleaned page as the citizen sees it before "Dùng ảnh này" (`data:image/jpeg;base64,…`). */
  preview: z.string().startsWith('data:image/jpeg;base64,'),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Bytes of the cleaned page (JPEG) that go into the PDF. */
  bytes: z.number().int().positive(),
  /** Capture to cleaned page, ms. */
  ms: z.number().nonnegative(),
  source: z.enum(['scanner', 'camera']),
});
export type CapturedPage = z.infer<typeof CapturedPage>;

export const CaptureLimits = z.object({
  maxPagesPerDocument: z.number().int(),
  maxPagesPerDossier: z.number().int(),
  maxDocumentBytes: z.number().int(),
  maxDossierBytes: z.number().int(),
});

/** The largest camera frame the kiosk takes (a data URL of ~6 MB of JPEG/PNG). */
export const MAX_PHOTO_CHARS = 8_000_000;

export const DocumentPages = z
  .object({ docId: DocId, pageIds: z.array(PageId).min(1).max(ATTACHMENT_LIMITS.maxPagesPerDocument) })
  .strict();

export const calls = {
  /** The document scanner's state and the page limits (the screen says them before the first page). */
  'capture.status': call(
    z.object({ refresh: z.boolean().default(false) }).strict(),
    z.object({ scanner: DocScannerStatus, limits: CaptureLimits }),
  ),
  /** Scans one page on the document scanner and cleans it. DOCSCANNER_* errors when it cannot. */
  'capture.scan': call(noInput, CapturedPage),
  /** A camera frame from the renderer (`data:image/jpeg|png;base64,…`), cleaned like a scan. IMAGE_INVALID when unreadable. */
  'capture.photo': call(
    z
      .object({
        image: z
          .string()
          .max(MAX_PHOTO_CHARS)
          .regex(/^data:image\/(jpeg|png);base64,[A-Za-z0-9+/=]+$/, 'a JPEG or PNG data URL'),
      })
      .strict(),
    CapturedPage,
  ),
  /** "Chụp lại": the page is deleted at once. */
  'capture.discard': call(z.object({ pageId: PageId }).strict(), okOutput),
};

export const events = {
  /** Every change of the document scanner's state. */
  'device.docscanner': DocScannerStatus,
};
