/** Retry delays after a failed attempt: 5 s, 15 s, 45 s, … capped at 10 min. */
const FIRST_DELAY_MS = 5_000;
const FACTOR = 3;
const MAX_DELAY_MS = 10 * 60_000;

export function retryDelayMs(failedAttempts: number): number {
  return Math.min(FIRST_DELAY_MS * FACTOR ** Math.max(0, failedAttempts - 1), MAX_DELAY_MS);
}
