import { text } from '../text.ts';
import { battery, defineKind, event, eventRule } from './builders.ts';

const kind = 'emergency_button';

export default defineKind({
  kind,
  name: text('紧急呼叫按钮', 'Emergency button'),
  lifeSafety: true,
  reportingIntervalS: 3600,
  metrics: { ...battery() },
  events: {
    sos: event(text('紧急呼救', 'SOS')),
    fall: event(text('跌倒报警', 'Fall detected')),
    cancel: event(text('取消呼救', 'Cancelled')),
  },
  rules: [
    eventRule(kind, 'sos', 'red', text('老人紧急呼救', 'Emergency call'), 'medical', 'cancel'),
    eventRule(kind, 'fall', 'red', text('老人跌倒', 'Fall detected'), 'medical', 'cancel'),
  ],
});
