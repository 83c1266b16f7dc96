/**
 * The community schematic: one rectangle per building at its registry position (the rectangle's
 * centre), in the registry's own coordinates; the view box fits them all with a margin. Buildings
 * with no position yet are lined up under the others, so none is missing from the map.
 */
import type { Building } from '../../../../contract/index.ts';

export interface PlacedBuilding {
  building: Building;
  x: number;
  y: number;
  width: number;
  height: number;
  /** False when the registry has no position and the layout chose one. */
  positioned: boolean;
}

export interface MapLayout {
  viewBox: string;
  buildings: PlacedBuilding[];
  /** Registry units per drawing unit: rectangles and text grow with a plan drawn in large coordinates. */
  scale: number;
}

/** Positions spanning up to this many units are drawn at scale 1. */
const COMFORTABLE_SPAN = 700;

export const BUILDING_HEIGHT = 64;
const MARGIN = 24;
const GAP = 24;

/** Wider for more units (entrances), within reason, and always wide enough for the name. */
export function buildingWidth(building: Pick<Building, 'units' | 'name'>): number {
  const forUnits = 96 + Math.min(Math.max((building.units ?? 1) - 1, 0), 4) * 24;
  // About one 17 px glyph per CJK character, half that for Latin letters and digits.
  const glyphs = [...building.name].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 1 : 0.6), 0);
  return Math.max(forUnits, Math.ceil(glyphs * 18 + 24));
}

export function layoutMap(buildings: readonly Building[]): MapLayout {
  const sorted = [...buildings].sort((a, b) => a.name.localeCompare(b.name, 'zh-CN', { numeric: true }));
  const positions = sorted.flatMap((b) => (b.position ? [b.position] : []));
  const span = positions.length ? Math.max(Math.max(...positions.map((p) => p.x)) - Math.min(...positions.map((p) => p.x)), Math.max(...positions.map((p) => p.y)) - Math.min(...positions.map((p) => p.y))) : 0;
  const scale = Math.max(1, span / COMFORTABLE_SPAN);
  const height = BUILDING_HEIGHT * scale;
  const placed: PlacedBuilding[] = [];
  for (const building of sorted) {
    if (!building.position) continue;
    const width = buildingWidth(building) * scale;
    placed.push({ building, x: building.position.x - width / 2, y: building.position.y - height / 2, width, height, positioned: true });
  }
  const top = placed.length ? Math.max(...placed.map((p) => p.y + p.height)) + GAP * 2 * scale : 0;
  let left = placed.length ? Math.min(...placed.map((p) => p.x)) : 0;
  for (const building of sorted) {
    if (building.position) continue;
    const width = buildingWidth(building) * scale;
    placed.push({ building, x: left, y: top, width, height, positioned: false });
    left += width + GAP * scale;
  }
  if (!placed.length) return { viewBox: '0 0 400 200', buildings: [], scale };
  const margin = MARGIN * scale;
  const minX = Math.min(...placed.map((p) => p.x)) - margin;
  const minY = Math.min(...placed.map((p) => p.y)) - margin;
  const maxX = Math.max(...placed.map((p) => p.x + p.width)) + margin;
  const maxY = Math.max(...placed.map((p) => p.y + p.height)) + margin;
  return { viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, buildings: placed, scale };
}
