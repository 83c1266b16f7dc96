/**
 * The four Chinese public warning levels, lowest first (blue IV … red I). A local copy of the
 * contract's constants, so the bundle does not pull in zod; the types keep the two in step.
 */
import type { WarningLevel } from '../../contract/index.ts';

export const LEVEL_NUMERAL = { blue: 'IV', yellow: 'III', orange: 'II', red: 'I' } as const satisfies Record<WarningLevel, string>;

/** Lowest first; the index is the rank. */
export const LEVELS: readonly WarningLevel[] = ['blue', 'yellow', 'orange', 'red'];

/** Most severe first, for displays. */
export const LEVELS_DESCENDING: readonly WarningLevel[] = [...LEVELS].reverse();

/** Higher is more severe: blue 0 … red 3. */
export function levelRank(level: WarningLevel): number {
  return LEVELS.indexOf(level);
}
