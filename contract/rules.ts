import { z } from 'zod';
import { WarningLevel } from './levels.ts';
import { LocalizedText } from './text.ts';

/** An event of the given name raises the alert; `clearEvent` marks its condition as cleared. */
export const EventCondition = z.strictObject({
  type: z.literal('event'),
  event: z.string().min(1),
  level: WarningLevel,
  clearEvent: z.string().min(1).optional(),
});

/**
 * A metric beyond a ladder of thresholds. The alert takes the level of the highest step reached and
 * keeps one alert per (rule, device) while it climbs. `forS` asks the value to stay beyond the first
 * step that long before raising; `hysteresis` is how far back the value must come to clear.
 */
export const ThresholdCondition = z.strictObject({
  type: z.literal('threshold'),
  metric: z.string().min(1),
  direction: z.enum(['above', 'below']),
  steps: z
    .array(z.strictObject({ level: WarningLevel, value: z.number() }))
    .min(1)
    .max(4),
  forS: z.number().nonnegative().max(86_400).default(0),
  hysteresis: z.number().nonnegative().default(0),
});

/** No message at all for `intervals` × the kind's expected reporting interval. */
export const SilenceCondition = z.strictObject({
  type: z.literal('silence'),
  intervals: z.number().positive().max(1000),
  level: WarningLevel,
});

export const RuleCondition = z.discriminatedUnion('type', [EventCondition, ThresholdCondition, SilenceCondition]);
export type RuleCondition = z.infer<typeof RuleCondition>;
export type ThresholdCondition = z.infer<typeof ThresholdCondition>;

export const RuleDefinition = z.strictObject({
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, "_", "." and "-" only'),
  name: LocalizedText,
  condition: RuleCondition,
});
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleDefinitionInput = z.input<typeof RuleDefinition>;
