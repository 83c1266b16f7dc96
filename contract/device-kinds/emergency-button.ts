import { text } from '../text.ts';
import { battery, defineKind, event, eventRule } from './builders.ts';

const kind = 'emergency_button';
const CANCEL_WITHIN_S = 60;

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
  // A press of "cancel" within a minute of a mistaken call cancels it; later, it only marks it cleared.
  rules: [
    eventRule(kind, 'sos', 'red', text('老人紧急呼救', 'Emergency call'), 'medical', 'cancel', CANCEL_WITHIN_S),
    eventRule(kind, 'fall', 'red', text('老人跌倒', 'Fall detected'), 'medical', 'cancel', CANCEL_WITHIN_S),
  ],
});
