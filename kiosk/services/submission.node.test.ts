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
import { DossierLookup, SHORT_PROVISIONAL_RE } from '../../protocol/dossiers.ts';
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
import { createTicketDesk } from './tickets.node.ts';
import { submissionHandlers } from './submission.node.ts';
import { chipHandlers } from './chip.node.ts';
import { openIdReader } from '../devices/idreader.node.ts';

const log = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A kiosk core with the real store, sync engine and a file printer (code-page mode, so text can be decoded). */
async function makeKiosk(dir: string, centralUrl: string, tuning: { confirmAfterMs?: number } = {}) {
  const printerFile = join(dir, 'printer.bin');
  const config = KioskConfig.parse({
    dataDir: dir,
    kioskId: 'KIOSK-01',
    officeId: DEMO_OFFICE_ID,
    officeName: 'UBND phường An Xuyên',
    centralUrl,
    printer: `file:${printerFile}`,
    printerMode: 'codepage',
    printerCodePage: 52,
  });
  const db = openDatabase(join(dir, 'kiosk.db'));
  const events = new EventBus();
  const printer = await openKioskPrinter(config, { events, log });
  const sync: SyncParts = createSyncParts(
    { config, db, log, clock: { now: () => new Date() } },
    { probeIntervalMs: 100, backoffBaseMs: 50, backoffMaxMs: 300, ...tuning },
  );
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
    onClose: () => undefined,
    onSessionEnd: () => undefined,
    ...sync,
  } as unknown as ApplianceContext;
  const handlers = {
    ...submissionHandlers(ctx, { ackWaitMs: 3000 }),
    ...paymentsHandlers(ctx),
    ...ratingsHandlers(ctx),
    ...dossierStatusHandlers(ctx),
  } as Handlers;
  // The technician role is the appliance's rule (kiosk/core/roles.test.ts); here the technician is present.
  const dispatch = createDispatcher(
    handlers,
    (name, err) => {
      throw new Error(`${name}: ${String(err)}`);
    },
    () => undefined,
  );
  const call = async <T>(name: string, input: unknown): Promise<T> => {
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
  return {
    ctx,
    db,
    sync,
    call,
    tryCall,
    takePrinted,
    seriesSlot: () => createTicketDesk(ctx).refreshSeries(),
    close: async () => {
      await sync.sync.stop();
      await printer.close();
      db.close();
    },
  };
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
    // The kiosk learns its slot in the office (the offline ticket series) as it does at start.
    expect(await kiosk.seriesSlot()).toBe(1);
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
    expect(r).toMatchObject({
      ok: false,
      error: {
        code: 'BAD_INPUT',
        details: {
          errors: [
            { field: 'applicantPhone', code: 'required' },
            { field: 'childName', code: 'required' },
          ],
        },
      },
    });
    expect(
      await kiosk.tryCall('submission.submit', {
        procedureCode: '1.001193',
        values: SAMPLE_VALUES['1.001193'],
        consent: false,
      }),
    ).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(0);
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM outbox').pluck().get()).toBe(0);
  });

  it('records the identity source, chip-verified only when a verified chip read this session backs it; central stores it', async () => {
    const idReader = await openIdReader({ idReader: 'sim' }, { events: kiosk.ctx.events, log });
    Object.assign(kiosk.ctx, { idReader });
    const chip = chipHandlers(kiosk.ctx);
    const values = SAMPLE_VALUES['2.000635'];
    // A claim alone is recorded as typed by hand.
    const claimed = await kiosk.call<{ identitySource: string; dossierCode: string }>('submission.submit', {
      procedureCode: '2.000635',
      values,
      consent: true,
      identitySource: 'chip-verified',
    });
    expect(claimed.identitySource).toBe('manual');
    // The synthetic chip carries the same person as the sample values.
    const { mrz } = await chip['chip.simulate']({ action: 'insert', tampered: false }, { carrier: 'test' } as never);
    const read = await chip['chip.read'](
      { documentNumber: mrz![0]!.slice(5, 14), birthDate: mrz![1]!.slice(0, 6), expiryDate: mrz![1]!.slice(8, 14) },
      { carrier: 'test' } as never,
    );
    expect(read.ok).toBe(true);
    const verified = await kiosk.call<{ identitySource: string; dossierCode: string }>('submission.submit', {
      procedureCode: '2.000635',
      values,
      consent: true,
      identitySource: 'chip-verified',
    });
    expect(verified.identitySource).toBe('chip-verified');
    // Values changed after the chip read are no longer the chip's.
    const edited = await kiosk.call<{ identitySource: string }>('submission.submit', {
      procedureCode: '2.000635',
      values: { ...values, applicantName: 'Nguyễn Thị Ánh Tuyến' },
      consent: true,
      identitySource: 'chip-verified',
    });
    expect(edited.identitySource).toBe('manual');
    const row = await central.store.get<{ applicant_json: string }>(
      'SELECT applicant_json FROM dossiers WHERE code = ?',
      [verified.dossierCode],
    );
    expect(JSON.parse(row!.applicant_json)).toMatchObject({ identitySource: 'chip-verified' });
    await idReader.close();
  });

  it('takes the optional "Nhắn tin về hồ sơ" opt-in to central with the dossier, refuses a bad number', async () => {
    const bad = await kiosk.tryCall('submission.submit', {
      procedureCode: '2.000635',
      values: SAMPLE_VALUES['2.000635'],
      consent: true,
      notify: { channel: 'zalo', phone: '0123', consent: true },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM dossiers').pluck().get()).toBe(0);
    const r = await kiosk.call<{ accepted: boolean; dossierCode: string }>('submission.submit', {
      procedureCode: '2.000635',
      values: SAMPLE_VALUES['2.000635'],
      consent: true,
      notify: { channel: 'sms', phone: '0912 345 678', consent: true },
    });
    expect(r.accepted).toBe(true);
    expect(await central.store.all('SELECT dossier_code, channel, address, consent FROM dossier_contacts')).toEqual([
      { dossier_code: r.dossierCode, channel: 'sms', address: '84912345678', consent: 'v1' },
    ]);
    // The kiosk's own copy of the dossier keeps no personal data once central holds it.
    expect(kiosk.db.prepare('SELECT data_json FROM dossiers').pluck().get()).toBeNull();
    // Without the step: no opt-in.
    const plain = await kiosk.call<{ dossierCode: string }>('submission.submit', {
      procedureCode: '2.000635',
      values: SAMPLE_VALUES['2.000635'],
      consent: true,
    });
    expect(
      await central.store.get('SELECT dossier_code FROM dossier_contacts WHERE dossier_code = ?', [plain.dossierCode]),
    ).toBeUndefined();
  });

  it('online: prints the final receipt with central’s code, QR first, and wipes the personal data', async () => {
    const r = await kiosk.call<{
      accepted: boolean;
      dossierCode: string;
      provisionalNo: string;
      fee: number;
      print: { printed: boolean };
    }>('submission.submit', {
      procedureCode: '2.000635',
      values: SAMPLE_VALUES['2.000635'],
      consent: true,
    });
    expect(r).toMatchObject({ accepted: true, provisionalNo: 'T1-000001', fee: 16000, print: { printed: true } });
    expect(r.dossierCode).toMatch(/^000\.31\.12\.H12-\d{6}-0001$/);

    const ops = kiosk.takePrinted();
    const lines = decodedLines(ops).map((l) => l.trim());
    const qr = ops.find((o) => o.op === 'qr');
    // The QR comes before any text but the office name (upper-left block of the receipt).
    expect(ops.findIndex((o) => o.op === 'qr')).toBeLessThan(
      ops.findIndex((o) => o.op === 'text' && o.text.includes('Mã hồ sơ')),
    );
    expect(qr && qr.op === 'qr' && JSON.parse(qr.text)).toMatchObject({
      maHoSo: r.dossierCode,
      maTTHC: '2.000635',
      tenHoSo: 'Cấp bản sao trích lục hộ tịch',
    });
    const scanned = classifyScan(qr && qr.op === 'qr' ? qr.text : '', 'manual');
    expect(scanned.kind === 'dossier' && scanned.dossier.code).toBe(r.dossierCode);
    expect(lines).toContain('PHIẾU TIẾP NHẬN');
    expect(lines.some((l) => l.includes(r.dossierCode))).toBe(true);
    expect(lines.some((l) => l.startsWith('Ngày hẹn trả'))).toBe(true);
    expect(lines.some((l) => l.includes('16.000 đồng'))).toBe(true);
    expect(lines.join('\n')).not.toContain('CHỜ ĐỒNG BỘ');
    // The device id is never on a citizen's paper, not even inside the QR.
    expect(lines.join('\n') + (qr && qr.op === 'qr' ? qr.text : '')).not.toContain('KIOSK-01');

    const row = kiosk.db.prepare('SELECT applicant_name, data_json, status FROM dossiers').get();
    expect(row).toEqual({ applicant_name: null, data_json: null, status: 'accepted' });
  });

  it('leaves no readable copy of wiped personal data in the database file or its WAL', async () => {
    await kiosk.close();
    kiosk = await makeKiosk(dir, central.url, { confirmAfterMs: 0 });
    kiosk.sync.sync.start();
    // Markers no other row holds: names with diacritics (UTF-8 in the file) and ID numbers.
    const people = Array.from({ length: 12 }, (_, i) => ({
      applicantName: `Phạm Thị Xoá Dấu ${String.fromCharCode(65 + i)}`,
      applicantId: `0961900${String(77000 + i)}`,
    }));
    for (const p of people) {
      await kiosk.call('submission.submit', {
        procedureCode: '2.000635',
        values: { ...SAMPLE_VALUES['2.000635'], ...p },
        consent: true,
      });
    }
    await kiosk.sync.sync.waitForIdle(5_000);
    expect(await kiosk.sync.sync.reconcileNow()).toMatchObject({ confirmed: 12 });
    expect(kiosk.db.prepare('SELECT COUNT(*) FROM dossiers WHERE applicant_name IS NOT NULL').pluck().get()).toBe(0);
    // While the kiosk runs: the file and the WAL as they are on disk now.
    const bytes = Buffer.concat(
      [join(dir, 'kiosk.db'), join(dir, 'kiosk.db-wal')].filter(existsSync).map((f) => readFileSync(f)),
    );
    const found = people.flatMap((p) =>
      [p.applicantName, p.applicantId].filter((marker) => bytes.includes(Buffer.from(marker, 'utf8'))),
    );
    expect(found).toEqual([]);
  });

  it('offline: prints a provisional receipt; once central is back the dossier arrives exactly once and its code is found by the provisional number', async () => {
    const port = central.port;
    await central.close();
    const r = await kiosk.call<{ accepted: boolean; dossierCode: string | null; provisionalNo: string }>(
      'submission.submit',
      {
        procedureCode: '1.004194',
        values: SAMPLE_VALUES['1.004194'],
        consent: true,
      },
    );
    // Short, typeable on the code pad, no look-alike letters: T, the kiosk's slot, its sequence.
    expect(r).toMatchObject({ accepted: false, dossierCode: null, provisionalNo: 'T1-000001' });
    expect(r.provisionalNo).toMatch(SHORT_PROVISIONAL_RE);
    const ops = kiosk.takePrinted();
    const text = decodedLines(ops).join('\n');
    expect(text).toContain('CHỜ ĐỒNG BỘ');
    expect(text).toContain('GIẤY BIÊN NHẬN TẠM');
    expect(text).toContain('T1-000001');
    expect(text).not.toContain('PHIẾU TIẾP NHẬN');
    expect(text).not.toContain('KIOSK-01');
    // Its QR is the bare number (the home screen reads it), never mistaken for a dossier receipt.
    const qr = ops.find((o) => o.op === 'qr');
    expect(qr && qr.op === 'qr' && qr.text).toBe('T1-000001');
    expect(classifyScan('T1-000001', 'manual').kind).toBe('plain');
    expect(ops.some((o) => o.op === 'invert' && o.on)).toBe(true);
    // Personal data stays until central has it.
    expect(kiosk.db.prepare('SELECT applicant_name FROM dossiers').pluck().get()).toBe('Nguyễn Thị Ánh Tuyết');

    central = await startCentral({ db: centralDb, port });
    await kiosk.sync.sync.waitForIdle(20_000);
    for (let i = 0; i < 50 && kiosk.db.prepare('SELECT status FROM dossiers').pluck().get() !== 'accepted'; i++)
      await sleep(100);
    const local = await kiosk.call<{ status: string; dossierCode: string }>('submission.local', { ref: 'T1-000001' });
    expect(local.status).toBe('accepted');
    expect(await central.store.all('SELECT code FROM dossiers WHERE provisional_no = ?', ['T1-000001'])).toHaveLength(
      1,
    );
    const lookup = await kiosk.sync.central.request('GET', '/v1/dossiers/T1-000001', DossierLookup);
    expect(lookup.value!.dossierCode).toBe(local.dossierCode);
    // The citizen holding the provisional receipt finds the dossier code on the status screen,
    // typed as the code pad gives it, or in lower case from a keyboard.
    expect(await kiosk.call('dossier.status', { text: 't1-000001' })).toMatchObject({
      kind: 'found',
      dossier: { dossierCode: local.dossierCode },
    });
    const status = await kiosk.call<{ kind: string; dossier: { dossierCode: string } }>('dossier.status', {
      text: 'T1-000001',
    });
    expect(status).toMatchObject({ kind: 'found', dossier: { dossierCode: local.dossierCode } });
    expect(kiosk.db.prepare('SELECT applicant_name FROM dossiers').pluck().get()).toBeNull();
  });

  it('pays a fee by VietQR with the dossier code as the note, waits, and prints the slip once the bank confirms', async () => {
    const sub = await kiosk.call<{ dossierCode: string }>('submission.submit', {
      procedureCode: '1.001612',
      values: SAMPLE_VALUES['1.001612'],
      consent: true,
    });
    kiosk.takePrinted();
    const quote = await kiosk.call<{ amount: number; paid: boolean }>('payments.quote', { ref: sub.dossierCode });
    expect(quote).toMatchObject({ amount: 100000, paid: false });
    const started = await kiosk.call<{ paymentId: string; qr: string }>('payments.start', {
      dossierCode: sub.dossierCode,
    });
    const parsed = parseVietQr(started.qr);
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        bin: '970405',
        account: '7800201000123',
        amount: 100000,
        purpose: sub.dossierCode,
        initMethod: 'dynamic',
      },
    });
    await kiosk.sync.sync.waitForIdle(10_000);
    expect(await kiosk.call('payments.check', { paymentId: started.paymentId })).toMatchObject({
      status: 'waiting',
      offline: false,
    });
    expect(await kiosk.tryCall('payments.printSlip', { paymentId: started.paymentId })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });

    const hook = await fetch(`${central.url}/v1/payments/${started.paymentId}/confirm`, {
      method: 'POST',
      headers: { authorization: 'Bearer hook-token-for-tests-0123456789', 'content-type': 'application/json' },
      body: JSON.stringify({ amount: 100000, bankRef: 'FT26332001' }),
    });
    expect(hook.status).toBe(200);
    expect(await kiosk.call('payments.check', { paymentId: started.paymentId })).toMatchObject({
      status: 'confirmed',
      bankRef: 'FT26332001',
    });
    await kiosk.call('payments.printSlip', { paymentId: started.paymentId });
    const text = decodedLines(kiosk.takePrinted()).join('\n');
    expect(text).toContain('XÁC NHẬN ĐÃ NỘP LỆ PHÍ');
    expect(text).toContain('100.000 đồng');
    expect(text).toContain('FT26332001');
    expect(text).not.toContain('KIOSK-01');
    expect((await kiosk.call<{ paid: boolean }>('payments.quote', { ref: sub.dossierCode })).paid).toBe(true);
  });

  it('confirms from the technician call on a demo office', async () => {
    const sub = await kiosk.call<{ dossierCode: string }>('submission.submit', {
      procedureCode: '1.004227',
      values: SAMPLE_VALUES['1.004227'],
      consent: true,
    });
    const started = await kiosk.call<{ paymentId: string }>('payments.start', { dossierCode: sub.dossierCode });
    await kiosk.sync.sync.waitForIdle(10_000);
    expect(await kiosk.call('payments.demoConfirm', { paymentId: started.paymentId })).toMatchObject({
      status: 'confirmed',
    });
    expect(
      (await kiosk.call<{ payments: Array<{ status: string }> }>('payments.recent', {})).payments[0],
    ).toMatchObject({ status: 'confirmed' });
  });

  it('keeps a rating made offline and delivers it once central is back', async () => {
    const port = central.port;
    await central.close();
    const r = await kiosk.call<{ ratingId: string }>('ratings.submit', {
      overall: 'dissatisfied',
      criteria: { processingTime: 'late', timesReturned: 2, officerAttitude: 'normal' },
      reasons: ['slow', 'many_visits'],
      context: 'standalone',
    });
    await sleep(300);
    expect(kiosk.db.prepare('SELECT synced_at FROM ratings WHERE id = ?').pluck().get(r.ratingId)).toBeNull();
    central = await startCentral({ db: centralDb, port });
    await kiosk.sync.sync.waitForIdle(20_000);
    for (let i = 0; i < 50 && !kiosk.db.prepare('SELECT synced_at FROM ratings').pluck().get(); i++) await sleep(100);
    expect(kiosk.db.prepare('SELECT synced_at FROM ratings WHERE id = ?').pluck().get(r.ratingId)).not.toBeNull();
    const rows = await central.store.all<{ overall: string; reasons_json: string }>(
      'SELECT overall, reasons_json FROM ratings WHERE id = ?',
      [r.ratingId],
    );
    expect(rows).toEqual([{ overall: 'dissatisfied', reasons_json: '["slow","many_visits"]' }]);
  });
});
