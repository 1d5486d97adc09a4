import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../kiosk/config/config.node.ts';
import { paymentCommand } from '../kiosk/cli/commands/payment.node.ts';
import { openDatabase } from '../kiosk/store/db.node.ts';
import { loadCredentials } from '../kiosk/sync/credentials.node.ts';
import { startEmbeddedCentral, type EmbeddedCentral } from './all-in-one.node.ts';
import { embeddedHookTokenFile } from '../kiosk/demo/hook-token.node.ts';

describe("npm start's embedded central", () => {
  let central: EmbeddedCentral | undefined;
  let dir = '';
  afterEach(async () => {
    await central?.close();
    central = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets `kioskctl payment confirm` confirm a payment as the README says, with no token in the environment', async () => {
    dir = mkdtempSync(join(tmpdir(), 'embedded-central-'));
    const env: NodeJS.ProcessEnv = { KIOSK_DATA_DIR: dir, KIOSK_CENTRAL_PORT: '0' };
    const started = await startEmbeddedCentral(loadConfig(env), env);
    central = started.central;
    expect(statSync(embeddedHookTokenFile(dir)).mode & 0o777).toBe(0o600);

    // A dossier and a payment intent, as the kiosk would have sent them.
    const { token } = loadCredentials(dir)!;
    const post = async (kind: string, payload: unknown) => {
      const res = await fetch(`${central!.url}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          items: [{ key: uuidv7(), kind, payload, createdAt: new Date().toISOString(), seq: 1 }],
        }),
      });
      return ((await res.json()) as { results: Array<{ status: string; result?: { dossierCode: string } }> })
        .results[0]!;
    };
    const now = new Date().toISOString();
    const submitted = await post('dossier.submitted', {
      provisionalNo: 'KIOSK-01-000001',
      kioskId: 'KIOSK-01',
      procedureCode: '1.001612',
      procedureName: 'Đăng ký hộ kinh doanh',
      applicant: {
        fullName: 'Nguyễn Văn A',
        idNumber: '096190012345',
        birthDate: '1990-03-15',
        sex: 'male',
        address: 'Cà Mau',
      },
      fields: {},
      fee: 100000,
      processingDays: 3,
      consentAt: now,
      submittedAt: now,
    });
    const code = submitted.result!.dossierCode;
    const paymentId = crypto.randomUUID();
    expect(
      (
        await post('payment.intent', {
          paymentId,
          dossierCode: code,
          amount: 100000,
          purpose: code,
          bankBin: '970405',
          accountNumber: '7800201000123',
          kioskId: 'KIOSK-01',
          createdAt: now,
        })
      ).status,
    ).toBe('accepted');
    const db = openDatabase(join(dir, 'kiosk.db'));
    db.prepare(
      "INSERT INTO payments (id, dossier_code, amount, purpose, qr_payload, outbox_key, status, created_at) VALUES (?, ?, 100000, ?, 'x', 'k1', 'waiting', ?)",
    ).run(paymentId, code, code, now);
    db.close();

    const out: string[] = [];
    const err: string[] = [];
    const code_ = await paymentCommand.run(['confirm', paymentId], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      env: { KIOSK_DATA_DIR: dir, KIOSK_CENTRAL_URL: central.url },
    });
    expect({ code: code_, err }).toEqual({ code: 0, err: [] });
    expect(out.join('\n')).toContain(paymentId);
  });
});
