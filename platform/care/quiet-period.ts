/**
 * How long a household may be quiet before someone should check on the resident. With at least a week of
 * activity history, the period is learned from the household's own pattern — its longest quiet spell in
 * the last two weeks (a night's sleep, a long nap), with half again as margin — kept between 8 and 48
 * hours; an administrator's override wins; otherwise 24 hours.
 */
export const DEFAULT_QUIET_S = 24 * 3600;
export const LEARN_WINDOW_MS = 14 * 86_400_000;
const MIN_HISTORY_MS = 7 * 86_400_000;
const MIN_S = 8 * 3600;
const MAX_S = 48 * 3600;

export interface QuietFacts {
  overrideS: number | null;
  /** The earliest active hour within the learning window, if any. */
  firstActivity: number | null;
  /** The longest gap between consecutive active hours within the window. */
  longestGapMs: number | null;
  now: number;
}

export function quietPeriod(facts: QuietFacts): { periodS: number; source: 'override' | 'learned' | 'default' } {
  if (facts.overrideS !== null) return { periodS: facts.overrideS, source: 'override' };
  if (facts.firstActivity !== null && facts.longestGapMs !== null && facts.now - facts.firstActivity >= MIN_HISTORY_MS) {
    const learned = Math.ceil((facts.longestGapMs * 1.5) / 3_600_000) * 3600;
    return { periodS: Math.min(MAX_S, Math.max(MIN_S, learned)), source: 'learned' };
  }
  return { periodS: DEFAULT_QUIET_S, source: 'default' };
}
