/**
 * Evaluates rules on stored messages, and on time: persisted timers (threshold durations, absence,
 * the end of flapping) and a sweep driven by the injected clock (silence). In-memory state is rebuilt
 * from open alerts at start; everything that must outlive a restart is a timer the platform persists.
 */
import { findDeviceKind, text, type WarningLevel } from '../../contract/index.ts';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import type { CompiledRule, RuleSet } from './rule-set.ts';
import { inSchedule } from './schedule.ts';
import type { RuleSignal } from './signals.ts';
import { applyValue, newThresholdState, stepReached, type ThresholdState } from './threshold.ts';
import { timerKey, type TimerOp } from './timers.ts';

/** A device whose alerts change state more often than this within FLAP_WINDOW_MS is flapping. */
export const FLAP_TRANSITIONS = 10;
export const FLAP_WINDOW_MS = 60_000;
/** A flapping device is trusted again after this long without a transition. */
export const FLAP_QUIET_MS = 10 * 60_000;

export const flappingRuleId = (kind: string) => `${kind}.flapping`;
const FLAPPING_TITLE = text('设备状态频繁跳变（疑似故障）', 'Device flapping (suspected fault)');

export interface DeviceRuleParams {
  [ruleId: string]: { enabled?: boolean; periodS?: number } | undefined;
}

interface DeviceState {
  kind: string;
  lastMessageAt: number;
  silent: boolean;
  params: DeviceRuleParams;
  transitions: number[];
  faulty: boolean;
}

export interface OpenAlertState {
  ruleId: string;
  deviceId: string;
  level: WarningLevel;
  cleared: boolean;
}

export interface Evaluation {
  signals: RuleSignal[];
  timers: TimerOp[];
}

const key = (ruleId: string, deviceId: string) => `${ruleId}\u0000${deviceId}`;

/**
 * Which lane evaluates a rule: `urgent` rules (events, absence, thresholds and rates that can reach orange
 * or red) run as soon as a message is journaled, ahead of bulk storage; the others after their batch is
 * stored. A rule belongs to exactly one lane, so each (rule, device) is still evaluated in order.
 */
export type Lane = 'urgent' | 'bulk';

export function laneOf(rule: CompiledRule): Lane {
  const c = rule.condition;
  if (c.type === 'event' || c.type === 'absence') return 'urgent';
  if (c.type === 'threshold') return c.steps.some((s) => s.level === 'orange' || s.level === 'red') ? 'urgent' : 'bulk';
  if (c.type === 'rate') return c.level === 'orange' || c.level === 'red' ? 'urgent' : 'bulk';
  return 'bulk';
}

/** Whether a rule applies to a device (its state, if tracked): opt-in rules only where its parameters turn them on. */
function appliesTo(rule: CompiledRule, device: DeviceState | undefined): boolean {
  const params = device?.params[rule.id];
  return rule.optIn ? params !== undefined && params.enabled !== false : params?.enabled !== false;
}

export class RuleEngine {
  private readonly devices = new Map<string, DeviceState>();
  private readonly thresholds = new Map<string, ThresholdState>();
  private readonly rates = new Map<string, { samples: [number, number][]; active: boolean }>();
  private readonly activeAbsence = new Set<string>();
  private readonly debounce = new Map<string, number[]>();
  /** Each kind's rules split by lane (in rule order), for the rule set in force. */
  private lanes = new Map<string, Record<Lane, readonly CompiledRule[]>>();

  constructor(private rules: RuleSet) {}

  private rulesOf(kind: string, lane: Lane | undefined): readonly CompiledRule[] {
    const all = this.rules.forKind(kind);
    if (!lane) return all;
    let split = this.lanes.get(kind);
    if (!split) {
      split = { urgent: all.filter((r) => laneOf(r) === 'urgent'), bulk: all.filter((r) => laneOf(r) === 'bulk') };
      this.lanes.set(kind, split);
    }
    return split[lane];
  }

  get ruleSet(): RuleSet {
    return this.rules;
  }

  /** Replaces the rules; state of rules whose definition changed starts afresh. */
  setRules(rules: RuleSet): void {
    const changed = new Set(rules.all().filter((r) => this.rules.get(r.id)?.version !== r.version).map((r) => r.id));
    for (const map of [this.thresholds, this.rates, this.debounce] as Map<string, unknown>[]) {
      for (const k of map.keys()) if (changed.has(k.split('\u0000')[0]!)) map.delete(k);
    }
    this.rules = rules;
    this.lanes = new Map();
  }

