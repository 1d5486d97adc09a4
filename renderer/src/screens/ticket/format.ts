import { localDay, localTime, vnDay } from '../../../../protocol/tickets.ts';
import type { TicketEstimate } from '../../../../contract/domains/tickets.ts';
import type { MessageKey } from '../../../i18n/index.ts';

/** `13:30`, or `07:00 01/12` when it is not today (office time, UTC+7: protocol's clock). */
export function formatOpensAt(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const day = localDay(at);
  return day === localDay(now) ? localTime(at) : `${localTime(at)} ${vnDay(day).slice(0, 5)}`;
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
