/**
 * Small builders that device-kind definitions are composed from (the zigbee-herdsman-converters way):
 * a kind is data, and the core never switches on its name.
 */
import { z } from 'zod';
import type { WarningLevel } from '../levels.ts';
import { type RuleDefinitionInput } from '../rules.ts';
import { type LocalizedText, text } from '../text.ts';

export interface MetricDefinition {
  label: LocalizedText;
  unit: string;
  schema: z.ZodType<number | boolean>;
  /** The range a healthy device reports; simulators draw from it. */
  normal: readonly [number, number];
}

export interface EventDefinition {
  label: LocalizedText;
  data: z.ZodType<Record<string, unknown> | undefined>;
}

export interface CommandDefinition {
  label: LocalizedText;
  args: z.ZodType<Record<string, unknown>>;
}

export interface DeviceKindDefinition {
  kind: string;
  name: LocalizedText;
  /** Life-safety kinds (fire, gas, flood, electrical, emergency help) escalate silence to yellow. */
  lifeSafety: boolean;
  /** How often a healthy device reports at least once, in seconds. */
  reportingIntervalS: number;
  metrics: Readonly<Record<string, MetricDefinition>>;
  events: Readonly<Record<string, EventDefinition>>;
  /** Commands the platform may send down (`POST /devices/{id}/commands`). */
  commands: Readonly<Record<string, CommandDefinition>>;
  rules: readonly RuleDefinitionInput[];
}

export function metric(label: LocalizedText, unit: string, schema: z.ZodType<number | boolean>, normal: readonly [number, number]): MetricDefinition {
  return { label, unit, schema, normal };
}

export function battery(): Record<'battery', MetricDefinition> {
  return { battery: metric(text('电量', 'Battery'), '%', z.number().min(0).max(100), [60, 100]) };
}

export function temperature(field = 'temperature', normal: readonly [number, number] = [18, 30]): Record<string, MetricDefinition> {
  return { [field]: metric(text('温度', 'Temperature'), '°C', z.number().min(-60).max(400), normal) };
}

const NoData = z.record(z.string(), z.unknown()).optional();
const NoArgs = z.strictObject({});

export function command(label: LocalizedText, args: z.ZodType<Record<string, unknown>> = NoArgs): CommandDefinition {
  return { label, args };
}

export function event(label: LocalizedText, data: z.ZodType<Record<string, unknown> | undefined> = NoData): EventDefinition {
  return { label, data };
}

export type Category = NonNullable<RuleDefinitionInput['category']>;

export function eventRule(kind: string, eventName: string, level: WarningLevel, name: LocalizedText, category: Category, clearEvent?: string, cancelWithinS?: number): RuleDefinitionInput {
  return { id: `${kind}.${eventName}`, name, category, condition: { type: 'event', event: eventName, level, ...(clearEvent ? { clearEvent } : {}), ...(cancelWithinS ? { cancelWithinS } : {}) } };
}

export function thresholdRule(
  kind: string,
  metricName: string,
  name: LocalizedText,
  category: Category,
  condition: { direction: 'above' | 'below'; steps: { level: WarningLevel; value: number }[]; forS?: number; hysteresis?: number },
): RuleDefinitionInput {
  return { id: `${kind}.${metricName}`, name, category, condition: { type: 'threshold', metric: metricName, ...condition } };
}

/** A metric rising (or falling) at least `perMinute` over `windowS`. */
export function rateRule(kind: string, metricName: string, name: LocalizedText, category: Category, condition: { direction: 'rise' | 'fall'; perMinute: number; windowS?: number; level: WarningLevel }): RuleDefinitionInput {
  return { id: `${kind}.${metricName}_${condition.direction}`, name, category, condition: { type: 'rate', metric: metricName, ...condition } };
}

/** battery < 20 % → blue. */
export function batteryLowRule(kind: string): RuleDefinitionInput {
  return thresholdRule(kind, 'battery', text('电量低', 'Battery low'), 'device', {
    direction: 'below',
    steps: [{ level: 'blue', value: 20 }],
    hysteresis: 5,
  });
}

/** Silent for 3 reporting intervals → yellow for life-safety kinds, blue otherwise. */
export function silenceRule(kind: string, lifeSafety: boolean): RuleDefinitionInput {
  return {
    id: `${kind}.silence`,
    name: text('设备失联', 'Device silent'),
    category: 'device',
    condition: { type: 'silence', intervals: 3, level: lifeSafety ? 'yellow' : 'blue' },
  };
}

/** Completes a definition with the rules every kind shares. */
export function defineKind<K extends string>(
  definition: Omit<DeviceKindDefinition, 'rules' | 'kind' | 'commands'> & {
    kind: K;
    rules?: readonly RuleDefinitionInput[];
    commands?: Readonly<Record<string, CommandDefinition>>;
  },
): DeviceKindDefinition & { kind: K } {
  const shared: RuleDefinitionInput[] = [];
  if ('battery' in definition.metrics) shared.push(batteryLowRule(definition.kind));
  shared.push(silenceRule(definition.kind, definition.lifeSafety));
  return {
    ...definition,
    commands: { reboot: command(text('重启', 'Reboot')), ...definition.commands },
    rules: [...(definition.rules ?? []), ...shared],
  };
}
