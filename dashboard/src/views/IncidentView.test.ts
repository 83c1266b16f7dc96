import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { IncidentDetail } from '../api/types.ts';
import { ApiError } from '../api/client.ts';
import { fakeApi, makeAlert, makeIncident, mountWith, testRouter, testState } from '../testing/fixtures.ts';
import IncidentView from './IncidentView.vue';

function detail(overrides: Partial<IncidentDetail> = {}): IncidentDetail {
  return {
    ...makeIncident({ id: 'inc1', confirmed: 'fire', escalationStage: 1 }),
    alerts: [makeAlert({ id: 'a1', incidentId: 'inc1' })],
    history: [
      { at: '2025-01-01T08:00:00.000Z', action: 'opened', detail: { alertId: 'a1', level: 'red' }, actor: null },
      { at: '2025-01-01T08:00:00.000Z', action: 'notified', detail: { recipients: [{ name: '王芳' }] }, actor: null },
      { at: '2025-01-01T08:01:00.000Z', action: 'escalated', detail: { stage: 1, to: ['赵敏', '陈刚'] }, actor: null },
    ],
    notifications: [
      {
        id: 'n1',
        incidentId: 'inc1',
        alertId: 'a1',
        event: 'alert.raised',
        stage: 0,
        level: 'red',
        recipient: { workerId: 'w1', name: '王芳', position: 'grid_worker' },
        channelType: 'sms',
        status: 'delivered',
        attempts: 2,
        createdAt: '2025-01-01T08:00:00.000Z',
        deliveredAt: '2025-01-01T08:00:10.000Z',
        nextAttemptAt: null,
        lastError: null,
        receipt: null,
        attemptLog: [
          { at: '2025-01-01T08:00:01.000Z', ok: false, statusCode: 503, error: 'HTTP 503', durationMs: 30 },
          { at: '2025-01-01T08:00:10.000Z', ok: true, statusCode: 200, error: null, durationMs: 25 },
        ],
      },
    ],
    broadcasts: [],
    ...overrides,
  };
}

describe('IncidentView', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] }));
  afterEach(() => vi.useRealTimers());

  it('shows the incident with its assessment, escalation and a timeline of transitions and notification attempts', async () => {
    const state = testState(fakeApi({ incident: vi.fn(() => Promise.resolve(detail())) }));
    const wrapper = mountWith(IncidentView, { state, props: { id: 'inc1' }, plugins: [testRouter()] });
    await flushPromises();
    expect(wrapper.find('h1').text()).toBe('5号楼火警');
    expect(wrapper.find('[data-testid="incident-confirmed"]').text()).toBe('已确认：火情');
    expect(wrapper.find('[data-testid="incident-stage"]').text()).toBe('第 1 级');
    expect(wrapper.findAll('[data-testid="timeline-text"]').map((e) => e.text())).toEqual([
      '事件开启（红色）',
      '通知：王芳',
      '短信 发送给 王芳 失败：HTTP 503（第 1 次）',
      '短信 已送达 王芳（第 2 次）',
      '升级到第 1 级：赵敏、陈刚',
    ]);
    expect(wrapper.findAll('[data-testid="alert-row"]').map((r) => r.attributes('data-alert-id'))).toEqual(['a1']);
    expect(wrapper.find('[data-testid="alert-acknowledge"]').exists()).toBe(true);
  });

  it('re-reads the incident shortly after a live incident.updated or alert.updated of it', async () => {
    const incident = vi
      .fn()
      .mockResolvedValueOnce(detail())
      .mockResolvedValueOnce(
        detail({
          status: 'acknowledged',
          history: [...detail().history, { at: '2025-01-01T08:01:30.000Z', action: 'acknowledged', detail: {}, actor: { id: 'u2', name: '王芳' } }],
        }),
      );
    const state = testState(fakeApi({ incident }));
    const wrapper = mountWith(IncidentView, { state, props: { id: 'inc1' }, plugins: [testRouter()] });
    await flushPromises();
    state.sync.apply({ type: 'incident.updated', incident: makeIncident({ id: 'inc1', status: 'acknowledged', escalationStage: 1 }) });
    state.sync.apply({ type: 'alert.updated', alert: makeAlert({ id: 'a1', incidentId: 'inc1', status: 'acknowledged' }) });
    await flushPromises();
    // The live state shows at once; the timeline follows after one re-read.
    expect(wrapper.find('[data-testid="incident-status"]').text()).toBe('已确认');
    expect(incident).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    await flushPromises();
    expect(incident).toHaveBeenCalledTimes(2);
    expect(wrapper.findAll('[data-testid="timeline-text"]').at(-1)!.text()).toBe('确认接警');
    expect(wrapper.findAll('[data-testid="timeline-entry"]').at(-1)!.text()).toContain('王芳');
  });

  it('explains a missing incident', async () => {
    const state = testState(fakeApi({ incident: vi.fn(() => Promise.reject(new ApiError(404, 'not_found', 'no'))) }));
    const wrapper = mountWith(IncidentView, { state, props: { id: 'nope' }, plugins: [testRouter()] });
    await flushPromises();
    expect(wrapper.find('[data-testid="incident-error"]').text()).toBe('找不到该记录，或不在您的管辖范围内。');
  });
});
