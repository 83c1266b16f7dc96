import { z } from 'zod';
import { text } from '../text.ts';
import { battery, defineKind, event, eventRule, metric, thresholdRule } from './builders.ts';

const kind = 'gas_detector';

export default defineKind({
  kind,
  name: text('燃气探测器', 'Gas detector'),
  lifeSafety: true,
  reportingIntervalS: 60,
  metrics: {
    gas_lel: metric(text('燃气浓度', 'Gas concentration'), '%LEL', z.number().min(0).max(100), [0, 2]),
    ...battery(),
  },
  events: {
    alarm: event(text('燃气报警', 'Gas alarm')),
    fault: event(text('故障', 'Fault')),
  },
  rules: [
    thresholdRule(kind, 'gas_lel', text('燃气浓度超限', 'Gas concentration high'), 'gas', {
      direction: 'above',
      steps: [
        { level: 'orange', value: 10 },
        { level: 'red', value: 25 },
      ],
      hysteresis: 2,
    }),
    eventRule(kind, 'alarm', 'red', text('燃气泄漏报警', 'Gas leak alarm'), 'gas'),
    eventRule(kind, 'fault', 'yellow', text('燃气探测器故障', 'Gas detector fault'), 'device'),
  ],
});
