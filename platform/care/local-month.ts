/** Calendar months in the communities' local time (China Standard Time, UTC+8, no daylight saving). */
const OFFSET_MS = 8 * 3600_000;

/** `YYYY-MM` of the local month containing `ts`. */
export function monthOf(ts: number): string {
  return new Date(ts + OFFSET_MS).toISOString().slice(0, 7);
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
export function monthRange(month: string): { from: number; to: number } {
  return { from: monthStart(month), to: monthStart(addMonths(month, 1)) };
}
