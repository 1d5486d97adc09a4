import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueEnrolCode } from '../../central/admin.node.ts';
import { DEMO_OFFICE_ID, seedDemo } from '../../central/demo/seed.node.ts';
import { startCentral, type RunningCentral } from '../../central/server.node.ts';
import { classifyScan } from '../../drivers/id/index.ts';
import { parseVietQr } from '../../drivers/id/vietqr.ts';
import { DossierLookup } from '../../protocol/dossiers.ts';
import { decodedLines, decodeEscPos, type EscPosOp } from '../../test/support/escpos-decode.ts';
import { createDispatcher, EventBus, type Handlers } from '../api/dispatch.ts';
import { KioskConfig } from '../config/config.node.ts';
import type { ApplianceContext } from '../appliance/context.node.ts';
import { openKioskPrinter } from '../devices/printer.node.ts';
import { SAMPLE_VALUES } from '../../contract/forms/samples.ts';
import { openDatabase } from '../store/db.node.ts';
import { enrolKiosk } from '../sync/enrol.node.ts';
import { createSyncParts, type SyncParts } from '../sync/wire.node.ts';
import { dossierStatusHandlers } from './dossier-status.node.ts';
import { paymentsHandlers } from './payments.node.ts';
import { ratingsHandlers } from './ratings.node.ts';
import { submissionHandlers } from './submission.node.ts';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A kiosk core with the real store, sync engine and a file printer (code-page mode, so text can be decoded). */
async function makeKiosk(dir: string, centralUrl: string) {
  const printerFile = join(dir, 'printer.bin');
  const config = KioskConfig.parse({ dataDir: dir, kioskId: 'KIOSK-01', officeId: DEMO_OFFICE_ID, officeName: 'UBND phường An Xuyên', centralUrl, printer: `file:${printerFile}`, printerMode: 'codepage', printerCodePage: 52 });
  const db = openDatabase(join(dir, 'kiosk.db'));
  const events = new EventBus();
  const printer = await openKioskPrinter(config, { events, log });
  const sync: SyncParts = createSyncParts({ config, db, log, clock: { now: () => new Date() } }, { probeIntervalMs: 100, backoffBaseMs: 50, backoffMaxMs: 300 });
  const ctx = {
    config, dataDir: dir, db, events, log, clock: { now: () => new Date() }, version: 'test', startedAt: new Date(), printer,
    onClose: () => undefined, onSessionEnd: () => undefined, ...sync,
  } as unknown as ApplianceContext;
  const handlers = { ...submissionHandlers(ctx, { ackWaitMs: 3000 }), ...paymentsHandlers(ctx), ...ratingsHandlers(ctx), ...dossierStatusHandlers(ctx) } as Handlers;
  const dispatch = createDispatcher(handlers, (name, err) => {
    throw new Error(`${name}: ${String(err)}`);
  });
  const call = async <T,>(name: string, input: unknown): Promise<T> => {
    const r = await dispatch(name, input, { carrier: 'test' });
    if (!r.ok) throw Object.assign(new Error(`${name}: ${r.error.code} ${r.error.message}`), { body: r.error });
    return r.value as T;
  };
  const tryCall = (name: string, input: unknown) => dispatch(name, input, { carrier: 'test' });
  /** The receipt jobs printed since the last call, decoded. */
  let printedUpTo = 0;
  const takePrinted = (): EscPosOp[] => {
    if (!existsSync(printerFile)) return [];
    const bytes = readFileSync(printerFile);
    const fresh = bytes.subarray(printedUpTo);
    printedUpTo = bytes.length;
    return decodeEscPos(fresh, { codePageEncodings: { 52: 'cp1258' } });
  };
  return { ctx, db, sync, call, tryCall, takePrinted, close: async () => { await sync.sync.stop(); await printer.close(); db.close(); } };
}

