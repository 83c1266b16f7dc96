import { describe, expect, it } from 'vitest';
import { makeAlert } from '../testing/fixtures.ts';
import { worstByBuilding, worstByDevice } from './worst-level.ts';

describe('worst open alert level', () => {
  it('colours a building by its worst active alert and counts them, ignoring resolved ones', () => {
    const map = worstByBuilding([
      makeAlert({ id: '1', buildingId: 'b1', level: 'yellow' }),
      makeAlert({ id: '2', buildingId: 'b1', level: 'orange' }),
      makeAlert({ id: '3', buildingId: 'b1', level: 'red', status: 'resolved' }),
      makeAlert({ id: '4', buildingId: 'b2', level: 'blue', status: 'on_site' }),
      makeAlert({ id: '5', buildingId: null, location: { buildingId: 'b3' }, level: 'red' }),
      makeAlert({ id: '6', buildingId: null, location: null, level: 'red' }),
    ]);
    expect(Object.fromEntries(map)).toEqual({
      b1: { level: 'orange', count: 2 },
      b2: { level: 'blue', count: 1 },
      b3: { level: 'red', count: 1 },
    });
  });

  it('does the same per device', () => {
    const map = worstByDevice([makeAlert({ id: '1', deviceId: 'd1', level: 'blue' }), makeAlert({ id: '2', deviceId: 'd1', level: 'red' })]);
    expect(map.get('d1')).toEqual({ level: 'red', count: 2 });
  });
});
