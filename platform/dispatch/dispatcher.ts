/**
 * Dispatch: every incident goes by place → grid → the on-duty grid worker (the backup when away), on
 * every channel its level's policy names; if nobody acknowledges, escalation climbs the stages on
 * persisted timers (grid leader and duty officer, then the street emergency centre), reminders repeat
 * until someone acknowledges, and an on-site deadline follows the acknowledgement. Everything runs in
 * the caller's transaction, notifications through the outbox, and every step is audited.
 */
import type pg from 'pg';
import type { Alert, AlertNotifyEvent, CareProfile, Channel, Incident, WorkerPosition } from '../../contract/index.ts';
import { maskedProfile } from '../care/residents.ts';
import type { Logger } from '../logger.ts';
import { type Disclosure, MASKED, type PersonPlace } from '../privacy/mask.ts';
import type { AlertStore } from '../store/alerts.ts';
import type { IncidentStore } from '../store/incidents.ts';
import type { PeopleStore, Recipient } from '../store/people.ts';
import type { TimerChange, TimerStore } from '../store/timers.ts';
import type { BroadcastMessage } from './broadcast.ts';
import { recipientsFor, type DutyCandidate } from './duty.ts';
import type { NewNotification, OutboxPort } from './outbox-port.ts';
import type { DispatchPolicy, PolicyStore } from './policy.ts';

export const escalateKey = (incidentId: string) => `escalate|${incidentId}`;
export const remindKey = (incidentId: string) => `remind|${incidentId}`;
export const onSiteKey = (incidentId: string) => `onsite|${incidentId}`;

export interface DispatchDeps {
  incidents: IncidentStore;
  alerts: AlertStore;
  people: PeopleStore;
  timers: TimerStore;
  policy: PolicyStore;
  outbox: OutboxPort;
  logger: Logger;
  /** The household behind a device, read whole; each notification masks it for its recipient and channel. */
  careProfile?: (q: pg.PoolClient, deviceId: string, now: number) => Promise<CareProfile | null>;
}

/** A grid worker of the household's grid sees phones on a channel only they read; group robots never. */
const PERSONAL_CHANNELS = new Set(['webhook', 'sms']);
function disclosureOn(person: DutyCandidate, channel: Channel): (place: PersonPlace) => Disclosure {
  return (place) => (PERSONAL_CHANNELS.has(channel.type) && place.gridId !== null && person.gridIds.includes(place.gridId) ? { phone: true, idNumber: false } : MASKED);
}

/** Side effects to run once the transaction has committed (live events, the outbox kick, broadcasts). */
export interface AfterCommit {
  incidents: Map<string, Incident>;
  alerts: Map<string, Alert>;
  /** Alerts newly raised in this transaction (live `alert.raised`; others are `alert.updated`). */
  raised: Set<string>;
  notified: boolean;
  /** Incidents that may call for an emergency broadcast, and the broadcasts recorded for them. */
  broadcast: Incident[];
  broadcasts: BroadcastMessage[];
}

export function afterCommit(): AfterCommit {
  return { incidents: new Map(), alerts: new Map(), raised: new Set(), notified: false, broadcast: [], broadcasts: [] };
}

const asRecipient = (w: DutyCandidate): Recipient => ({ workerId: w.id, name: w.name, position: w.position });

export class Dispatcher {
  constructor(private readonly deps: DispatchDeps) {}

  private policyFor(incident: Incident) {
    return this.deps.policy.get().levels[incident.level];
  }

  /** The people of one stage for this incident, on duty now. */
  private async stageRecipients(client: pg.PoolClient, incident: Incident, positions: readonly WorkerPosition[], now: number): Promise<DutyCandidate[]> {
    const candidates = await this.deps.people.dutyCandidates(client, incident.communityId);
    let chosen = recipientsFor(candidates, incident.gridId, positions, now);
    // Nobody of the stage on duty: the community's duty officer must hear of it rather than nobody.
    if (!chosen.length && !positions.includes('duty_officer')) chosen = recipientsFor(candidates, incident.gridId, ['duty_officer'], now);
    return chosen;
  }

