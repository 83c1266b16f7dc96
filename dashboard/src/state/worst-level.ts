/** The worst open (unresolved) alert level per building and per device, for colouring the map and the elevation. */
import type { Alert, WarningLevel } from '../../../contract/index.ts';
import { levelRank } from '../levels.ts';
import { isActive } from '../lifecycle.ts';

export interface WorstLevel {
  level: WarningLevel;
  /** Active alerts counted under the key, of any level. */
  count: number;
}

function worstBy(alerts: Iterable<Alert>, key: (alert: Alert) => string | null): Map<string, WorstLevel> {
  const out = new Map<string, WorstLevel>();
  for (const alert of alerts) {
    if (!isActive(alert.status)) continue;
    const id = key(alert);
    if (id === null) continue;
    const known = out.get(id);
    if (!known) out.set(id, { level: alert.level, count: 1 });
    else out.set(id, { level: levelRank(alert.level) > levelRank(known.level) ? alert.level : known.level, count: known.count + 1 });
  }
  return out;
}

/** By the alert's building (its own, or its location's). */
export function worstByBuilding(alerts: Iterable<Alert>): Map<string, WorstLevel> {
  return worstBy(alerts, (a) => a.buildingId ?? a.location?.buildingId ?? null);
}

export function worstByDevice(alerts: Iterable<Alert>): Map<string, WorstLevel> {
  return worstBy(alerts, (a) => a.deviceId);
}
