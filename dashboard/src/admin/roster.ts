/** Weekly duty rosters: weekday names in the current language, order, overnight shifts and simple checks. */
import type { Shift } from '../../../contract/index.ts';
import type { FieldIssue } from './field-errors.ts';

export const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The name of an ISO weekday (1 = Monday) through Intl, e.g. "周一" / "Monday". */
export function weekdayName(weekday: number, locale: string, width: 'long' | 'short' = 'long'): string {
  // 2024-01-01 was a Monday.
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(new Date(Date.UTC(2024, 0, weekday)));
}

export function sortShifts(shifts: readonly Shift[]): Shift[] {
  return [...shifts].sort((a, b) => a.weekday - b.weekday || a.starts.localeCompare(b.starts));
}

/** A shift that ends at or before it starts runs over midnight. */
export function overnight(shift: Shift): boolean {
  return shift.ends <= shift.starts;
}

/** What the API would refuse, found before sending, with the same paths (`roster.1.ends`). */
export function rosterIssues(shifts: readonly Shift[], messages: { time: string; same: string }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  shifts.forEach((s, i) => {
    if (!HHMM.test(s.starts)) issues.push({ path: `roster.${i}.starts`, message: messages.time });
    if (!HHMM.test(s.ends)) issues.push({ path: `roster.${i}.ends`, message: messages.time });
    else if (s.starts === s.ends) issues.push({ path: `roster.${i}.ends`, message: messages.same });
  });
  return issues;
}
