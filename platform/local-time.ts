/**
 * Days and months in the communities' local time: China Standard Time (Asia/Shanghai), UTC+8 all year
 * with no daylight saving since 1991, so no time-zone database is needed.
 */
const OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

export interface Interval {
  from: number;
  to: number;
}

/** `ts` as a UTC Date whose UTC fields read the local wall clock. */
const wallClock = (ts: number) => new Date(ts + OFFSET_MS);

/** The local date of `ts`, `YYYY-MM-DD`. */
export function localDate(ts: number): string {
  return wallClock(ts).toISOString().slice(0, 10);
}

/** The local date and time of `ts`, `YYYY-MM-DD HH:MM:SS`. */
export function localDateTime(ts: number): string {
  return wallClock(ts).toISOString().slice(0, 19).replace('T', ' ');
}

/** The local year of `ts`. */
export function localYear(ts: number): number {
  return wallClock(ts).getUTCFullYear();
}

/** The ISO weekday (Monday 1 … Sunday 7) of `ts`, locally. */
export function localWeekday(ts: number): number {
  const day = wallClock(ts).getUTCDay();
  return day === 0 ? 7 : day;
}

/** The local weekday (Monday 1 … Sunday 7) and minutes since local midnight of `ts` (rule schedules, duty shifts). */
export function localTime(ts: number): { weekday: number; minutes: number } {
  return { weekday: localWeekday(ts), minutes: Math.floor((ts - localDayStart(ts)) / 60_000) };
}

/** Midnight (local) of the day `ts` falls in, as epoch ms. */
export function localDayStart(ts: number): number {
  return Math.floor((ts + OFFSET_MS) / DAY_MS) * DAY_MS - OFFSET_MS;
}

/** `YYYY-MM-DD` → the local day [midnight, next midnight). */
export function localDay(date: string): Interval {
  const from = Date.parse(`${date}T00:00:00Z`) - OFFSET_MS;
  return { from, to: from + DAY_MS };
}

/** `YYYY-MM` of the local month containing `ts`. */
export function monthOf(ts: number): string {
  return wallClock(ts).toISOString().slice(0, 7);
}

/** The instant the local month starts (00:00 on the 1st, UTC+8). */
export function monthStart(month: string): number {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return Date.UTC(year, mon - 1, 1) - OFFSET_MS;
}

export function addMonths(month: string, n: number): string {
  const [year, mon] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, mon - 1 + n, 1)).toISOString().slice(0, 7);
}

/** [start, end) of a local month. */
export function monthRange(month: string): Interval {
  return { from: monthStart(month), to: monthStart(addMonths(month, 1)) };
}
