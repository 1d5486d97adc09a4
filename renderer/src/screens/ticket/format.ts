import type { TicketEstimate } from '../../../../contract/domains/tickets.ts';
import type { MessageKey } from '../../../i18n/index.ts';

/** Office time is UTC+7 all year (no daylight saving): shown the same on every kiosk. */
const OFFSET_MS = 7 * 3_600_000;
const two = (n: number) => String(n).padStart(2, '0');

/** `13:30`, or `07:00 01/12` when it is not today (office time). */
export function formatOpensAt(iso: string, now = new Date()): string {
  const at = new Date(Date.parse(iso) + OFFSET_MS);
  const today = new Date(now.getTime() + OFFSET_MS);
  const time = `${two(at.getUTCHours())}:${two(at.getUTCMinutes())}`;
  return at.toISOString().slice(0, 10) === today.toISOString().slice(0, 10) ? time : `${time} ${two(at.getUTCDate())}/${two(at.getUTCMonth() + 1)}`;
}

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The honest wait: a range, or "not known" — never a made-up number. */
export function waitLabel(t: T, e: Pick<TicketEstimate, 'wait' | 'online'>): string {
  if (!e.wait) return e.online ? t('tickets.unknown') : t('tickets.unknownOffline');
  if (e.wait.minMinutes === 0 && e.wait.maxMinutes <= 1) return t('tickets.waitUnderOne');
  return t('tickets.waitRange', { min: e.wait.minMinutes, max: e.wait.maxMinutes });
}

export function aheadLabel(t: T, e: Pick<TicketEstimate, 'ahead' | 'online'>): string {
  if (e.ahead === null) return e.online ? t('tickets.unknown') : t('tickets.unknownOffline');
  return String(e.ahead);
}
