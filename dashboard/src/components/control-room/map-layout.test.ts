import { describe, expect, it } from 'vitest';
import { makeBuilding } from '../../testing/fixtures.ts';
import { BUILDING_HEIGHT, buildingWidth, layoutMap } from './map-layout.ts';

describe('community map layout', () => {
  it('centres each building on its registry position and fits the view box around them all', () => {
    const a = makeBuilding({ id: 'a', name: '1号楼', position: { x: 100, y: 100 }, units: 1 });
    const b = makeBuilding({ id: 'b', name: '2号楼', position: { x: 300, y: 200 }, units: 3 });
    const layout = layoutMap([b, a]);
    expect(layout.buildings.map((p) => [p.building.id, p.x, p.y])).toEqual([
      ['a', 100 - buildingWidth(a) / 2, 100 - BUILDING_HEIGHT / 2],
      ['b', 300 - buildingWidth(b) / 2, 200 - BUILDING_HEIGHT / 2],
    ]);
    const [minX, minY, width, height] = layout.viewBox.split(' ').map(Number);
    expect(minX).toBe(100 - 48 - 24);
    expect(minY).toBe(100 - 32 - 24);
    expect(minX! + width!).toBe(300 + buildingWidth(b) / 2 + 24);
    expect(minY! + height!).toBe(200 + 32 + 24);
  });

  it('grows buildings with a plan drawn in large coordinates, so names stay readable', () => {
    const layout = layoutMap([makeBuilding({ id: 'a', position: { x: 0, y: 0 } }), makeBuilding({ id: 'b', position: { x: 7000, y: 3000 } })]);
    expect(layout.scale).toBe(10);
    expect(layout.buildings[0]!.height).toBe(BUILDING_HEIGHT * 10);
  });

  it('lines up buildings without a position below the others', () => {
    const layout = layoutMap([makeBuilding({ id: 'a', position: { x: 100, y: 100 } }), makeBuilding({ id: 'z', name: '新楼', position: null })]);
    const z = layout.buildings.find((p) => p.building.id === 'z')!;
    expect(z.positioned).toBe(false);
    expect(z.y).toBeGreaterThan(100 + BUILDING_HEIGHT / 2);
  });
});
