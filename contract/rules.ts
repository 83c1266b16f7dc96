import { z } from 'zod';
import { WarningLevel } from './levels.ts';
import { LocalizedText } from './text.ts';

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM');
const Seconds = (max: number) => z.number().int('whole seconds').positive('must be more than 0').max(max, `at most ${max} s`);

/**
 * An event of the given name raises the alert; `clearEvent` marks its condition as cleared. With
 * `cancelWithinS`, a `clearEvent` that soon after the raise cancels the alert: it is resolved as a false
 * alarm and those already paged are told (an elderly person pressing "cancel" after a mistaken SOS).
 */
export const EventCondition = z.strictObject({
  type: z.literal('event'),
  event: z.string().min(1),
  level: WarningLevel,
  clearEvent: z.string().min(1).optional(),
  cancelWithinS: Seconds(600).optional(),
});

/**
 * A metric beyond a ladder of thresholds. The alert takes the level of the highest step reached and
 * keeps one alert per (rule, device) while it climbs. "above" means value ≥ step; "below" means
 * value < step. `forS` asks the value to stay beyond the first step that long before raising;
 * `hysteresis` is how far back the value must come to clear.
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

/** A metric changing at least this fast (per minute) over the window, e.g. a temperature rising 8 °C/min. */
export const RateCondition = z.strictObject({
  type: z.literal('rate'),
  metric: z.string().min(1),
  direction: z.enum(['rise', 'fall']),
  perMinute: z.number().positive(),
  windowS: Seconds(3600).default(60),
  level: WarningLevel,
});

/** No message at all for `intervals` × the kind's expected reporting interval. */
export const SilenceCondition = z.strictObject({
  type: z.literal('silence'),
  intervals: z.number().positive().max(1000),
  level: WarningLevel,
});

/**
 * No event of a type (or no message, without `event`) for a period, e.g. no `open` from the door of an
 * elderly person living alone for 24 h. The period can be set per device (`ruleParams.{rule}.periodS`).
 */
export const AbsenceCondition = z.strictObject({
  type: z.literal('absence'),
  event: z.string().min(1).optional(),
  periodS: Seconds(30 * 86_400),
  level: WarningLevel,
});

export const RuleCondition = z.discriminatedUnion('type', [EventCondition, ThresholdCondition, RateCondition, SilenceCondition, AbsenceCondition]);
export type RuleCondition = z.infer<typeof RuleCondition>;
export type ThresholdCondition = z.infer<typeof ThresholdCondition>;
export type RateCondition = z.infer<typeof RateCondition>;
export type AbsenceCondition = z.infer<typeof AbsenceCondition>;

export const RuleCategory = z.enum(['fire', 'gas', 'flood', 'electrical', 'medical', 'security', 'device', 'service']);

/** The days and hours a rule is in force (local time of the community, Asia/Shanghai). */
export const RuleSchedule = z.strictObject({
  days: z.array(z.number().int().min(1).max(7)).min(1).max(7).describe('ISO weekdays, 1 = Monday'),
  from: HHMM,
  to: HHMM,
});
export type RuleSchedule = z.infer<typeof RuleSchedule>;

export const RuleDefinition = z.strictObject({
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, "_", "." and "-" only').max(100),
  name: LocalizedText,
  category: RuleCategory.default('device'),
  condition: RuleCondition,
  /** Raise only after the condition has been met `count` times within `windowS`. */
  debounce: z.strictObject({ count: z.number().int().min(2).max(1000), windowS: Seconds(86_400) }).optional(),
  schedule: RuleSchedule.optional(),
  /** Applies only to devices that opt in through `ruleParams` (e.g. the door of an elderly person living alone). */
  optIn: z.boolean().default(false),
});
export type RuleDefinition = z.infer<typeof RuleDefinition>;
export type RuleDefinitionInput = z.input<typeof RuleDefinition>;

/** A rule as the API shows it: the definition with the device kind it applies to, its version and state. */
export const StoredRule = RuleDefinition.extend({
  kind: z.string(),
  version: z.number().int(),
  enabled: z.boolean(),
  builtin: z.boolean(),
  updatedAt: z.string(),
  updatedBy: z.string().nullable(),
});
export type StoredRule = z.infer<typeof StoredRule>;

export const RuleUpdate = z.strictObject({
  name: LocalizedText.optional(),
  category: RuleCategory.optional(),
  condition: RuleCondition.optional(),
  debounce: RuleDefinition.shape.debounce.nullable().optional(),
  schedule: RuleSchedule.nullable().optional(),
  optIn: z.boolean().optional(),
  enabled: z.boolean().optional(),
});
export type RuleUpdate = z.input<typeof RuleUpdate>;

export const RuleCreate = RuleDefinition.extend({ kind: z.string().min(1) });
export type RuleCreate = z.input<typeof RuleCreate>;
