import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_DOSSIERS, seedDemoContent } from '../../central/demo/catalog-seed.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { decodedLines, decodeEscPos } from '../../test/support/escpos-decode.ts';
import { createDispatcher, EventBus, type Handlers } from '../api/dispatch.ts';
import type { CatalogFields, DossierStatusResult, ProcedureSummary } from '../../contract/domains/catalog.ts';
import type { PrintOutcome } from '../../contract/print.ts';
import { KioskConfig } from '../config/config.node.ts';
import { openKioskPrinter } from '../devices/printer.node.ts';
import { openDatabase } from '../store/db.node.ts';
import { enrolKiosk } from '../sync/enrol.node.ts';
import { createSyncParts } from '../sync/wire.node.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { catalogHandlers } from './catalog.node.ts';
import { dossierStatusHandlers } from './dossier-status.node.ts';

const log = pino({ level: 'silent' });

async function makeKiosk(dir: string, centralUrl: string) {
  const printerFile = join(dir, 'printer.bin');
  const config = KioskConfig.parse({
    dataDir: dir,
    kioskId: 'KIOSK-01',
    officeId: DEMO_OFFICE_ID,
    centralUrl,
    printer: `file:${printerFile}`,
    printerMode: 'codepage',
    printerCodePage: 52,
  });
  const db = openDatabase(join(dir, 'kiosk.db'));
  const events = new EventBus();
  const printer = await openKioskPrinter(config, { events, log });
  const sync = createSyncParts({ config, db, log, clock: { now: () => new Date() } });
  const closers: Array<() => void> = [];
  const ctx = {
    config,
    dataDir: dir,
    db,
    events,
    log,
    clock: { now: () => new Date() },
    version: 'test',
    startedAt: new Date(),
    printer,
    onClose: (fn: () => void) => void closers.push(fn),
    onSessionEnd: () => undefined,
    ...sync,
  } as unknown as ApplianceContext;
  const handlers = { ...catalogHandlers(ctx), ...dossierStatusHandlers(ctx) } as Handlers;
  const dispatch = createDispatcher(handlers, (name, err) => {
    throw new Error(`${name}: ${String(err)}`);
  });
  const call = async <T>(name: string, input: unknown): Promise<T> => {
    const r = await dispatch(name, input, { carrier: 'test' });
    if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { body: r.error });
    return r.value as T;
  };
  let printedUpTo = 0;
  const takePrinted = (): string[] => {
    if (!existsSync(printerFile)) return [];
    const bytes = readFileSync(printerFile);
    const fresh = bytes.subarray(printedUpTo);
    printedUpTo = bytes.length;
    return decodedLines(decodeEscPos(fresh, { codePageEncodings: { 52: 'cp1258' } }));
  };
  return {
    ctx,
    sync,
    call,
    dispatch,
    takePrinted,
    close: async () => {
      closers.forEach((c) => c());
      await printer.close();
      db.close();
    },
  };
}

