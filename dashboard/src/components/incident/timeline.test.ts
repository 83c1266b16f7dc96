import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../../contract/index.ts';
import { mergeTimeline } from './timeline.ts';

function notification(id: string, createdAt: string, attempts: { at: string; ok: boolean }[]): Notification {
  return {
    id,
    incidentId: 'inc1',
    alertId: 'a1',
    event: 'alert.raised',
    stage: 0,
    level: 'red',
    recipient: { workerId: 'w1', name: '王芳', position: 'grid_worker' },
    channelType: 'sms',
    status: attempts.some((a) => a.ok) ? 'delivered' : 'pending',
    attempts: attempts.length,
    createdAt,
    deliveredAt: null,
    nextAttemptAt: null,
    lastError: null,
    receipt: null,
    attemptLog: attempts.map((a) => ({ ...a, statusCode: a.ok ? 200 : 503, error: a.ok ? null : 'HTTP 503', durationMs: 40 })),
  };
}

describe('incident timeline', () => {
  it('merges transitions, notification attempts, broadcasts and receipts in time order', () => {
    const entries = mergeTimeline({
      history: [
        { at: '2025-01-01T08:00:00.000Z', action: 'opened', detail: {}, actor: null },
        { at: '2025-01-01T08:00:00.000Z', action: 'notified', detail: {}, actor: null },
        { at: '2025-01-01T08:01:00.000Z', action: 'escalated', detail: { stage: 1 }, actor: null },
        { at: '2025-01-01T08:01:30.000Z', action: 'acknowledged', detail: {}, actor: { id: 'u1', name: '王芳' } },
      ],
      notifications: [
        notification('n1', '2025-01-01T08:00:00.000Z', [
          { at: '2025-01-01T08:00:00.200Z', ok: false },
          { at: '2025-01-01T08:00:05.000Z', ok: true },
        ]),
        notification('n2', '2025-01-01T08:01:00.000Z', []),
      ],
      broadcasts: [{ id: 'bc1', level: 'red', text: { 'zh-CN': '火警', en: 'Fire' }, at: '2025-01-01T08:00:01.000Z', receipts: [{ deviceId: 'spk1', playedAt: '2025-01-01T08:00:02.000Z' }] }],
    });
    expect(entries.map((e) => `${e.kind}:${e.kind === 'history' ? e.action : e.kind === 'attempt' ? `${e.notification.id}#${e.attempt}` : e.at.slice(14, 19)}`)).toEqual([
      'history:opened',
      'history:notified',
      'attempt:n1#1',
      'broadcast:00:01',
      'receipt:00:02',
      'attempt:n1#2',
      'history:escalated',
      'queued:01:00',
      'history:acknowledged',
    ]);
  });

  it('shows a run of identical reminders once, with how many and the last one', () => {
    const reminder = (at: string, names: string[]) => ({ at, action: 'notified', detail: { event: 'alert.reminder', recipients: names.map((name) => ({ name })) }, actor: null });
    const entries = mergeTimeline({
      history: [
        { at: '2025-01-01T08:00:00.000Z', action: 'notified', detail: { event: 'alert.raised', recipients: [{ name: '王芳' }] }, actor: null },
        reminder('2025-01-01T08:00:30.000Z', ['王芳']),
        reminder('2025-01-01T08:01:00.000Z', ['王芳']),
        reminder('2025-01-01T08:01:30.000Z', ['王芳']),
        { at: '2025-01-01T08:01:40.000Z', action: 'escalated', detail: { stage: 1 }, actor: null },
        reminder('2025-01-01T08:02:00.000Z', ['王芳', '赵敏']),
        reminder('2025-01-01T08:02:30.000Z', ['王芳', '赵敏']),
      ],
      notifications: [],
      broadcasts: [],
    });
    expect(entries.map((e) => (e.kind === 'history' ? `${e.action}${e.repeat ? `×${e.repeat.count}@${e.repeat.lastAt.slice(14, 19)}` : ''}` : e.kind))).toEqual([
      'notified',
      'notified×3@01:30',
      'escalated',
      'notified×2@02:30',
    ]);
  });

  it('is empty for an incident with nothing recorded', () => {
    expect(mergeTimeline({ history: [], notifications: [], broadcasts: [] })).toEqual([]);
  });
});
