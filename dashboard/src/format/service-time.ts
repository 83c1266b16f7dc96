import { dateTimeFormat } from './intl.ts';

/**
 * The communities' own calendar: visits are counted per local month and kiosk availability per local
 * day, both in Asia/Shanghai (UTC+8 all year), wherever the browser is. A copy of the contract's
 * constant, so that the bundle does not pull in zod.
 */
export const SERVICE_TIME_ZONE = 'Asia/Shanghai';
const DAY_MS = 86_400_000;

/** The local day (YYYY-MM-DD) an instant falls on in the communities' time zone. */
export function serviceDate(ms: number): string {
  const parts = dateTimeFormat('en-CA', { timeZone: SERVICE_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Yesterday, local: the kiosks' default day. */
export function serviceYesterday(now: number): string {
  return serviceDate(now - DAY_MS);
}

/** The local month (YYYY-MM) of an instant. */
export function serviceMonth(now: number): string {
  return serviceDate(now).slice(0, 7);
}

/** "2026年11月" / "November 2026" for a YYYY-MM value. */
export function formatMonth(month: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: 'UTC', year: 'numeric', month: 'long' }).format(new Date(`${month}-01T00:00:00Z`));
}

/** "2026年11月28日星期六" / "Saturday, November 28, 2026" for a YYYY-MM-DD value. */
export function formatDay(day: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: 'UTC', dateStyle: 'full' }).format(new Date(`${day}T00:00:00Z`));
}

/** The time of day of an instant in the communities' time zone, "10:12". */
export function formatServiceTime(iso: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: SERVICE_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));
}

/** A local date of an instant in the communities' time zone, "2026/11/28" / "Nov 28, 2026". */
export function formatServiceDate(iso: string, locale: string): string {
  return dateTimeFormat(locale, { timeZone: SERVICE_TIME_ZONE, dateStyle: 'medium' }).format(new Date(iso));
}
