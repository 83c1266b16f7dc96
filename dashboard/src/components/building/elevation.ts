/**
 * The building's elevation diagram: floors from the top down (basements last, no floor 0) by units
 * (单元) side by side, each device in the cell of its `location.floor` and `location.unit`. A device
 * whose floor or unit is unknown, or outside the registered building, is listed apart rather than
 * guessed into a cell.
 */
import type { Building, Device } from '../../../../contract/index.ts';

export interface ElevationCell {
  unit: string;
  devices: Device[];
}

export interface ElevationRow {
  floor: number;
  cells: ElevationCell[];
}

export interface Elevation {
  units: string[];
  rows: ElevationRow[];
  /** In the building but not placeable on the grid. */
  unplaced: Device[];
}

function byRoomThenId(a: Device, b: Device): number {
  return (a.location?.room ?? '').localeCompare(b.location?.room ?? '', undefined, { numeric: true }) || a.id.localeCompare(b.id);
}

export function elevation(building: Pick<Building, 'id' | 'floors' | 'units'>, devices: Iterable<Device>): Elevation {
  const inBuilding = [...devices].filter((d) => d.location?.buildingId === building.id);
  const unitCount = building.units ?? 1;
  const units = Array.from({ length: unitCount }, (_, i) => String(i + 1));
  const floors = inBuilding.map((d) => d.location?.floor).filter((f): f is number => f !== undefined);
  const top = building.floors ?? Math.max(1, ...floors);
  const bottom = Math.min(1, ...floors.filter((f) => f < 0));

  const rows: ElevationRow[] = [];
  const cellOf = new Map<string, ElevationCell>();
  for (let floor = top; floor >= bottom; floor--) {
    if (floor === 0) continue;
    const cells = units.map((unit) => ({ unit, devices: [] as Device[] }));
    for (const cell of cells) cellOf.set(`${floor}/${cell.unit}`, cell);
    rows.push({ floor, cells });
  }

  const unplaced: Device[] = [];
  for (const device of inBuilding) {
    const floor = device.location?.floor;
    // A building of one unit: a device without a unit stands in it.
    const unit = device.location?.unit ?? (unitCount === 1 ? '1' : undefined);
    const cell = floor !== undefined && unit !== undefined ? cellOf.get(`${floor}/${unit.trim()}`) : undefined;
    if (cell) cell.devices.push(device);
    else unplaced.push(device);
  }
  for (const cell of cellOf.values()) cell.devices.sort(byRoomThenId);
  unplaced.sort(byRoomThenId);
  return { units, rows, unplaced };
}
