/**
 * Homes of elderly people living alone that have gone quiet: each open `care.inactivity` alert (yellow,
 * "check on the resident") with the household whose door contact or water meter raised it.
 */
import type { Alert, Household } from '../../../contract/index.ts';
import { isActive } from '../lifecycle.ts';

export const INACTIVITY_RULE = 'care.inactivity';

export interface QuietHome {
  alert: Alert;
  household: Household | null;
}

export function quietHomes(alerts: readonly Alert[], households: readonly Household[]): QuietHome[] {
  const byDevice = new Map<string, Household>();
  for (const household of households) for (const deviceId of household.deviceIds) byDevice.set(deviceId, household);
  return alerts
    .filter((a) => a.rule === INACTIVITY_RULE && isActive(a.status))
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt))
    .map((alert) => ({ alert, household: byDevice.get(alert.deviceId) ?? null }));
}

/** What on the live stream may change the care page: its alerts (inactivity and household alarms). */
export function careSignature(alerts: readonly Alert[]): string {
  return alerts
    .filter((a) => a.rule.startsWith('care.') || a.category === 'medical')
    .map((a) => `${a.id}:${a.status}`)
    .sort()
    .join(',');
}
