/**
 * Evaluates rules on stored messages and, on a sweep driven by the injected clock, on the passing of
 * time (threshold durations, silence). State lives in memory and is rebuilt from open alerts at start.
 */
import { findDeviceKind, type WarningLevel } from '../../contract/index.ts';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import type { CompiledRule, RuleSet } from './rule-set.ts';
import type { RuleSignal } from './signals.ts';
import { applyTime, applyValue, newThresholdState, type ThresholdState } from './threshold.ts';

interface Activity {
  kind: string;
  lastMessageAt: number;
  silent: boolean;
}

export interface OpenAlertState {
  ruleId: string;
  deviceId: string;
  level: WarningLevel;
  cleared: boolean;
}

const key = (ruleId: string, deviceId: string) => `${ruleId}\u0000${deviceId}`;

export class RuleEngine {
  private readonly thresholds = new Map<string, { rule: CompiledRule; deviceId: string; state: ThresholdState }>();
  private readonly activity = new Map<string, Activity>();

  constructor(private readonly rules: RuleSet) {}

  /** Devices known at start: silence is measured from their last message, or from `since` if later. */
  track(deviceId: string, kind: string, lastMessageAt: number): void {
    const current = this.activity.get(deviceId);
    if (!current) this.activity.set(deviceId, { kind, lastMessageAt, silent: false });
    else current.lastMessageAt = Math.max(current.lastMessageAt, lastMessageAt);
  }

  /** Rebuilds in-memory state from alerts still open, so a restart neither repeats nor forgets them. */
  restore(open: OpenAlertState[]): void {
    for (const alert of open) {
      const rule = this.rules.get(alert.ruleId);
      if (!rule || alert.cleared) continue;
      if (rule.condition.type === 'threshold') {
        const state = newThresholdState();
        state.raisedStep = Math.max(0, rule.condition.steps.findIndex((s) => s.level === alert.level));
        this.thresholds.set(key(rule.id, alert.deviceId), { rule, deviceId: alert.deviceId, state });
      } else if (rule.condition.type === 'silence') {
        const activity = this.activity.get(alert.deviceId);
        if (activity) activity.silent = true;
      }
    }
  }

  evaluate(message: NormalisedMessage, kind: string): RuleSignal[] {
    const signals: RuleSignal[] = [];
    this.noteActivity(message.deviceId, kind, message.receivedAt, signals);
    for (const rule of this.rules.forKind(kind)) {
      const condition = rule.condition;
      if (condition.type === 'event' && message.type === 'event') {
        if (message.event === condition.event) {
          signals.push({ type: 'raise', ruleId: rule.id, title: rule.name, deviceId: message.deviceId, level: condition.level, value: null, at: message.ts });
        } else if (message.event === condition.clearEvent) {
          signals.push({ type: 'clear', ruleId: rule.id, deviceId: message.deviceId, at: message.ts });
        }
      } else if (condition.type === 'threshold' && message.type === 'telemetry') {
        const value = message.values[condition.metric];
        if (value === undefined) continue;
        const k = key(rule.id, message.deviceId);
        let entry = this.thresholds.get(k);
        if (!entry) {
          entry = { rule, deviceId: message.deviceId, state: newThresholdState() };
          this.thresholds.set(k, entry);
        }
        const outcome = applyValue(condition, entry.state, value, message.ts);
        if (outcome?.type === 'raise') {
          signals.push({ type: 'raise', ruleId: rule.id, title: rule.name, deviceId: message.deviceId, level: condition.steps[outcome.step]!.level, value, at: message.ts });
        } else if (outcome?.type === 'clear') {
          signals.push({ type: 'clear', ruleId: rule.id, deviceId: message.deviceId, at: message.ts });
        }
      }
    }
    return signals;
  }

  /** Time-driven rules: threshold durations that have now elapsed, and devices gone silent. */
  sweep(now: number): RuleSignal[] {
    const signals: RuleSignal[] = [];
    for (const { rule, deviceId, state } of this.thresholds.values()) {
      if (rule.condition.type !== 'threshold') continue;
      const outcome = applyTime(rule.condition, state, now);
      if (outcome?.type === 'raise') {
        signals.push({ type: 'raise', ruleId: rule.id, title: rule.name, deviceId, level: rule.condition.steps[outcome.step]!.level, value: state.lastValue, at: now });
      }
    }
    for (const [deviceId, activity] of this.activity) {
      if (activity.silent) continue;
      const definition = findDeviceKind(activity.kind);
      if (!definition) continue;
      for (const rule of this.rules.forKind(activity.kind)) {
        if (rule.condition.type !== 'silence') continue;
        if (now - activity.lastMessageAt >= rule.condition.intervals * definition.reportingIntervalS * 1000) {
          activity.silent = true;
          signals.push({ type: 'raise', ruleId: rule.id, title: rule.name, deviceId, level: rule.condition.level, value: null, at: now });
        }
      }
    }
    return signals;
  }

  private noteActivity(deviceId: string, kind: string, at: number, signals: RuleSignal[]): void {
    const activity = this.activity.get(deviceId);
    if (!activity) {
      this.activity.set(deviceId, { kind, lastMessageAt: at, silent: false });
      return;
    }
    activity.lastMessageAt = Math.max(activity.lastMessageAt, at);
    if (activity.silent) {
      activity.silent = false;
      for (const rule of this.rules.forKind(kind)) {
        if (rule.condition.type === 'silence') signals.push({ type: 'clear', ruleId: rule.id, deviceId, at });
      }
    }
  }
}
