import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { cleanPage, isDocScannerError, pagesToPdf, type DocScanner } from '../../drivers/docscanner/index.node.ts';
import { ATTACHMENT_LIMITS, type AttachmentRef } from '../../protocol/attachments.ts';
import type { CapturedPage } from '../../contract/domains/capture.ts';
import { KioskError } from '../../contract/errors.ts';
import type { AttachmentSpec, FormSchema } from '../../contract/forms/index.ts';
import type { Handlers } from '../api/dispatch.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { loadOrMakeKey, SealedFiles } from '../store/sealed.node.ts';
import type { Db } from '../store/db.node.ts';

/** Pages nobody submitted (the citizen walked away) are deleted after this long, and at every session end. */
export const PAGE_KEEP_MS = 30 * 60_000;

/** A PDF waiting for central, as `submission.submit` records it with the dossier. */
export interface PreparedAttachment {
  ref: AttachmentRef;
}

/**
 * The kiosk's papers (issue 16): the scanner, the encrypted page and outgoing stores, and the
 * per-kiosk key. Pages are cleaned JPEGs kept under their page id until submission; at
 * submission each document's pages become one PDF, stored under its SHA-256 until central holds
 * it (kiosk/sync/attachments.node.ts sends and deletes it). Nothing here is ever logged but ids
 * and sizes.
 */
export class KioskCapture {
  readonly pages: SealedFiles;
  readonly outgoing: SealedFiles;

  constructor(
    readonly dataDir: string,
    readonly scanner: DocScanner,
    private readonly db: Db,
  ) {
    const key = loadOrMakeKey(join(dataDir, 'attachment.key'));
    this.pages = new SealedFiles(join(dataDir, 'capture', 'pages'), key);
    this.outgoing = new SealedFiles(join(dataDir, 'capture', 'outgoing'), key);
  }

  /** Cleans a raw image and keeps it encrypted under a new page id. */
  async addPage(
    raw: Buffer,
    source: 'scanner' | 'camera',
    now: Date,
    started = performance.now(),
  ): Promise<CapturedPage> {
    let page;
    try {
      page = await cleanPage(raw);
    } catch (e) {
      throw new KioskError(
        'IMAGE_INVALID',
        `the image could not be read as a page: ${(e as Error).message.slice(0, 120)}`,
      );
    }
    const pageId = randomUUID();
    this.pages.write(pageId, page.jpeg);
    this.db
      .prepare('INSERT INTO capture_pages (id, bytes, source, created_at) VALUES (?, ?, ?, ?)')
      .run(pageId, page.jpeg.length, source, now.toISOString());
    return {
      pageId,
      preview: `data:image/jpeg;base64,${page.jpeg.toString('base64')}`,
      width: page.width,
      height: page.height,
      bytes: page.jpeg.length,
      ms: Math.round(performance.now() - started),
      source,
    };
  }

  discard(pageId: string): void {
    this.db.prepare('DELETE FROM capture_pages WHERE id = ?').run(pageId);
    this.pages.remove(pageId);
  }

  /** Deletes every page not yet submitted (session end) or older than `olderThanMs`. */
  sweepPages(olderThanMs = 0, now = Date.now()): number {
    const known = new Set((this.db.prepare('SELECT id FROM capture_pages').pluck().all() as string[]).filter(Boolean));
    let n = 0;
    for (const f of this.pages.list(now)) {
      if (f.ageMs < olderThanMs) continue;
      this.pages.remove(f.name);
      known.delete(f.name);
      this.db.prepare('DELETE FROM capture_pages WHERE id = ?').run(f.name);
      n++;
    }
    // Rows whose file is gone (a crash between the two) go too.
    if (olderThanMs === 0) for (const id of known) this.db.prepare('DELETE FROM capture_pages WHERE id = ?').run(id);
    return n;
  }

  /** Outgoing files no attachment row waits for (a crash between writing the PDF and saving the dossier). */
  sweepOutgoing(): number {
    const waiting = new Set(
      this.db.prepare("SELECT sha256 FROM attachments WHERE status = 'pending'").pluck().all() as string[],
    );
    let n = 0;
    for (const f of this.outgoing.list())
      if (!waiting.has(f.name)) {
        this.outgoing.remove(f.name);
        n++;
      }
    return n;
  }

