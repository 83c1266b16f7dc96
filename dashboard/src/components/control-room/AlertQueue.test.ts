import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, makeAlert, makeIncident, makeUser, mountWith, testRouter, testState } from '../../testing/fixtures.ts';
import AlertQueue from './AlertQueue.vue';
import { alertQueue } from './queue.ts';

const DEADLINE = '2025-01-01T08:01:00.000Z';
const at = (ms: number) => Date.parse(DEADLINE) + ms;

function mountQueue(now: number, state = testState()) {
  state.alerts.replace([
    makeAlert({ id: 'blue', level: 'blue', incidentId: null, raisedAt: '2025-01-01T07:00:00.000Z' }),
    makeAlert({ id: 'red-late', level: 'red', incidentId: 'inc2', raisedAt: '2025-01-01T08:00:30.000Z' }),
    makeAlert({ id: 'red-first', level: 'red', incidentId: 'inc1', raisedAt: '2025-01-01T08:00:00.000Z' }),
    makeAlert({ id: 'gone', level: 'red', status: 'resolved' }),
    makeAlert({ id: 'orange-waiting', level: 'orange', incidentId: 'inc3', raisedAt: '2025-01-01T07:50:00.000Z' }),
  ]);
  state.incidents.replace([
    makeIncident({ id: 'inc1', deadline: { kind: 'acknowledge', at: DEADLINE } }),
    makeIncident({
      id: 'inc2',
      status: 'acknowledged',
      escalationStage: 2,
      deadline: { kind: 'on_site', at: '2025-01-01T08:15:00.000Z' },
      assignees: [
        { workerId: 'w1', name: '王芳', position: 'grid_worker' },
        { workerId: 'w9', name: '街道应急中心', position: 'emergency_centre' },
      ],
    }),
    makeIncident({ id: 'inc3', level: 'orange', escalationStage: 2, deadline: null }),
  ]);
  const items = alertQueue(state.alerts.all.value, state.incidents.byId, 'c1');
  return mountWith(AlertQueue, { state, props: { items, now }, plugins: [testRouter()] });
}

describe('AlertQueue', () => {
  it('lists red first, the longest waiting first within a level, without resolved alerts', () => {
    const rows = mountQueue(at(-30_000)).findAll('[data-testid="queue-row"]');
    expect(rows.map((r) => r.attributes('data-alert-id'))).toEqual(['red-first', 'red-late', 'orange-waiting', 'blue']);
  });

  it('counts down to the incident’s deadline and shows clearly when it is overdue', async () => {
    const wrapper = mountQueue(at(-45_000));
    const first = () => wrapper.find('[data-alert-id="red-first"] [data-testid="deadline"]');
    expect(first().text()).toBe('确认 剩余 0:45');
    expect(first().attributes('data-overdue')).toBe('false');
    await wrapper.setProps({ now: at(135_000) });
    expect(first().text()).toBe('确认 ⚠ 已超时 2:15');
    expect(first().attributes('data-overdue')).toBe('true');
    expect(first().classes()).toContain('overdue');
    // Past the last escalation stage nothing is due any more: an unacknowledged alert shows how long it has waited.
    expect(wrapper.find('[data-alert-id="orange-waiting"] [data-testid="deadline"]').text()).toBe('已等待 13:15');
    // An alert whose level pages nobody further has no deadline at all.
    expect(wrapper.find('[data-alert-id="blue"] [data-testid="deadline"]').text()).toBe('无时限');
    expect(wrapper.find('[data-alert-id="red-late"] [data-testid="deadline"]').text()).toContain('到场');
  });

  it('shows the escalation stage, everyone assigned, and links to the incident page', () => {
    const wrapper = mountQueue(at(0));
    const late = wrapper.find('[data-alert-id="red-late"]');
    expect(late.find('[data-testid="queue-stage"]').text()).toBe('第 2 级');
    expect(late.find('[data-testid="queue-assignees"]').text()).toBe('王芳、街道应急中心');
    expect(late.find('[data-testid="deadline"]').text()).toContain('到场');
    expect(late.find('[data-testid="queue-incident-link"]').attributes('href')).toBe('/incidents/inc2');
    expect(wrapper.find('[data-alert-id="red-first"] [data-testid="queue-stage"]').text()).toBe('未升级');
    expect(wrapper.find('[data-alert-id="blue"] [data-testid="queue-incident-link"]').attributes('href')).toBe('/devices/smoke-101');
  });

  it('acknowledges in one click', async () => {
    const acknowledge = vi.fn((id: string) => Promise.resolve(makeAlert({ id, status: 'acknowledged', incidentId: 'inc1' })));
    const state = testState(fakeApi({ acknowledge }));
    const wrapper = mountQueue(at(0), state);
    await wrapper.find('[data-alert-id="red-first"] [data-testid="alert-acknowledge"]').trigger('click');
    await flushPromises();
    expect(acknowledge).toHaveBeenCalledWith('red-first');
    expect(state.alerts.byId.get('red-first')?.status).toBe('acknowledged');
  });

  it('offers no action to a role that cannot act', () => {
    const wrapper = mountQueue(at(0), testState(fakeApi(), makeUser({ role: 'vendor' })));
    expect(wrapper.findAll('button')).toHaveLength(0);
  });
});
