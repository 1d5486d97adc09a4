import type { FastifyReply } from 'fastify';
import {
  FleetResponse,
  fleetText,
  HeartbeatRequest,
  type FleetHealth,
  type FleetKiosk,
  type FleetProblem,
  type FleetTextKey,
  type HeartbeatResponse,
} from '../../protocol/fleet.ts';
import { localDateTime } from '../../protocol/tickets.ts';
import { deviceOf, officerOf, type CentralRoute } from '../context.node.ts';
import { parse } from '../http.node.ts';
import type { Sql } from '../store/store.node.ts';

/** Who may read the fleet: an office's managers and admins, of their own office only. */
const FLEET = { officer: { roles: ['admin', 'manager'] as const } };

/** Kiosks send a heartbeat every minute; three missed ones (plus slack) turn a kiosk red. */
export const SILENT_AFTER_MS = 3.5 * 60_000;

/**
 * Health of one kiosk from its last heartbeat. Red: central has not heard from it (it may be
 * off, crashed or cut off). Amber: it is running but needs a visit or a look (paper, cover,
 * printer offline, scanner missing, outbox items parked); red also when its disk is full (it
 * takes no dossiers). Green: nothing to do.
 */
export function fleetHealth(
  hb: HeartbeatRequest | null,
  receivedAt: string | null,
  revoked: boolean,
  now: Date,
): { health: FleetHealth; problems: FleetProblem[] } {
  if (revoked) return { health: 'red', problems: [{ code: 'revoked' }] };
  if (!hb || !receivedAt) return { health: 'red', problems: [{ code: 'noHeartbeat' }] };
  const silentMs = now.getTime() - Date.parse(receivedAt);
  const problems: FleetProblem[] = [];
  if (silentMs > SILENT_AFTER_MS) problems.push({ code: 'silent', n: Math.round(silentMs / 60_000) });
  if (hb.printer.paperOut) problems.push({ code: 'paperOut' });
  else if (hb.printer.paperNearEnd) problems.push({ code: 'paperLow' });
  if (hb.printer.coverOpen) problems.push({ code: 'coverOpen' });
  // A printer out of paper or with its cover open also reports itself offline: name the cause only.
  if (!hb.printer.online && !hb.printer.paperOut && !hb.printer.coverOpen) problems.push({ code: 'printerOffline' });
  if (hb.printer.error) problems.push({ code: 'printerError' });
  if (hb.scanner.missing) problems.push({ code: 'scannerMissing' });
  if (hb.outbox.parked > 0) problems.push({ code: 'outboxParked', n: hb.outbox.parked });
  // A full disk stops the kiosk taking dossiers: as urgent as a silent kiosk.
  if (hb.storage?.full) problems.push({ code: 'diskFull' });
  const health: FleetHealth =
    silentMs > SILENT_AFTER_MS || hb.storage?.full ? 'red' : problems.length ? 'amber' : 'green';
  return { health, problems };
}

/** Queues settings for a kiosk; it applies them at its next heartbeat. Answers the new revision. */
export async function pushKioskConfig(
  q: Sql,
  deviceId: string,
  values: Record<string, unknown>,
  now = new Date(),
): Promise<number> {
  const row = await q.get<{ revision: number; values_json: string }>(
    'SELECT revision, values_json FROM fleet_config WHERE device_id = ?',
    [deviceId],
  );
  const revision = Number(row?.revision ?? 0) + 1;
  // Later pushes add to earlier ones the kiosk may not have fetched yet.
  const merged = { ...(row ? (JSON.parse(row.values_json) as Record<string, unknown>) : {}), ...values };
  await q.run(
    'INSERT INTO fleet_config (device_id, revision, values_json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET revision = excluded.revision, values_json = excluded.values_json, updated_at = excluded.updated_at',
    [deviceId, revision, JSON.stringify(merged), now.toISOString()],
  );
  return revision;
}

/** One office's kiosks (every fleet read is scoped to the caller's office). */
export async function listFleet(q: Sql, now: Date, officeId: string): Promise<FleetKiosk[]> {
  const rows = await q.all<{
    id: string;
    office_id: string;
    name: string;
    version: string | null;
    revoked_at: string | null;
    last_seen_at: string | null;
    received_at: string | null;
    body_json: string | null;
    pushed_revision: number | null;
    pushed_json: string | null;
  }>(
    `SELECT d.id, d.office_id, d.name, d.version, d.revoked_at, d.last_seen_at, h.received_at, h.body_json,
            c.revision AS pushed_revision, c.values_json AS pushed_json
       FROM devices d LEFT JOIN fleet_heartbeats h ON h.device_id = d.id
       LEFT JOIN fleet_config c ON c.device_id = d.id
      WHERE d.office_id = ?
      ORDER BY d.name, d.id`,
    [officeId],
  );
  return rows.map((r) => {
    const hb = r.body_json ? HeartbeatRequest.safeParse(JSON.parse(r.body_json)) : null;
    const heartbeat = hb?.success ? hb.data : null;
    const { health, problems } = fleetHealth(heartbeat, r.received_at, r.revoked_at !== null, now);
    return {
      deviceId: r.id,
      officeId: r.office_id,
      name: r.name,
      version: heartbeat?.version ?? r.version,
      health,
      problems,
      lastSeenAt: r.received_at ?? r.last_seen_at,
      heartbeat,
      pushed:
        r.pushed_revision === null || r.pushed_json === null
          ? null
          : {
              revision: Number(r.pushed_revision),
              values: JSON.parse(r.pushed_json) as Record<string, unknown>,
              applied: (heartbeat?.configRevision ?? 0) >= Number(r.pushed_revision),
            },
    };
  });
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Vietnamese first, then English, as the page is read by both. */
const both = (key: FleetTextKey, n?: number) => `${fleetText('vi', key, n)} / ${fleetText('en', key, n)}`;
const MARK: Record<FleetHealth, string> = { green: '●', amber: '▲', red: '■' };

function ago(iso: string | null, now: Date): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  const text =
    s < 90 ? both('seconds', s) : s < 5400 ? both('minutes', Math.round(s / 60)) : both('hours', Math.round(s / 3600));
  return `<time datetime="${esc(iso)}">${esc(text)}</time>`;
}

