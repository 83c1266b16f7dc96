import { flushPromises } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, makeAlert, makeDevice, makeIncident, makeSummary, makeSystemAlert, mountWith, testRouter, testState } from '../testing/fixtures.ts';
import ControlRoomView from './ControlRoomView.vue';

async function mountRoom(summary = vi.fn(() => Promise.resolve(makeSummary()))) {
  const state = testState(fakeApi({ summary, systemAlerts: vi.fn(() => Promise.resolve([makeSystemAlert()])) }));
  await state.catalogue.loadCommunity(state.api, 'c1');
  await state.sync.resync();
  const wrapper = mountWith(ControlRoomView, { state, plugins: [testRouter()] });
  await flushPromises();
  return { state, wrapper, summary };
}

describe('ControlRoomView', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('shows the summary counts in large numerals with the level in words', async () => {
    const { wrapper } = await mountRoom();
    expect(wrapper.find('h1').text()).toBe('幸福里社区 · 指挥大屏');
    expect(wrapper.find('[data-testid="count-red"]').text()).toBe('1红色 I');
    expect(wrapper.find('[data-testid="count-orange"]').text()).toBe('2橙色 II');
    expect(wrapper.find('[data-testid="count-overdue"]').text()).toBe('1超时事件');
    expect(wrapper.find('[data-testid="count-silent"]').text()).toBe('2静默');
    expect(wrapper.find('[data-testid="count-faulty"]').text()).toBe('1故障');
    expect(wrapper.find('[data-testid="count-kiosks"]').text()).toBe('2 / 3自助终端在用');
  });

  it('re-reads the summary once after a burst of live events, and never on a timer', async () => {
    const { state, summary } = await mountRoom();
    expect(summary).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * 60_000);
    expect(summary).toHaveBeenCalledTimes(1);

    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'n1' }) });
    state.sync.apply({ type: 'device.status', device: makeDevice({ status: 'offline', online: false }) });
    state.sync.apply({ type: 'incident.updated', incident: makeIncident() });
    await flushPromises();
    vi.advanceTimersByTime(500);
    expect(summary).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(300);
    expect(summary).toHaveBeenCalledTimes(2);
  });

  it('does not let a steady stream of events postpone the summary for ever', async () => {
    const { state, summary } = await mountRoom();
    for (let i = 0; i < 10; i++) {
      state.sync.apply({ type: 'device.status', device: makeDevice({ id: `d${i}` }) });
      await flushPromises();
      vi.advanceTimersByTime(500);
    }
    expect(summary).toHaveBeenCalledTimes(2);
  });

  it('shows the storage fault banner to an operator', async () => {
    const { wrapper } = await mountRoom();
    expect(wrapper.find('[data-testid="system-alert"]').text()).toContain('存储故障');
  });

  it('puts the alerts of the community in the queue and colours the map', async () => {
    const { state, wrapper } = await mountRoom();
    state.sync.apply({ type: 'alert.raised', alert: makeAlert({ id: 'r1', level: 'orange', buildingId: 'b1' }) });
    await flushPromises();
    expect(wrapper.findAll('[data-testid="queue-row"]').map((r) => r.attributes('data-alert-id'))).toEqual(['r1']);
    expect(wrapper.find('[data-building-id="b1"]').attributes('data-level')).toBe('orange');
  });
});
