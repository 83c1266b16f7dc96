import { describe, expect, it } from 'vitest';
import { makeUser } from '../testing/fixtures.ts';
import { makeWorker, makeWorkerUser } from '../testing/admin-fixtures.ts';
import { makeRequest, makeStatsGroup } from '../testing/service-fixtures.ts';
import { draftIssues, emptyDraft, toRequestCreate } from './intake.ts';
import { byDeadline, byNewest, isOverdue, matchesFilter, mergeRequest } from './list.ts';
import { availableSteps, mayAssign, stepsFrom } from './permissions.ts';
import { chartData, groupName, periodQuery, statsQuery } from './stats.ts';
import { deadlineState, requestPlace } from './text.ts';

const NOW = Date.parse('2025-01-02T06:00:00.000Z');

describe('request lists follow live updates', () => {
  const late = makeRequest({ id: 'late', deadline: '2025-01-02T02:00:00.000Z', receivedAt: '2025-01-01T02:00:00.000Z' });
  const later = makeRequest({ id: 'later', deadline: '2025-01-02T04:00:00.000Z', receivedAt: '2025-01-01T04:00:00.000Z' });

  it('knows overdue as the server does: no response and past the deadline', () => {
    expect(isOverdue(late, NOW)).toBe(true);
    expect(isOverdue({ ...late, respondedAt: '2025-01-02T05:00:00.000Z', status: 'responded' }, NOW)).toBe(false);
    expect(isOverdue({ ...late, deadline: '2025-01-03T00:00:00.000Z' }, NOW)).toBe(false);
  });

  it('keeps the overdue list longest waiting first, and drops a request once it is answered', () => {
    const filter = { overdue: true, communityId: 'c1' };
    let list = mergeRequest([], later, filter, byDeadline, NOW);
    list = mergeRequest(list, late, filter, byDeadline, NOW);
    expect(list.map((r) => r.id)).toEqual(['late', 'later']);
    list = mergeRequest(list, { ...late, status: 'responded', respondedAt: '2025-01-02T05:59:00.000Z' }, filter, byDeadline, NOW);
    expect(list.map((r) => r.id)).toEqual(['later']);
  });

  it('applies status, category and grid filters to pushed requests', () => {
    expect(matchesFilter(late, { status: 'active' }, NOW)).toBe(true);
    expect(matchesFilter({ ...late, status: 'closed' }, { status: 'active' }, NOW)).toBe(false);
    expect(matchesFilter(late, { category: 'safety' }, NOW)).toBe(false);
    expect(matchesFilter(late, { gridId: 'g2' }, NOW)).toBe(false);
    const list = mergeRequest([late], { ...later, receivedAt: '2025-01-02T00:00:00.000Z' }, {}, byNewest, NOW);
    expect(list.map((r) => r.id)).toEqual(['later', 'late']);
  });

  it("counts a request as a worker's own when it is assigned or escalated to them", () => {
    const leader = { workerId: 'w9', name: '赵敏', position: 'grid_leader' as const };
    expect(matchesFilter(late, { assignee: 'w1' }, NOW)).toBe(true);
    expect(matchesFilter(late, { assignee: 'w9' }, NOW)).toBe(false);
    expect(matchesFilter({ ...late, escalationStage: 1, escalatedTo: [leader] }, { assignee: 'w9' }, NOW)).toBe(true);
  });
});

describe('who may do what with a request', () => {
  const request = makeRequest({ place: { communityId: 'c1', gridId: 'g1', buildingId: 'b1', unit: null, room: null, address: null } });

  it('offers the lifecycle steps a status allows', () => {
    expect(stepsFrom('open')).toEqual(['respond', 'progress', 'close']);
    expect(stepsFrom('responded')).toEqual(['progress', 'close']);
    expect(stepsFrom('closed')).toEqual([]);
  });

  it('lets the assignee, the grid leader and an operator of the community act; reassigning is not for the assignee', () => {
    expect(availableSteps(makeWorkerUser(), request)).toEqual(['respond', 'progress', 'close']);
    expect(availableSteps(makeWorkerUser({ workerId: 'w2' }), request)).toEqual([]);
    const leader = makeWorker({ id: 'w3', position: 'grid_leader', gridIds: ['g1'] });
    expect(availableSteps(makeWorkerUser({ workerId: 'w3' }), request, leader)).toHaveLength(3);
    expect(mayAssign(makeWorkerUser(), request, makeWorker())).toBe(false);
    expect(mayAssign(makeUser(), request)).toBe(true);
    expect(mayAssign(makeUser({ communityIds: ['c2'] }), request)).toBe(false);
    expect(availableSteps(makeUser({ role: 'vendor' }), request)).toEqual([]);
  });
});

