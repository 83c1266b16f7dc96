/** Countdowns to an incident's deadline (acknowledge, or arrive on site): time left, or how late it is. */

export interface Countdown {
  /** Milliseconds left; negative once overdue. */
  remainingMs: number;
  overdue: boolean;
  /** Within the last minute. */
  soon: boolean;
  /** The absolute time left or late as a clock, "4:05" or "1:02:03". */
  clock: string;
}

export const SOON_MS = 60_000;

export function clockText(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export function countdown(at: string, now: number): Countdown {
  const remainingMs = Date.parse(at) - now;
  // A deadline reached this very second counts as overdue: nothing is left to wait for.
  const overdue = remainingMs <= 0;
  return { remainingMs, overdue, soon: !overdue && remainingMs <= SOON_MS, clock: clockText(overdue ? remainingMs : remainingMs + 999) };
}
