import type { OfficeConfig } from '../../protocol/office.ts';
import { dayStartUtc } from '../../protocol/reports.ts';
import { localDay } from '../../protocol/tickets.ts';
import { getOfficeConfig } from '../admin.node.ts';
import type { CentralStore } from '../store/store.node.ts';
import { seededRandom } from './rng.ts';

/**
 * Past days of a demo office's work (`npm start`), so that the manager reports open on figures:
 * for each working day (Monday–Friday) of the last `days` days before today that has no ticket
 * yet, 30–70 tickets over the office's hours with their calls (by the demo officers), served /
 * no-show / a few transfers, ratings for about half, a few kiosk dossiers with results and
 * VietQR payments. Deterministic per day (seeded by the date); idempotent.
 */
export async function seedReportHistory(
  store: CentralStore,
  officeId: string,
  { days = 21, now = new Date() }: { days?: number; now?: Date } = {},
): Promise<number> {
  const found = await getOfficeConfig(store, officeId);
  if (!found) return 0;
  const office: OfficeConfig = found.config;
  const services = office.areas.flatMap((a) => a.services);
  const officers = await store.all<{ id: string }>(
    "SELECT id FROM officers WHERE office_id = ? AND roles LIKE '%counter%' ORDER BY username",
    [officeId],
  );
  const device = await store.get<{ id: string }>(
    'SELECT id FROM devices WHERE office_id = ? ORDER BY enrolled_at LIMIT 1',
    [officeId],
  );
  const deviceId = device?.id ?? 'demo-kiosk';
  const today = localDay(now);
  let seeded = 0;
  for (let back = days; back >= 1; back--) {
    const day = localDay(new Date(now.getTime() - back * 86_400_000));
    if (day >= today) continue;
    const weekday = new Date(`${day}T00:00:00.000Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const held = await store.get('SELECT 1 AS x FROM tickets WHERE office_id = ? AND day = ? LIMIT 1', [officeId, day]);
    if (held) continue;
    // Seeded by the date and the office: each office has its own day, the same on every start.
    const random = seededRandom(
      Number(day.replaceAll('-', '')) ^ [...officeId].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7),
    );
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const dayStart = Date.parse(dayStartUtc(day));
    const iso = (ms: number) => new Date(ms).toISOString();
    const n = 30 + Math.floor(random() * 41);
    await store.tx(async (q) => {
      const numbers = new Map<string, number>();
      const calls = await q.get<{ value: number }>('SELECT value FROM counters WHERE name = ?', [`calls:${officeId}`]);
      // Past calls get negative sequence numbers: the display's live order (positive) is untouched.
      let seq = -1_000_000 * (back + 1) - Number(calls?.value ?? 0);
      for (let i = 0; i < n; i++) {
        const service = pick(services);
        const k = (numbers.get(service.prefix) ?? 0) + 1;
        numbers.set(service.prefix, k);
        // Mornings are busier: 07:30–11:00 takes two thirds, 13:30–16:30 the rest.
        const minute = random() < 0.66 ? 450 + random() * 210 : 810 + random() * 180;
        const issued = dayStart + Math.floor(minute * 60) * 1000;
        const group = random() < 0.15 ? pick(office.priorityGroups) : null;
        const source = random() < 0.8 ? 'kiosk' : 'officer';
        const counterId = service.counterIds[0] ?? office.counters[0]!.id;
        const officer = officers.length ? pick(officers).id : null;
        const called = issued + Math.floor((2 + random() * 35) * 60) * 1000;
        const roll = random();
        const status = roll < 0.08 ? 'skipped' : 'served';
        const served = called + Math.floor((3 + random() * 15) * 60) * 1000;
        const id = `hist-${officeId}-${day}-${i}`;
        await q.run(
          `INSERT INTO tickets (id, office_id, day, service_id, area_id, number, priority_group_id, weight, source, origin, device_id,
             issued_at, received_at, status, counter_id, called_at, served_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'central', ?, ?, ?, ?, ?, ?, ?)`,
          [
            id,
            officeId,
            day,
            service.id,
            office.areas.find((a) => a.services.includes(service))!.id,
            `${service.prefix}${String(k).padStart(3, '0')}`,
            group?.id ?? null,
            group?.weight ?? 0,
            source,
            source === 'kiosk' ? deviceId : null,
            iso(issued),
            iso(issued),
            status,
            counterId,
            iso(called),
            iso(served),
          ],
        );
        const call = (at: number, counter: string) =>
          q.run(
            'INSERT INTO ticket_calls (id, seq, office_id, ticket_id, number, counter_id, service_id, kind, officer_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [
              `${id}-c${seq}`,
              seq++,
              officeId,
              id,
              `${service.prefix}${String(k).padStart(3, '0')}`,
              counter,
              service.id,
              'call',
              officer,
              iso(at),
            ],
          );
        // One in twenty was first called at another counter and transferred.
        if (roll > 0.95 && office.counters.length > 1)
          await call(called - 5 * 60_000, office.counters.find((c) => c.id !== counterId)?.id ?? counterId);
        await call(called, counterId);
        if (random() < 0.5) {
          const r = random();
          await q.run(
            `INSERT INTO ratings (id, office_id, device_id, kiosk_id, overall, criteria_json, reasons_json, comment, dossier_code, ticket_id, context, created_at, received_at)
             VALUES (?, ?, ?, 'demo', ?, '{}', '[]', NULL, NULL, ?, 'ticket', ?, ?)`,
            [
              `${id}-r`,
              officeId,
              deviceId,
              r < 0.62 ? 'very_satisfied' : r < 0.97 ? 'satisfied' : 'dissatisfied',
              id,
              iso(served + 60_000),
              iso(served + 60_000),
            ],
          );
        }
      }
      // A few dossiers taken at the kiosk, most with a result, one of them late; their fees by VietQR.
      for (let d = 0; d < 3; d++) {
        // A code in the national shape (`<agency>-yyMMdd-NNNN`), numbered 9000+ so it never meets a live one.
        const code = `${office.agencyCode}-${day.replaceAll('-', '').slice(2)}-${9000 + d}`;
        const submitted = dayStart + (9 * 60 + d * 40) * 60_000;
        const appointment = localDay(new Date(submitted + 3 * 86_400_000));
        await q.run(
          `INSERT INTO dossiers (code, office_id, device_id, kiosk_id, provisional_no, item_key, procedure_code, procedure_name, applicant_name,
             applicant_json, fields_json, fee, status, consent_at, submitted_at, received_at, appointment_date, paid_at)
           VALUES (?, ?, ?, 'demo', ?, ?, '1.001', 'Thủ tục mẫu', 'Nguyễn Văn Mẫu', '{}', '{}', 20000, 9, ?, ?, ?, ?, ?)`,
          [
            code,
            officeId,
            deviceId,
            `TAM-${code}`,
            `hist-${code}`,
            iso(submitted),
            iso(submitted),
            iso(submitted),
            appointment,
            iso(submitted + 300_000),
          ],
        );
        if (back > 3 || d === 0)
          await q.run('INSERT INTO dossier_events (dossier_code, status, at, note) VALUES (?, 9, ?, NULL)', [
            code,
            iso(submitted + (d === 2 ? 4 : 2) * 86_400_000),
          ]);
        await q.run(
          `INSERT INTO payments (id, dossier_code, office_id, device_id, amount, purpose, bank_bin, account_number, status, created_at, received_at, confirmed_at, confirmed_by)
           VALUES (?, ?, ?, ?, 20000, 'Lệ phí', '970436', '0000000000', 'confirmed', ?, ?, ?, 'demo')`,
          [`${code}-pay`, code, officeId, deviceId, iso(submitted), iso(submitted), iso(submitted + 300_000)],
        );
      }
    });
    seeded += n;
  }
  return seeded;
}
