import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { purgeOldRatingComments } from '../../central/routes/ratings.node.ts';
import { startCentral } from '../../central/server.node.ts';
import { makeTestDb } from '../../central/testing.node.ts';
import { loadConfig } from '../config/config.node.ts';
import { createAppliance, type Appliance } from '../appliance/appliance.node.ts';
import { recentAudit } from '../tech/audit.node.ts';
import { applyRetention, COMMENT_RETENTION_DAYS, exportsDir, PARKED_RETENTION_DAYS } from './retention.node.ts';

const DAY = 86_400_000;
const citizen = { fullName: 'Nguyễn Thị Ánh Tuyết', idNumber: '096190012345', address: 'Khóm 5, phường An Xuyên' };

describe('retention (19.10)', () => {
  let appliance: Appliance | undefined;
  afterEach(async () => {
    await appliance?.close();
    appliance = undefined;
  });

  it('exports parked personal data for the technician after its days, then purges it from the database', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retention-'));
    appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
      { log: pino({ level: 'silent' }) },
    );
    const { db } = appliance.ctx;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    const park = (key: string, daysAgo: number) =>
      db
        .prepare(
          "INSERT INTO outbox (key, kind, payload, status, next_attempt_at, last_error, created_at, updated_at) VALUES (?, 'dossier.submitted', ?, 'parked', 0, 'REJECTED', ?, ?)",
        )
        .run(key, JSON.stringify({ applicant: citizen }), at(daysAgo), at(daysAgo));
    park('old', PARKED_RETENTION_DAYS + 1);
    park('recent', PARKED_RETENTION_DAYS - 1);

    const r = applyRetention({
      db,
      dataDir,
      clock: { now: () => new Date() },
      log: pino({ level: 'silent' }),
      kioskId: 'KIOSK-01',
    });
    expect(r).toMatchObject({ purged: 1 });
    // The technician's export holds what was purged, privately.
    expect(statSync(r.file!).mode & 0o777).toBe(0o600);
    expect(statSync(exportsDir(dataDir)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(r.file!, 'utf8')).entries).toEqual([
      expect.objectContaining({ key: 'old', payload: { applicant: citizen } }),
    ]);
    const rows = db.prepare('SELECT key, payload, last_error FROM outbox ORDER BY id').all() as Array<{
      key: string;
      payload: string | null;
      last_error: string;
    }>;
    expect(rows[0]).toMatchObject({ key: 'old', payload: null, last_error: expect.stringContaining('purged') });
    expect(rows[1]!.payload).toContain(citizen.idNumber);
    expect(recentAudit(db).find((a) => a.action === 'retention.parkedPurged')).toBeTruthy();
    // Nothing more to do on the next run.
    expect(
      applyRetention({
        db,
        dataDir,
        clock: { now: () => new Date() },
        log: pino({ level: 'silent' }),
        kioskId: 'KIOSK-01',
      }),
    ).toMatchObject({ purged: 0, file: null });
  });

  it("drops rating comments from the kiosk's copy after their days", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'retention-'));
    appliance = await createAppliance(
      loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }),
      { log: pino({ level: 'silent' }) },
    );
    const { db } = appliance.ctx;
    const old = new Date(Date.now() - (COMMENT_RETENTION_DAYS + 1) * DAY).toISOString();
    db.prepare(
      "INSERT INTO ratings (id, overall, payload_json, outbox_key, created_at) VALUES ('r1', 'dissatisfied', ?, 'k1', ?)",
    ).run(JSON.stringify({ overall: 'dissatisfied', comment: 'Chị Tuyết 0912345678 chờ lâu' }), old);
    db.prepare(
      "INSERT INTO ratings (id, overall, payload_json, outbox_key, created_at) VALUES ('r2', 'satisfied', ?, 'k2', ?)",
    ).run(JSON.stringify({ overall: 'satisfied', comment: 'tốt' }), new Date().toISOString());
    const r = applyRetention({
      db,
      dataDir,
      clock: { now: () => new Date() },
      log: pino({ level: 'silent' }),
      kioskId: 'KIOSK-01',
    });
    expect(r.comments).toBe(1);
    const rows = db.prepare('SELECT id, payload_json FROM ratings ORDER BY id').all() as Array<{
      id: string;
      payload_json: string;
    }>;
    expect(JSON.parse(rows[0]!.payload_json)).toEqual({ overall: 'dissatisfied' });
    expect(JSON.parse(rows[1]!.payload_json)).toHaveProperty('comment', 'tốt');
    expect(existsSync(exportsDir(dataDir))).toBe(false);
  });

  it('drops rating comments at central after their days, keeping the rating', async () => {
    const cdb = await makeTestDb('sqlite');
    const central = await startCentral({ db: cdb.url });
    try {
      const insert = (id: string, receivedAt: string) =>
        central.store.run(
          "INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at) VALUES (?, 'o', 'd', 'k', 'dissatisfied', '{}', '[]', 'Chị Tuyết chờ lâu', NULL, NULL, 'standalone', ?, ?)",
          [id, receivedAt, receivedAt],
        );
      await insert('old', new Date(Date.now() - 91 * DAY).toISOString());
      await insert('new', new Date().toISOString());
      expect(await purgeOldRatingComments(central.store, new Date())).toBe(1);
      const rows = await central.store.all<{ id: string; comment: string | null }>(
        'SELECT id, comment FROM ratings ORDER BY id',
      );
      expect(rows).toEqual([
        { id: 'new', comment: 'Chị Tuyết chờ lâu' },
        { id: 'old', comment: null },
      ]);
    } finally {
      await central.close();
      await cdb.dispose();
    }
  });
});

describe('app.screenError (19.10)', () => {
  it('logs what went wrong without the name, ID number or phone that were on screen', async () => {
    const lines: string[] = [];
    const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(s) });
    const dataDir = mkdtempSync(join(tmpdir(), 'screen-error-'));
    const a = await createAppliance(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_CENTRAL_URL: 'http://127.0.0.1:9' }), {
      log,
    });
    try {
      const r = await a.dispatch(
        'app.screenError',
        {
          screen: 'submit-review',
          message: 'Cannot render "Nguyễn Thị Ánh Tuyết" (096190012345, 0912345678, tuyet@example.vn) at Trần Văn Bảy',
          stack: 'TypeError: x is undefined\n    at Review (Review.tsx:42:7) Lê Văn Tám 096 190 012 345',
        },
        { carrier: 'test' },
      );
      expect(r).toMatchObject({ ok: true });
      const logged = lines.find((l) => l.includes('a screen failed while drawing'))!;
      expect(logged).toBeTruthy();
      for (const secret of [
        'Nguyễn',
        'Tuyết',
        '096190012345',
        '0912345678',
        'tuyet@example.vn',
        'Trần Văn Bảy',
        'Lê Văn Tám',
        '096 190 012 345',
      ])
        expect(logged).not.toContain(secret);
      expect(logged).toContain('Cannot render');
      expect(logged).toContain('Review.tsx:42:7');
      expect(logged).toContain('submit-review');
    } finally {
      await a.close();
    }
  });
});