describe('catalog and dossier status against a real central', () => {
  let dir: string;
  let central: RunningCentral;
  let kiosk: Awaited<ReturnType<typeof makeKiosk>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kiosk-catalog-'));
    central = await startCentral({ db: join(dir, 'central.sqlite'), port: 0 });
    await seedDemo(central.store);
    await seedDemoContent(central.store, DEMO_OFFICE_ID);
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    kiosk = await makeKiosk(dir, central.url);
    await enrolKiosk({ centralUrl: central.url, code, kioskName: 'Kiosk 1', store: kiosk.sync.credentials });
    await kiosk.sync.cache.refreshAll();
  }, 60_000);
  afterAll(async () => {
    await kiosk?.close();
    await central?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the pulled catalog in SQLite and lists its fields and levels', async () => {
    const fields = await kiosk.call<CatalogFields>('catalog.fields', {});
    expect(fields.total).toBeGreaterThanOrEqual(2000);
    expect(fields.version).toMatch(/^demo-/);
    expect(fields.fields.find((f) => f.id === 'ho-tich')?.name).toBe('Hộ tịch');
    expect(fields.levels.map((l) => l.level)).toEqual(expect.arrayContaining(['xa', 'tinh']));
    const rows = kiosk.ctx.db.prepare('SELECT count(*) AS n FROM catalog_procedures').get() as { n: number };
    expect(rows.n).toBe(fields.total);
  });

  it('searches without marks and puts the exact procedure first', async () => {
    const r = await kiosk.call<{ total: number; items: ProcedureSummary[] }>('catalog.search', {
      query: 'dang ky khai sinh',
    });
    expect(r.items[0]).toMatchObject({
      code: '1.001193',
      name: 'Đăng ký khai sinh',
      fieldName: 'Hộ tịch',
      level: 'xa',
      submittableHere: true,
    });
  });

  it('ranks the procedures citizens ask for every day above generated samples, through the stored catalog', async () => {
    const r = await kiosk.call<{ items: ProcedureSummary[] }>('catalog.search', { query: 'giay phep xay dung' });
    expect(r.items[0]).toMatchObject({ name: 'Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ' });
  });

  it('browses a field at one level, a page at a time', async () => {
    const page = await kiosk.call<{ total: number; items: ProcedureSummary[] }>('catalog.browse', {
      fieldId: 'ho-tich',
      level: 'xa',
      limit: 5,
    });
    expect(page.items).toHaveLength(5);
    expect(page.total).toBeGreaterThan(5);
    for (const p of page.items) expect(p).toMatchObject({ fieldId: 'ho-tich', level: 'xa' });
    const next = await kiosk.call<{ items: ProcedureSummary[] }>('catalog.browse', {
      fieldId: 'ho-tich',
      level: 'xa',
      offset: 5,
      limit: 5,
    });
    expect(next.items[0]!.code).not.toBe(page.items[0]!.code);
  });

  it('answers NOT_FOUND for a code the catalog does not have', async () => {
    const r = await kiosk.dispatch('catalog.get', { code: '9.999999' }, { carrier: 'test' });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('prints the checklist of documents with the fee exemptions verbatim', async () => {
    kiosk.takePrinted();
    const out = await kiosk.call<PrintOutcome>('catalog.printChecklist', { code: '1.001193' });
    expect(out).toEqual({ printed: true });
    // Long lines wrap on 80 mm paper: read the slip as one text.
    const text = kiosk.takePrinted().join(' ');
    expect(text).toContain('HƯỚNG DẪN CHUẨN BỊ HỒ SƠ');
    expect(text).toContain('Đăng ký khai sinh');
    expect(text).toContain('Giấy chứng sinh do cơ sở y tế cấp — 1 bản chính');
    expect(text).toContain('Miễn lệ phí đăng ký khai sinh đúng hạn (Luật Hộ tịch, Điều 11).');
  });

  it('finds a dossier from its bare code, a lookup URL and structured receipt content', async () => {
    const code = DEMO_DOSSIERS[2]!.code;
    for (const text of [
      code,
      `https://dichvucong.camau.gov.vn/tra-cuu?ma=${encodeURIComponent(code)}`,
      JSON.stringify({ ma_ho_so: code, ho_ten: 'X' }),
      code.toLowerCase(),
    ]) {
      const r = await kiosk.call<DossierStatusResult>('dossier.status', { text });
      expect(r.kind, text).toBe('found');
      if (r.kind !== 'found') continue;
      expect(r.dossier.status).toBe(5);
      expect(r.dossier.applicantMasked).toBe('L* H**** M***');
      expect(r.stale).toBe(false);
    }
  });

  it('tells malformed, unknown and other-province codes apart', async () => {
    expect(await kiosk.call('dossier.status', { text: '12345' })).toEqual({ kind: 'malformed', text: '12345' });
    expect(await kiosk.call('dossier.status', { text: '000.31.12.H12-251320-0001' })).toMatchObject({
      kind: 'malformed',
    });
    expect(await kiosk.call('dossier.status', { text: '000.31.12.H12-251120-9999' })).toEqual({
      kind: 'unknown',
      code: '000.31.12.H12-251120-9999',
    });
    expect(await kiosk.call('dossier.status', { text: '000.00.01.H26-251120-0001' })).toEqual({
      kind: 'other-province',
      code: '000.00.01.H26-251120-0001',
      agencyId: '000.00.01.H26',
    });
  });

  it('prints a looked-up dossier status with what to do next', async () => {
    kiosk.takePrinted();
    const code = DEMO_DOSSIERS[3]!.code;
    await kiosk.call('dossier.status', { text: code });
    expect(await kiosk.call('dossier.printStatus', { code })).toEqual({ printed: true });
    const text = kiosk.takePrinted().join(' ');
    expect(text).toContain('TÌNH TRẠNG HỒ SƠ');
    expect(text).toContain(code);
    expect(text).toContain('Yêu cầu thực hiện nghĩa vụ tài chính');
    expect(text).toContain('Nộp tiền sử dụng đất');
  });

  it('shows the last known status with its age when central is gone, and says offline for a code it never saw', async () => {
    const code = DEMO_DOSSIERS[1]!.code;
    expect(await kiosk.call('dossier.status', { text: code })).toMatchObject({ kind: 'found', stale: false });
    await central.close();
    const r = await kiosk.call<DossierStatusResult>('dossier.status', { text: code });
    expect(r).toMatchObject({ kind: 'found', stale: true, dossier: { dossierCode: code, status: 4 } });
    expect(await kiosk.call('dossier.status', { text: DEMO_DOSSIERS[4]!.code })).toEqual({
      kind: 'offline',
      code: DEMO_DOSSIERS[4]!.code,
    });
    // The catalog keeps working offline.
    const s = await kiosk.call<{ items: ProcedureSummary[] }>('catalog.search', { query: 'ket hon' });
    expect(s.items[0]!.name).toBe('Đăng ký kết hôn');
  });
});
