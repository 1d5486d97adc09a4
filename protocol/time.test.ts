import { describe, expect, it } from 'vitest';
import { renderFleetPage } from '../central/routes/fleet.node.ts';
import { localDateTime, localDay, localTime } from './tickets.ts';

describe('times shown to people', () => {
  it('are office time (UTC+7) in the Vietnamese order, also across midnight', () => {
    const at = new Date('2026-12-03T17:30:05Z');
    expect(localDay(at)).toBe('2026-12-04');
    expect(localTime(at)).toBe('00:30');
    expect(localTime(at, true)).toBe('00:30:05');
    expect(localDateTime(at)).toBe('00:30 04/12/2026');
    expect(localDateTime(at, true)).toBe('00:30:05 04/12/2026');
  });

  it('head the fleet page in office time, not UTC ISO', () => {
    const html = renderFleetPage([], new Date('2026-12-03T02:15:00Z'));
    expect(html).toContain('09:15 03/12/2026');
    expect(html).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });
});
