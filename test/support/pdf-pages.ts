import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFRawStream } from 'pdf-lib';

/** The JPEG page images inside a PDF the kiosk made (pdf-lib embeds them as DCTDecode streams, bytes unchanged). */
export async function jpegsOfPdf(bytes: Uint8Array): Promise<Buffer[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const out: Buffer[] = [];
  for (const [, obj] of doc.context.enumerateIndirectObjects())
    if (obj instanceof PDFRawStream && obj.dict.get(PDFName.of('Filter')) === PDFName.of('DCTDecode'))
      out.push(Buffer.from(obj.contents));
  return out;
}

/** Debian's tesseract with its Vietnamese data on one image. */
export function ocrVietnamese(image: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-'));
  try {
    const file = join(dir, 'page.jpg');
    writeFileSync(file, image);
    return execFileSync('tesseract', [file, '-', '-l', 'vie'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