  private device(deviceId: string, kind: string): DeviceState {
    let state = this.devices.get(deviceId);
    if (!state) {
      state = { kind, lastMessageAt: 0, silent: false, params: {}, transitions: [], faulty: false };
      this.devices.set(deviceId, state);
    }
    return state;
  }

  /** Devices known at start: silence is measured from their last message (or from `lastMessageAt` given). */
  track(deviceId: string, kind: string, lastMessageAt: number, params: DeviceRuleParams = {}, faulty = false): void {
    const state = this.device(deviceId, kind);
    state.lastMessageAt = Math.max(state.lastMessageAt, lastMessageAt);
    state.params = params;
    state.faulty = faulty;
  }

  /** Per-device rule parameters changed (opt-in rules, absence periods). Returns timers to (re)arm. */
  setParams(deviceId: string, kind: string, params: DeviceRuleParams, now: number): TimerOp[] {
    this.device(deviceId, kind).params = params;
    const timers: TimerOp[] = [];
    for (const rule of this.rules.forKind(kind)) {
      if (rule.condition.type !== 'absence') continue;
      const k = timerKey('absence', deviceId, rule.id);
      const period = this.applies(rule, deviceId) ? this.absencePeriod(rule, deviceId) : undefined;
      timers.push(period === undefined ? { op: 'cancel', key: k } : { op: 'set', key: k, dueAt: now + period * 1000, kind: 'absence', payload: { ruleId: rule.id, deviceId } });
    }
    return timers;
  }

  /** Rebuilds in-memory state from alerts still open, so a restart neither repeats nor forgets them. */
  restore(open: OpenAlertState[]): void {
    for (const alert of open) {
      if (alert.cleared) continue;
      const rule = this.rules.get(alert.ruleId);
      const k = key(alert.ruleId, alert.deviceId);
      if (rule?.condition.type === 'threshold') {
        const state = newThresholdState();
        state.raisedStep = Math.max(0, rule.condition.steps.findIndex((s) => s.level === alert.level));
        this.thresholds.set(k, state);
      } else if (rule?.condition.type === 'rate') this.rates.set(k, { samples: [], active: true });
      else if (rule?.condition.type === 'absence') this.activeAbsence.add(k);
      else if (rule?.condition.type === 'silence') {
        const device = this.devices.get(alert.deviceId);
        if (device) device.silent = true;
      }
    }
  }

  /** Whether a rule applies to a device: opt-in rules only where the device's parameters turn them on. */
  private applies(rule: CompiledRule, deviceId: string): boolean {
    return appliesTo(rule, this.devices.get(deviceId));
  }

  private absencePeriod(rule: CompiledRule, deviceId: string): number {
    const condition = rule.condition;
    if (condition.type !== 'absence') return 0;
    return this.devices.get(deviceId)?.params[rule.id]?.periodS ?? condition.periodS;
  }

  private raise(rule: CompiledRule, deviceId: string, level: WarningLevel, value: number | null, at: number): RuleSignal {
    return { type: 'raise', ruleId: rule.id, title: rule.name, category: rule.category, deviceId, level, value, at };
  }

  /** Debounce: a raise counts only once the condition was met `count` times within the window. */
  private debounced(rule: CompiledRule, deviceId: string, at: number): boolean {
    if (!rule.debounce) return false;
    const k = key(rule.id, deviceId);
    const hits = (this.debounce.get(k) ?? []).filter((t) => at - t < rule.debounce!.windowS * 1000);
    hits.push(at);
    if (hits.length >= rule.debounce.count) {
      this.debounce.delete(k);
      return false;
    }
    this.debounce.set(k, hits);
    return true;
  }

  /** Evaluates one message with the rules of a lane (or all of them). */
  evaluate(message: NormalisedMessage, kind: string, lane?: Lane): Evaluation {
    const out: Evaluation = { signals: [], timers: [] };
    const device = this.noteActivity(message.deviceId, kind, message.receivedAt, out);
    for (const rule of this.rulesOf(kind, lane)) {
      if (!appliesTo(rule, device)) continue;
      this.evaluateRule(rule, message, out);
    }
    this.watchFlapping(device, message.deviceId, message.ts, out);
    return out;
  }

