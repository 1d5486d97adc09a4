import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import {
  AdminConfigResponse,
  CatalogApplyRequest,
  CatalogFileRequest,
  CreateOfficerRequest,
  ExpireCodeRequest,
  IssueCodeRequest,
  RenameKioskRequest,
  PushKioskSettingsRequest,
  RevokeKioskRequest,
  RollbackRequest,
  SaveConfigRequest,
  UpdateOfficerRequest,
  type CatalogPreviewResponse,
  type CatalogVersionView,
  type ConfigHistoryResponse,
  type EnrolCodeView,
  type OfficerView,
} from '../../protocol/admin.ts';
import { Catalog } from '../../protocol/catalog.ts';
import { OfficerRole } from '../../protocol/counter.ts';
import { AdminOfficeConfig, type OfficeConfig } from '../../protocol/office.ts';
import { getOfficeConfig, issueEnrolCode } from '../admin.node.ts';
import {
  buildCatalog,
  catalogVersions,
  currentCatalog,
  diffCatalogs,
  publishCatalog,
  readTable,
  tableToProcedures,
  type ParsedCatalog,
} from '../catalog-import.node.ts';
import { officerOf, type CentralContext, type CentralRoute } from '../context.node.ts';
import { APP_CSP, etagOf, HttpError, parse } from '../http.node.ts';
import { audit, createOfficer, hashPassword, type OfficerSession } from '../officers.node.ts';
import type { Sql } from '../store/store.node.ts';
import { listFleet, pushKioskConfig } from './fleet.node.ts';

/**
 * Office administration (issue 14, role `admin`). Every route lives under `/v1/admin/offices/:officeId`
 * and is registered inside one plugin whose `onRoute` hook makes it an admin officer route: the
 * session, role, CSRF and own-office rule (central/officers.node.ts `authorizeOfficer`) applies to
 * each by construction, not by each handler remembering to ask. Records named by id (a kiosk,
 * an officer, a code) are read and written only together with the office (`inOffice` below).
 * Every change is audited with who, what, and the before/after.
 */

export const ADMIN_RULE = { roles: ['admin'] as const };
/** Catalog files come as base64 JSON: room for a province's catalog as XLSX or CSV. */
const FILE_BODY_LIMIT = 24 * 1024 * 1024;

const who = (s: OfficerSession) => ({
  officeId: s.officer.officeId,
  officerId: s.officer.id,
  username: s.officer.username,
});

/** The one place admin routes read or change a record by id: always with the caller's office. */
const inOffice = (officeId: string) => ({
  device: (q: Sql, id: string) =>
    q.get<{ id: string; name: string; revoked_at: string | null }>(
      'SELECT id, name, revoked_at FROM devices WHERE id = ? AND office_id = ?',
      [id, officeId],
    ),
  officer: (q: Sql, id: string) =>
    q.get<{ id: string; username: string; roles: string; disabled_at: string | null }>(
      'SELECT id, username, roles, disabled_at FROM officers WHERE id = ? AND office_id = ?',
      [id, officeId],
    ),
  code: (q: Sql, id: string) =>
    q.get<{ code_hash: string; used_at: string | null; expires_at: string }>(
      "SELECT code_hash, used_at, expires_at FROM enrol_codes WHERE office_id = ? AND code_hash LIKE ? || '%'",
      [officeId, id],
    ),
});

async function parseFile(body: CatalogFileRequest): Promise<ParsedCatalog> {
  const bytes = Buffer.from(body.dataBase64, 'base64');
  try {
    return tableToProcedures(await readTable(body.format, bytes));
  } catch (err) {
    return { fields: [], procedures: [], rows: 0, errors: [{ line: 0, message: (err as Error).message }] };
  }
}

const SAMPLE = 20;
const diffView = (d: ReturnType<typeof diffCatalogs>) => ({
  added: d.added.length,
  changed: d.changed.length,
  removed: d.removed.length,
  sample: { added: d.added.slice(0, SAMPLE), changed: d.changed.slice(0, SAMPLE), removed: d.removed.slice(0, SAMPLE) },
});

