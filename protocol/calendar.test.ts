import { describe, expect, it } from 'vitest';
import { AdminOfficeConfig, OfficeConfig, type OpeningHours } from './office.ts';
import { openState } from './tickets.ts';

/** Local time (UTC+7) → the instant. */
const at = (day: string, hhmm: string) => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));
const weekdays: OpeningHours = Object.fromEntries(
  ['1', '2', '3', '4', '5'].map((d) => [d, [{ open: '07:30', close: '11:30' }]]),
);

describe('opening hours on the office calendar (closed days, special days)', () => {
  it('a closed day takes no tickets and names itself; the next opening skips every closed day', () => {
    // Tết 2027: Saturday 6 Feb to Sunday 14 Feb closed (Mon 8 … Fri 12 are closed days).
    const closedDays = ['2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12'].map((date) => ({
      date,
      name: 'Tết Nguyên đán',
    }));
    const s = openState(weekdays, at('2027-02-09', '09:00'), { closedDays });
    expect(s).toEqual({
      open: false,
      closedDay: 'Tết Nguyên đán',
      opensAt: at('2027-02-15', '07:30').toISOString(),
      closesAt: null,
    });
    expect(openState(weekdays, at('2027-02-15', '09:00'), { closedDays })).toMatchObject({
      open: true,
      closedDay: null,
    });
  });

  it('a special day has its own hours, for a weekday and a Saturday worked in lieu', () => {
    const specialDays = [
      { date: '2027-01-02', hours: [{ open: '07:30', close: '11:30' }] }, // a Saturday
      { date: '2027-01-04', name: 'Làm nửa ngày', hours: [{ open: '13:30', close: '15:00' }] },
    ];
    expect(openState(weekdays, at('2027-01-02', '08:00'), { specialDays }).open).toBe(true);
    expect(openState(weekdays, at('2027-01-02', '08:00')).open).toBe(false);
    const monday = openState(weekdays, at('2027-01-04', '09:00'), { specialDays });
    expect(monday).toMatchObject({ open: false, opensAt: at('2027-01-04', '13:30').toISOString() });
    expect(openState(weekdays, at('2027-01-04', '14:00'), { specialDays }).open).toBe(true);
  });

  it('an older configuration without a calendar still parses; an administrator’s edit is checked for order and overlaps', () => {
    const base = {
      officeId: 'x-office',
      name: 'UBND',
      address: '',
      province: 'Cà Mau',
      agencyCode: '000.31.12.H12',
      timezone: 'Asia/Ho_Chi_Minh',
      openingHours: weekdays,
      areas: [
        { id: 'a', name: 'A', services: [{ id: 's', name: 'S', prefix: 'A', counterIds: ['q1'], dailyCap: null }] },
      ],
      counters: [{ id: 'q1', name: 'Quầy 1' }],
      priorityGroups: [],
    };
    expect(OfficeConfig.parse(base).closedDays).toBeUndefined();
    expect(AdminOfficeConfig.safeParse(base).success).toBe(true);
    const bad = AdminOfficeConfig.safeParse({
      ...base,
      openingHours: { '1': [{ open: '11:00', close: '08:00' }] },
      closedDays: [
        { date: '2027-01-01', name: 'Tết Dương lịch' },
        { date: '2027-01-01', name: 'again' },
      ],
      specialDays: [{ date: '2027-02-30', hours: [] }],
    });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i) => i.message).join(' | ');
    expect(messages).toContain('opening must be before closing');
    expect(messages).toContain('date 2027-01-01 appears twice');
    expect(bad.error!.issues.some((i) => i.path.join('.') === 'specialDays.0.date')).toBe(true);
  });
});
