import { flushPromises } from '@vue/test-utils';
import { describe, expect, it, vi } from 'vitest';
import type { Building, BuildingPatch } from '../../../../../contract/index.ts';
import { ApiError } from '../../../api/client.ts';
import { fakeApi, mountWith, testState } from '../../../testing/fixtures.ts';
import PlacesSection from './PlacesSection.vue';

const building: Building = { id: 'b1', communityId: 'c1', gridId: 'g1', name: '5号楼', position: null, floors: 18, units: 2 };

async function mountPlaces(overrides: Parameters<typeof fakeApi>[0] = {}) {
  const api = fakeApi({ buildings: vi.fn(() => Promise.resolve([building, { ...building, id: 'b2', name: '6号楼', position: { x: 2000, y: 2000 } }])), ...overrides });
  const state = testState(api);
  const wrapper = mountWith(PlacesSection, { state, props: {} });
  await flushPromises();
  return { wrapper, api, state };
}

const value = (wrapper: Awaited<ReturnType<typeof mountPlaces>>['wrapper'], testid: string) => (wrapper.find(`[data-testid="${testid}"]`).element as HTMLInputElement).value;

describe('places', () => {
  it('places a building by clicking the schematic, nudges it with the arrow keys, and saves the position', async () => {
    const patchBuilding = vi.fn((id: string, body: BuildingPatch) => Promise.resolve({ ...building, id, position: body.position ?? null }));
    const { wrapper } = await mountPlaces({ patchBuilding });
    await wrapper.find('[data-building-id="b1"] [data-testid="building-edit"]').trigger('click');
    expect(wrapper.find('[data-testid="schematic-selected"]').exists()).toBe(false);

    const svg = wrapper.find('[data-testid="schematic"]');
    (svg.element as SVGSVGElement).getBoundingClientRect = () => ({ left: 10, top: 20, width: 500, height: 500, right: 510, bottom: 520, x: 10, y: 20, toJSON: () => ({}) });
    // The view fits the one placed building (6号楼 at 2000, 2000): 1600–2400 on both axes.
    expect(svg.attributes('viewBox')).toBe('1600 1600 800 800');
    await svg.trigger('pointerdown', { clientX: 260, clientY: 120, button: 0 });
    expect(value(wrapper, 'building-x')).toBe('2000');
    expect(value(wrapper, 'building-y')).toBe('1760');

    const marker = wrapper.find('[data-testid="schematic-selected"]');
    expect(marker.attributes('aria-label')).toContain('x 2000，y 1760');
    await marker.trigger('keydown', { key: 'ArrowRight' });
    await marker.trigger('keydown', { key: 'ArrowDown', shiftKey: true });
    expect(value(wrapper, 'building-x')).toBe('2010');
    expect(value(wrapper, 'building-y')).toBe('1860');

    // The whole 0–10 000 square, for a place far from the others.
    await wrapper.find('[data-testid="schematic-whole"]').setValue(true);
    expect(svg.attributes('viewBox')).toBe('0 0 10000 10000');
    await svg.trigger('pointerdown', { clientX: 460, clientY: 420, button: 0 });
    expect(value(wrapper, 'building-x')).toBe('9000');
    expect(value(wrapper, 'building-y')).toBe('8000');

    await wrapper.find('[data-testid="building-editor"]').trigger('submit');
    await flushPromises();
    expect(patchBuilding).toHaveBeenCalledWith('b1', { name: '5号楼', gridId: 'g1', floors: 18, units: 2, position: { x: 9000, y: 8000 } });
  });

  it('takes typed coordinates for keyboard users and refuses ones off the schematic', async () => {
    const patchBuilding = vi.fn((id: string, body: BuildingPatch) => Promise.resolve({ ...building, id, position: body.position ?? null }));
    const { wrapper } = await mountPlaces({ patchBuilding });
    await wrapper.find('[data-building-id="b1"] [data-testid="building-edit"]').trigger('click');
    await wrapper.find('[data-testid="building-x"]').setValue('12000');
    await wrapper.find('[data-testid="building-y"]').setValue('400');
    await wrapper.find('[data-testid="building-editor"]').trigger('submit');
    await flushPromises();
    expect(patchBuilding).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="building-x"]').attributes('aria-invalid')).toBe('true');

    await wrapper.find('[data-testid="building-x"]').setValue('9000');
    await wrapper.find('[data-testid="building-floors"]').setValue('');
    await wrapper.find('[data-testid="building-editor"]').trigger('submit');
    await flushPromises();
    expect(patchBuilding).toHaveBeenCalledWith('b1', { name: '5号楼', gridId: 'g1', floors: null, units: 2, position: { x: 9000, y: 400 } });
  });

  it('creates a building with its position', async () => {
    const createBuilding = vi.fn((body: Omit<Building, 'id' | 'position' | 'floors' | 'units'>) => Promise.resolve({ ...building, ...body, id: 'b9' }));
    const { wrapper, api } = await mountPlaces({ createBuilding: createBuilding as never });
    const reads = vi.mocked(api.buildings).mock.calls.length;
    await wrapper.find('[data-testid="building-new"]').trigger('click');
    await wrapper.find('[data-testid="building-name"]').setValue('7号楼');
    await wrapper.find('[data-testid="building-floors"]').setValue('6');
    await wrapper.find('[data-testid="building-x"]').setValue('300');
    await wrapper.find('[data-testid="building-y"]').setValue('700');
    await wrapper.find('[data-testid="building-editor"]').trigger('submit');
    await flushPromises();
    expect(createBuilding).toHaveBeenCalledWith({ communityId: 'c1', gridId: 'g1', name: '7号楼', floors: 6, position: { x: 300, y: 700 } });
    expect(vi.mocked(api.buildings).mock.calls.length).toBeGreaterThan(reads);
    expect(wrapper.text()).toContain('已保存楼栋“7号楼”。');
  });

  it('renames a grid and shows the API’s message when creating one fails', async () => {
    const renameGrid = vi.fn((id: string, name: string) => Promise.resolve({ id, communityId: 'c1', name }));
    const createGrid = vi.fn(() => Promise.reject(new ApiError(409, 'already_exists', 'exists', [{ path: 'name', message: 'a grid with this name exists' }])));
    const { wrapper } = await mountPlaces({ renameGrid, createGrid });
    const grid = wrapper.find('[data-grid-id="g1"]');
    await grid.find('[data-testid="rename"]').trigger('click');
    await grid.find('[data-testid="rename-input"]').setValue('东区网格');
    await grid.find('[data-testid="rename-form"]').trigger('submit');
    await flushPromises();
    expect(renameGrid).toHaveBeenCalledWith('g1', '东区网格');

    await wrapper.find('[data-testid="grid-name"]').setValue('一网格');
    await wrapper.find('[data-testid="grid-create"]').trigger('submit');
    await flushPromises();
    expect(wrapper.find('[data-testid="grids-panel"] [data-testid="field-error"]').text()).toContain('a grid with this name exists');
  });
});