function registerAdminRoutes(app: FastifyInstance, ctx: CentralContext) {
  const { store } = ctx;
  const session = (req: Parameters<typeof officerOf>[0]) => officerOf(req);
  const scope = (s: OfficerSession) => inOffice(s.officer.officeId);
  const note = (s: OfficerSession, action: string, detail: unknown, q: Sql = store) =>
    audit(q, { ...who(s), at: ctx.now(), action, detail });

  // ───────── office configuration ─────────

  app.get('/config', async (req) => {
    const s = session(req);
    const found = await getOfficeConfig(store, s.officer.officeId);
    if (!found) throw new HttpError(404, 'NOT_FOUND', 'no configuration for this office');
    return AdminConfigResponse.parse({ config: found.config, etag: found.etag });
  });

  app.post('/config', async (req) => {
    const s = session(req);
    const body = parse(SaveConfigRequest, req.body, 'body');
    const checked = AdminOfficeConfig.safeParse(body.config);
    if (!checked.success)
      throw new HttpError(400, 'BAD_REQUEST', 'the configuration is not valid', {
        issues: checked.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    const config: OfficeConfig = checked.data;
    if (config.officeId !== s.officer.officeId)
      throw new HttpError(403, 'FORBIDDEN', 'the configuration names another office');
    const json = JSON.stringify(config);
    const etag = etagOf(json);
    const now = ctx.now();
    return store.tx(async (q) => {
      const before = await q.get<{ config_json: string; config_etag: string }>(
        'SELECT config_json, config_etag FROM offices WHERE id = ?',
        [config.officeId],
      );
      if (!before) throw new HttpError(404, 'NOT_FOUND', 'no configuration for this office');
      if (before.config_etag !== body.etag)
        throw new HttpError(409, 'CONFLICT', 'the configuration was changed by someone else; reload it', {
          etag: before.config_etag,
        });
      if (before.config_etag === etag) return { etag, changed: false };
      // Compare-and-set: two administrators saving at once cannot both win.
      const done = await q.run(
        'UPDATE offices SET name = ?, address = ?, province = ?, config_json = ?, config_etag = ?, updated_at = ? WHERE id = ? AND config_etag = ?',
        [config.name, config.address, config.province, json, etag, now.toISOString(), config.officeId, body.etag],
      );
      if (done.changes !== 1) throw new HttpError(409, 'CONFLICT', 'the configuration was changed by someone else');
      await note(s, 'admin.config.changed', { before: JSON.parse(before.config_json), after: config, etag }, q);
      return { etag, changed: true };
    });
  });

  app.get('/config/history', async (req): Promise<ConfigHistoryResponse> => {
    const s = session(req);
    const rows = await store.all<{ at: string; username: string | null; detail: string }>(
      "SELECT at, username, detail FROM officer_audit WHERE office_id = ? AND action = 'admin.config.changed' ORDER BY at DESC LIMIT 50",
      [s.officer.officeId],
    );
    return {
      changes: rows.map((r) => {
        const d = JSON.parse(r.detail) as { before: Record<string, unknown>; after: Record<string, unknown> };
        const keys = [...new Set([...Object.keys(d.before), ...Object.keys(d.after)])].filter(
          (k) => JSON.stringify(d.before[k]) !== JSON.stringify(d.after[k]),
        );
        return { at: r.at, username: r.username, keys };
      }),
    };
  });

  // ───────── procedure catalog ─────────

  app.post('/catalog/preview', { bodyLimit: FILE_BODY_LIMIT }, async (req): Promise<CatalogPreviewResponse> => {
    const s = session(req);
    const body = parse(CatalogFileRequest, req.body, 'body');
    const started = performance.now();
    const parsed = await parseFile(body);
    const current = await currentCatalog(store, s.officer.officeId);
    const diff = diffCatalogs(current?.catalog.procedures ?? [], parsed.procedures);
    return {
      rows: parsed.rows,
      procedures: parsed.procedures.length,
      errors: parsed.errors.slice(0, 200),
      diff: diffView(diff),
      baseEtag: current?.etag ?? null,
      ms: Math.round(performance.now() - started),
    };
  });

  app.post('/catalog/apply', { bodyLimit: FILE_BODY_LIMIT }, async (req) => {
    const s = session(req);
    const body = parse(CatalogApplyRequest, req.body, 'body');
    const parsed = await parseFile(body);
    if (parsed.errors.length)
      throw new HttpError(400, 'BAD_REQUEST', `the file has ${parsed.errors.length} bad rows; fix them first`, {
        errors: parsed.errors.slice(0, 200),
      });
    const now = ctx.now();
    const officeId = s.officer.officeId;
    const office = await getOfficeConfig(store, officeId);
    const seq = await store.tx(async (q) => {
      const current = await currentCatalog(q, officeId);
      if ((current?.etag ?? null) !== body.baseEtag)
        throw new HttpError(409, 'CONFLICT', 'the catalog changed since the preview; preview again');
      const diff = diffCatalogs(current?.catalog.procedures ?? [], parsed.procedures);
      const summary = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
      const catalog = buildCatalog(parsed, office?.config.province ?? '', now, 0);
      const n = await publishCatalog(
        q,
        { officeId: s.officer.officeId, officerId: s.officer.id },
        catalog,
        body.fileName,
        summary,
        now,
      );
      await note(
        s,
        'admin.catalog.imported',
        { seq: n, fileName: body.fileName, ...summary, sample: diffView(diff).sample },
        q,
      );
      return n;
    });
    return { version: (await catalogVersions(store, officeId)).find((v) => v.seq === seq)! };
  });

  app.get('/catalog/versions', async (req) => ({
    versions: await catalogVersions(store, session(req).officer.officeId),
  }));

  app.post('/catalog/rollback', async (req) => {
    const s = session(req);
    const { seq } = parse(RollbackRequest, req.body, 'body');
    const officeId = s.officer.officeId;
    const now = ctx.now();
    await store.tx(async (q) => {
      const row = await q.get<{ body_json: string }>(
        'SELECT body_json FROM catalog_versions WHERE office_id = ? AND seq = ?',
        [officeId, seq],
      );
      if (!row) throw new HttpError(404, 'NOT_FOUND', `no catalog version ${seq}`);
      const target = Catalog.parse(JSON.parse(row.body_json));
      const current = await currentCatalog(q, officeId);
      const diff = diffCatalogs(current?.catalog.procedures ?? [], target.procedures);
      const summary = { added: diff.added.length, changed: diff.changed.length, removed: diff.removed.length };
      const n = await publishCatalog(
        q,
        { officeId: s.officer.officeId, officerId: s.officer.id },
        target,
        `rollback to ${seq}`,
        summary,
        now,
      );
      await note(s, 'admin.catalog.rolled-back', { to: seq, seq: n, ...summary }, q);
    });
    return { versions: await catalogVersions(store, officeId) };
  });

  // ───────── enrolment codes ─────────

  app.get('/enrol-codes', async (req) => {
    const s = session(req);
    const now = ctx.now().toISOString();
    const rows = await store.all<{
      code_hash: string;
      note: string | null;
      created_at: string;
      expires_at: string;
      used_at: string | null;
      device_id: string | null;
    }>(
      'SELECT code_hash, note, created_at, expires_at, used_at, device_id FROM enrol_codes WHERE office_id = ? ORDER BY created_at DESC LIMIT 100',
      [s.officer.officeId],
    );
    const codes: EnrolCodeView[] = rows.map((r) => ({
      id: r.code_hash.slice(0, 16),
      note: r.note,
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      usedAt: r.used_at,
      deviceId: r.device_id,
      state: r.used_at ? 'used' : r.expires_at <= now ? 'expired' : 'active',
    }));
    return { codes };
  });

  app.post('/enrol-codes', async (req) => {
    const s = session(req);
    const body = parse(IssueCodeRequest, req.body, 'body');
    const now = ctx.now();
    const issued = await issueEnrolCode(store, {
      officeId: s.officer.officeId,
      ttlHours: body.ttlHours,
      ...(body.note ? { note: body.note } : {}),
      now,
    });
    await note(s, 'admin.enrol-code.issued', { expiresAt: issued.expiresAt, note: body.note ?? null });
    return { code: issued.code, expiresAt: issued.expiresAt };
  });

  app.post('/enrol-codes/expire', async (req) => {
    const s = session(req);
    const { id } = parse(ExpireCodeRequest, req.body, 'body');
    const now = ctx.now().toISOString();
    const code = await scope(s).code(store, id);
    if (!code) throw new HttpError(404, 'NOT_FOUND', 'no such code at this office');
    if (code.used_at) throw new HttpError(409, 'CONFLICT', 'this code was already used');
    await store.run('UPDATE enrol_codes SET expires_at = ? WHERE code_hash = ? AND expires_at > ?', [
      now,
      code.code_hash,
      now,
    ]);
    await note(s, 'admin.enrol-code.expired', { id });
    return { ok: true };
  });

  // ───────── kiosks ─────────

  app.get('/kiosks', async (req) => ({ kiosks: await listFleet(store, ctx.now(), session(req).officer.officeId) }));

  app.post('/kiosks/rename', async (req) => {
    const s = session(req);
    const body = parse(RenameKioskRequest, req.body, 'body');
    const device = await scope(s).device(store, body.deviceId);
    if (!device) throw new HttpError(404, 'NOT_FOUND', 'no such kiosk at this office');
    await store.run('UPDATE devices SET name = ? WHERE id = ? AND office_id = ?', [
      body.name,
      device.id,
      s.officer.officeId,
    ]);
    await note(s, 'admin.kiosk.renamed', { deviceId: device.id, before: device.name, after: body.name });
    return { ok: true };
  });

  app.post('/kiosks/revoke', async (req) => {
    const s = session(req);
    const body = parse(RevokeKioskRequest, req.body, 'body');
    const device = await scope(s).device(store, body.deviceId);
    if (!device) throw new HttpError(404, 'NOT_FOUND', 'no such kiosk at this office');
    await store.run('UPDATE devices SET revoked_at = ? WHERE id = ? AND office_id = ? AND revoked_at IS NULL', [
      ctx.now().toISOString(),
      device.id,
      s.officer.officeId,
    ]);
    await note(s, 'admin.kiosk.revoked', { deviceId: device.id, name: device.name });
    return { ok: true };
  });

  // Settings from the safe list (KioskPushSettings) for one kiosk of this office; the kiosk takes
  // them with its next heartbeat and validates them again against its own list.
  app.post('/kiosks/settings', async (req) => {
    const s = session(req);
    const body = parse(PushKioskSettingsRequest, req.body, 'body');
    const device = await scope(s).device(store, body.deviceId);
    if (!device) throw new HttpError(404, 'NOT_FOUND', 'no such kiosk at this office');
    const revision = await store.tx((q) => pushKioskConfig(q, device.id, body.values, ctx.now()));
    await note(s, 'admin.kiosk.settings-pushed', { deviceId: device.id, values: body.values, revision });
    return { revision };
  });

  // ───────── officer accounts ─────────

  app.get('/officers', async (req) => {
    const s = session(req);
    const rows = await store.all<{
      id: string;
      username: string;
      display_name: string;
      roles: string;
      created_at: string;
      disabled_at: string | null;
    }>(
      'SELECT id, username, display_name, roles, created_at, disabled_at FROM officers WHERE office_id = ? ORDER BY username',
      [s.officer.officeId],
    );
    const officers: OfficerView[] = rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      roles: r.roles.split(',').filter((x): x is OfficerRole => OfficerRole.safeParse(x).success),
      createdAt: r.created_at,
      disabledAt: r.disabled_at,
    }));
    return { officers };
  });

  app.post('/officers', async (req) => {
    const s = session(req);
    const body = parse(CreateOfficerRequest, req.body, 'body');
    const created = await createOfficer(store, { ...body, officeId: s.officer.officeId }, ctx.now());
    await note(s, 'admin.officer.created', { officerId: created.id, username: created.username, roles: created.roles });
    return { id: created.id };
  });

  app.post('/officers/update', async (req) => {
    const s = session(req);
    const body = parse(UpdateOfficerRequest, req.body, 'body');
    const now = ctx.now().toISOString();
    await store.tx(async (q) => {
      const target = await scope(s).officer(q, body.officerId);
      if (!target) throw new HttpError(404, 'NOT_FOUND', 'no such officer at this office');
      // An administrator cannot lock the office out by removing their own admin role or account.
      if (target.id === s.officer.id && (body.disabled === true || (body.roles && !body.roles.includes('admin'))))
        throw new HttpError(409, 'CONFLICT', 'you cannot disable your own account or remove your own admin role');
      const changes: Record<string, unknown> = {};
      if (body.roles) {
        // A province grant is not the office's to give or take: it stays as it was.
        const kept = target.roles.split(',').filter((r) => r === 'province');
        const roles = [...new Set([...body.roles, ...kept])];
        await q.run('UPDATE officers SET roles = ? WHERE id = ?', [roles.join(','), target.id]);
        changes.roles = { before: target.roles.split(','), after: roles };
      }
      if (body.disabled !== undefined) {
        await q.run('UPDATE officers SET disabled_at = ? WHERE id = ?', [body.disabled ? now : null, target.id]);
        changes.disabled = { before: target.disabled_at !== null, after: body.disabled };
      }
      if (body.password) {
        await q.run('UPDATE officers SET password_hash = ? WHERE id = ?', [
          await hashPassword(body.password),
          target.id,
        ]);
        changes.password = 'reset';
      }
      // A disabled account or a new password ends the officer's open sessions.
      if (body.disabled || body.password)
        await q.run('UPDATE officer_sessions SET ended_at = ? WHERE officer_id = ? AND ended_at IS NULL', [
          now,
          target.id,
        ]);
      await note(s, 'admin.officer.changed', { officerId: target.id, username: target.username, ...changes }, q);
    });
    return { ok: true };
  });
}

export const route: CentralRoute = {
  name: 'admin-config',
  async register(app, ctx) {
    await app.register(
      async (admin) => {
        // The rule, in one place: every route of this plugin is an admin officer route.
        admin.addHook('onRoute', (r) => {
          r.config = { ...(r.config ?? {}), officer: ADMIN_RULE };
        });
        registerAdminRoutes(admin, ctx);
      },
      { prefix: '/v1/admin/offices/:officeId' },
    );

    // The administration web app (renderer/admin.html); without a session: the sign-in, then back here.
    app.get('/admin', { config: { officer: { ...ADMIN_RULE, page: '/admin' } } }, async (_req, reply: FastifyReply) => {
      const file = join(ctx.webDir, 'admin.html');
      if (!existsSync(file)) throw new HttpError(404, 'NOT_FOUND', 'the admin app is not built (npm run build)');
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', APP_CSP)
        .send(readFileSync(file, 'utf8'));
    });
  },
};