describe('submission, payment and rating against a real central', () => {
  let dir: string;
  let central: RunningCentral;
  let centralDb: string;
  let kiosk: Awaited<ReturnType<typeof makeKiosk>>;

  beforeEach(async () => {
    process.env.CENTRAL_PAYMENT_HOOK_TOKEN = 'hook-token-for-tests-0123456789';
    dir = mkdtempSync(join(tmpdir(), 'kiosk-submission-'));
    centralDb = join(dir, 'central.sqlite');
    central = await startCentral({ db: centralDb, port: 0 });
    await seedDemo(central.store);
    const { code } = await issueEnrolCode(central.store, { officeId: DEMO_OFFICE_ID });
    kiosk = await makeKiosk(dir, central.url);
    await enrolKiosk({ centralUrl: central.url, code, kioskName: 'Kiosk 1', store: kiosk.sync.credentials });
    kiosk.sync.sync.start();
  });
  afterEach(async () => {
    delete process.env.CENTRAL_PAYMENT_HOOK_TOKEN;
    await kiosk.close();
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a half-filled form and keeps nothing of it', async () => {
    const { applicantPhone: _p, childName: _c, ...half } = SAMPLE_VALUES['1.001193']!;
    const r = await kiosk.tryCall('submission.submit', { procedureCode: '1.001193', values: half, consent: true });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_INPUT', details: { errors: [{ field: 'applicantPhone', code: 'required' }, { field: 'childName', code: 'required' }] } } });
    expect(await kiosk.tryCall('submission.submit', { procedureCode: '1.001193', values: SAMPLE_VALUES['1.001193'], consent: false })).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(0);
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('online: prints the final receipt with central’s code, QR first, and wipes the personal data', async () => {
    const r = await kiosk.call<{ accepted: boolean; dossierCode: string; provisionalNo: string; fee: number; print: { printed: boolean } }>('submission.submit', {
      procedureCode: '2.000635', values: SAMPLE_VALUES['2.000635'], consent: true,
    });
    expect(r).toMatchObject({ accepted: true, provisionalNo: 'KIOSK-01-000001', fee: 16000, print: { printed: true } });
    expect(r.dossierCode).toMatch(/^000\.31\.12\.H12-\d{6}-0001$/);

    const ops = kiosk.takePrinted();
    const lines = decodedLines(ops).map((l) => l.trim());
    const qr = ops.find((o) => o.op === 'qr');
    // The QR comes before any text but the office name (upper-left block of the receipt).
    expect(ops.findIndex((o) => o.op === 'qr')).toBeLessThan(ops.findIndex((o) => o.op === 'text' && o.text.includes('Mã hồ sơ')));
    expect(qr && qr.op === 'qr' && JSON.parse(qr.text)).toMatchObject({ maHoSo: r.dossierCode, maTTHC: '2.000635', tenHoSo: 'Cấp bản sao trích lục hộ tịch' });
    const scanned = classifyScan(qr && qr.op === 'qr' ? qr.text : '', 'manual');
    expect(scanned.kind === 'dossier' && scanned.dossier.code).toBe(r.dossierCode);
    expect(lines).toContain('PHIẾU TIẾP NHẬN');
    expect(lines.some((l) => l.includes(r.dossierCode))).toBe(true);
    expect(lines.some((l) => l.startsWith('Ngày hẹn trả'))).toBe(true);
    expect(lines.some((l) => l.includes('16.000 đồng'))).toBe(true);
    expect(lines.join('\n')).not.toContain('CHỜ ĐỒNG BỘ');

    const row = kiosk.db.prepare('SELECT applicant_name, data_json, status FROM dossiers').get();
    expect(row).toEqual({ applicant_name: null, data_json: null, status: 'accepted' });
  });

  it('offline: prints a provisional receipt; once central is back the dossier arrives exactly once and its code is found by the provisional number', async () => {
    const port = central.port;
    await central.close();
    const r = await kiosk.call<{ accepted: boolean; dossierCode: string | null; provisionalNo: string }>('submission.submit', {
      procedureCode: '1.004194', values: SAMPLE_VALUES['1.004194'], consent: true,
    });
    expect(r).toMatchObject({ accepted: false, dossierCode: null, provisionalNo: 'KIOSK-01-000001' });
    const ops = kiosk.takePrinted();
    const text = decodedLines(ops).join('\n');
    expect(text).toContain('CHỜ ĐỒNG BỘ');
    expect(text).toContain('GIẤY BIÊN NHẬN TẠM');
    expect(text).toContain('KIOSK-01-000001');
    expect(text).not.toContain('PHIẾU TIẾP NHẬN');
    expect(ops.some((o) => o.op === 'qr')).toBe(false);
    expect(ops.some((o) => o.op === 'invert' && o.on)).toBe(true);
    // Personal data stays until central has it.
    expect(kiosk.db.prepare('SELECT applicant_name FROM dossiers').pluck().get()).toBe('Nguyễn Thị Ánh Tuyết');

    central = await startCentral({ db: centralDb, port });
    await kiosk.sync.sync.waitForIdle(20_000);
    for (let i = 0; i < 50 && kiosk.db.prepare('SELECT status FROM dossiers').pluck().get() !== 'accepted'; i++) await sleep(100);
    const local = await kiosk.call<{ status: string; dossierCode: string }>('submission.local', { ref: 'KIOSK-01-000001' });
    expect(local.status).toBe('accepted');
    expect(await central.store.all('SELECT code FROM dossiers WHERE provisional_no = ?', ['KIOSK-01-000001'])).toHaveLength(1);
    const lookup = await kiosk.sync.central.request('GET', '/v1/dossiers/KIOSK-01-000001', DossierLookup);
    expect(lookup.value!.dossierCode).toBe(local.dossierCode);
    // The citizen holding the provisional receipt finds the dossier code on the status screen.
    const status = await kiosk.call<{ kind: string; dossier: { dossierCode: string } }>('dossier.status', { text: 'KIOSK-01-000001' });
    expect(status).toMatchObject({ kind: 'found', dossier: { dossierCode: local.dossierCode } });
    expect(kiosk.db.prepare('SELECT applicant_name FROM dossiers').pluck().get()).toBeNull();
  });

  it('pays a fee by VietQR with the dossier code as the note, waits, and prints the slip once the bank confirms', async () => {
    const sub = await kiosk.call<{ dossierCode: string }>('submission.submit', { procedureCode: '1.001612', values: SAMPLE_VALUES['1.001612'], consent: true });
    kiosk.takePrinted();
    const quote = await kiosk.call<{ amount: number; paid: boolean }>('payments.quote', { ref: sub.dossierCode });
    expect(quote).toMatchObject({ amount: 100000, paid: false });
    const started = await kiosk.call<{ paymentId: string; qr: string }>('payments.start', { dossierCode: sub.dossierCode });
    const parsed = parseVietQr(started.qr);
    expect(parsed).toMatchObject({ ok: true, value: { bin: '970405', account: '7800201000123', amount: 100000, purpose: sub.dossierCode, initMethod: 'dynamic' } });
    await kiosk.sync.sync.waitForIdle(10_000);
    expect(await kiosk.call('payments.check', { paymentId: started.paymentId })).toMatchObject({ status: 'waiting', offline: false });
    expect(await kiosk.tryCall('payments.printSlip', { paymentId: started.paymentId })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const hook = await fetch(`${central.url}/v1/payments/${started.paymentId}/confirm`, {
      method: 'POST', headers: { authorization: 'Bearer hook-token-for-tests-0123456789', 'content-type': 'application/json' }, body: JSON.stringify({ amount: 100000, bankRef: 'FT26332001' }),
    });
    expect(hook.status).toBe(200);
    expect(await kiosk.call('payments.check', { paymentId: started.paymentId })).toMatchObject({ status: 'confirmed', bankRef: 'FT26332001' });
    await kiosk.call('payments.printSlip', { paymentId: started.paymentId });
    const text = decodedLines(kiosk.takePrinted()).join('\n');
    expect(text).toContain('XÁC NHẬN ĐÃ NỘP LỆ PHÍ');
    expect(text).toContain('100.000 đồng');
    expect(text).toContain('FT26332001');
    expect((await kiosk.call<{ paid: boolean }>('payments.quote', { ref: sub.dossierCode })).paid).toBe(true);
  });

  it('confirms from the technician call on a demo office', async () => {
    const sub = await kiosk.call<{ dossierCode: string }>('submission.submit', { procedureCode: '1.004227', values: SAMPLE_VALUES['1.004227'], consent: true });
    const started = await kiosk.call<{ paymentId: string }>('payments.start', { dossierCode: sub.dossierCode });
    await kiosk.sync.sync.waitForIdle(10_000);
    expect(await kiosk.call('payments.demoConfirm', { paymentId: started.paymentId })).toMatchObject({ status: 'confirmed' });
    expect((await kiosk.call<{ payments: Array<{ status: string }> }>('payments.recent', {})).payments[0]).toMatchObject({ status: 'confirmed' });
  });

  it('keeps a rating made offline and delivers it once central is back', async () => {
    const port = central.port;
    await central.close();
    const r = await kiosk.call<{ ratingId: string }>('ratings.submit', { overall: 'dissatisfied', criteria: { processingTime: 'late', timesReturned: 2, officerAttitude: 'normal' }, reasons: ['slow', 'many_visits'], context: 'standalone' });
    await sleep(300);
    expect(kiosk.db.prepare('SELECT synced_at FROM ratings WHERE id = ?').pluck().get(r.ratingId)).toBeNull();
    central = await startCentral({ db: centralDb, port });
    await kiosk.sync.sync.waitForIdle(20_000);
    for (let i = 0; i < 50 && !kiosk.db.prepare('SELECT synced_at FROM ratings').pluck().get(); i++) await sleep(100);
    expect(kiosk.db.prepare('SELECT synced_at FROM ratings WHERE id = ?').pluck().get(r.ratingId)).not.toBeNull();
    const rows = await central.store.all<{ overall: string; reasons_json: string }>('SELECT overall, reasons_json FROM ratings WHERE id = ?', [r.ratingId]);
    expect(rows).toEqual([{ overall: 'dissatisfied', reasons_json: '["slow","many_visits"]' }]);
  });
});
