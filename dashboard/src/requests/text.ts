/** A request's place and deadline in words. */
import type { RequestPlace, ServiceRequest } from '../../../contract/index.ts';
import { homePlace } from '../care/place.ts';
import { formatDuration } from '../format/duration.ts';
import type { PlaceLookup, Translate } from '../format/place.ts';

export function requestPlace(place: RequestPlace, lookup: PlaceLookup, t: Translate): string {
  const home = place.buildingId || place.unit || place.room ? homePlace(place, lookup, t) : null;
  return [home, place.address].filter(Boolean).join(' · ') || t('place.unknown');
}

export type DeadlineKind = 'left' | 'late' | 'respondedOnTime' | 'respondedLate';

/** Where a request stands against its first-response deadline: time left, how late, or how it was answered. */
export function deadlineState(request: Pick<ServiceRequest, 'deadline' | 'respondedAt'>, now: number): { kind: DeadlineKind; seconds: number } {
  const deadline = Date.parse(request.deadline);
  if (request.respondedAt) {
    const late = (Date.parse(request.respondedAt) - deadline) / 1000;
    return late > 0 ? { kind: 'respondedLate', seconds: late } : { kind: 'respondedOnTime', seconds: 0 };
  }
  const left = (deadline - now) / 1000;
  return left > 0 ? { kind: 'left', seconds: left } : { kind: 'late', seconds: -left };
}

export function deadlineText(request: Pick<ServiceRequest, 'deadline' | 'respondedAt'>, now: number, locale: string, t: Translate): string {
  const { kind, seconds } = deadlineState(request, now);
  return kind === 'respondedOnTime' ? t('requests.deadline.respondedOnTime') : t(`requests.deadline.${kind}`, { duration: formatDuration(seconds, locale) });
}
