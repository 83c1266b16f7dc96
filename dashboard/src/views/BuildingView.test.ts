import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import { fakeApi, makeAlert, makeBuilding, makeDevice, mountWith, testRouter, testState } from '../testing/fixtures.ts';
import BuildingView from './BuildingView.vue';

async function mountBuilding(api = fakeApi({ buildings: vi.fn(() => Promise.resolve([makeBuilding({ id: 'b1', floors: 6, units: 2 })])) })) {
  const state = testState(api);
  await state.catalogue.loadCommunity(state.api, 'c1');
  state.devices.replace([
    makeDevice({ id: 'smoke-501', location: { buildingId: 'b1', floor: 5, unit: '1', room: '501' } }),
    makeDevice({ id: 'gas-202', kind: 'gas_detector', status: 'silent', location: { buildingId: 'b1', floor: 2, unit: '2', room: '202' } }),
    makeDevice({ id: 'door-101', kind: 'door_contact', status: 'offline', online: false, location: { buildingId: 'b1', floor: 1, unit: '2' } }),
    makeDevice({ id: 'lobby', kind: 'emergency_button', location: { buildingId: 'b1' } }),
    makeDevice({ id: 'next-door', location: { buildingId: 'b2', floor: 5, unit: '1' } }),
  ]);
  state.alerts.replace([
    makeAlert({ id: 'a1', deviceId: 'gas-202', level: 'yellow', buildingId: 'b1' }),
    makeAlert({ id: 'a2', deviceId: 'gas-202', level: 'orange', buildingId: 'b1' }),
    makeAlert({ id: 'a3', deviceId: 'smoke-501', level: 'red', buildingId: 'b1', status: 'resolved' }),
  ]);
  const wrapper = mountWith(BuildingView, { state, props: { id: 'b1' }, plugins: [testRouter()] });
  await flushPromises();
  return { state, wrapper };
}

describe('BuildingView', () => {
  it('draws the floors top down by units and places each device in its floor and unit', async () => {
    const { wrapper } = await mountBuilding();
    expect(wrapper.find('h1').text()).toBe('5号楼');
    const floors = wrapper.findAll('[data-testid="elevation"] tbody tr').map((r) => r.attributes('data-floor'));
    expect(floors).toEqual(['6', '5', '4', '3', '2', '1']);
    const cell = (floor: number, unit: string) =>
      wrapper.find(`tr[data-floor="${floor}"] td[data-unit="${unit}"]`).findAll('[data-testid="elevation-device"]').map((d) => d.attributes('data-device-id'));
    expect(cell(5, '1')).toEqual(['smoke-501']);
    expect(cell(2, '2')).toEqual(['gas-202']);
    expect(cell(1, '2')).toEqual(['door-101']);
    expect(cell(5, '2')).toEqual([]);
    expect(wrapper.find('[data-testid="elevation-unplaced"]').findAll('[data-testid="elevation-device"]').map((d) => d.attributes('data-device-id'))).toEqual(['lobby']);
    expect(wrapper.find('[data-device-id="next-door"]').exists()).toBe(false);
  });

  it('colours each device by its worst active alert and names its state in words', async () => {
    const { wrapper } = await mountBuilding();
    const gas = wrapper.find('[data-testid="elevation-device"][data-device-id="gas-202"]');
    expect(gas.attributes('data-level')).toBe('orange');
    expect(gas.attributes('data-health')).toBe('silent');
    expect(gas.attributes('title')).toBe('gas-202，gas_detector，静默，橙色预警');
    expect(gas.text()).toBe('◐202 室gas_detector静默橙色 II橙色预警（II级）');
    expect(gas.attributes('href')).toBe('/devices/gas-202');
    const smoke = wrapper.find('[data-testid="elevation-device"][data-device-id="smoke-501"]');
    expect(smoke.attributes('data-level')).toBe('none');
    expect(wrapper.find('[data-device-id="door-101"]').text()).toContain('离线');
  });

  it('lists the building’s active alerts with their actions', async () => {
    const { wrapper } = await mountBuilding();
    expect(wrapper.findAll('[data-testid="alert-row"]').map((r) => r.attributes('data-alert-id'))).toEqual(['a2', 'a1']);
  });

  it('switches to the building’s community when a link leads into another one', async () => {
    const buildings = vi.fn((communityId: string) => Promise.resolve(communityId === 'c2' ? [makeBuilding({ id: 'far', communityId: 'c2', name: '村委会' })] : []));
    const state = testState(fakeApi({ buildings }));
    state.communities.setList([
      { id: 'c1', name: '幸福里社区', kind: 'urban', createdAt: '2024-01-01T00:00:00.000Z' },
      { id: 'c2', name: '桃源村', kind: 'rural', createdAt: '2024-01-01T00:00:00.000Z' },
    ]);
    const wrapper = mountWith(BuildingView, { state, props: { id: 'far' }, plugins: [testRouter()] });
    await flushPromises();
    expect(state.communities.selectedId.value).toBe('c2');
    expect(wrapper.find('h1').text()).toBe('村委会');
  });

  it('says so when the building is in no community of the user', async () => {
    const state = testState(fakeApi({ buildings: vi.fn(() => Promise.resolve([])) }));
    const wrapper = mountWith(BuildingView, { state, props: { id: 'nowhere' }, plugins: [testRouter()] });
    await flushPromises();
    expect(wrapper.find('[data-testid="building-missing"]').exists()).toBe(true);
  });
});
