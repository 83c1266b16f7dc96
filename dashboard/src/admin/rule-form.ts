/**
 * A rule as its editor holds it (strings for numbers, a switch for the optional parts) and the
 * `PUT /rules/{id}` body built from it. Numbers are not checked here: an empty or unreadable one is sent
 * as null, and the API answers for that very field ("condition.steps.1.value").
 */
import type { RuleCondition, RuleUpdate, StoredRule, WarningLevel } from '../../../contract/index.ts';

export const CONDITION_TYPES = ['event', 'threshold', 'rate', 'silence', 'absence'] as const satisfies readonly RuleCondition['type'][];
export type ConditionType = (typeof CONDITION_TYPES)[number];
export const RULE_CATEGORIES = ['fire', 'gas', 'flood', 'electrical', 'medical', 'security', 'device', 'service'] as const satisfies readonly StoredRule['category'][];
export type RuleCategory = (typeof RULE_CATEGORIES)[number];
export const MAX_STEPS = 4;

export interface StepDraft {
  level: WarningLevel;
  value: string;
}

export interface RuleForm {
  nameZh: string;
  nameEn: string;
  category: RuleCategory;
  enabled: boolean;
  optIn: boolean;
  type: ConditionType;
  level: WarningLevel;
  /** event, absence (optional there) */
  event: string;
  /** event (optional) */
  clearEvent: string;
  /** threshold, rate */
  metric: string;
  thresholdDirection: 'above' | 'below';
  steps: StepDraft[];
  forS: string;
  hysteresis: string;
  rateDirection: 'rise' | 'fall';
  perMinute: string;
  windowS: string;
  intervals: string;
  periodS: string;
  debounceOn: boolean;
  debounceCount: string;
  debounceWindowS: string;
  scheduleOn: boolean;
  days: number[];
  from: string;
  to: string;
}

const text = (n: number | undefined) => (n === undefined ? '' : String(n));

/**
 * An empty or unreadable number becomes NaN, which JSON sends as null: the API names the field.
 * (`v-model` on a number input hands over a number once something is typed, a string while empty.)
 */
export function num(value: string | number): number {
  const text = String(value).trim();
  return text === '' ? Number.NaN : Number(text);
}

export function ruleToForm(rule: StoredRule): RuleForm {
  const c = rule.condition;
  const form: RuleForm = {
    nameZh: rule.name['zh-CN'],
    nameEn: rule.name.en,
    category: rule.category,
    enabled: rule.enabled,
    optIn: rule.optIn,
    type: c.type,
    level: c.type === 'threshold' ? (c.steps[0]?.level ?? 'yellow') : c.level,
    event: '',
    clearEvent: '',
    metric: '',
    thresholdDirection: 'above',
    steps: [{ level: 'yellow', value: '' }],
    forS: '0',
    hysteresis: '0',
    rateDirection: 'rise',
    perMinute: '',
    windowS: '60',
    intervals: '3',
    periodS: '',
    debounceOn: rule.debounce !== undefined,
    debounceCount: text(rule.debounce?.count) || '2',
    debounceWindowS: text(rule.debounce?.windowS) || '60',
    scheduleOn: rule.schedule !== undefined,
    days: rule.schedule ? [...rule.schedule.days] : [1, 2, 3, 4, 5, 6, 7],
    from: rule.schedule?.from ?? '08:00',
    to: rule.schedule?.to ?? '18:00',
  };
  switch (c.type) {
    case 'event':
      return { ...form, event: c.event, clearEvent: c.clearEvent ?? '' };
    case 'threshold':
      return { ...form, metric: c.metric, thresholdDirection: c.direction, steps: c.steps.map((s) => ({ level: s.level, value: String(s.value) })), forS: text(c.forS), hysteresis: text(c.hysteresis) };
    case 'rate':
      return { ...form, metric: c.metric, rateDirection: c.direction, perMinute: text(c.perMinute), windowS: text(c.windowS) };
    case 'silence':
      return { ...form, intervals: text(c.intervals) };
    case 'absence':
      return { ...form, event: c.event ?? '', periodS: text(c.periodS) };
  }
}

export function formCondition(form: RuleForm): RuleCondition {
  switch (form.type) {
    case 'event':
      return { type: 'event', event: form.event, level: form.level, ...(form.clearEvent ? { clearEvent: form.clearEvent } : {}) };
    case 'threshold':
      return {
        type: 'threshold',
        metric: form.metric,
        direction: form.thresholdDirection,
        steps: form.steps.map((s) => ({ level: s.level, value: num(s.value) })),
        forS: num(form.forS),
        hysteresis: num(form.hysteresis),
      };
    case 'rate':
      return { type: 'rate', metric: form.metric, direction: form.rateDirection, perMinute: num(form.perMinute), windowS: num(form.windowS), level: form.level };
    case 'silence':
      return { type: 'silence', intervals: num(form.intervals), level: form.level };
    case 'absence':
      return { type: 'absence', periodS: num(form.periodS), level: form.level, ...(form.event ? { event: form.event } : {}) };
  }
}

/** The whole rule as `PUT /rules/{id}` takes it; switched-off debounce and schedule are removed (null). */
export function formToUpdate(form: RuleForm): RuleUpdate {
  return {
    name: { 'zh-CN': form.nameZh.trim(), en: form.nameEn.trim() },
    category: form.category,
    enabled: form.enabled,
    optIn: form.optIn,
    condition: formCondition(form),
    debounce: form.debounceOn ? { count: num(form.debounceCount), windowS: num(form.debounceWindowS) } : null,
    schedule: form.scheduleOn ? { days: [...form.days].sort((a, b) => a - b), from: form.from, to: form.to } : null,
  };
}

/** The levels a rule can raise, lowest first (a threshold's steps, or its one level). */
export function ruleLevels(rule: Pick<StoredRule, 'condition'>): WarningLevel[] {
  const c = rule.condition;
  return c.type === 'threshold' ? c.steps.map((s) => s.level) : [c.level];
}
