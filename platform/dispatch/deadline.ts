/**
 * An incident's next deadline under the dispatch policy, as the escalation and on-site timers are set:
 * while open, acknowledgement before the next escalation stage; once acknowledged, arrival on site.
 */
import type { Incident } from '../../contract/index.ts';
import type { LevelPolicy } from './policy.ts';

type Timing = Pick<Incident, 'status' | 'openedAt' | 'acknowledgedAt' | 'escalationStage' | 'suppressed' | 'test'>;

export function incidentDeadline(incident: Timing, policy: Pick<LevelPolicy, 'escalation' | 'onSiteWithinS'>): Incident['deadline'] {
  if (incident.suppressed || incident.test) return null;
  if (incident.status === 'open') {
    const next = policy.escalation[incident.escalationStage + 1];
    return next ? { kind: 'acknowledge', at: new Date(Date.parse(incident.openedAt) + next.afterS * 1000).toISOString() } : null;
  }
  if (incident.status === 'acknowledged' && incident.acknowledgedAt && policy.onSiteWithinS) {
    return { kind: 'on_site', at: new Date(Date.parse(incident.acknowledgedAt) + policy.onSiteWithinS * 1000).toISOString() };
  }
  return null;
}
