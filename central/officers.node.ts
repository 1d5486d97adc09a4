import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { OfficerRole, Username } from '../protocol/counter.ts';
import { HttpError, randomToken, safeEqual, sha256 } from './http.node.ts';
import type { Sql } from './store/store.node.ts';

/**
 * Officer accounts of central (issue 13): argon2id passwords, a sign-in lockout counted in the
 * database before any password is checked, server-side sessions behind an HTTP-only SameSite
 * cookie with a CSRF token, idle sign-out, and an audit row for every sign-in, failure and call.
 * The access rule itself (role and office) is one route option, applied in server.node.ts.
 */

export interface Officer {
  readonly id: string;
  readonly officeId: string;
  readonly username: string;
  readonly displayName: string;
  readonly roles: readonly OfficerRole[];
}

export interface OfficerSession {
  readonly officer: Officer;
  readonly csrfToken: string;
  readonly idHash: string;
}

export const SESSION_COOKIE = 'osk_officer';
/** Failures in a row before the account is locked, and for how long. */
export const MAX_SIGN_IN_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Idle sign-out: a counter screen left alone this long signs out. */
export const DEFAULT_IDLE_MS = 15 * 60_000;

// OWASP's argon2id minimum (19 MiB, 2 passes, 1 lane): ~50 ms here, enough to make guessing slow.
const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => argonHash(password, ARGON);

/** A hash of nothing anybody knows: unknown usernames cost the same time as known ones. */
let decoy: Promise<string> | undefined;

export async function audit(
  q: Sql,
  entry: {
    at: Date;
    officeId?: string | null;
    officerId?: string | null;
    username?: string | null;
    action: string;
    detail?: unknown;
    ip?: string | null;
  },
): Promise<void> {
  await q.run(
    'INSERT INTO officer_audit (id, at, office_id, officer_id, username, action, detail, ip) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    [
      uuidv7(),
      entry.at.toISOString(),
      entry.officeId ?? null,
      entry.officerId ?? null,
      entry.username ?? null,
      entry.action,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
      entry.ip ?? null,
    ],
  );
}

export async function createOfficer(
  q: Sql,
  input: { officeId: string; username: string; displayName: string; password: string; roles: readonly OfficerRole[] },
  now = new Date(),
): Promise<Officer> {
  const username = Username.parse(input.username);
  const roles = [...new Set(input.roles.map((r) => OfficerRole.parse(r)))];
  if (!roles.length)
    throw new HttpError(400, 'BAD_REQUEST', 'an officer needs at least one role (counter, manager, admin)');
  if (input.password.length < 8) throw new HttpError(400, 'BAD_REQUEST', 'password: at least 8 characters');
  const office = await q.get('SELECT id FROM offices WHERE id = ?', [input.officeId]);
  if (!office) throw new HttpError(404, 'NOT_FOUND', `no office ${input.officeId}`);
  const id = `off_${randomToken(12)}`;
  const inserted = await q.get<{ id: string }>(
    `INSERT INTO officers (id, office_id, username, display_name, password_hash, roles, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (username) DO NOTHING RETURNING id`,
    [
      id,
      input.officeId,
      username,
      input.displayName,
      await hashPassword(input.password),
      roles.join(','),
      now.toISOString(),
    ],
  );
  if (!inserted) throw new HttpError(409, 'CONFLICT', `username ${username} is taken`);
  await audit(q, {
    at: now,
    officeId: input.officeId,
    officerId: id,
    username,
    action: 'officer.created',
    detail: { roles },
  });
  return { id, officeId: input.officeId, username, displayName: input.displayName, roles };
}

interface OfficerRow {
  id: string;
  office_id: string;
  username: string;
  display_name: string;
  password_hash: string;
  roles: string;
  disabled_at: string | null;
}

const toOfficer = (r: OfficerRow): Officer => ({
  id: r.id,
  officeId: r.office_id,
  username: r.username,
  displayName: r.display_name,
  roles: r.roles.split(',').filter((x): x is OfficerRole => OfficerRole.safeParse(x).success),
});