  private evaluateRule(rule: CompiledRule, message: NormalisedMessage, out: Evaluation): void {
    const c = rule.condition;
    const deviceId = message.deviceId;
    if (c.type === 'event' && message.type === 'event') {
      const scheduled = inSchedule(rule.schedule, message.ts);
      if (message.event === c.event && scheduled && !this.debounced(rule, deviceId, message.ts)) out.signals.push(this.raise(rule, deviceId, c.level, null, message.ts));
      else if (message.event === c.clearEvent) out.signals.push({ type: 'clear', ruleId: rule.id, deviceId, at: message.ts, ...(c.cancelWithinS ? { cancelWithinS: c.cancelWithinS } : {}) });
    } else if (c.type === 'threshold' && message.type === 'telemetry') {
      const value = message.values[c.metric];
      if (value === undefined) return;
      const k = key(rule.id, deviceId);
      let state = this.thresholds.get(k);
      if (!state) this.thresholds.set(k, (state = newThresholdState()));
      const wasPending = state.pendingSince !== undefined;
      const outcome = state.raisedStep >= 0 || inSchedule(rule.schedule, message.ts) ? applyValue(c, state, value, message.ts) : undefined;
      if (state.pendingSince !== undefined && !wasPending) {
        out.timers.push({ op: 'set', key: timerKey('threshold', deviceId, rule.id), dueAt: state.pendingSince + c.forS * 1000, kind: 'threshold', payload: { ruleId: rule.id, deviceId } });
      } else if (state.pendingSince === undefined && wasPending) out.timers.push({ op: 'cancel', key: timerKey('threshold', deviceId, rule.id) });
      if (outcome?.type === 'raise') {
        if (this.debounced(rule, deviceId, message.ts)) state.raisedStep = -1;
        else out.signals.push(this.raise(rule, deviceId, c.steps[outcome.step]!.level, value, message.ts));
      } else if (outcome?.type === 'clear') out.signals.push({ type: 'clear', ruleId: rule.id, deviceId, at: message.ts });
    } else if (c.type === 'rate' && message.type === 'telemetry') {
      const value = message.values[c.metric];
      if (value === undefined) return;
      const k = key(rule.id, deviceId);
      let state = this.rates.get(k);
      if (!state) this.rates.set(k, (state = { samples: [], active: false }));
      state.samples.push([message.ts, value]);
      while (state.samples.length > 2 && message.ts - state.samples[0]![0] > c.windowS * 1000) state.samples.shift();
      const [t0, v0] = state.samples[0]!;
      const span = message.ts - t0;
      if (span < (c.windowS * 1000) / 2) return;
      const perMinute = ((value - v0) / span) * 60_000 * (c.direction === 'rise' ? 1 : -1);
      if (!state.active && perMinute >= c.perMinute && inSchedule(rule.schedule, message.ts) && !this.debounced(rule, deviceId, message.ts)) {
        state.active = true;
        out.signals.push(this.raise(rule, deviceId, c.level, value, message.ts));
      } else if (state.active && perMinute < c.perMinute / 2) {
        state.active = false;
        out.signals.push({ type: 'clear', ruleId: rule.id, deviceId, at: message.ts });
      }
    } else if (c.type === 'absence') {
      if (c.event !== undefined && !(message.type === 'event' && message.event === c.event)) return;
      out.timers.push({ op: 'set', key: timerKey('absence', deviceId, rule.id), dueAt: message.ts + this.absencePeriod(rule, deviceId) * 1000, kind: 'absence', payload: { ruleId: rule.id, deviceId } });
      if (this.activeAbsence.delete(key(rule.id, deviceId))) out.signals.push({ type: 'clear', ruleId: rule.id, deviceId, at: message.ts });
    }
  }

  /** A threshold's `forS` has passed: raise if the latest value (given by the caller after a restart) is still beyond. */
  thresholdDue(ruleId: string, deviceId: string, now: number, latestValue: number | undefined): Evaluation {
    const out: Evaluation = { signals: [], timers: [] };
    const rule = this.rules.get(ruleId);
    if (rule?.condition.type !== 'threshold' || !this.applies(rule, deviceId)) return out;
    const k = key(ruleId, deviceId);
    let state = this.thresholds.get(k);
    if (!state) {
      if (latestValue === undefined) return out;
      this.thresholds.set(k, (state = newThresholdState()));
      state.lastValue = latestValue;
    }
    if (state.raisedStep >= 0) return out;
    const step = stepReached(rule.condition, state.lastValue);
    state.pendingSince = undefined;
    if (step < 0) return out;
    state.raisedStep = step;
    out.signals.push(this.raise(rule, deviceId, rule.condition.steps[step]!.level, state.lastValue, now));
    return out;
  }

