import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { v7 as uuidv7 } from 'uuid';
import { BatchResponse } from '../../protocol/batch.ts';
import { DossierLookup, type DossierSubmission } from '../../protocol/dossiers.ts';
import { PaymentStatus, type PaymentIntent } from '../../protocol/payments.ts';
import type { RatingSubmission } from '../../protocol/ratings.ts';
import { startCentral, type RunningCentral } from '../server.node.ts';
import { enrolTestDevice, makeTestDb, testDialects, type TestDb } from '../testing.node.ts';
import { localDay } from '../../protocol/tickets.ts';
import { addWorkingDays } from './dossiers.node.ts';

const submission = (provisionalNo: string): DossierSubmission => ({
  provisionalNo,
  kioskId: 'KIOSK-01',
  procedureCode: '2.000635',
  procedureName: 'Cấp bản sao trích lục hộ tịch',
  applicant: {
    fullName: 'Nguyễn Thị Ánh Tuyết',
    idNumber: '096190012345',
    birthDate: '1990-03-15',
    sex: 'female',
    address: 'Khóm 5, phường An Xuyên, tỉnh Cà Mau',
    phone: '0912345678',
  },
  fields: { recordType: 'khai-sinh', copies: '2' },
  fee: 16000,
  processingDays: 1,
  consentAt: new Date().toISOString(),
  submittedAt: new Date().toISOString(),
});

describe('working days and office dates', () => {
  it('skips weekends when counting the appointment date', () => {
    expect(addWorkingDays('2026-11-27', 1)).toBe('2026-11-30'); // Friday → Monday
    expect(addWorkingDays('2026-11-28', 0)).toBe('2026-11-28');
    expect(addWorkingDays('2026-11-23', 3)).toBe('2026-11-26');
  });
  it('takes the calendar day in Vietnam, not in UTC', () => {
    expect(localDay(new Date('2026-11-27T18:30:00Z'))).toBe('2026-11-28');
  });
});

