import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  cleanPage,
  createDocScanner,
  pagesToPdf,
  parseDocScannerUri,
  pdfPageCount,
  renderSamplePage,
  SAMPLE_PAGE_WORDS,
  SimDocScanner,
} from './index.node.ts';

/** Words tesseract (Debian, Vietnamese data) reads back from a JPEG. */
function ocr(jpeg: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocr-'));
  const file = join(dir, 'page.jpg');
  writeFileSync(file, jpeg);
  return execFileSync('tesseract', [file, '-', '-l', 'vie'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

describe('docscanner URI', () => {
  it('reads sane, sim and none and refuses the rest', () => {
    expect(parseDocScannerUri('sane:test')).toMatchObject({
      kind: 'sane',
      device: 'test',
      options: { mode: 'Gray', resolution: 150 },
    });
    expect(parseDocScannerUri('sane:test?resolution=75&test-picture=Grid')).toMatchObject({
      options: { resolution: 75, 'test-picture': 'Grid' },
    });
    expect(parseDocScannerUri('sane:')).toMatchObject({ kind: 'sane', device: null });
    expect(parseDocScannerUri('sim:')).toEqual({ kind: 'sim', file: null });
    expect(parseDocScannerUri('none')).toEqual({ kind: 'none' });
    expect(() => parseDocScannerUri('sane:test; rm -rf /')).toThrow(/device name/);
    expect(() => parseDocScannerUri('sane:test?resolution=9000')).toThrow(/resolution/);
    expect(() => parseDocScannerUri('sane:test?exec=1')).toThrow(/SANE option/);
    expect(() => parseDocScannerUri('usb:1')).toThrow(/KIOSK_DOCSCANNER/);
  });
});

describe('SANE test backend through scanimage', () => {
  it('scans a page as PNG and reports ready', async () => {
    const s = createDocScanner('sane:test?resolution=75&test-picture=Grid', { recheckMs: 0 });
    expect((await s.open()).state).toBe('ready');
    const { bytes } = await s.scan();
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBeGreaterThan(100);
    const page = await cleanPage(bytes);
    expect(page.jpeg.subarray(0, 2).toString('hex')).toBe('ffd8');
    await s.close();
  });

  it('a scanner that is not there is offline with the reason, then recovers when it answers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sane-'));
    const fake = join(dir, 'scanimage');
    const flag = join(dir, 'plugged');
    // A stand-in scanimage that fails until "plugged" exists, then hands over to the real one.
    writeFileSync(
      fake,
      `#!/bin/sh\n[ -e ${flag} ] || { echo "scanimage: open of device test failed: Error during device I/O" >&2; exit 1; }\nexec scanimage "$@"\n`,
    );
    chmodSync(fake, 0o755);
    const s = createDocScanner('sane:test?resolution=50', { scanimage: fake, recheckMs: 50 });
    const first = await s.open();
    expect(first).toMatchObject({ state: 'offline', online: false });
    expect(first.lastError).toMatch(/Error during device I\/O/);
    await expect(s.scan()).rejects.toMatchObject({ code: 'DOCSCANNER_OFFLINE' });
    const back = new Promise((r) => s.on('status', (st) => st.online && r(st)));
    writeFileSync(flag, '');
    await back; // the background re-check found it
    expect((await s.scan()).bytes.length).toBeGreaterThan(64);
    await s.close();
  });

  it('none refuses with DOCSCANNER_NONE', async () => {
    const s = createDocScanner('none');
    expect((await s.open()).state).toBe('none');
    await expect(s.scan()).rejects.toMatchObject({ code: 'DOCSCANNER_NONE' });
  });
});

describe('cleaning and PDF', () => {
  it('straightens and crops a tilted page on a table; the words stay legible (tesseract vie)', async () => {
    const raw = await renderSamplePage({ page: 2, pages: 3, tiltDeg: -3 });
    const page = await cleanPage(raw);
    expect(page.skewDeg).toBeCloseTo(-3, 0);
    expect(page.cropped).toBe(true);
    // Cropped to the paper: A4's proportions (1.414), not the photo's.
    expect(page.height / page.width).toBeGreaterThan(1.35);
    expect(page.height / page.width).toBeLessThan(1.48);
    expect(page.jpeg.length).toBeLessThan(250_000);
    const text = ocr(page.jpeg);
    const found = SAMPLE_PAGE_WORDS.filter((w) => text.includes(w));
    expect(found.length, text).toBeGreaterThanOrEqual(SAMPLE_PAGE_WORDS.length - 1);
  });

  it('the simulator gives pages 1..3, and goes offline when unplugged', async () => {
    const s = new SimDocScanner('sim:', null, 0);
    await s.open();
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push((await cleanPage((await s.scan()).bytes)).jpeg);
    const pdf = await pagesToPdf(pages, { title: 'Giấy tờ' });
    expect(await pdfPageCount(pdf)).toBe(3);
    expect(ocr(pages[2]!)).toContain('Trang 3/3');
    s.setOnline(false);
    await expect(s.scan()).rejects.toMatchObject({ code: 'DOCSCANNER_ERROR' });
    expect((await s.status()).state).toBe('offline');
  });

  it('refuses bytes that are not an image', async () => {
    await expect(cleanPage(Buffer.from('not an image at all'))).rejects.toThrow();
  });
});
