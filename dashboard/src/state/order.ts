/** Which alerts the list shows and in what order: active before resolved, then red first, then newest. */
import type { Alert } from '../../../contract/index.ts';
import { levelRank } from '../levels.ts';
import { isActive } from '../lifecycle.ts';
import type { AlertFilter } from './alerts.ts';

export function compareAlerts(a: Alert, b: Alert): number {
  return (
    Number(isActive(b.status)) - Number(isActive(a.status)) ||
    levelRank(b.level) - levelRank(a.level) ||
    Date.parse(b.raisedAt) - Date.parse(a.raisedAt) ||
    a.id.localeCompare(b.id)
  );
}

export function visibleAlerts(alerts: readonly Alert[], filter: AlertFilter, communityId: string | null): Alert[] {
  return alerts
    .filter((a) => (communityId === null || a.communityId === communityId) && (filter === 'all' || isActive(a.status)))
    .sort(compareAlerts);
}
