import { describe, expect, it } from 'vitest';
import type { NormalisedMessage } from '../../gateway/ingest/message.ts';
import { RuleEngine, type Evaluation } from '../../platform/rules/engine.ts';
import { RuleSet } from '../../platform/rules/rule-set.ts';
import type { RuleSignal } from '../../platform/rules/signals.ts';

const T0 = Date.parse('2026-11-29T08:00:00Z');
const telemetry = (deviceId: string, at: number, values: Record<string, number>): NormalisedMessage => ({ type: 'telemetry', deviceId, ts: at, seq: undefined, values, receivedAt: at });
const event = (deviceId: string, at: number, name: string): NormalisedMessage => ({ type: 'event', deviceId, ts: at, seq: undefined, event: name, data: undefined, receivedAt: at });
const list = (out: Evaluation | RuleSignal[]) => (Array.isArray(out) ? out : out.signals);
const raises = (out: Evaluation | RuleSignal[]) => list(out).filter((s) => s.type === 'raise').map((s) => (s.type === 'raise' ? `${s.ruleId}:${s.level}` : ''));
const clears = (out: Evaluation | RuleSignal[]) => list(out).filter((s) => s.type === 'clear').map((s) => (s.type === 'clear' ? s.ruleId : ''));

describe('warning rules', () => {
  it('raises red on a smoke alarm event and clears the condition on alarm_cleared', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.evaluate(event('s1', T0, 'alarm'), 'smoke_detector'))).toEqual(['smoke_detector.alarm:red']);
    expect(clears(engine.evaluate(event('s1', T0 + 1000, 'alarm_cleared'), 'smoke_detector'))).toEqual(['smoke_detector.alarm']);
  });

  it('raises red for sos and for fall from an emergency button', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.evaluate(event('b1', T0, 'sos'), 'emergency_button'))).toEqual(['emergency_button.sos:red']);
    expect(raises(engine.evaluate(event('b1', T0, 'fall'), 'emergency_button'))).toEqual(['emergency_button.fall:red']);
  });

  it('climbs gas from orange at 10 %LEL to red at 25 %LEL on the same rule, without repeating', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.evaluate(telemetry('g1', T0, { gas_lel: 9.9 }), 'gas_detector'))).toEqual([]);
    expect(raises(engine.evaluate(telemetry('g1', T0 + 1, { gas_lel: 10 }), 'gas_detector'))).toEqual(['gas_detector.gas_lel:orange']);
    expect(raises(engine.evaluate(telemetry('g1', T0 + 2, { gas_lel: 12 }), 'gas_detector'))).toEqual([]);
    expect(raises(engine.evaluate(telemetry('g1', T0 + 3, { gas_lel: 25 }), 'gas_detector'))).toEqual(['gas_detector.gas_lel:red']);
  });

  it('holds a flood alert inside the hysteresis band and clears below it', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.evaluate(telemetry('f1', T0, { water_level_cm: 12 }), 'flood_sensor'))).toEqual(['flood_sensor.water_level_cm:yellow']);
    expect(clears(engine.evaluate(telemetry('f1', T0 + 1, { water_level_cm: 8 }), 'flood_sensor'))).toEqual([]);
    expect(raises(engine.evaluate(telemetry('f1', T0 + 2, { water_level_cm: 11 }), 'flood_sensor'))).toEqual([]);
    expect(clears(engine.evaluate(telemetry('f1', T0 + 3, { water_level_cm: 4.9 }), 'flood_sensor'))).toEqual(['flood_sensor.water_level_cm']);
    expect(raises(engine.evaluate(telemetry('f1', T0 + 4, { water_level_cm: 31 }), 'flood_sensor'))).toEqual(['flood_sensor.water_level_cm:orange']);
  });

  it('raises orange for smoke obscuration only after it stayed high for the rule duration, on a persisted timer', () => {
    const engine = new RuleEngine(new RuleSet());
    const first = engine.evaluate(telemetry('s1', T0, { smoke_obscuration: 4 }), 'smoke_detector');
    expect(raises(first)).toEqual([]);
    expect(first.timers).toEqual([{ op: 'set', key: 'threshold|smoke_detector.smoke_obscuration|s1', dueAt: T0 + 10_000, kind: 'threshold', payload: { ruleId: 'smoke_detector.smoke_obscuration', deviceId: 's1' } }]);
    expect(raises(engine.evaluate(telemetry('s1', T0 + 5_000, { smoke_obscuration: 4.5 }), 'smoke_detector'))).toEqual([]);
    expect(raises(engine.thresholdDue('smoke_detector.smoke_obscuration', 's1', T0 + 10_000, undefined))).toEqual(['smoke_detector.smoke_obscuration:orange']);
    expect(raises(engine.thresholdDue('smoke_detector.smoke_obscuration', 's1', T0 + 20_000, undefined))).toEqual([]);
  });

  it('cancels a pending duration when the value drops back before it elapses', () => {
    const engine = new RuleEngine(new RuleSet());
    engine.evaluate(telemetry('s1', T0, { smoke_obscuration: 4 }), 'smoke_detector');
    const back = engine.evaluate(telemetry('s1', T0 + 5_000, { smoke_obscuration: 0.2 }), 'smoke_detector');
    expect(back.timers).toEqual([{ op: 'cancel', key: 'threshold|smoke_detector.smoke_obscuration|s1' }]);
  });

  it('fires a duration timer after a restart from the latest stored value', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.thresholdDue('smoke_detector.smoke_obscuration', 's1', T0, 5))).toEqual(['smoke_detector.smoke_obscuration:orange']);
    expect(raises(new RuleEngine(new RuleSet()).thresholdDue('smoke_detector.smoke_obscuration', 's2', T0, 0.1))).toEqual([]);
  });

  it('raises blue for a battery under 20 % ("below" is strict)', () => {
    const engine = new RuleEngine(new RuleSet());
    expect(raises(engine.evaluate(telemetry('d1', T0, { battery: 20 }), 'door_contact'))).toEqual([]);
    expect(raises(engine.evaluate(telemetry('d1', T0 + 1, { battery: 19 }), 'door_contact'))).toEqual(['door_contact.battery:blue']);
  });

  it('raises silence after three reporting intervals: yellow for life-safety kinds, blue otherwise', () => {
    const engine = new RuleEngine(new RuleSet());
    engine.track('smoke', 'smoke_detector', T0);
    engine.track('door', 'door_contact', T0);
    expect(raises(engine.sweep(T0 + 3 * 300_000 - 1))).toEqual([]);
    expect(raises(engine.sweep(T0 + 3 * 300_000))).toEqual(['smoke_detector.silence:yellow']);
    expect(raises(engine.sweep(T0 + 3 * 3_600_000))).toEqual(['door_contact.silence:blue']);
    expect(raises(engine.sweep(T0 + 4 * 3_600_000))).toEqual([]);
    expect(clears(engine.evaluate(telemetry('smoke', T0 + 4 * 3_600_000, { battery: 80 }), 'smoke_detector'))).toEqual(['smoke_detector.silence']);
  });

  it('rebuilds its state from open alerts so a restart does not raise them again', () => {
    const engine = new RuleEngine(new RuleSet());
    engine.restore([{ ruleId: 'gas_detector.gas_lel', deviceId: 'g1', level: 'orange', cleared: false }]);
    expect(raises(engine.evaluate(telemetry('g1', T0, { gas_lel: 15 }), 'gas_detector'))).toEqual([]);
    expect(raises(engine.evaluate(telemetry('g1', T0 + 1, { gas_lel: 30 }), 'gas_detector'))).toEqual(['gas_detector.gas_lel:red']);
  });
});
