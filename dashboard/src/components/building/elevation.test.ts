import { describe, expect, it } from 'vitest';
import { makeBuilding, makeDevice } from '../../testing/fixtures.ts';
import { elevation } from './elevation.ts';

const at = (id: string, floor?: number, unit?: string, buildingId = 'b1') =>
  makeDevice({ id, location: { buildingId, ...(floor === undefined ? {} : { floor }), ...(unit === undefined ? {} : { unit }) } });

describe('building elevation', () => {
  it('draws floors top down by units and puts each device in its floor and unit', () => {
    const grid = elevation(makeBuilding({ floors: 3, units: 2 }), [at('d-3-1', 3, '1'), at('d-1-2', 1, '2'), at('d-1-2b', 1, '2'), at('other', 2, '1', 'b2')]);
    expect(grid.units).toEqual(['1', '2']);
    expect(grid.rows.map((r) => r.floor)).toEqual([3, 2, 1]);
    const cell = (floor: number, unit: string) => grid.rows.find((r) => r.floor === floor)!.cells.find((c) => c.unit === unit)!.devices.map((d) => d.id);
    expect(cell(3, '1')).toEqual(['d-3-1']);
    expect(cell(1, '2')).toEqual(['d-1-2', 'd-1-2b']);
    expect(cell(2, '1')).toEqual([]);
    expect(grid.unplaced).toEqual([]);
  });

  it('adds basement rows below the ground floor, without a floor 0', () => {
    const grid = elevation(makeBuilding({ floors: 2, units: 1 }), [at('pump', -1)]);
    expect(grid.rows.map((r) => r.floor)).toEqual([2, 1, -1]);
    expect(grid.rows.at(-1)!.cells[0]!.devices.map((d) => d.id)).toEqual(['pump']);
  });

  it('lists devices it cannot place: no floor, no unit in a building of several, or outside the building', () => {
    const grid = elevation(makeBuilding({ floors: 5, units: 2 }), [at('no-floor', undefined, '1'), at('no-unit', 2), at('too-high', 9, '1'), at('unit-9', 2, '9')]);
    expect(grid.unplaced.map((d) => d.id).sort()).toEqual(['no-floor', 'no-unit', 'too-high', 'unit-9']);
  });

  it('infers the height from the devices when the registry has no floors', () => {
    const grid = elevation(makeBuilding({ floors: null, units: null }), [at('top', 4)]);
    expect(grid.rows.map((r) => r.floor)).toEqual([4, 3, 2, 1]);
    expect(grid.rows[0]!.cells[0]!.devices.map((d) => d.id)).toEqual(['top']);
  });
});
