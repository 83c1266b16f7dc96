/** Where a household is, in words: building, unit and room (the grid goes without saying on a list). */
import type { PlaceLookup, Translate } from '../format/place.ts';

export interface HomePlace {
  buildingId: string | null;
  unit: string | null;
  room: string | null;
}

export function homePlace(place: HomePlace, lookup: PlaceLookup, t: Translate): string {
  const parts: string[] = [];
  if (place.buildingId) parts.push(lookup.building(place.buildingId)?.name ?? place.buildingId);
  if (place.unit) parts.push(t('place.unit', { n: place.unit }));
  if (place.room) parts.push(t('place.room', { n: place.room }));
  return parts.length ? parts.join(' · ') : t('place.unknown');
}
