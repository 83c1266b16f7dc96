import { text } from '../text.ts';
import { battery, defineKind, event } from './builders.ts';

export default defineKind({
  kind: 'door_contact',
  name: text('门磁', 'Door contact'),
  lifeSafety: false,
  reportingIntervalS: 3600,
  metrics: { ...battery() },
  events: {
    open: event(text('开门', 'Opened')),
    close: event(text('关门', 'Closed')),
  },
});
