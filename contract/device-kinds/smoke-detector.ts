import { z } from 'zod';
import { text } from '../text.ts';
import { battery, command, defineKind, event, eventRule, metric, rateRule, temperature, thresholdRule } from './builders.ts';

const kind = 'smoke_detector';

export default defineKind({
  kind,
  name: text('烟感探测器', 'Smoke detector'),
  lifeSafety: true,
  reportingIntervalS: 300,
  metrics: {
    smoke_obscuration: metric(text('烟雾浓度', 'Smoke obscuration'), '%/m', z.number().min(0).max(100), [0, 0.4]),
    ...temperature(),
    ...battery(),
  },
  events: {
    alarm: event(text('火警', 'Fire alarm')),
    alarm_cleared: event(text('火警解除', 'Alarm cleared')),
    fault: event(text('故障', 'Fault')),
    tamper: event(text('防拆报警', 'Tamper')),
    test: event(text('自检', 'Self-test')),
  },
  commands: {
    self_test: command(text('自检', 'Self-test')),
    silence: command(text('消音', 'Silence the sounder'), z.strictObject({ minutes: z.number().int().min(1).max(30).default(10) })),
  },
  rules: [
    eventRule(kind, 'alarm', 'red', text('烟感火警', 'Smoke alarm'), 'fire', 'alarm_cleared'),
    thresholdRule(kind, 'smoke_obscuration', text('烟雾浓度超限', 'Smoke obscuration high'), 'fire', {
      direction: 'above',
      steps: [{ level: 'orange', value: 3 }],
      forS: 10,
      hysteresis: 1,
    }),
    eventRule(kind, 'fault', 'yellow', text('烟感故障', 'Smoke detector fault'), 'device'),
    rateRule(kind, 'temperature', text('温度快速上升', 'Temperature rising fast'), 'fire', { direction: 'rise', perMinute: 8, windowS: 60, level: 'orange' }),
    eventRule(kind, 'tamper', 'yellow', text('烟感被拆', 'Smoke detector tampered'), 'security'),
  ],
});
