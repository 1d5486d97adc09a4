import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BatchResponse, MAX_BATCH_ITEMS } from '../protocol/batch.ts';
import type { DossierSubmission } from '../protocol/dossiers.ts';
import { PaymentStatus, type PaymentIntent } from '../protocol/payments.ts';
import { DEMO_OFFICE_ID } from './demo/seed.node.ts';
import { APP_CSP, HTML_CSP } from './http.node.ts';
import { startCentral, type RunningCentral } from './server.node.ts';
import { enrolTestDevice, makeTestDb, signedInOfficer, testDialects, type TestDb } from './testing.node.ts';

const OTHER_OFFICE = 'ca-mau-dam-doi';
const HOOK = 'hook-token-for-security-tests-0123';

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
  fee: 15000,
  processingDays: 1,
  consentAt: new Date().toISOString(),
  submittedAt: new Date().toISOString(),
});

describe.each(testDialects())('central security on %s', (dialect) => {
  let db: TestDb;
  let central: RunningCentral;
  /** A kiosk of An Xuyên (the dossier's office) and one of Đầm Dơi. */
  let home: string;
  let other: string;

  const call = async (
    path: string,
    init: { method?: string; json?: unknown; auth?: string | null; raw?: string } = {},
  ) => {
    const headers: Record<string, string> = {};
    const auth = init.auth === undefined ? home : init.auth;
    if (auth) headers.authorization = `Bearer ${auth}`;
    const body = init.raw ?? (init.json === undefined ? undefined : JSON.stringify(init.json));
    if (body !== undefined) headers['content-type'] = 'application/json';
    return fetch(central.url + path, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  };
  const batch = async (kind: string, payload: unknown, auth = home) => {
    const res = await call('/v1/batch', {
      json: { items: [{ key: uuidv7(), kind, payload, createdAt: new Date().toISOString(), seq: 1 }] },
      auth,
    });
    expect(res.status).toBe(200);
    return BatchResponse.parse(await res.json()).results[0]!;
  };
  const dossier = async (n: number) =>
    (
      (await batch('dossier.submitted', submission(`KIOSK-01-${String(n).padStart(6, '0')}`))) as {
        result: { dossierCode: string };
      }
    ).result.dossierCode;
  const intent = (dossierCode: string, over: Partial<PaymentIntent> = {}): PaymentIntent => ({
    paymentId: crypto.randomUUID(),
    dossierCode,
    amount: 15000,
    purpose: dossierCode,
    bankBin: '970405',
    accountNumber: '7800201000123',
    kioskId: 'KIOSK-01',
    createdAt: new Date().toISOString(),
    ...over,
  });
  const payment = async (id: string, auth = home) =>
    PaymentStatus.parse(await (await call(`/v1/payments/${id}`, { auth })).json());
  const hookConfirm = (id: string, amount = 15000, bankRef = 'FT1') =>
    call(`/v1/payments/${id}/confirm`, { json: { amount, bankRef }, auth: HOOK });

  beforeEach(async () => {
    process.env.CENTRAL_PAYMENT_HOOK_TOKEN = HOOK;
    db = await makeTestDb(dialect);
    central = await startCentral({ db: db.url });
    home = (await enrolTestDevice(central.store, 'Kiosk An Xuyên', DEMO_OFFICE_ID)).token;
    other = (await enrolTestDevice(central.store, 'Kiosk Đầm Dơi', OTHER_OFFICE)).token;
  });
  afterEach(async () => {
    delete process.env.CENTRAL_PAYMENT_HOOK_TOKEN;
    await central.close();
    await db.dispose();
  });

  describe("every read is scoped to the kiosk's office (19.8)", () => {
    it('hides a dossier, a payment and an office configuration of another office behind a 404', async () => {
      const code = await dossier(1);
      const p = intent(code);
      expect((await batch('payment.intent', p)).status).toBe('accepted');
      expect((await call(`/v1/dossiers/${code}`)).status).toBe(200);
      expect((await call(`/v1/dossiers/${code}`, { auth: other })).status).toBe(404);
      expect((await call('/v1/dossiers/KIOSK-01-000001', { auth: other })).status).toBe(404);
      expect((await call(`/v1/payments/${p.paymentId}`)).status).toBe(200);
      expect((await call(`/v1/payments/${p.paymentId}`, { auth: other })).status).toBe(404);
      expect((await call(`/v1/offices/${DEMO_OFFICE_ID}/config`)).status).toBe(200);
      expect((await call(`/v1/offices/${DEMO_OFFICE_ID}/config`, { auth: other })).status).toBe(404);
      expect((await call(`/v1/offices/${OTHER_OFFICE}/config`, { auth: other })).status).toBe(200);
    });
  });

  describe('payments are bound to the office and the fee (19.2, 20.6)', () => {
    it("refuses an intent from another office's kiosk, for another amount or to another account, and its demo confirmation", async () => {
      const code = await dossier(2);
      expect(await batch('payment.intent', intent(code), other)).toMatchObject({
        status: 'rejected',
        reason: { code: 'UNKNOWN_DOSSIER' },
      });
      expect(await batch('payment.intent', intent(code, { amount: 1 }))).toMatchObject({
        status: 'rejected',
        reason: { code: 'AMOUNT_MISMATCH' },
      });
      expect(await batch('payment.intent', intent(code, { accountNumber: '123456789' }))).toMatchObject({
        status: 'rejected',
        reason: { code: 'WRONG_ACCOUNT' },
      });
      const p = intent(code);
      expect((await batch('payment.intent', p)).status).toBe('accepted');
      expect((await call(`/v1/payments/${p.paymentId}/demo-confirm`, { method: 'POST', auth: other })).status).toBe(
        404,
      );
      expect(await payment(p.paymentId)).toMatchObject({ status: 'pending' });
      const lookup = await (await call(`/v1/dossiers/${code}`)).json();
      expect(lookup.paid).toBe(false);
    });

    it('keeps one open payment per dossier, refuses a new one once paid, and records a late payment of a replaced QR as an overpayment', async () => {
      const code = await dossier(3);
      const first = intent(code);
      const second = intent(code);
      expect((await batch('payment.intent', first)).status).toBe('accepted');
      expect((await batch('payment.intent', second)).status).toBe('accepted');
      expect(await payment(first.paymentId)).toMatchObject({ status: 'superseded' });
      expect(await payment(second.paymentId)).toMatchObject({ status: 'pending' });

      expect(PaymentStatus.parse(await (await hookConfirm(second.paymentId, 15000, 'FT-NEW')).json())).toMatchObject({
        status: 'confirmed',
      });
      // The citizen also paid the old QR: kept for an officer, not applied a second time.
      expect(PaymentStatus.parse(await (await hookConfirm(first.paymentId, 15000, 'FT-OLD')).json())).toMatchObject({
        status: 'overpaid',
        bankRef: 'FT-OLD',
      });
      const rows = await central.store.all<{ id: string; status: string; review_note: string | null }>(
        'SELECT id, status, review_note FROM payments WHERE dossier_code = ?',
        [code],
      );
      expect(rows.find((r) => r.id === first.paymentId)).toMatchObject({
        status: 'overpaid',
        review_note: expect.stringContaining('FT-OLD'),
      });
      const events = await central.store.all<{ note: string | null }>(
        'SELECT note FROM dossier_events WHERE dossier_code = ? AND status = 6',
        [code],
      );
      expect(events).toHaveLength(1);

      expect(await batch('payment.intent', intent(code))).toMatchObject({
        status: 'rejected',
        reason: { code: 'ALREADY_PAID' },
      });
    });

    it('keeps a confirmation of a superseded QR through the demo button as an overpayment too', async () => {
      const code = await dossier(4);
      const first = intent(code);
      await batch('payment.intent', first);
      await batch('payment.intent', intent(code));
      const res = await call(`/v1/payments/${first.paymentId}/demo-confirm`, { method: 'POST' });
      expect(PaymentStatus.parse(await res.json())).toMatchObject({ status: 'overpaid' });
      expect((await (await call(`/v1/dossiers/${code}`)).json()).paid).toBe(false);
    });
  });

  describe('bounded request arrays (19.13)', () => {
    it('answers 400, not 500, to call-next with 40,000 service ids', async () => {
      const res = await call('/v1/tickets/call-next', {
        json: { counterId: 'q1', serviceIds: Array.from({ length: 40_000 }, (_, i) => `s${i}`) },
      });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatchObject({
        code: 'BAD_REQUEST',
        message: expect.stringContaining('serviceIds'),
      });
    });

    it('refuses a batch above its item limit with a clear answer', async () => {
      const item = { key: uuidv7(), kind: 'probe.x', payload: {}, createdAt: new Date().toISOString(), seq: 1 };
      const res = await call('/v1/batch', { json: { items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => item) } });
      expect([400, 413]).toContain(res.status);
      expect((await res.json()).error.message).toContain(String(MAX_BATCH_ITEMS));
    });
  });

  describe('HTML pages (19.12)', () => {
    it('send a CSP without script (server-rendered) or with only their own scripts (office apps), refuse framing and sniffing', async () => {
      // The fleet page needs a manager's session (fleet.test.ts); the display and counter app are public.
      const cookie = await signedInOfficer(central, { username: 'quanly.sec' });
      for (const path of ['/fleet', `/display?office=${DEMO_OFFICE_ID}`, '/counter']) {
        const res = await fetch(central.url + path, { headers: path === '/fleet' ? { cookie } : {} });
        expect(res.status).toBe(200);
        const csp = res.headers.get('content-security-policy');
        expect([HTML_CSP, APP_CSP]).toContain(csp);
        if (path === '/fleet') expect(csp).not.toContain('script');
        expect(csp).not.toContain("'unsafe-eval'");
        expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
        expect(csp).toContain("frame-ancestors 'none'");
        expect(res.headers.get('x-frame-options')).toBe('DENY');
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      }
      expect((await call('/health', { auth: null })).headers.get('x-content-type-options')).toBe('nosniff');
    });
  });
});
