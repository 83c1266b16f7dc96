/**
 * The control room's live alert queue: every active alert of the community, most severe level first,
 * and within a level the oldest first (it has waited longest), each with its incident (deadline,
 * escalation stage, assignees) when the incident store knows it.
 */
import type { Alert, Incident } from '../../../../contract/index.ts';
import { levelRank } from '../../levels.ts';
import { isActive } from '../../lifecycle.ts';

export interface QueueItem {
  alert: Alert;
  incident: Incident | null;
}

export function compareQueue(a: Alert, b: Alert): number {
  return levelRank(b.level) - levelRank(a.level) || Date.parse(a.raisedAt) - Date.parse(b.raisedAt) || a.id.localeCompare(b.id);
}

export function alertQueue(alerts: Iterable<Alert>, incidents: ReadonlyMap<string, Incident>, communityId: string | null): QueueItem[] {
  const items: QueueItem[] = [];
  for (const alert of alerts) {
    if (!isActive(alert.status) || (communityId !== null && alert.communityId !== communityId)) continue;
    items.push({ alert, incident: alert.incidentId ? (incidents.get(alert.incidentId) ?? null) : null });
  }
  return items.sort((a, b) => compareQueue(a.alert, b.alert));
}

/** Who is on it: the incident's assignees (escalation adds people), else the alert's own. */
export function assigneeNames(item: QueueItem): string[] {
  const people = item.incident?.assignees.length ? item.incident.assignees : item.alert.assignees;
  return people.map((p) => p.name);
}
