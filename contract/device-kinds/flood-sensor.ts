import { z } from 'zod';
import { text } from '../text.ts';
import { battery, defineKind, event, eventRule, metric, thresholdRule } from './builders.ts';

const kind = 'flood_sensor';

export default defineKind({
  kind,
  name: text('水浸/水位传感器', 'Flood sensor'),
  lifeSafety: true,
  reportingIntervalS: 300,
  metrics: {
    water_level_cm: metric(text('水位', 'Water level'), 'cm', z.number().min(-100).max(10_000), [0, 2]),
    leak: metric(text('漏水', 'Leak'), '', z.boolean(), [0, 0]),
    ...battery(),
  },
  events: {
    fault: event(text('故障', 'Fault')),
  },
  rules: [
    thresholdRule(kind, 'water_level_cm', text('积水水位超限', 'Water level high'), 'flood', {
      direction: 'above',
      steps: [
        { level: 'yellow', value: 10 },
        { level: 'orange', value: 30 },
        { level: 'red', value: 50 },
      ],
      hysteresis: 5,
    }),
    thresholdRule(kind, 'leak', text('检测到漏水', 'Leak detected'), 'flood', {
      direction: 'above',
      steps: [{ level: 'yellow', value: 1 }],
    }),
    eventRule(kind, 'fault', 'yellow', text('水浸传感器故障', 'Flood sensor fault'), 'device'),
  ],
});
