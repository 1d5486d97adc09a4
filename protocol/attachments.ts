import { z } from 'zod';

/**
 * Digitised papers of a dossier (issue 16). Each required document becomes one PDF on the kiosk;
 * the dossier's payload names them by SHA-256, and the bytes travel separately, in chunks, to a
 * content-addressed store at central (`PUT /v1/attachments/:sha256?offset=&total=`).
 */
export const SHA256_RE = /^[0-9a-f]{64}$/;
export const Sha256 = z.string().regex(SHA256_RE, 'lower-case hex SHA-256');

/** One chunk of an upload (and the largest body the chunk route takes). */
export const ATTACHMENT_CHUNK_BYTES = 256 * 1024;
/** Limits a kiosk enforces before saving, and central again. */
export const ATTACHMENT_LIMITS = {
  /** Pages of one document. */
  maxPagesPerDocument: 10,
  /** Pages of a whole dossier. */
  maxPagesPerDossier: 30,
  /** Bytes of one document's PDF. */
  maxDocumentBytes: 8 * 1024 * 1024,
  /** Bytes of all the dossier's PDFs. */
  maxDossierBytes: 20 * 1024 * 1024,
} as const;

export const DocId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'document id like giay-chung-sinh');

/** What the dossier's payload says about one attached document. */
export const AttachmentRef = z
  .object({
    docId: DocId,
    title: z.string().min(1).max(300),
    sha256: Sha256,
    bytes: z.number().int().positive().max(ATTACHMENT_LIMITS.maxDocumentBytes),
    pages: z.number().int().min(1).max(ATTACHMENT_LIMITS.maxPagesPerDocument),
    mime: z.literal('application/pdf'),
  })
  .strict();
export type AttachmentRef = z.infer<typeof AttachmentRef>;

export const AttachmentRefs = z
  .array(AttachmentRef)
  .max(20)
  .refine((a) => new Set(a.map((r) => r.docId)).size === a.length, 'one entry per document')
  .refine((a) => a.reduce((n, r) => n + r.pages, 0) <= ATTACHMENT_LIMITS.maxPagesPerDossier, 'too many pages')
  .refine((a) => a.reduce((n, r) => n + r.bytes, 0) <= ATTACHMENT_LIMITS.maxDossierBytes, 'too many bytes');

/** `GET /v1/attachments/:sha256` and every chunk's answer: how much central holds. */
export const UploadState = z.object({
  sha256: Sha256,
  /** Bytes central holds of an unfinished upload (the next chunk starts here). */
  offset: z.number().int().nonnegative(),
  /** Central holds the whole file and checked its SHA-256. */
  complete: z.boolean(),
});
export type UploadState = z.infer<typeof UploadState>;

export const UploadQuery = z
  .object({
    offset: z.coerce.number().int().nonnegative(),
    total: z.coerce.number().int().positive().max(ATTACHMENT_LIMITS.maxDocumentBytes),
  })
  .strict();

/** Officers: the documents of a dossier (`GET /v1/officer/dossiers/:code/attachments`). */
export const OfficerAttachment = z.object({
  docId: DocId,
  title: z.string(),
  sha256: Sha256,
  bytes: z.number().int(),
  pages: z.number().int(),
  /** Central holds the file (false: the kiosk is still sending it). */
  received: z.boolean(),
});
export const OfficerAttachmentList = z.object({ dossierCode: z.string(), attachments: z.array(OfficerAttachment) });
export type OfficerAttachmentList = z.infer<typeof OfficerAttachmentList>;
