import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/fixtures.ts';
import { compareAlerts, visibleAlerts } from './order.ts';

describe('alert order', () => {
  it('puts red before orange before yellow before blue, whatever the age', () => {
    const list = [
      makeAlert({ id: 'yellow', level: 'yellow', raisedAt: '2025-01-01T09:00:00Z' }),
      makeAlert({ id: 'blue', level: 'blue', raisedAt: '2025-01-01T09:30:00Z' }),
      makeAlert({ id: 'red', level: 'red', raisedAt: '2025-01-01T07:00:00Z' }),
      makeAlert({ id: 'orange', level: 'orange', raisedAt: '2025-01-01T08:00:00Z' }),
    ];
    expect([...list].sort(compareAlerts).map((a) => a.id)).toEqual(['red', 'orange', 'yellow', 'blue']);
  });

  it('within a level shows the newest first', () => {
    const older = makeAlert({ id: 'older', raisedAt: '2025-01-01T08:00:00Z' });
    const newer = makeAlert({ id: 'newer', raisedAt: '2025-01-01T08:05:00Z' });
    expect([older, newer].sort(compareAlerts).map((a) => a.id)).toEqual(['newer', 'older']);
  });

  it('"active" hides resolved alerts; "all" shows them after the active ones', () => {
    const list = [
      makeAlert({ id: 'resolved-red', level: 'red', status: 'resolved' }),
      makeAlert({ id: 'open-blue', level: 'blue', status: 'open' }),
      makeAlert({ id: 'ack-yellow', level: 'yellow', status: 'acknowledged' }),
    ];
    expect(visibleAlerts(list, 'active', 'c1').map((a) => a.id)).toEqual(['ack-yellow', 'open-blue']);
    expect(visibleAlerts(list, 'all', 'c1').map((a) => a.id)).toEqual(['ack-yellow', 'open-blue', 'resolved-red']);
  });

  it('shows only the selected community', () => {
    const list = [makeAlert({ id: 'here' }), makeAlert({ id: 'elsewhere', communityId: 'c2' })];
    expect(visibleAlerts(list, 'active', 'c1').map((a) => a.id)).toEqual(['here']);
  });
});