/** The fleet page: plain HTML, no script (a refresh link rather than a timed reload, which screen readers dislike). Colour is never the only cue. */
export function renderFleetPage(kiosks: FleetKiosk[], now: Date): string {
  const counts = { green: 0, amber: 0, red: 0 };
  for (const k of kiosks) counts[k.health]++;
  const rows = kiosks
    .map(
      (k) => `<tr class="${k.health}" data-device="${esc(k.deviceId)}" data-health="${k.health}">
<td class="health">${MARK[k.health]} ${esc(both(k.health))}</td><td>${esc(k.name)}<br><small>${esc(k.deviceId)}</small></td><td>${esc(k.officeId)}</td>
<td>${ago(k.lastSeenAt, now)}</td><td>${esc(k.version ?? '—')}</td>
<td>${k.heartbeat ? `${k.heartbeat.outbox.pending} / ${k.heartbeat.outbox.parked}` : '—'}</td>
<td>${k.problems.length ? `<ul>${k.problems.map((p) => `<li>${esc(both(p.code, p.n))}</li>`).join('')}</ul>` : '—'}</td></tr>`,
    )
    .join('\n');
  const th = (key: FleetTextKey) => `<th>${esc(both(key))}</th>`;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(both('title'))}</title>
<style>
body{font:18px/1.4 system-ui,sans-serif;margin:1.5rem;color:#111}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.5rem;text-align:left;vertical-align:top}
tr.green td.health{background:#d9f2dd;color:#0b3d17}tr.amber td.health{background:#ffe8b3;color:#4a3000}tr.red td.health{background:#f8d0d0;color:#5c0000}
td.health{font-weight:700;white-space:nowrap}ul{margin:0;padding-left:1.2rem}small{color:#444}
a{color:#0b4fb3}
</style></head><body><main>
<h1>${esc(both('title'))}</h1>
<p>${counts.green} ${esc(both('green'))} · ${counts.amber} ${esc(both('amber'))} · ${counts.red} ${esc(both('red'))} — ${esc(localDateTime(now))} (${esc(both('summaryTime'))})</p>
<table><thead><tr>${th('colHealth')}${th('colKiosk')}${th('colOffice')}${th('colLastSeen')}${th('colVersion')}${th('colOutbox')}${th('colProblems')}</tr></thead>
<tbody>
${rows || `<tr><td colspan="7">${esc(both('none'))}</td></tr>`}
</tbody></table>
<p><a href="">${esc(both('refresh'))}</a></p></main></body></html>
`;
}

export const route: CentralRoute = {
  name: 'fleet',
  register(app, ctx) {
    app.post('/v1/fleet/heartbeat', async (req): Promise<HeartbeatResponse> => {
      const device = deviceOf(req);
      const body = parse(HeartbeatRequest, req.body);
      const now = ctx.now();
      ctx.metrics.outboxPending.observe(body.outbox.pending);
      if (body.outbox.oldestPendingS !== undefined) ctx.metrics.outboxLag.observe(body.outbox.oldestPendingS);
      return ctx.store.tx(async (q) => {
        await q.run(
          'INSERT INTO fleet_heartbeats (device_id, received_at, body_json) VALUES (?, ?, ?) ON CONFLICT (device_id) DO UPDATE SET received_at = excluded.received_at, body_json = excluded.body_json',
          [device.id, now.toISOString(), JSON.stringify(body)],
        );
        await q.run('UPDATE devices SET version = ?, last_seen_at = ? WHERE id = ?', [
          body.version,
          now.toISOString(),
          device.id,
        ]);
        const cfg = await q.get<{ revision: number; values_json: string }>(
          'SELECT revision, values_json FROM fleet_config WHERE device_id = ?',
          [device.id],
        );
        const config =
          cfg && Number(cfg.revision) > body.configRevision
            ? { revision: Number(cfg.revision), values: JSON.parse(cfg.values_json) as Record<string, unknown> }
            : null;
        return { ok: true as const, serverTime: now.toISOString(), config };
      });
    });

    // Read-only views for the office's managers and admins (a province technician gets such an
    // account): kiosk names and health, no personal data. Each sees only their own office
    // (the officer rule in server.node.ts refuses any other `?office=`).
    app.get('/v1/fleet', { config: FLEET }, async (req) => {
      const now = ctx.now();
      return FleetResponse.parse({
        generatedAt: now.toISOString(),
        kiosks: await listFleet(ctx.store, now, officerOf(req).officer.officeId),
      });
    });

    // In a browser without a session this redirects to the counter app's sign-in and back.
    app.get(
      '/fleet',
      { config: { officer: { ...FLEET.officer, page: '/fleet' } } },
      async (req, reply: FastifyReply) => {
        const now = ctx.now();
        const kiosks = await listFleet(ctx.store, now, officerOf(req).officer.officeId);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .send(renderFleetPage(kiosks, now));
      },
    );
  },
};