  private async notify(client: pg.PoolClient, incident: Incident, alert: Alert, people: DutyCandidate[], event: AlertNotifyEvent, stage: number, now: number, after: AfterCommit): Promise<void> {
    const channels = new Set(this.policyFor(incident).channels);
    const items: NewNotification[] = [];
    const profile = people.length ? await this.deps.careProfile?.(client, alert.deviceId, now) : null;
    for (const person of people) {
      for (const channel of person.channels) {
        if (!channels.has(channel.type)) continue;
        const recipient = { workerId: person.id, name: person.name, position: person.position };
        const care = profile ? maskedProfile(profile, disclosureOn(person, channel)) : null;
        items.push({ incidentId: incident.id, alertId: alert.id, event, stage, level: incident.level, recipient, channel, payload: { event, alert, incident, recipient, stage, ...(care ? { care } : {}) } });
      }
    }
    if (items.length) {
      await this.deps.outbox.enqueue(client, items, now);
      after.notified = true;
    }
    await this.deps.incidents.record(client, incident.id, now, 'notified', {
      event,
      stage,
      recipients: people.map((p) => ({ workerId: p.id, name: p.name, position: p.position })),
      channels: items.map((i) => i.channel.type),
    });
  }

  private schedule(incident: Incident, stage: number, now: number): TimerChange[] {
    const policy = this.policyFor(incident);
    const next = policy.escalation[stage + 1];
    const changes: TimerChange[] = [];
    const opened = Date.parse(incident.openedAt);
    changes.push(next ? { op: 'set', key: escalateKey(incident.id), dueAt: Math.max(now, opened + next.afterS * 1000), kind: 'escalate', payload: { incidentId: incident.id, stage: stage + 1 } } : { op: 'cancel', key: escalateKey(incident.id) });
    changes.push(policy.remindEveryS ? { op: 'set', key: remindKey(incident.id), dueAt: now + policy.remindEveryS * 1000, kind: 'remind', payload: { incidentId: incident.id } } : { op: 'cancel', key: remindKey(incident.id) });
    return changes;
  }

  /** An alert opened an incident, joined one, or raised its level. */
  async onAlert(client: pg.PoolClient, incident: Incident, alert: Alert, change: 'opened' | 'joined' | 'level_raised' | 'unchanged', now: number, after: AfterCommit): Promise<Incident> {
    const { incidents, timers, alerts } = this.deps;
    after.incidents.set(incident.id, incident);
    if (incident.suppressed || incident.test) {
      if (change === 'opened') await incidents.record(client, incident.id, now, 'not_paged', { reason: incident.suppressed ?? 'test_mode' });
      return incident;
    }
    if (change === 'joined' || change === 'unchanged') {
      // Coalesced: the people on it already know; the alert takes the incident's assignees.
      const updated = await alerts.attachToIncident(client, alert.id, incident.id, incident.assignees);
      after.alerts.set(updated.id, updated);
      return incident;
    }
    if (incident.status !== 'open' && change === 'level_raised') {
      // Someone is already on it: tell them the hazard grew, without restarting escalation.
      const people = await this.stageRecipients(client, incident, this.policyFor(incident).escalation[0]!.positions, now);
      await this.notify(client, incident, alert, people, 'alert.updated', incident.escalationStage, now, after);
      const updated = await alerts.attachToIncident(client, alert.id, incident.id, incident.assignees);
      after.alerts.set(updated.id, updated);
      return incident;
    }
    const policy = this.policyFor(incident);
    // A new incident starts at stage 0; one whose level rose may already be late for the stricter stages.
    const opened = Date.parse(incident.openedAt);
    let stage = change === 'opened' ? 0 : incident.escalationStage;
    while (policy.escalation[stage + 1] && opened + policy.escalation[stage + 1]!.afterS * 1000 <= now) stage++;
    const positions = [...new Set(policy.escalation.slice(0, stage + 1).flatMap((s) => s.positions))];
    const people = await this.stageRecipients(client, incident, positions, now);
    const assignees = mergeAssignees(incident.assignees, people.map(asRecipient));
    const updated = await incidents.update(client, incident.id, { escalationStage: stage, assignees });
    await this.notify(client, updated, alert, people, change === 'opened' ? 'alert.raised' : 'alert.escalated', stage, now, after);
    await timers.apply(this.schedule(updated, stage, now), client);
    for (const a of await alerts.setAssignees(client, incident.id, assignees)) after.alerts.set(a.id, a);
    after.incidents.set(updated.id, updated);
    if (change === 'opened' || change === 'level_raised') after.broadcast.push(updated);
    return updated;
  }

