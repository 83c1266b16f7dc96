import { z } from 'zod';
import { text } from '../text.ts';
import { defineKind, event, eventRule, metric } from './builders.ts';

const kind = 'broadcast_speaker';

/**
 * A community emergency-broadcast speaker (应急广播). It subscribes to `anju/v1/broadcast/{communityId}`,
 * plays what arrives and acknowledges each playback with a `played` event.
 */
export default defineKind({
  kind,
  name: text('应急广播音柱', 'Emergency broadcast speaker'),
  lifeSafety: true,
  reportingIntervalS: 300,
  metrics: { volume_pct: metric(text('音量', 'Volume'), '%', z.number().min(0).max(100), [60, 80]) },
  events: {
    played: event(text('已播放', 'Played'), z.strictObject({ broadcastId: z.string().min(1).max(64) })),
    fault: event(text('故障', 'Fault')),
  },
  rules: [eventRule(kind, 'fault', 'yellow', text('广播音柱故障', 'Speaker fault'), 'device')],
});
