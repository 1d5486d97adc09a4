import { randomBytes } from 'node:crypto';
import {
  DOSSIER_CONTACT_DAYS,
  DOSSIER_FINAL_STATUSES,
  DOSSIER_NOTIFY_STATUSES,
  DOSSIER_STATUSES,
  type DossierNotifyOptIn,
} from '../../protocol/dossiers.ts';
import { sha256 } from '../http.node.ts';
import type { Sql } from '../store/store.node.ts';
import type { NotifyMessage } from './providers.node.ts';

/**
 * Dossier status messages (docs/phone.md): a citizen who opted in at submission is told by Zalo
 * or SMS when the dossier is received, being processed and when the result is ready, with the
 * dossier's status page link. Each message is a `notify_outbox` row keyed
 * `dossier:<code>:<status>:<channel>` (INSERT … ON CONFLICT DO NOTHING: once per dossier and
 * status, whatever repeats), written in the same transaction as the status change; the
 * notifier's worker sends it with the same retries as ticket messages. The phone number lives
 * only in `dossier_contacts`.
 */

export const dossierLabel = (status: number): string =>
  DOSSIER_STATUSES[status as keyof typeof DOSSIER_STATUSES] ?? String(status);

/** A new status page token (16 random bytes, base64url): only its hash is kept on the dossier. */
export const newDossierToken = (): string => randomBytes(16).toString('base64url');

const addDays = (isoDate: string, days: number): string => {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/**
 * Stores a submission's opt-in and gives the dossier its status page token. `baseUrl` is where
 * phones reach central. The contact expires `DOSSIER_CONTACT_DAYS` after the appointment date.
 */
export async function optInDossier(
  q: Sql,
  d: { code: string; officeId: string; appointmentDate: string },
  optIn: { channel: DossierNotifyOptIn['channel']; phone: string },
  baseUrl: string,
  now: Date,
): Promise<void> {
  const token = newDossierToken();
  await q.run('UPDATE dossiers SET public_token_hash = ? WHERE code = ?', [sha256(token), d.code]);
  await q.run(
    `INSERT INTO dossier_contacts (dossier_code, office_id, channel, address, link, consent, created_at, expires_at)
     VALUES (?, ?, ?, ?, ?, 'v1', ?, ?)
     ON CONFLICT (dossier_code) DO UPDATE SET channel = excluded.channel, address = excluded.address`,
    [
      d.code,
      d.officeId,
      optIn.channel,
      optIn.phone,
      `${baseUrl.replace(/\/+$/, '')}/hs/${token}`,
      now.toISOString(),
      new Date(`${addDays(d.appointmentDate, DOSSIER_CONTACT_DAYS)}T23:59:59+07:00`).toISOString(),
    ],
  );
}

/**
 * Writes the message for a dossier's new status when its citizen opted in (and the status is one
 * they are told of). Answers whether a row was written (false: no opt-in, or already written).
 */
export async function enqueueDossierStatus(
  q: Sql,
  d: { code: string; officeId: string; officeName: string; procedureName: string },
  status: number,
  now: Date,
): Promise<boolean> {
  const contact = await q.get<{ channel: string; link: string }>(
    'SELECT channel, link FROM dossier_contacts WHERE dossier_code = ?',
    [d.code],
  );
  if (!contact) return false;
  let wrote = false;
  if (DOSSIER_NOTIFY_STATUSES.includes(status)) {
    const payload: Omit<NotifyMessage, 'key' | 'event' | 'address'> = {
      number: d.code,
      service: d.procedureName,
      counter: '',
      ahead: null,
      office: d.officeName,
      dossier: {
        code: d.code,
        procedure: d.procedureName,
        status,
        label: dossierLabel(status),
        link: contact.link,
      },
    };
    const at = now.toISOString();
    const { changes } = await q.run(
      `INSERT INTO notify_outbox (key, ticket_id, office_id, channel, event, payload, status, attempts, next_at, created_at)
       VALUES (?, ?, ?, ?, 'dossier', ?, 'pending', 0, ?, ?) ON CONFLICT (key) DO NOTHING`,
      [
        `dossier:${d.code}:${status}:${contact.channel}`,
        d.code,
        d.officeId,
        contact.channel,
        JSON.stringify(payload),
        at,
        at,
      ],
    );
    wrote = changes > 0;
  }
  await forgetDossierContactIfDone(q, d.code);
  return wrote;
}

/**
 * Deletes a dossier's contact once nothing more will be sent: the dossier reached a final status
 * and none of its messages waits to be sent.
 */
export async function forgetDossierContactIfDone(q: Sql, code: string): Promise<void> {
  const row = await q.get<{ status: number }>('SELECT status FROM dossiers WHERE code = ?', [code]);
  if (!row || !DOSSIER_FINAL_STATUSES.includes(Number(row.status))) return;
  const waiting = await q.get(
    "SELECT key FROM notify_outbox WHERE ticket_id = ? AND event = 'dossier' AND status IN ('pending', 'sending')",
    [code],
  );
  if (!waiting) await q.run('DELETE FROM dossier_contacts WHERE dossier_code = ?', [code]);
}

/**
 * Records a dossier's new status centrally (the timeline the kiosk's status lookup shows) and
 * writes its message, in the caller's transaction.
 */
export async function recordDossierStatus(
  q: Sql,
  d: { code: string; officeId: string; officeName: string; procedureName: string },
  status: number,
  at: Date,
  note: string | null,
): Promise<void> {
  await q.run('UPDATE dossiers SET status = ? WHERE code = ? AND office_id = ?', [status, d.code, d.officeId]);
  await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, ?, ?, ?)', [
    d.code,
    status,
    at.toISOString(),
    note,
  ]);
  await enqueueDossierStatus(q, d, status, at);
}
