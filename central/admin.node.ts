import { randomInt } from 'node:crypto';
import { normalizeEnrolCode, type EnrolResponse } from '../protocol/enrol.ts';
import { OfficeConfig } from '../protocol/office.ts';
import { etagOf, HttpError, randomToken, sha256 } from './http.node.ts';
import type { Sql } from './store/store.node.ts';

/**
 * Operator functions of central: offices, enrolment codes, devices, distributed documents.
 * Used by the HTTP routes, the `kioskctl central …` commands, the demo seed and tests.
 */

export async function upsertOffice(q: Sql, config: OfficeConfig, now = new Date()): Promise<void> {
  const parsed = OfficeConfig.parse(config);
  const json = JSON.stringify(parsed);
  await q.run(
    `INSERT INTO offices (id, name, address, province, config_json, config_etag, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, address = excluded.address, province = excluded.province,
       config_json = excluded.config_json, config_etag = excluded.config_etag, updated_at = excluded.updated_at`,
    [parsed.officeId, parsed.name, parsed.address, parsed.province, json, etagOf(json), now.toISOString()],
  );
}

// Parsed configurations by office and ETag: every counter screen and display request, every ticket
// and every kiosk's pull reads its office's configuration, which changes rarely; the ETag is a hash
// of its content. Only the ETag is read each time; the text and its parse are kept per office.
const parsedConfigs = new Map<string, { etag: string; json: string; config: OfficeConfig }>();

export async function getOfficeConfig(
  q: Sql,
  officeId: string,
): Promise<{ config: OfficeConfig; json: string; etag: string } | undefined> {
  const current = await q.get<{ config_etag: string }>('SELECT config_etag FROM offices WHERE id = ?', [officeId]);
  if (!current) return undefined;
  let held = parsedConfigs.get(officeId);
  if (held?.etag !== current.config_etag) {
    const row = await q.get<{ config_json: string; config_etag: string }>(
      'SELECT config_json, config_etag FROM offices WHERE id = ?',
      [officeId],
    );
    if (!row) return undefined;
    held = { etag: row.config_etag, json: row.config_json, config: OfficeConfig.parse(JSON.parse(row.config_json)) };
    parsedConfigs.set(officeId, held);
  }
  return { config: structuredClone(held.config), json: held.json, etag: held.etag };
}

// No 0/O, 1/I/L: read aloud and typed by technicians.
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export interface IssuedCode {
  /** Shown once as `ABCD-EFGH`; central keeps only its hash. */
  readonly code: string;
  readonly officeId: string;
  readonly expiresAt: string;
}

export async function issueEnrolCode(
  q: Sql,
  {
    officeId,
    ttlHours = 72,
    note,
    now = new Date(),
  }: { officeId: string; ttlHours?: number; note?: string; now?: Date },
): Promise<IssuedCode> {
  const office = await q.get('SELECT id FROM offices WHERE id = ?', [officeId]);
  if (!office) throw new HttpError(404, 'NOT_FOUND', `no office ${officeId}`);
  let raw = '';
  for (let i = 0; i < 8; i++) raw += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await q.run('INSERT INTO enrol_codes (code_hash, office_id, note, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
    sha256(raw),
    officeId,
    note ?? null,
    now.toISOString(),
    expiresAt,
  ]);
  return { code: `${raw.slice(0, 4)}-${raw.slice(4)}`, officeId, expiresAt };
}

/** The one answer to a code that is unknown, already used or expired. */
export const ENROL_CODE_REFUSED = 'enrolment code not accepted (unknown, used or expired)';

/**
 * Spends a one-time code: creates the device and its credential. Must run in a transaction
 * (the code is marked used in the same one that creates the device).
 */
export async function enrolDevice(
  q: Sql,
  { code, kioskName, version, now = new Date() }: { code: string; kioskName: string; version?: string; now?: Date },
): Promise<EnrolResponse> {
  const hash = sha256(normalizeEnrolCode(code));
  const row = await q.get<{ office_id: string; expires_at: string; used_at: string | null }>(
    'SELECT office_id, expires_at, used_at FROM enrol_codes WHERE code_hash = ?',
    [hash],
  );
  // One answer for unknown, used and expired codes: a guesser learns nothing about which codes exist.
  if (!row || row.used_at || row.expires_at <= now.toISOString())
    throw new HttpError(401, 'ENROL_CODE_INVALID', ENROL_CODE_REFUSED);
  const deviceId = `dev_${randomToken(16)}`;
  const token = `osk_${randomToken(32)}`;
  const spent = await q.run(
    'UPDATE enrol_codes SET used_at = ?, device_id = ? WHERE code_hash = ? AND used_at IS NULL',
    [now.toISOString(), deviceId, hash],
  );
  if (spent.changes !== 1) throw new HttpError(401, 'ENROL_CODE_INVALID', ENROL_CODE_REFUSED);
  await q.run('INSERT INTO devices (id, office_id, name, token_hash, version, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)', [
    deviceId,
    row.office_id,
    kioskName,
    sha256(token),
    version ?? null,
    now.toISOString(),
  ]);
  const office = await q.get<{ name: string }>('SELECT name FROM offices WHERE id = ?', [row.office_id]);
  return { deviceId, token, officeId: row.office_id, officeName: office?.name ?? row.office_id };
}

