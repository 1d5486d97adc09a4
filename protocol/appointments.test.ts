import { describe, expect, it } from 'vitest';
import {
  appointmentCodeOfScan,
  bookableDays,
  BookingCode,
  BookingIdentity,
  openSlots,
  slotsOn,
} from './appointments.ts';
import { AdminOfficeConfig, type OfficeConfig } from './office.ts';

/** Local time (UTC+7) → the instant. */
const at = (day: string, hhmm: string) => new Date(Date.parse(`${day}T${hhmm}:00.000+07:00`));

const office: OfficeConfig = {
  officeId: 'x-office',
  name: 'O',
  address: '',
  province: 'Cà Mau',
  agencyCode: '000.00.12.H12',
  timezone: 'Asia/Ho_Chi_Minh',
  openingHours: {
    '1': [
      { open: '07:00', close: '08:00' },
      { open: '13:30', close: '14:45' },
    ],
    '2': [{ open: '07:00', close: '08:00' }],
  },
  areas: [{ id: 'a', name: 'A', services: [{ id: 's', name: 'S', prefix: 'A', counterIds: ['q1'], dailyCap: null }] }],
  counters: [{ id: 'q1', name: 'Quầy 1' }],
  priorityGroups: [],
  closedDays: [{ date: '2026-12-08', name: 'Nghỉ bù' }],
  appointments: {
    enabled: true,
    services: [{ serviceId: 's', slotMinutes: 30, capacity: 2 }],
    bookDaysAhead: 9,
    earlyMinutes: 30,
    lateMinutes: 15,
    weight: 50,
    maxNoShows: 2,
    noShowDays: 30,
  },
};

describe('appointment slots and codes', () => {
  it('slots are whole steps inside the hours of that day, on the office calendar', () => {
    expect(slotsOn(office, 's', '2026-11-30')).toEqual(['07:00', '07:30', '13:30', '14:00']); // Monday; 14:30 would end past 14:45
    expect(slotsOn(office, 's', '2026-12-01')).toEqual(['07:00', '07:30']); // Tuesday
    expect(slotsOn(office, 's', '2026-12-02')).toEqual([]); // Wednesday: closed
    expect(slotsOn(office, 's', '2026-12-08')).toEqual([]); // a closed day (a Tuesday)
    expect(
      slotsOn({ ...office, appointments: { ...office.appointments!, enabled: false } }, 's', '2026-11-30'),
    ).toEqual([]);
    expect(openSlots(office, 's', '2026-11-30', at('2026-11-30', '07:10'))).toEqual(['07:30', '13:30', '14:00']);
    expect(bookableDays(office, 's', at('2026-11-30', '15:00'))).toEqual(['2026-12-01', '2026-12-07']);
  });

  it('codes are normalised and recognised in a scanned booking address', () => {
    expect(BookingCode.parse('ab2c-de3f')).toBe('AB2CDE3F');
    expect(BookingCode.safeParse('AB0CDE1F').success).toBe(false);
    expect(appointmentCodeOfScan('http://127.0.0.1:8620/a/AB2CDE3F')).toBe('AB2CDE3F');
    expect(appointmentCodeOfScan('https://motcua.camau.gov.vn/dat-lich/a/AB2CDE3F\r\n')).toBe('AB2CDE3F');
    expect(appointmentCodeOfScan('https://example.vn/t/AB2CDE3F')).toBeNull();
    expect(appointmentCodeOfScan('https://example.vn/a/AB2CDE3F?x=1')).toBeNull();
  });

  it('identifies by a Vietnamese mobile or a 12-digit CCCD number, and the admin schema checks the services', () => {
    expect(BookingIdentity.parse({ idKind: 'phone', idNumber: '+84 912 345 678' })).toEqual({
      idKind: 'phone',
      idNumber: '84912345678',
    });
    expect(BookingIdentity.safeParse({ idKind: 'phone', idNumber: '0212345678' }).success).toBe(false);
    expect(BookingIdentity.safeParse({ idKind: 'cccd', idNumber: '07920300123' }).success).toBe(false);
    expect(AdminOfficeConfig.safeParse(office).success).toBe(true);
    const bad = AdminOfficeConfig.safeParse({
      ...office,
      appointments: { ...office.appointments!, services: [{ serviceId: 'nope', slotMinutes: 30, capacity: 2 }] },
    });
    expect(bad.error?.issues.map((i) => i.message)).toContain('no service nope');
  });
});
