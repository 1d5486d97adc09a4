import { PDFDocument } from 'pdf-lib';

/** A4 in PDF points. */
const A4 = { w: 595.28, h: 841.89 };

/**
 * The pages of one document (cleaned JPEGs, in order) as one PDF: each page A4, the image
 * fitted inside it. pdf-lib embeds the JPEG bytes as they are (no re-encoding), so a page costs
 * what its JPEG costs plus ~1 KB.
 */
export async function pagesToPdf(pages: readonly Buffer[], meta: { title: string; subject?: string }): Promise<Buffer> {
  if (pages.length === 0) throw new Error('a document needs at least one page');
  const doc = await PDFDocument.create();
  doc.setTitle(meta.title);
  if (meta.subject) doc.setSubject(meta.subject);
  doc.setProducer('OneStop Kiosk');
  doc.setCreator('OneStop Kiosk');
  // A fixed date: the same pages make the same bytes (content-addressed at central).
  const fixed = new Date(0);
  doc.setCreationDate(fixed);
  doc.setModificationDate(fixed);
  for (const bytes of pages) {
    const img = await doc.embedJpg(bytes);
    const landscape = img.width > img.height;
    const pw = landscape ? A4.h : A4.w;
    const ph = landscape ? A4.w : A4.h;
    const k = Math.min(pw / img.width, ph / img.height);
    const page = doc.addPage([pw, ph]);
    page.drawImage(img, {
      x: (pw - img.width * k) / 2,
      y: (ph - img.height * k) / 2,
      width: img.width * k,
      height: img.height * k,
    });
  }
  return Buffer.from(await doc.save({ useObjectStreams: true }));
}

/** The page count of a PDF (central's check, and the tests'). */
export async function pdfPageCount(bytes: Uint8Array): Promise<number> {
  return (await PDFDocument.load(bytes, { updateMetadata: false })).getPageCount();
}