describe.each(testDialects())('dossiers, payments and ratings on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  let token: string;
  const hook = 'hook-token-for-tests-0123456789';

  const call = async (path: string, init: { method?: string; json?: unknown; auth?: string | null } = {}) => {
    const headers: Record<string, string> = {};
    const auth = init.auth === undefined ? token : init.auth;
    if (auth) headers.authorization = `Bearer ${auth}`;
    if (init.json !== undefined) headers['content-type'] = 'application/json';
    return fetch(central.url + path, {
      method: init.method ?? (init.json === undefined ? 'GET' : 'POST'),
      headers,
      body: init.json === undefined ? undefined : JSON.stringify(init.json),
    });
  };
  const batch = async (kind: string, payload: unknown, key = uuidv7()) => {
    const res = await call('/v1/batch', {
      json: { items: [{ key, kind, payload, createdAt: new Date().toISOString(), seq: 1 }] },
    });
    expect(res.status).toBe(200);
    return BatchResponse.parse(await res.json()).results[0]!;
  };

  beforeEach(async () => {
    process.env.CENTRAL_PAYMENT_HOOK_TOKEN = hook;
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url });
    token = (await enrolTestDevice(central.store)).token;
  });
  afterEach(async () => {
    delete process.env.CENTRAL_PAYMENT_HOOK_TOKEN;
    await central.close();
    await db.dispose();
  });

  it('gives a submitted dossier its code, appointment and fee, and the same answer for a replay', async () => {
    const key = uuidv7();
    const payload = submission('KIOSK-01-000001');
    const first = await batch('dossier.submitted', payload, key);
    expect(first.status).toBe('accepted');
    const result = (first as { result: { dossierCode: string; appointmentDate: string; fee: number } }).result;
    const today = localDay(new Date()).slice(2).replace(/-/g, '');
    expect(result.dossierCode).toBe(`000.31.12.H12-${today}-0001`);
    expect(result.fee).toBe(16000);
    expect(result.appointmentDate >= localDay(new Date())).toBe(true);
    const again = await batch('dossier.submitted', payload, key);
    expect(again).toEqual({ key, status: 'duplicate', result });
    const second = await batch('dossier.submitted', submission('KIOSK-01-000002'));
    expect((second as { result: { dossierCode: string } }).result.dossierCode).toBe(`000.31.12.H12-${today}-0002`);
  });

  it('refuses a submission without consent or with a missing applicant field, for good', async () => {
    const { consentAt: _c, ...noConsent } = submission('KIOSK-01-000003');
    expect(await batch('dossier.submitted', noConsent)).toMatchObject({
      status: 'rejected',
      reason: { code: 'INVALID_PAYLOAD' },
    });
    const half = submission('KIOSK-01-000004');
    expect(await batch('dossier.submitted', { ...half, applicant: { ...half.applicant, idNumber: '' } })).toMatchObject(
      { status: 'rejected' },
    );
  });

  it('answers status by dossier code and by provisional number, with the name masked', async () => {
    const r = (await batch('dossier.submitted', submission('KIOSK-01-000009'))) as { result: { dossierCode: string } };
    const byCode = DossierLookup.parse(await (await call(`/v1/dossiers/${r.result.dossierCode}`)).json());
    const byProvisional = DossierLookup.parse(await (await call('/v1/dossiers/KIOSK-01-000009')).json());
    expect(byProvisional).toEqual(byCode);
    expect(byCode).toMatchObject({
      status: 2,
      statusLabel: 'Được tiếp nhận',
      applicantMasked: 'N***** T** Á** T****',
      paid: false,
      provisionalNo: 'KIOSK-01-000009',
    });
    expect(byCode.timeline.map((e) => e.status)).toEqual([1, 2]);
    expect((await call('/v1/dossiers/KIOSK-01-999999')).status).toBe(404);
    expect((await call('/v1/dossiers/KIOSK-01-000009', { auth: null })).status).toBe(401);
  });

  it('confirms a payment through the integration hook only with its token and the right amount', async () => {
    const r = (await batch('dossier.submitted', submission('KIOSK-01-000010'))) as { result: { dossierCode: string } };
    const paymentId = crypto.randomUUID();
    const intent: PaymentIntent = {
      paymentId,
      dossierCode: r.result.dossierCode,
      amount: 16000,
      purpose: r.result.dossierCode,
      bankBin: '970405',
      accountNumber: '7800201000123',
      kioskId: 'KIOSK-01',
      createdAt: new Date().toISOString(),
    };
    expect((await batch('payment.intent', intent)).status).toBe('accepted');
    expect(PaymentStatus.parse(await (await call(`/v1/payments/${paymentId}`)).json()).status).toBe('pending');

    expect((await call(`/v1/payments/${paymentId}/confirm`, { json: { amount: 16000, bankRef: 'FT1' } })).status).toBe(
      403,
    );
    expect(
      (await call(`/v1/payments/${paymentId}/confirm`, { json: { amount: 1000, bankRef: 'FT1' }, auth: hook })).status,
    ).toBe(409);
    const ok = await call(`/v1/payments/${paymentId}/confirm`, {
      json: { amount: 16000, bankRef: 'FT26332' },
      auth: hook,
    });
    expect(PaymentStatus.parse(await ok.json())).toMatchObject({ status: 'confirmed', bankRef: 'FT26332' });
    const lookup = DossierLookup.parse(await (await call(`/v1/dossiers/${r.result.dossierCode}`)).json());
    expect(lookup.paid).toBe(true);
  });

  it('lets a demo office confirm from a kiosk, and refuses an intent for an unknown dossier', async () => {
    const r = (await batch('dossier.submitted', submission('KIOSK-01-000011'))) as { result: { dossierCode: string } };
    const paymentId = crypto.randomUUID();
    const intent: PaymentIntent = {
      paymentId,
      dossierCode: r.result.dossierCode,
      amount: 16000,
      purpose: r.result.dossierCode,
      bankBin: '970405',
      accountNumber: '7800201000123',
      kioskId: 'KIOSK-01',
      createdAt: new Date().toISOString(),
    };
    await batch('payment.intent', intent);
    const res = await call(`/v1/payments/${paymentId}/demo-confirm`, { method: 'POST' });
    expect(PaymentStatus.parse(await res.json()).status).toBe('confirmed');
    const unknown = await batch('payment.intent', {
      ...intent,
      paymentId: crypto.randomUUID(),
      dossierCode: '000.31.12.H12-200101-0001',
    });
    expect(unknown).toMatchObject({ status: 'rejected', reason: { code: 'UNKNOWN_DOSSIER' } });
  });

  it('stores ratings once and counts them per office', async () => {
    const rating = (
      overall: RatingSubmission['overall'],
      reasons: RatingSubmission['reasons'] = [],
    ): RatingSubmission => ({
      ratingId: crypto.randomUUID(),
      kioskId: 'KIOSK-01',
      overall,
      criteria: { timesReturned: 1 },
      reasons,
      context: 'standalone',
      createdAt: new Date().toISOString(),
    });
    const key = uuidv7();
    const low = rating('dissatisfied', ['slow']);
    expect((await batch('rating.submitted', low, key)).status).toBe('accepted');
    expect((await batch('rating.submitted', low, key)).status).toBe('duplicate');
    await batch('rating.submitted', rating('very_satisfied'));
    expect(await batch('rating.submitted', rating('satisfied', ['slow']))).toMatchObject({ status: 'rejected' });
    const summary = await (await call('/v1/ratings/summary')).json();
    expect(summary).toMatchObject({ total: 2, byOverall: { very_satisfied: 1, satisfied: 0, dissatisfied: 1 } });
  });
});