  /** Escalation timer: nobody acknowledged in time; page the next stage too. */
  async escalate(client: pg.PoolClient, incidentId: string, stage: number, now: number, after: AfterCommit, reason = 'not acknowledged in time'): Promise<void> {
    const { incidents, timers, alerts } = this.deps;
    const incident = await incidents.lock(client, incidentId);
    if (!incident || incident.status === 'resolved' || incident.suppressed || incident.test) return;
    if (reason === 'not acknowledged in time' && incident.status !== 'open') return;
    if (stage <= incident.escalationStage) return;
    const policy = this.policyFor(incident);
    const target = policy.escalation[stage];
    if (!target) return;
    const people = await this.stageRecipients(client, incident, target.positions, now);
    const assignees = mergeAssignees(incident.assignees, people.map(asRecipient));
    const updated = await incidents.update(client, incident.id, { escalationStage: stage, assignees });
    await incidents.record(client, incident.id, now, 'escalated', { stage, reason, to: people.map((p) => p.name) });
    const latest = (await alerts.ofIncident(incident.id, client)).at(-1)!;
    await this.notify(client, updated, latest, people, 'alert.escalated', stage, now, after);
    if (updated.status === 'open') await timers.apply(this.schedule(updated, stage, now), client);
    for (const a of await alerts.setAssignees(client, incident.id, assignees)) after.alerts.set(a.id, a);
    after.incidents.set(updated.id, updated);
  }

  /** Reminder timer: still unacknowledged; page the current stages again. */
  async remind(client: pg.PoolClient, incidentId: string, now: number, after: AfterCommit): Promise<void> {
    const { incidents, timers, alerts } = this.deps;
    const incident = await incidents.lock(client, incidentId);
    if (!incident || incident.status !== 'open' || incident.suppressed || incident.test) return;
    const policy = this.policyFor(incident);
    const positions = [...new Set(policy.escalation.slice(0, incident.escalationStage + 1).flatMap((s) => s.positions))];
    const people = await this.stageRecipients(client, incident, positions, now);
    const latest = (await alerts.ofIncident(incident.id, client)).at(-1)!;
    await this.notify(client, incident, latest, people, 'alert.reminder', incident.escalationStage, now, after);
    if (policy.remindEveryS) await timers.apply([{ op: 'set', key: remindKey(incident.id), dueAt: now + policy.remindEveryS * 1000, kind: 'remind', payload: { incidentId } }], client);
  }

  /** On-site deadline: acknowledged but nobody arrived; escalate to the next stage. */
  async onSiteOverdue(client: pg.PoolClient, incidentId: string, now: number, after: AfterCommit): Promise<void> {
    const incident = await this.deps.incidents.lock(client, incidentId);
    if (!incident || incident.status !== 'acknowledged') return;
    await this.deps.incidents.record(client, incidentId, now, 'on_site_overdue', { stage: incident.escalationStage });
    await this.escalate(client, incidentId, incident.escalationStage + 1, now, after, 'nobody on site in time');
  }

