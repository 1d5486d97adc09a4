import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startCentral, type RunningCentral } from '../../../central/server.node.ts';
import { enrolTestDevice } from '../../../central/testing.node.ts';
import { openDatabase } from '../../store/db.node.ts';
import { paymentCommand } from './payment.node.ts';

describe('kioskctl payment', () => {
  let dir: string;
  let central: RunningCentral;
  let out: string[];
  let err: string[];
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    paymentCommand.run(args, {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { KIOSK_DATA_DIR: dir, KIOSK_CENTRAL_URL: central.url, ...env },
    });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kioskctl-payment-'));
    central = await startCentral({ db: join(dir, 'central.sqlite') });
    out = [];
    err = [];
  });
  afterEach(async () => {
    await central.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('confirms a payment at central as the bank hook would, with the amount this kiosk recorded', async () => {
    const { token } = await enrolTestDevice(central.store);
    const post = (path: string, body: unknown) =>
      fetch(central.url + path, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const dossier = {
      provisionalNo: 'KIOSK-01-000001',
      kioskId: 'KIOSK-01',
      procedureCode: '1.001612',
      procedureName: 'Đăng ký thành lập hộ kinh doanh',
      applicant: {
        fullName: 'Nguyễn Thị Ánh Tuyết',
        idNumber: '096190012345',
        birthDate: '1990-03-15',
        sex: 'female',
        address: 'Khóm 5, phường An Xuyên',
      },
      fields: {},
      fee: 100000,
      processingDays: 3,
      consentAt: new Date().toISOString(),
      submittedAt: new Date().toISOString(),
    };
    const r = await (
      await post('/v1/batch', {
        items: [
          { key: uuidv7(), kind: 'dossier.submitted', payload: dossier, createdAt: new Date().toISOString(), seq: 1 },
        ],
      })
    ).json();
    const code = r.results[0].result.dossierCode as string;
    const paymentId = crypto.randomUUID();
    await post('/v1/batch', {
      items: [
        {
          key: uuidv7(),
          kind: 'payment.intent',
          payload: {
            paymentId,
            dossierCode: code,
            amount: 100000,
            purpose: code,
            bankBin: '970405',
            accountNumber: '7800201000123',
            kioskId: 'KIOSK-01',
            createdAt: new Date().toISOString(),
          },
          createdAt: new Date().toISOString(),
          seq: 2,
        },
      ],
    });
    const db = openDatabase(join(dir, 'kiosk.db'));
    db.prepare(
      "INSERT INTO payments (id, dossier_code, amount, purpose, qr_payload, outbox_key, status, created_at) VALUES (?, ?, 100000, ?, 'x', 'k1', 'waiting', ?)",
    ).run(paymentId, code, code, new Date().toISOString());
    db.close();

    expect(await run(['confirm', paymentId])).toBe(1);
    expect(err.join('\n')).toContain('CENTRAL_PAYMENT_HOOK_TOKEN');
    process.env.CENTRAL_PAYMENT_HOOK_TOKEN = 'hook-token-for-tests-0123456789';
    try {
      expect(
        await run(['confirm', paymentId, '--bank-ref', 'FT999'], {
          CENTRAL_PAYMENT_HOOK_TOKEN: 'hook-token-for-tests-0123456789',
        }),
      ).toBe(0);
    } finally {
      delete process.env.CENTRAL_PAYMENT_HOOK_TOKEN;
    }
    expect(out.at(-1)).toContain('FT999');
    const row = await central.store.get<{ status: string }>('SELECT status FROM payments WHERE id = ?', [paymentId]);
    expect(row?.status).toBe('confirmed');
    out = [];
    expect(await run(['list'])).toBe(0);
    expect(out.join('\n')).toContain(paymentId);
  });
});
