import { flushPromises } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { makeAlert, makeBuilding, mountWith, testRouter, testState } from '../../testing/fixtures.ts';
import { worstByBuilding } from '../../state/worst-level.ts';
import CommunityMap from './CommunityMap.vue';

const buildings = [
  makeBuilding({ id: 'b1', name: '1号楼', position: { x: 100, y: 100 } }),
  makeBuilding({ id: 'b2', name: '2号楼', position: { x: 300, y: 100 } }),
  makeBuilding({ id: 'b3', name: '3号楼', position: { x: 100, y: 300 } }),
];

describe('CommunityMap', () => {
  it('colours each building by its worst active alert, says so in words, and is a keyboard link', () => {
    const worst = worstByBuilding([
      makeAlert({ id: '1', buildingId: 'b1', level: 'yellow' }),
      makeAlert({ id: '2', buildingId: 'b1', level: 'red' }),
      makeAlert({ id: '3', buildingId: 'b2', level: 'orange', status: 'resolved' }),
      makeAlert({ id: '4', buildingId: 'b2', level: 'blue', status: 'acknowledged' }),
    ]);
    const wrapper = mountWith(CommunityMap, { state: testState(), props: { buildings, worst }, plugins: [testRouter()] });
    const building = (id: string) => wrapper.find(`[data-building-id="${id}"]`);
    expect(building('b1').attributes('data-level')).toBe('red');
    expect(building('b1').classes()).toContain('level-red');
    expect(building('b1').find('title').text()).toBe('1号楼：最高红色预警，共 2 条进行中');
    expect(building('b1').text()).toContain('红色 I · 2');
    expect(building('b2').attributes('data-level')).toBe('blue');
    expect(building('b3').attributes('data-level')).toBe('none');
    expect(building('b3').find('title').text()).toBe('3号楼：无进行中预警');
    expect(building('b3').attributes('href')).toBe('/buildings/b3');
  });

  it('drills down to the building page on click', async () => {
    const router = testRouter();
    const wrapper = mountWith(CommunityMap, { state: testState(), props: { buildings, worst: new Map() }, plugins: [router] });
    await wrapper.find('[data-building-id="b2"]').trigger('click', { button: 0 });
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe('/buildings/b2');
  });

  it('says when the community has no buildings', () => {
    const wrapper = mountWith(CommunityMap, { state: testState(), props: { buildings: [], worst: new Map() }, plugins: [testRouter()] });
    expect(wrapper.find('[data-testid="map-empty"]').exists()).toBe(true);
  });
});
