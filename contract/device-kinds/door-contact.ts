import { text } from '../text.ts';
import { battery, defineKind, event } from './builders.ts';

const kind = 'door_contact';

export default defineKind({
  kind,
  name: text('门磁', 'Door contact'),
  lifeSafety: false,
  reportingIntervalS: 3600,
  metrics: { ...battery() },
  events: {
    open: event(text('开门', 'Opened')),
    close: event(text('关门', 'Closed')),
  },
  rules: [
    {
      // The door of an elderly person living alone: no "open" for a day means someone should check.
      id: `${kind}.no_open`,
      name: text('长时间未开门（独居老人）', 'No door opening (elderly living alone)'),
      category: 'medical',
      optIn: true,
      condition: { type: 'absence', event: 'open', periodS: 86_400, level: 'yellow' },
    },
  ],
});