/**
 * Checks a username and password and opens a session. Each attempt first takes a slot in the
 * database (one atomic UPDATE … RETURNING): the sixth of twenty parallel guesses is refused
 * before its password is looked at, so parallel requests cannot test more passwords than the
 * limit. A success clears the count.
 */
export async function signIn(
  q: Sql,
  { username: raw, password, ip, now }: { username: string; password: string; ip: string | null; now: Date },
): Promise<{ officer: Officer; sessionId: string; csrfToken: string }> {
  const username = raw.trim().toLowerCase().slice(0, 64);
  const at = now.toISOString();
  await q.run(
    'INSERT INTO officer_login_attempts (username, failures, locked_until) VALUES (?, 0, NULL) ON CONFLICT (username) DO NOTHING',
    [username],
  );
  // A lock that has run out starts a fresh count.
  const slot = (await q.get<{ failures: number; locked_until: string | null }>(
    `UPDATE officer_login_attempts
        SET failures = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN 1 ELSE failures + 1 END,
            locked_until = CASE WHEN locked_until IS NOT NULL AND locked_until <= ? THEN NULL ELSE locked_until END
      WHERE username = ? RETURNING failures, locked_until`,
    [at, at, username],
  ))!;
  const row = await q.get<OfficerRow>(
    'SELECT id, office_id, username, display_name, password_hash, roles, disabled_at FROM officers WHERE username = ?',
    [username],
  );
  const locked = (until: string) => {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(until) - now.getTime()) / 1000));
    return new HttpError(429, 'SIGN_IN_LOCKED', `too many failed sign-ins; try again in ${retryAfter} s`, {
      retryAfter,
    });
  };
  if (slot.locked_until && slot.locked_until > at) {
    await audit(q, {
      at: now,
      officeId: row?.office_id,
      officerId: row?.id,
      username,
      action: 'sign-in.refused-locked',
      ip,
    });
    throw locked(slot.locked_until);
  }
  if (Number(slot.failures) > MAX_SIGN_IN_FAILURES) {
    const until = new Date(now.getTime() + LOCKOUT_MS).toISOString();
    await q.run(
      'UPDATE officer_login_attempts SET locked_until = ? WHERE username = ? AND (locked_until IS NULL OR locked_until < ?)',
      [until, username, until],
    );
    await audit(q, {
      at: now,
      officeId: row?.office_id,
      officerId: row?.id,
      username,
      action: 'sign-in.refused-locked',
      ip,
    });
    throw locked(until);
  }
  decoy ??= hashPassword(randomToken(16));
  const ok = await argonVerify(row?.password_hash ?? (await decoy), password).catch(() => false);
  if (!ok || !row || row.disabled_at) {
    if (Number(slot.failures) >= MAX_SIGN_IN_FAILURES) {
      await q.run('UPDATE officer_login_attempts SET locked_until = ? WHERE username = ?', [
        new Date(now.getTime() + LOCKOUT_MS).toISOString(),
        username,
      ]);
      await audit(q, { at: now, officeId: row?.office_id, officerId: row?.id, username, action: 'sign-in.locked', ip });
    }
    await audit(q, { at: now, officeId: row?.office_id, officerId: row?.id, username, action: 'sign-in.failed', ip });
    throw new HttpError(401, 'SIGN_IN_FAILED', 'wrong username or password');
  }
  await q.run('UPDATE officer_login_attempts SET failures = 0, locked_until = NULL WHERE username = ?', [username]);
  const sessionId = randomToken(32);
  const csrfToken = randomToken(24);
  await q.run(
    'INSERT INTO officer_sessions (id_hash, officer_id, office_id, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)',
    [sha256(sessionId), row.id, row.office_id, csrfToken, at, at],
  );
  await audit(q, { at: now, officeId: row.office_id, officerId: row.id, username, action: 'sign-in', ip });
  return { officer: toOfficer(row), sessionId, csrfToken };
}

