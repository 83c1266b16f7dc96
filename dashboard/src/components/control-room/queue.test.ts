import { describe, expect, it } from 'vitest';
import { makeAlert, makeIncident } from '../../testing/fixtures.ts';
import { alertQueue, assigneeNames } from './queue.ts';

describe('alert queue', () => {
  it('orders by level, red first, then by age, the oldest first, and leaves out resolved alerts', () => {
    const list = [
      makeAlert({ id: 'yellow-old', level: 'yellow', raisedAt: '2025-01-01T07:00:00Z' }),
      makeAlert({ id: 'red-new', level: 'red', raisedAt: '2025-01-01T08:10:00Z', status: 'acknowledged' }),
      makeAlert({ id: 'red-old', level: 'red', raisedAt: '2025-01-01T08:00:00Z' }),
      makeAlert({ id: 'red-done', level: 'red', raisedAt: '2025-01-01T07:30:00Z', status: 'resolved' }),
      makeAlert({ id: 'orange', level: 'orange', raisedAt: '2025-01-01T09:00:00Z' }),
      makeAlert({ id: 'elsewhere', level: 'red', communityId: 'c2' }),
    ];
    expect(alertQueue(list, new Map(), 'c1').map((i) => i.alert.id)).toEqual(['red-old', 'red-new', 'orange', 'yellow-old']);
  });

  it('joins each alert to its incident and names the incident’s assignees once escalation added people', () => {
    const incident = makeIncident({
      id: 'inc1',
      escalationStage: 1,
      assignees: [
        { workerId: 'w1', name: '王芳', position: 'grid_worker' },
        { workerId: 'w3', name: '赵敏', position: 'grid_leader' },
      ],
    });
    const [withIncident, without] = alertQueue(
      [makeAlert({ id: 'a1', incidentId: 'inc1' }), makeAlert({ id: 'a2', incidentId: null, level: 'blue' })],
      new Map([['inc1', incident]]),
      'c1',
    );
    expect(withIncident!.incident).toBe(incident);
    expect(assigneeNames(withIncident!)).toEqual(['王芳', '赵敏']);
    expect(without!.incident).toBeNull();
    expect(assigneeNames(without!)).toEqual(['王芳']);
  });
});
