import { z } from 'zod';
import { text } from '../text.ts';
import { defineKind, event, eventRule, metric, temperature, thresholdRule } from './builders.ts';

const kind = 'electrical_monitor';

export default defineKind({
  kind,
  name: text('电气火灾监控', 'Electrical fire monitor'),
  lifeSafety: true,
  reportingIntervalS: 60,
  metrics: {
    residual_current_ma: metric(text('剩余电流', 'Residual current'), 'mA', z.number().min(0).max(10_000), [2, 40]),
    ...temperature('cable_temp_c', [22, 42]),
  },
  events: {
    fault: event(text('故障', 'Fault')),
  },
  rules: [
    thresholdRule(kind, 'residual_current_ma', text('剩余电流超限', 'Residual current high'), 'electrical', {
      direction: 'above',
      steps: [
        { level: 'yellow', value: 100 },
        { level: 'orange', value: 300 },
        { level: 'red', value: 500 },
      ],
      forS: 5,
      hysteresis: 20,
    }),
    thresholdRule(kind, 'cable_temp_c', text('线缆温度过高', 'Cable temperature high'), 'electrical', {
      direction: 'above',
      steps: [
        { level: 'orange', value: 60 },
        { level: 'red', value: 80 },
      ],
      hysteresis: 5,
    }),
    eventRule(kind, 'fault', 'yellow', text('电气火灾监控故障', 'Electrical monitor fault'), 'device'),
  ],
});