  /** An alert of the incident moved on its lifecycle: the incident follows, and its timers with it. */
  async onAlertTransition(client: pg.PoolClient, alert: Alert, action: 'acknowledge' | 'on_site' | 'resolve', actor: { id: string; name: string }, now: number, after: AfterCommit): Promise<void> {
    const { incidents, timers, alerts } = this.deps;
    if (!alert.incidentId) return;
    const incident = await incidents.lock(client, alert.incidentId);
    if (!incident || incident.status === 'resolved') return;
    const policy = this.policyFor(incident);
    let updated = incident;
    if (action === 'acknowledge' && incident.status === 'open') {
      updated = await incidents.update(client, incident.id, { status: 'acknowledged', stamp: 'acknowledged_at', at: now });
      const changes: TimerChange[] = [{ op: 'cancel', key: escalateKey(incident.id) }, { op: 'cancel', key: remindKey(incident.id) }];
      if (policy.onSiteWithinS) changes.push({ op: 'set', key: onSiteKey(incident.id), dueAt: now + policy.onSiteWithinS * 1000, kind: 'onsite', payload: { incidentId: incident.id } });
      await timers.apply(changes, client);
      await incidents.record(client, incident.id, now, 'acknowledged', { alertId: alert.id }, actor);
      // Those the escalation reached are told someone is on it.
      if (incident.escalationStage > 0) {
        const positions = [...new Set(policy.escalation.slice(1, incident.escalationStage + 1).flatMap((s) => s.positions))];
        await this.notify(client, updated, alert, await this.stageRecipients(client, updated, positions, now), 'alert.updated', incident.escalationStage, now, after);
      }
    } else if (action === 'on_site' && incident.status !== 'on_site') {
      updated = await incidents.update(client, incident.id, { status: 'on_site', stamp: 'on_site_at', at: now, ...(incident.status === 'open' ? {} : {}) });
      await timers.apply([{ op: 'cancel', key: onSiteKey(incident.id) }, { op: 'cancel', key: escalateKey(incident.id) }, { op: 'cancel', key: remindKey(incident.id) }], client);
      await incidents.record(client, incident.id, now, 'on_site', { alertId: alert.id }, actor);
    } else if (action === 'resolve') {
      const open = (await alerts.ofIncident(incident.id, client)).filter((a) => a.status !== 'resolved');
      if (!open.length) {
        updated = await incidents.update(client, incident.id, { status: 'resolved', stamp: 'resolved_at', at: now });
        await timers.apply([{ op: 'cancel', key: onSiteKey(incident.id) }, { op: 'cancel', key: escalateKey(incident.id) }, { op: 'cancel', key: remindKey(incident.id) }], client);
        await incidents.record(client, incident.id, now, 'resolved', { alertId: alert.id }, actor);
      }
    }
    after.incidents.set(updated.id, updated);
  }

  /** A call the resident cancelled: everyone paged so far hears it is off (the alert shows it resolved). */
  async cancelled(client: pg.PoolClient, alert: Alert, now: number, after: AfterCommit): Promise<void> {
    if (!alert.incidentId) return;
    const incident = await this.deps.incidents.get(alert.incidentId, client);
    if (!incident || incident.suppressed || incident.test) return;
    const positions = [...new Set(this.policyFor(incident).escalation.slice(0, incident.escalationStage + 1).flatMap((s) => s.positions))];
    const people = await this.stageRecipients(client, incident, positions, now);
    await this.notify(client, incident, alert, people, 'alert.updated', incident.escalationStage, now, after);
    await this.deps.incidents.record(client, incident.id, now, 'cancelled', { alertId: alert.id });
  }

  policy(): DispatchPolicy {
    return this.deps.policy.get();
  }
}

function mergeAssignees(current: Recipient[], added: Recipient[]): Recipient[] {
  const byId = new Map(current.map((r) => [r.workerId, r]));
  for (const r of added) byId.set(r.workerId, r);
  return [...byId.values()];
}