export interface DeviceRow {
  readonly id: string;
  readonly officeId: string;
  readonly name: string;
  readonly version: string | null;
  readonly enrolledAt: string;
  readonly revokedAt: string | null;
  readonly lastSeenAt: string | null;
}

export async function listDevices(q: Sql, officeId?: string): Promise<DeviceRow[]> {
  const rows = await q.all<Record<string, string | null>>(
    `SELECT id, office_id, name, version, enrolled_at, revoked_at, last_seen_at FROM devices ${officeId ? 'WHERE office_id = ?' : ''} ORDER BY enrolled_at`,
    officeId ? [officeId] : [],
  );
  return rows.map((r) => ({
    id: r.id!,
    officeId: r.office_id!,
    name: r.name!,
    version: r.version ?? null,
    enrolledAt: r.enrolled_at!,
    revokedAt: r.revoked_at ?? null,
    lastSeenAt: r.last_seen_at ?? null,
  }));
}

export async function revokeDevice(q: Sql, deviceId: string, now = new Date()): Promise<boolean> {
  const r = await q.run('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [
    now.toISOString(),
    deviceId,
  ]);
  return r.changes === 1;
}

/** Stores a distributed JSON document (the catalog, …); its ETag changes only when its content does. */
export async function setDocument(q: Sql, name: string, body: unknown, now = new Date()): Promise<{ etag: string }> {
  const json = JSON.stringify(body);
  const etag = etagOf(json);
  await q.run(
    `INSERT INTO documents (name, etag, body_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET etag = excluded.etag, body_json = excluded.body_json,
       updated_at = CASE WHEN documents.etag = excluded.etag THEN documents.updated_at ELSE excluded.updated_at END`,
    [name, etag, json, now.toISOString()],
  );
  return { etag };
}

// Document bodies by ETag (a hash of the body: setDocument): the catalog is megabytes and every
// kiosk pulls it every minute, mostly answered 304. Only names, ETags and dates are read each
// time; a body is read once per content and kept, up to DOCUMENT_CACHE_BYTES (oldest dropped).
const DOCUMENT_CACHE_BYTES = 64 * 1024 * 1024;
const bodies = new Map<string, string>();
let bodyBytes = 0;
function keepBody(etag: string, json: string) {
  if (bodies.has(etag) || json.length > DOCUMENT_CACHE_BYTES) return;
  bodies.set(etag, json);
  bodyBytes += json.length;
  for (const [old, body] of bodies) {
    if (bodyBytes <= DOCUMENT_CACHE_BYTES) break;
    bodies.delete(old);
    bodyBytes -= body.length;
  }
}

export const getDocument = (q: Sql, name: string) => getFirstDocument(q, [name]);

/** The first of `names` that exists (an office's own catalog, else the province's), in one query. */
export async function getFirstDocument(
  q: Sql,
  names: readonly string[],
): Promise<{ etag: string; json: string; updatedAt: string } | undefined> {
  const rows = await q.all<{ name: string; etag: string; updated_at: string }>(
    `SELECT name, etag, updated_at FROM documents WHERE name IN (${names.map(() => '?').join(', ')})`,
    names,
  );
  const row = names.map((n) => rows.find((r) => r.name === n)).find((r) => r !== undefined);
  if (!row) return undefined;
  const json = bodies.get(row.etag);
  if (json !== undefined) return { etag: row.etag, json, updatedAt: row.updated_at };
  const full = await q.get<{ etag: string; body_json: string; updated_at: string }>(
    'SELECT etag, body_json, updated_at FROM documents WHERE name = ?',
    [row.name],
  );
  if (!full) return undefined;
  keepBody(full.etag, full.body_json);
  return { etag: full.etag, json: full.body_json, updatedAt: full.updated_at };
}

/** The procedure catalog kiosks pull from `GET /v1/catalog` (model: protocol/catalog.ts). */
export const setCatalog = (q: Sql, catalog: unknown, now = new Date()) => setDocument(q, 'catalog', catalog, now);

/** The document an office administrator's catalog import publishes (served to that office's kiosks instead of `catalog`). */
export const officeCatalogName = (officeId: string) => `catalog:${officeId}`;