  /**
   * Builds one PDF per document from its pages (checked against the form and the limits) and
   * stores each encrypted under its SHA-256. Runs before the dossier's transaction; the pages
   * are deleted by `commitPages` after it.
   */
  async prepare(
    form: FormSchema,
    documents: ReadonlyArray<{ docId: string; pageIds: string[] }>,
  ): Promise<AttachmentRef[]> {
    const specs = new Map<string, AttachmentSpec>((form.attachments ?? []).map((a) => [a.id, a]));
    const seen = new Set<string>();
    let pages = 0;
    let bytes = 0;
    const refs: AttachmentRef[] = [];
    for (const d of documents) {
      const spec = specs.get(d.docId);
      if (!spec) throw new KioskError('BAD_INPUT', `procedure ${form.procedureCode} asks for no document ${d.docId}`);
      if (seen.has(d.docId)) throw new KioskError('BAD_INPUT', `document ${d.docId} given twice`);
      seen.add(d.docId);
      const max = Math.min(
        spec.maxPages ?? ATTACHMENT_LIMITS.maxPagesPerDocument,
        ATTACHMENT_LIMITS.maxPagesPerDocument,
      );
      if (d.pageIds.length > max)
        throw new KioskError('ATTACHMENT_LIMIT', `document ${d.docId} has ${d.pageIds.length} pages; at most ${max}`, {
          limit: 'pagesPerDocument',
          max,
        });
      pages += d.pageIds.length;
      if (pages > ATTACHMENT_LIMITS.maxPagesPerDossier)
        throw new KioskError('ATTACHMENT_LIMIT', `more than ${ATTACHMENT_LIMITS.maxPagesPerDossier} pages`, {
          limit: 'pagesPerDossier',
          max: ATTACHMENT_LIMITS.maxPagesPerDossier,
        });
      const jpegs = d.pageIds.map((id) => {
        if (!this.pages.has(id)) throw new KioskError('NOT_FOUND', `page ${id} is not on this kiosk (taken again?)`);
        return this.pages.read(id);
      });
      const pdf = await pagesToPdf(jpegs, { title: spec.title.vi, subject: form.name.vi });
      if (pdf.length > ATTACHMENT_LIMITS.maxDocumentBytes)
        throw new KioskError('ATTACHMENT_LIMIT', `document ${d.docId} is ${pdf.length} bytes`, {
          limit: 'documentBytes',
          max: ATTACHMENT_LIMITS.maxDocumentBytes,
        });
      bytes += pdf.length;
      if (bytes > ATTACHMENT_LIMITS.maxDossierBytes)
        throw new KioskError('ATTACHMENT_LIMIT', `the dossier's papers are ${bytes} bytes`, {
          limit: 'dossierBytes',
          max: ATTACHMENT_LIMITS.maxDossierBytes,
        });
      const sha256 = createHash('sha256').update(pdf).digest('hex');
      this.outgoing.write(sha256, pdf);
      refs.push({
        docId: d.docId,
        title: spec.title.vi,
        sha256,
        bytes: pdf.length,
        pages: d.pageIds.length,
        mime: 'application/pdf',
      });
    }
    const missing = (form.attachments ?? []).filter((a) => !a.optional && !seen.has(a.id));
    if (missing.length)
      throw new KioskError('BAD_INPUT', `required document(s) missing: ${missing.map((m) => m.id).join(', ')}`, {
        missingDocuments: missing.map((m) => m.id),
      });
    return refs;
  }

  /** Inside the dossier's transaction: one row per PDF to send. */
  record(db: Db, outboxKey: string, refs: readonly AttachmentRef[], now: Date): void {
    const insert = db.prepare(
      `INSERT INTO attachments (outbox_key, doc_id, sha256, bytes, pages, status, created_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
    );
    for (const r of refs) insert.run(outboxKey, r.docId, r.sha256, r.bytes, r.pages, now.toISOString());
  }

  /** After the dossier is saved: its pages are in the PDFs now. */
  commitPages(documents: ReadonlyArray<{ pageIds: string[] }>): void {
    for (const d of documents) for (const id of d.pageIds) this.discard(id);
  }
}

export async function createKioskCapture(ctx: ApplianceContext, scanner: DocScanner): Promise<KioskCapture> {
  const capture = new KioskCapture(ctx.dataDir, scanner, ctx.db);
  capture.sweepPages(); // nothing survives a restart but what was submitted
  capture.sweepOutgoing();
  ctx.onSessionEnd(() => capture.sweepPages());
  const timer = setInterval(() => capture.sweepPages(PAGE_KEEP_MS), 5 * 60_000);
  timer.unref();
  ctx.onClose(() => clearInterval(timer));
  return capture;
}

export function captureHandlers(
  ctx: ApplianceContext,
  capture: KioskCapture,
): Pick<Handlers, 'capture.status' | 'capture.scan' | 'capture.photo' | 'capture.discard'> {
  return {
    'capture.status': async ({ refresh }) => ({
      scanner: await capture.scanner.status({ refresh }),
      limits: { ...ATTACHMENT_LIMITS },
    }),
    'capture.scan': async () => {
      const started = performance.now();
      let raw: Buffer;
      try {
        raw = (await capture.scanner.scan()).bytes;
      } catch (e) {
        if (isDocScannerError(e)) throw new KioskError(e.code, e.message);
        throw e;
      }
      const page = await capture.addPage(raw, 'scanner', ctx.clock.now(), started);
      ctx.log.info({ pageId: page.pageId, bytes: page.bytes, ms: page.ms }, 'page scanned');
      return page;
    },
    'capture.photo': async ({ image }) => {
      const started = performance.now();
      const raw = Buffer.from(image.slice(image.indexOf(',') + 1), 'base64');
      const page = await capture.addPage(raw, 'camera', ctx.clock.now(), started);
      ctx.log.info({ pageId: page.pageId, bytes: page.bytes, ms: page.ms }, 'page photographed');
      return page;
    },
    'capture.discard': ({ pageId }) => {
      capture.discard(pageId);
      return { ok: true as const };
    },
  };
}
