import type { Clock } from '../core/clock.ts';
import type { Db } from '../store/db.node.ts';

/** Writes one audit row. `detail` holds ids and codes only: never personal data, PINs or tokens. */
export function audit(
  db: Db,
  clock: Clock,
  actor: 'technician' | 'officer' | 'system',
  action: string,
  detail?: Record<string, unknown>,
): void {
  db.prepare('INSERT INTO audit_log (at, actor, action, detail) VALUES (?, ?, ?, ?)').run(
    clock.now().toISOString(),
    actor,
    action,
    detail ? JSON.stringify(detail) : null,
  );
}

export interface AuditRow {
  id: number;
  at: string;
  actor: string;
  action: string;
  detail: string | null;
}

export const recentAudit = (db: Db, limit = 50): AuditRow[] =>
  db.prepare('SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT ?').all(limit) as AuditRow[];
