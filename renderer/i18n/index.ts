import { common as enCommon } from './en/common.ts';
import { common as viCommon } from './vi/common.ts';
import { submit as enSubmit } from './en/submit.ts';
import { submit as viSubmit } from './vi/submit.ts';
import { payment as enPayment } from './en/payment.ts';
import { payment as viPayment } from './vi/payment.ts';
import { rating as enRating } from './en/rating.ts';
import { rating as viRating } from './vi/rating.ts';
import { tickets as enTickets } from './en/tickets.ts';
import { tickets as viTickets } from './vi/tickets.ts';
import { a11y as enA11y } from './en/a11y.ts';
import { a11y as viA11y } from './vi/a11y.ts';
import { lookup as enLookup } from './en/lookup.ts';
import { lookup as viLookup } from './vi/lookup.ts';
import { scan as enScan } from './en/scan.ts';
import { scan as viScan } from './vi/scan.ts';
import { tech as enTech } from './en/tech.ts';
import { tech as viTech } from './vi/tech.ts';
import { counter as enCounter } from './en/counter.ts';
import { counter as viCounter } from './vi/counter.ts';
import { chip as enChip } from './en/chip.ts';
import { chip as viChip } from './vi/chip.ts';
import { reports as enReports } from './en/reports.ts';
import { reports as viReports } from './vi/reports.ts';
import { admin as enAdmin } from './en/admin.ts';
import { admin as viAdmin } from './vi/admin.ts';

/**
 * The catalogs, one file per domain and language; join yours here. `en` must have every key
 * of `vi` (each domain file is typed against its Vietnamese twin).
 */
export const vi = {
  ...viCommon,
  ...viSubmit,
  ...viPayment,
  ...viRating,
  ...viTickets,
  ...viA11y,
  ...viLookup,
  ...viScan,
  ...viTech,
  ...viCounter,
  ...viChip,
  ...viReports,
  ...viAdmin,
} as const;

export const en: Record<MessageKey, string> = {
  ...enCommon,
  ...enSubmit,
  ...enPayment,
  ...enRating,
  ...enTickets,
  ...enA11y,
  ...enLookup,
  ...enScan,
  ...enTech,
  ...enCounter,
  ...enChip,
  ...enReports,
  ...enAdmin,
};

export type MessageKey = keyof typeof vi;
export const catalogs = { vi, en } as const;
export type Lang = keyof typeof catalogs;

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const template: string = catalogs[lang][key] ?? vi[key] ?? key;
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const isMessageKey = (key: string): key is MessageKey => Object.hasOwn(vi, key);
