import { z } from 'zod';
import { text } from '../text.ts';
import { battery, defineKind, metric, thresholdRule } from './builders.ts';

const kind = 'water_meter';

/** A household's water meter: water used since the last report. Use is a sign of life for elderly care. */
export default defineKind({
  kind,
  name: text('智能水表', 'Water meter'),
  lifeSafety: false,
  reportingIntervalS: 900,
  metrics: {
    flow_l: metric(text('用水量', 'Water used'), 'L', z.number().min(0).max(100_000), [0, 20]),
    ...battery(),
  },
  events: {},
  rules: [
    // Water running all the time: a burst pipe, or a tap left open by someone who may need help.
    thresholdRule(kind, 'flow_l', text('持续大量用水（疑似漏水）', 'Continuous heavy use (possible leak)'), 'flood', {
      direction: 'above',
      steps: [{ level: 'yellow', value: 300 }],
      forS: 3600,
      hysteresis: 250,
    }),
  ],
});
