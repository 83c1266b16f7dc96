import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { TelemetryRangeQuery } from '../api/types.ts';
import { fakeApi, makeAlert, makeDevice, mountWith, testRouter, testState } from '../testing/fixtures.ts';
import DeviceView from './DeviceView.vue';

// ECharts does not draw in happy-dom: a fake stands in for the lazily loaded chunk.
const setOption = vi.fn();
vi.mock('../components/charts/load-echarts.ts', () => ({
  loadECharts: () => Promise.resolve({ init: () => ({ setOption, clear: vi.fn(), resize: vi.fn(), dispose: vi.fn() }) }),
}));

const gasKind = {
  kind: 'gas_detector' as const,
  name: { 'zh-CN': '燃气探测器', en: 'Gas detector' },
  lifeSafety: true,
  reportingIntervalS: 60,
  metrics: { gas_lel: { label: { 'zh-CN': '燃气浓度', en: 'Gas' }, unit: '%LEL' }, battery: { label: { 'zh-CN': '电量', en: 'Battery' }, unit: '%' } },
  events: { alarm: { label: { 'zh-CN': '燃气报警', en: 'Gas alarm' } } },
};

function setup() {
  const telemetry = vi.fn((_id: string, query: TelemetryRangeQuery) =>
    Promise.resolve({
      deviceId: 'gas-1',
      metric: query.metric,
      bucket: query.bucket ?? null,
      points: [
        { ts: '2025-01-01T07:00:00.000Z', value: 1, min: 0.5, max: 2, avg: 1, last: 1.5, count: 60 },
        { ts: '2025-01-01T08:00:00.000Z', value: 3, min: 2, max: 6.25, avg: 3, last: 4, count: 60 },
      ],
    }),
  );
  const api = fakeApi({
    device: vi.fn(() => Promise.resolve(makeDevice({ id: 'gas-1', kind: 'gas_detector', name: '厨房燃气', status: 'silent' }))),
    deviceKinds: vi.fn(() => Promise.resolve([gasKind])),
    telemetry,
    deviceEvents: vi.fn(() => Promise.resolve([{ ts: '2025-01-01T08:00:00.000Z', event: 'alarm', data: { lel: 25 }, seq: 4 }])),
  });
  return { api, telemetry };
}

describe('DeviceView', () => {
  it('shows the device’s state, a chart per metric of its kind with figures in words, and its events', async () => {
    const { api, telemetry } = setup();
    const state = testState(api);
    await state.catalogue.loadKinds(state.api);
    state.alerts.replace([makeAlert({ id: 'g1', deviceId: 'gas-1', level: 'orange' })]);
    const wrapper = mountWith(DeviceView, { state, props: { id: 'gas-1' }, plugins: [testRouter()] });
    await flushPromises();
    expect(wrapper.find('h1').text()).toBe('厨房燃气');
    expect(wrapper.find('[data-testid="device-health"]').text()).toContain('静默');
    expect(wrapper.findAll('[data-testid="metric-chart"]').map((c) => c.attributes('data-metric'))).toEqual(['gas_lel', 'battery']);
    expect(telemetry).toHaveBeenCalledWith('gas-1', expect.objectContaining({ metric: 'gas_lel', bucket: '1m' }));
    const gas = wrapper.find('[data-metric="gas_lel"]');
    expect(gas.find('[data-testid="metric-stats"]').text()).toBe('最新4 %LEL最低0.5 %LEL最高6.25 %LEL');
    expect(gas.find('[data-testid="metric-canvas"]').attributes('aria-label')).toBe('燃气浓度（24 小时）：最新 4 %LEL，最低 0.5 %LEL，最高 6.25 %LEL');
    expect(setOption).toHaveBeenCalled();
    expect(wrapper.find('[data-testid="device-event"]').text()).toContain('燃气报警');
    expect(wrapper.findAll('[data-testid="alert-row"]').map((r) => r.attributes('data-alert-id'))).toEqual(['g1']);
  });

  it('asks for raw points when the range is one hour', async () => {
    const { api, telemetry } = setup();
    const state = testState(api);
    await state.catalogue.loadKinds(state.api);
    const wrapper = mountWith(DeviceView, { state, props: { id: 'gas-1' }, plugins: [testRouter()] });
    await flushPromises();
    telemetry.mockClear();
    await wrapper.find('[data-testid="range-1h"]').setValue(true);
    await flushPromises();
    expect(telemetry).toHaveBeenCalledTimes(2);
    expect(telemetry.mock.calls[0]![1].bucket).toBeUndefined();
  });
});