/**
 * The session behind a cookie, if it is open and was used within `idleMs`; touching it moves
 * the idle clock. An idle session is ended (and audited) when it is next presented.
 */
export async function sessionOf(
  q: Sql,
  sessionId: string,
  now: Date,
  idleMs: number,
  touch = true,
): Promise<OfficerSession> {
  const idHash = sha256(sessionId);
  const row = await q.get<OfficerRow & { csrf_token: string; last_seen_at: string; ended_at: string | null }>(
    `SELECT o.id, o.office_id, o.username, o.display_name, o.password_hash, o.roles, o.disabled_at, s.csrf_token, s.last_seen_at, s.ended_at
       FROM officer_sessions s JOIN officers o ON o.id = s.officer_id WHERE s.id_hash = ?`,
    [idHash],
  );
  if (!row || row.ended_at || row.disabled_at) throw new HttpError(401, 'UNAUTHORIZED', 'sign in first');
  if (Date.parse(row.last_seen_at) + idleMs <= now.getTime()) {
    const ended = await q.run('UPDATE officer_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL', [
      now.toISOString(),
      idHash,
    ]);
    if (ended.changes === 1)
      await audit(q, {
        at: now,
        officeId: row.office_id,
        officerId: row.id,
        username: row.username,
        action: 'sign-out.idle',
      });
    throw new HttpError(401, 'SESSION_EXPIRED', 'signed out after inactivity; sign in again');
  }
  if (touch)
    await q.run('UPDATE officer_sessions SET last_seen_at = ? WHERE id_hash = ? AND last_seen_at < ?', [
      now.toISOString(),
      idHash,
      now.toISOString(),
    ]);
  return { officer: toOfficer(row), csrfToken: row.csrf_token, idHash };
}

export async function signOut(q: Sql, session: OfficerSession, now: Date): Promise<void> {
  await q.run('UPDATE officer_sessions SET ended_at = ? WHERE id_hash = ? AND ended_at IS NULL', [
    now.toISOString(),
    session.idHash,
  ]);
  await audit(q, {
    at: now,
    officeId: session.officer.officeId,
    officerId: session.officer.id,
    username: session.officer.username,
    action: 'sign-out',
  });
}

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The one access rule for officer routes (`config: { officer: { roles } }`): a live session,
 * one of the roles, the CSRF token on every state-changing request, and no office but the
 * officer's own in the path or query.
 */
export async function authorizeOfficer(
  q: Sql,
  req: FastifyRequest,
  rule: { roles: readonly OfficerRole[] },
  now: Date,
  idleMs: number,
): Promise<OfficerSession> {
  const sessionId = req.cookies[SESSION_COOKIE];
  if (!sessionId) throw new HttpError(401, 'UNAUTHORIZED', 'sign in first');
  // Screens re-read on their own when central pushes an event: that is not the officer at work,
  // and must not keep an abandoned session open (`x-officer-activity: background`).
  const background = req.method === 'GET' && req.headers['x-officer-activity'] === 'background';
  const session = await sessionOf(q, sessionId, now, idleMs, !background);
  if (!SAFE_METHODS.has(req.method)) {
    const sent = req.headers['x-csrf-token'];
    if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken))
      throw new HttpError(403, 'CSRF_REJECTED', 'missing or wrong x-csrf-token');
  }
  if (rule.roles.length && !rule.roles.some((r) => session.officer.roles.includes(r)))
    throw new HttpError(403, 'FORBIDDEN', `needs the role ${rule.roles.join(' or ')}`);
  const params = (req.params ?? {}) as Record<string, unknown>;
  const query = (req.query ?? {}) as Record<string, unknown>;
  for (const office of [params.officeId, query.office, query.officeId])
    if (office !== undefined && office !== session.officer.officeId)
      throw new HttpError(403, 'FORBIDDEN', 'another office');
  return session;
}

export function setSessionCookie(reply: FastifyReply, sessionId: string, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'strict', path: '/', secure });
}
export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
