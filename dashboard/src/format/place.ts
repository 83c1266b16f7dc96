/** Where a device or alert is, in words: building, floor, unit, room, and the grid. */
import type { Building, DeviceLocation, Grid } from '../../../contract/index.ts';

export type Translate = (key: string, params?: Record<string, unknown>) => string;

export interface PlaceLookup {
  building(id: string): Building | undefined;
  grid(id: string): Grid | undefined;
}

export function placeParts(location: DeviceLocation | null, gridId: string | null, lookup: PlaceLookup, t: Translate): string[] {
  const parts: string[] = [];
  if (location) {
    parts.push(lookup.building(location.buildingId)?.name ?? location.buildingId);
    if (location.unit) parts.push(t('place.unit', { n: location.unit }));
    if (location.floor !== undefined) {
      parts.push(location.floor < 0 ? t('place.basement', { n: -location.floor }) : t('place.floor', { n: location.floor }));
    }
    if (location.room) parts.push(t('place.room', { n: location.room }));
  }
  if (gridId) parts.push(t('place.grid', { name: lookup.grid(gridId)?.name ?? gridId }));
  return parts;
}

export function placeText(location: DeviceLocation | null, gridId: string | null, lookup: PlaceLookup, t: Translate): string {
  const parts = placeParts(location, gridId, lookup, t);
  return parts.length ? parts.join(' · ') : t('place.unknown');
}