  /** No matching message for the absence period. */
  absenceDue(ruleId: string, deviceId: string, now: number): Evaluation {
    const out: Evaluation = { signals: [], timers: [] };
    const rule = this.rules.get(ruleId);
    if (rule?.condition.type !== 'absence' || !this.applies(rule, deviceId)) return out;
    const k = key(ruleId, deviceId);
    if (this.activeAbsence.has(k)) return out;
    this.activeAbsence.add(k);
    out.signals.push(this.raise(rule, deviceId, rule.condition.level, null, now));
    return out;
  }

  /** A flapping device has been quiet long enough: trusted again. */
  unflapDue(deviceId: string, now: number): Evaluation {
    const out: Evaluation = { signals: [], timers: [] };
    const device = this.devices.get(deviceId);
    if (!device?.faulty) return out;
    if (now - (device.transitions.at(-1) ?? 0) < FLAP_QUIET_MS) {
      out.timers.push({ op: 'set', key: timerKey('unflap', deviceId), dueAt: (device.transitions.at(-1) ?? now) + FLAP_QUIET_MS, kind: 'unflap', payload: { deviceId } });
      return out;
    }
    device.faulty = false;
    device.transitions = [];
    out.signals.push({ type: 'faulty', deviceId, faulty: false, at: now }, { type: 'clear', ruleId: flappingRuleId(device.kind), deviceId, at: now });
    return out;
  }

  /** Time-driven rules without their own timer: devices gone silent. */
  sweep(now: number): RuleSignal[] {
    const signals: RuleSignal[] = [];
    for (const [deviceId, device] of this.devices) {
      if (device.silent) continue;
      const definition = findDeviceKind(device.kind);
      if (!definition) continue;
      for (const rule of this.rules.forKind(device.kind)) {
        if (rule.condition.type !== 'silence' || !this.applies(rule, deviceId)) continue;
        if (now - device.lastMessageAt >= rule.condition.intervals * definition.reportingIntervalS * 1000) {
          device.silent = true;
          signals.push(this.raise(rule, deviceId, rule.condition.level, null, now));
        }
      }
    }
    return signals;
  }

  private noteActivity(deviceId: string, kind: string, at: number, out: Evaluation): DeviceState {
    const device = this.device(deviceId, kind);
    device.lastMessageAt = Math.max(device.lastMessageAt, at);
    if (device.silent) {
      // Whichever lane sees the device first clears its silence; the flag makes it happen once.
      device.silent = false;
      for (const rule of this.rules.forKind(kind)) {
        if (rule.condition.type === 'silence') out.signals.push({ type: 'clear', ruleId: rule.id, deviceId, at });
      }
    }
    return device;
  }

  /** Counts the device's state changes; too many in a minute flags it faulty, with one blue alert. */
  private watchFlapping(device: DeviceState, deviceId: string, at: number, out: Evaluation): void {
    let changes = 0;
    for (const s of out.signals) if (s.type === 'raise' || s.type === 'clear') changes++;
    if (!changes) return;
    for (let i = 0; i < changes; i++) device.transitions.push(at);
    while (device.transitions.length && at - device.transitions[0]! > FLAP_WINDOW_MS) device.transitions.shift();
    if (device.faulty) {
      out.timers.push({ op: 'set', key: timerKey('unflap', deviceId), dueAt: at + FLAP_QUIET_MS, kind: 'unflap', payload: { deviceId } });
      return;
    }
    if (device.transitions.length <= FLAP_TRANSITIONS) return;
    device.faulty = true;
    out.signals.push(
      { type: 'faulty', deviceId, faulty: true, at },
      { type: 'raise', ruleId: flappingRuleId(device.kind), title: FLAPPING_TITLE, category: 'device', deviceId, level: 'blue', value: device.transitions.length, at },
    );
    out.timers.push({ op: 'set', key: timerKey('unflap', deviceId), dueAt: at + FLAP_QUIET_MS, kind: 'unflap', payload: { deviceId } });
  }
}
