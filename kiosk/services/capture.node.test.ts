import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, DEMO_OFFICES, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { signedInOfficer } from '../../central/testing.node.ts';
import { SAMPLE_VALUES } from '../../contract/forms/samples.ts';
import { pdfPageCount, SAMPLE_PAGE_WORDS } from '../../drivers/docscanner/index.node.ts';
import { OfficerAttachmentList } from '../../protocol/attachments.ts';
import { jpegsOfPdf, ocrVietnamese } from '../../test/support/pdf-pages.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { KioskConfig } from '../config/config.node.ts';
import { enrolKiosk } from '../sync/enrol.node.ts';
import type { CapturedPage } from '../../contract/domains/capture.ts';

const log = pino({ level: 'silent' });
const BIRTH = '1.001193';

describe('papers of a dossier: capture → PDF → central exactly once (issue 16)', () => {
  let dir: string;
  let central: RunningCentral;
  let kiosk: Appliance;

  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await kiosk.dispatch(name, input, { carrier: 'test' });
    if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { body: r.error });
    return r.value as T;
  };
  const submit = (documents: unknown) =>
    kiosk.dispatch(
      'submission.submit',
      { procedureCode: BIRTH, values: SAMPLE_VALUES[BIRTH], consent: true, documents },
      { carrier: 'test' },
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-capture-'));
    central = await startCentral({ db: join(dir, 'central.sqlite'), port: 0 });
    await seedDemo(central.store);
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    const config = KioskConfig.parse({
      dataDir: join(dir, 'kiosk'),
      kioskId: 'KIOSK-01',
      officeId: DEMO_OFFICE_ID,
      centralUrl: central.url,
      printer: 'sim',
      docScanner: 'sim:',
      hostPort: 0,
    });
    kiosk = await createAppliance(config, { log });
    await enrolKiosk({ centralUrl: central.url, code, kioskName: 'Kiosk 1', store: kiosk.ctx.credentials });
  });
  afterEach(async () => {
    await kiosk.close();
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('three pages (one taken again) arrive as one 3-page PDF, byte-identical, legible; nothing stays on the kiosk', async () => {
    const p1 = await call<CapturedPage>('capture.scan', {});
    const p2 = await call<CapturedPage>('capture.scan', {});
    // "Chụp lại": the second page is discarded at once and scanned again.
    await call('capture.discard', { pageId: p2.pageId });
    const p2b = await call<CapturedPage>('capture.scan', {});
    const p3 = await call<CapturedPage>('capture.scan', {});
    expect(p1.preview.startsWith('data:image/jpeg;base64,')).toBe(true);
    expect(p1.ms).toBeLessThan(1500);
    const pagesDir = join(dir, 'kiosk', 'capture', 'pages');
    expect(readdirSync(pagesDir).sort()).toEqual([p1.pageId, p2b.pageId, p3.pageId].sort());
    // Encrypted at rest: no JPEG marker in the files on disk.
    for (const f of readdirSync(pagesDir))
      expect(readFileSync(join(pagesDir, f)).includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);

    const r = await submit([{ docId: 'giay-chung-sinh', pageIds: [p1.pageId, p2b.pageId, p3.pageId] }]);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    const result = (r as { value: { accepted: boolean; dossierCode: string; attachments: Array<{ pages: number }> } })
      .value;
    expect(result.accepted).toBe(true);
    expect(result.attachments).toEqual([expect.objectContaining({ docId: 'giay-chung-sinh', pages: 3 })]);
    expect(readdirSync(pagesDir)).toEqual([]); // the pages are in the PDF now

    await kiosk.ctx.attachments.waitForIdle();
    const outgoing = join(dir, 'kiosk', 'capture', 'outgoing');
    expect(readdirSync(outgoing)).toEqual([]); // deleted once central held it
    const row = kiosk.ctx.db.prepare('SELECT status, sha256, bytes FROM attachments').get() as {
      status: string;
      sha256: string;
      bytes: number;
    };
    expect(row.status).toBe('uploaded');

    // An officer of the office fetches it beside the dossier.
    const cookie = await signedInOfficer(central, { username: 'canbo.capture', roles: ['counter'] });
    const list = OfficerAttachmentList.parse(
      await (
        await fetch(`${central.url}/v1/officer/dossiers/${result.dossierCode}/attachments`, { headers: { cookie } })
      ).json(),
    );
    expect(list.attachments).toEqual([
      expect.objectContaining({ docId: 'giay-chung-sinh', pages: 3, received: true, sha256: row.sha256 }),
    ]);
    const res = await fetch(`${central.url}/v1/officer/dossiers/${result.dossierCode}/attachments/giay-chung-sinh`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const pdf = Buffer.from(await res.arrayBuffer());
    expect(createHash('sha256').update(pdf).digest('hex')).toBe(row.sha256);
    expect(pdf.length).toBe(row.bytes);
    expect(await pdfPageCount(pdf)).toBe(3);
    // Legible: tesseract (Vietnamese) reads the printed words in central's copy (source: the simulator's sample page).
    const pages = await jpegsOfPdf(pdf);
    expect(pages).toHaveLength(3);
    const text = ocrVietnamese(pages[2]!);
    expect(SAMPLE_PAGE_WORDS.filter((w) => text.includes(w)).length, text).toBeGreaterThanOrEqual(
      SAMPLE_PAGE_WORDS.length - 1,
    );
    expect(text).toMatch(/Trang [123]\/3/);

    // Another office's officer, and no session: nothing.
    const other = await signedInOfficer(central, {
      username: 'canbo.khac',
      officeId: DEMO_OFFICES[1]!.officeId,
      roles: ['counter'],
    });
    expect(
      (
        await fetch(`${central.url}/v1/officer/dossiers/${result.dossierCode}/attachments/giay-chung-sinh`, {
          headers: { cookie: other },
        })
      ).status,
    ).toBe(404);
    expect((await fetch(`${central.url}/v1/officer/dossiers/${result.dossierCode}/attachments`)).status).toBe(401);
  });

  it('refuses a dossier without its required paper, too many pages, and an image that is not one', async () => {
    const missing = await submit([]);
    expect(missing.ok).toBe(false);
    expect(!missing.ok && missing.error).toMatchObject({
      code: 'BAD_INPUT',
      details: { missingDocuments: ['giay-chung-sinh'] },
    });

    const small = `data:image/png;base64,${(
      await sharp({ create: { width: 60, height: 80, channels: 3, background: '#fff' } })
        .png()
        .toBuffer()
    ).toString('base64')}`;
    const ids: string[] = [];
    for (let i = 0; i < 11; i++) ids.push((await call<CapturedPage>('capture.photo', { image: small })).pageId);
    const tooMany = await submit([{ docId: 'giay-chung-sinh', pageIds: ids }]);
    expect(!tooMany.ok && tooMany.error.code).toBe('BAD_INPUT'); // the contract's own bound (10)

    const bad = await kiosk.dispatch('capture.photo', { image: 'data:image/png;base64,AAAA' }, { carrier: 'test' });
    expect(!bad.ok && bad.error.code).toBe('IMAGE_INVALID');
    const unknownDoc = await submit([{ docId: 'giay-khac', pageIds: [ids[0]] }]);
    expect(!unknownDoc.ok && unknownDoc.error.code).toBe('BAD_INPUT');
    // Nothing was saved by the refused calls.
    expect(kiosk.ctx.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(0);
  });
});
