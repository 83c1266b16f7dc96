/** Short local times through Intl: "08:05" today, "1月2日 08:05" on another day; and full dates for forms. */
import { dateTimeFormat } from './intl.ts';

function sameLocalDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** The time of day, with the date in front when it is not today (relative to `now`, epoch ms). */
export function formatClock(iso: string, locale: string, now: number): string {
  const date = new Date(iso);
  const time = { hour: '2-digit', minute: '2-digit', hour12: false } as const;
  if (sameLocalDay(date, new Date(now))) return dateTimeFormat(locale, time).format(date);
  return dateTimeFormat(locale, { month: 'short', day: 'numeric', ...time }).format(date);
}

/** A date and time for tables: "2025/1/1 08:05" or "Jan 1, 2025, 08:05". */
export function formatDateTimeShort(iso: string, locale: string): string {
  return dateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', hour12: false }).format(new Date(iso));
}

/** The value of an `<input type="datetime-local">` for an instant, in local time. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An instant (ISO 8601, UTC) from an `<input type="datetime-local">` value; null when empty or unreadable. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = new Date(value).getTime();
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
