import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { makeDevice, mountWith, testRouter, testState } from '../testing/fixtures.ts';
import DevicesView from './DevicesView.vue';

describe('DevicesView', () => {
  it('lists offline devices first and warns about a battery under 20%', () => {
    const state = testState();
    state.devices.replace([
      makeDevice({ id: 'ok', battery: 20 }),
      makeDevice({ id: 'low', battery: 15 }),
      makeDevice({ id: 'down', online: false, battery: null }),
    ]);
    const wrapper = mountWith(DevicesView, { state, plugins: [testRouter()] });
    const rows = wrapper.findAll('[data-testid="device-row"]');
    expect(rows.map((r) => r.attributes('data-device-id'))).toEqual(['down', 'low', 'ok']);
    expect(rows[0]!.find('[data-testid="device-state"]').text()).toBe('离线');
    expect(rows[1]!.find('[data-testid="device-battery"]').text()).toContain('电量低');
    expect(rows[2]!.find('[data-testid="device-battery"]').text()).not.toContain('电量低');
    expect(wrapper.find('[data-testid="device-count"]').text()).toBe('共 3 台，在线 2 台');
    expect(rows[0]!.find('[data-testid="device-link"]').attributes('href')).toBe('/devices/down');
  });

  it('follows device.status events', async () => {
    const state = testState();
    state.devices.replace([makeDevice({ id: 'd1', online: true })]);
    const wrapper = mountWith(DevicesView, { state, locale: 'en', plugins: [testRouter()] });
    expect(wrapper.find('[data-device-id="d1"] [data-testid="device-state"]').text()).toBe('Online');
    state.sync.apply({ type: 'device.status', device: makeDevice({ id: 'd1', online: false }) });
    await nextTick();
    expect(wrapper.find('[data-device-id="d1"]').attributes('data-online')).toBe('false');
    expect(wrapper.find('[data-device-id="d1"] [data-testid="device-state"]').text()).toBe('Offline');
  });
});
