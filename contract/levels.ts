import { z } from 'zod';

/** The Chinese public warning scale, lowest first: blue IV, yellow III, orange II, red I. */
export const WARNING_LEVELS = ['blue', 'yellow', 'orange', 'red'] as const;
export const WarningLevel = z.enum(WARNING_LEVELS);
export type WarningLevel = z.infer<typeof WarningLevel>;

export const LEVEL_NUMERAL: Record<WarningLevel, 'IV' | 'III' | 'II' | 'I'> = {
  blue: 'IV',
  yellow: 'III',
  orange: 'II',
  red: 'I',
};

/** Higher is more severe: blue 0 … red 3. */
export function levelRank(level: WarningLevel): number {
  return WARNING_LEVELS.indexOf(level);
}

export function maxLevel(a: WarningLevel, b: WarningLevel): WarningLevel {
  return levelRank(a) >= levelRank(b) ? a : b;
}