describe('intake of a phone call', () => {
  it('names every missing or wrong field by the path the API uses', () => {
    const draft = { ...emptyDraft('c1'), phone: '139-abc', receivedAt: '2099-01-01T08:00' };
    expect(draftIssues(draft, NOW).map((i) => `${i.path}:${i.message}`)).toEqual([
      'category:category',
      'place.address:place',
      'contact.name:name',
      'contact.phone:phoneDigits',
      'description:description',
      'receivedAt:receivedAtFuture',
    ]);
  });

  it('builds the body with channel phone and only the place fields given', () => {
    const draft = { ...emptyDraft('c1'), category: 'repair' as const, buildingId: 'b1', unit: ' 3 ', name: ' 刘奶奶 ', phone: '139 1234 0001', description: ' 电梯停了 ' };
    expect(draftIssues(draft, NOW)).toEqual([]);
    expect(toRequestCreate(draft)).toEqual({
      category: 'repair',
      description: '电梯停了',
      place: { communityId: 'c1', buildingId: 'b1', unit: '3' },
      contact: { name: '刘奶奶', phone: '13912340001' },
      channel: 'phone',
    });
  });
});

describe('deadline and place in words', () => {
  it('counts time left, time late, or how the response went', () => {
    const r = makeRequest({ deadline: '2025-01-02T02:00:00.000Z' });
    expect(deadlineState(r, Date.parse('2025-01-02T01:00:00.000Z'))).toEqual({ kind: 'left', seconds: 3600 });
    expect(deadlineState(r, NOW)).toEqual({ kind: 'late', seconds: 4 * 3600 });
    expect(deadlineState({ ...r, respondedAt: '2025-01-02T01:00:00.000Z' }, NOW).kind).toBe('respondedOnTime');
    expect(deadlineState({ ...r, respondedAt: '2025-01-02T03:00:00.000Z' }, NOW)).toEqual({ kind: 'respondedLate', seconds: 3600 });
  });

  it('names the building, unit, room and free-text address', () => {
    const lookup = { building: () => undefined, grid: () => undefined };
    const t = (key: string, params?: Record<string, unknown>) => (params ? `${key}(${String(params.n)})` : key);
    expect(requestPlace({ communityId: 'c1', gridId: null, buildingId: null, unit: null, room: null, address: '北门' }, lookup, t)).toBe('北门');
    expect(requestPlace({ communityId: 'c1', gridId: 'g1', buildingId: 'b1', unit: '3', room: null, address: null }, lookup, t)).toBe('b1 · place.unit(3)');
    expect(requestPlace({ communityId: 'c1', gridId: null, buildingId: null, unit: null, room: null, address: null }, lookup, t)).toBe('place.unknown');
  });
});

describe('request statistics', () => {
  const t = (key: string) => key;

  it('asks for whole local days, the last one included', () => {
    expect(periodQuery('2025-01-01', '2025-01-31')).toEqual({ from: '2025-01-01T00:00:00+08:00', to: '2025-02-01T00:00:00+08:00' });
    expect(statsQuery('grid', 'c1', '2025-01-01', '2025-01-01')).toMatchObject({ groupBy: 'grid', communityId: 'c1' });
    expect(statsQuery('community', 'c1', '2025-01-01', '2025-01-01')).not.toHaveProperty('communityId');
  });

  it('names groups and shapes the chart', () => {
    expect(groupName(makeStatsGroup({ key: 'safety' }), 'category', t)).toBe('requests.categories.safety');
    expect(groupName(makeStatsGroup({ key: null, name: null }), 'grid', t)).toBe('requests.stats.noGroup');
    const data = chartData({ groupBy: 'grid', from: '', to: '', groups: [makeStatsGroup()], total: makeStatsGroup() }, 'grid', t);
    expect(data).toEqual({ names: ['第一网格'], onTime: [33.3], good: [66.7] });
  });
});
