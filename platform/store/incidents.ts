/** Incidents: alerts of one place and hazard grouped, with their own lifecycle, escalation stage and history. */
import type { AlertStatus, HazardCategory, Incident, LocalizedText, WarningLevel } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import { incidentDeadline } from '../dispatch/deadline.ts';
import { DEFAULT_POLICY, type DispatchPolicy } from '../dispatch/policy.ts';
import { newId } from '../ids.ts';
import type { Recipient } from './people.ts';

interface IncidentRow {
  id: string;
  community_id: string;
  building_id: string | null;
  grid_id: string | null;
  category: HazardCategory;
  scope: Incident['scope'];
  level: WarningLevel;
  status: AlertStatus;
  title: LocalizedText;
  confirmed: string | null;
  test: boolean;
  suppressed: string | null;
  opened_at: Date;
  last_alert_at: Date;
  acknowledged_at: Date | null;
  on_site_at: Date | null;
  resolved_at: Date | null;
  escalation_stage: number;
  assignees: Recipient[];
  alert_ids: string[] | null;
}

const SELECT = `SELECT i.*, (SELECT array_agg(a.id ORDER BY a.raised_at, a.id) FROM alerts a WHERE a.incident_id = i.id) AS alert_ids FROM incidents i`;

function toIncident(r: IncidentRow, policy: () => DispatchPolicy): Incident {
  const incident: Omit<Incident, 'deadline'> = {
    id: r.id,
    communityId: r.community_id,
    buildingId: r.building_id,
    gridId: r.grid_id,
    category: r.category,
    scope: r.scope,
    level: r.level,
    status: r.status,
    title: r.title,
    confirmed: r.confirmed,
    test: r.test,
    suppressed: r.suppressed,
    openedAt: isoRequired(r.opened_at),
    lastAlertAt: isoRequired(r.last_alert_at),
    acknowledgedAt: iso(r.acknowledged_at),
    onSiteAt: iso(r.on_site_at),
    resolvedAt: iso(r.resolved_at),
    escalationStage: r.escalation_stage,
    assignees: r.assignees,
    alertIds: r.alert_ids ?? [],
  };
  return { ...incident, deadline: incidentDeadline(incident, policy().levels[incident.level]) };
}

export interface IncidentHistoryEntry {
  at: string;
  action: string;
  detail: unknown;
  actor: { id: string; name: string } | null;
}

export interface NewIncident {
  communityId: string;
  buildingId: string | null;
  gridId: string | null;
  category: HazardCategory;
  scope: Incident['scope'];
  level: WarningLevel;
  title: LocalizedText;
  test: boolean;
  suppressed: string | null;
  at: number;
}

export class IncidentStore {
  /** `policy` gives the dispatch policy that sets each incident's deadline. */
  constructor(
    private readonly db: Database,
    private readonly policy: () => DispatchPolicy = () => DEFAULT_POLICY,
  ) {}

  private toIncident = (r: IncidentRow): Incident => toIncident(r, this.policy);

  async get(id: string, q: Queryable = this.db): Promise<Incident | undefined> {
    const { rows } = await q.query<IncidentRow>(`${SELECT} WHERE i.id = $1`, [id]);
    return rows[0] && this.toIncident(rows[0]);
  }

  /** Locks the incident row for the rest of the caller's transaction. */
  async lock(q: Queryable, id: string): Promise<Incident | undefined> {
    const { rows } = await q.query<IncidentRow>(`${SELECT} WHERE i.id = $1 FOR UPDATE OF i`, [id]);
    return rows[0] && this.toIncident(rows[0]);
  }

  /** The open incident an alert of this place and category joins, if one saw an alert since `since`. */
  async findOpen(q: Queryable, where: { communityId: string; category: string; buildingId?: string | null; deviceScopeOf?: string }, since: number): Promise<Incident | undefined> {
    const params = new SqlParams();
    const clauses = [`i.status <> 'resolved'`, `i.community_id = ${params.add(where.communityId)}`, `i.category = ${params.add(where.category)}`, `i.last_alert_at >= ${params.add(new Date(since))}`];
    if (where.buildingId !== undefined) clauses.push(where.buildingId === null ? 'i.building_id IS NULL' : `i.building_id = ${params.add(where.buildingId)}`);
    if (where.deviceScopeOf) clauses.push(`i.scope = 'device' AND EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id AND a.device_id = ${params.add(where.deviceScopeOf)})`);
    const { rows } = await q.query<IncidentRow>(`${SELECT} WHERE ${clauses.join(' AND ')} ORDER BY i.last_alert_at DESC LIMIT 1 FOR UPDATE OF i`, params.values);
    return rows[0] && this.toIncident(rows[0]);
  }

  /** Any open incident of a device (a flapping device's alerts join it). */
  async openOfDevice(q: Queryable, deviceId: string): Promise<Incident | undefined> {
    const { rows } = await q.query<IncidentRow>(
      `${SELECT} WHERE i.status <> 'resolved' AND EXISTS (SELECT 1 FROM alerts a WHERE a.incident_id = i.id AND a.device_id = $1) ORDER BY i.last_alert_at DESC LIMIT 1 FOR UPDATE OF i`,
      [deviceId],
    );
    return rows[0] && this.toIncident(rows[0]);
  }

  async create(q: Queryable, input: NewIncident): Promise<Incident> {
    // A new incident has no alerts yet: the row as inserted is the whole incident.
    const { rows } = await q.query<IncidentRow>(
      `INSERT INTO incidents (id, community_id, building_id, grid_id, category, scope, level, status, title, test, suppressed, opened_at, last_alert_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $10, $11, $11) RETURNING *, NULL::text[] AS alert_ids`,
      [newId('inc'), input.communityId, input.buildingId, input.gridId, input.category, input.scope, input.level, JSON.stringify(input.title), input.test, input.suppressed, new Date(input.at)],
    );
    return this.toIncident(rows[0]!);
  }

  async update(
    q: Queryable,
    id: string,
    changes: Partial<{ level: WarningLevel; scope: Incident['scope']; confirmed: string; title: LocalizedText; lastAlertAt: number; status: AlertStatus; escalationStage: number; assignees: Recipient[]; stamp: 'acknowledged_at' | 'on_site_at' | 'resolved_at'; at: number }>,
  ): Promise<Incident> {
    const sets: string[] = [];
    const params = new SqlParams();
    params.add(id);
    if (changes.level) sets.push(`level = ${params.add(changes.level)}`);
    if (changes.scope) sets.push(`scope = ${params.add(changes.scope)}`);
    if (changes.confirmed) sets.push(`confirmed = ${params.add(changes.confirmed)}`);
    if (changes.title) sets.push(`title = ${params.add(JSON.stringify(changes.title))}`);
    if (changes.lastAlertAt !== undefined) sets.push(`last_alert_at = GREATEST(last_alert_at, ${params.add(new Date(changes.lastAlertAt))})`);
    if (changes.status) sets.push(`status = ${params.add(changes.status)}`);
    if (changes.escalationStage !== undefined) sets.push(`escalation_stage = ${params.add(changes.escalationStage)}`);
    if (changes.assignees) sets.push(`assignees = ${params.add(JSON.stringify(changes.assignees))}`);
    if (changes.stamp && changes.at !== undefined) sets.push(`${changes.stamp} = ${params.add(new Date(changes.at))}`);
    if (!sets.length) return (await this.get(id, q))!;
    // One round trip: the updated row with its alerts (the alerts as this transaction sees them).
    const { rows } = await q.query<IncidentRow>(
      `WITH i AS (UPDATE incidents SET ${sets.join(', ')} WHERE id = $1 RETURNING *)
       SELECT i.*, (SELECT array_agg(a.id ORDER BY a.raised_at, a.id) FROM alerts a WHERE a.incident_id = i.id) AS alert_ids FROM i`,
      params.values,
    );
    return this.toIncident(rows[0]!);
  }

  async record(q: Queryable, incidentId: string, at: number, action: string, detail: unknown, actor?: { id: string; name: string }): Promise<void> {
    await q.query('INSERT INTO incident_history (incident_id, at, action, detail, actor_id, actor_name) VALUES ($1, $2, $3, $4, $5, $6)', [
      incidentId,
      new Date(at),
      action,
      detail === undefined ? null : JSON.stringify(detail),
      actor?.id ?? null,
      actor?.name ?? 'system',
    ]);
  }

  async history(incidentId: string): Promise<IncidentHistoryEntry[]> {
    const { rows } = await this.db.query<{ at: Date; action: string; detail: unknown; actor_id: string | null; actor_name: string | null }>(
      'SELECT at, action, detail, actor_id, actor_name FROM incident_history WHERE incident_id = $1 ORDER BY id',
      [incidentId],
    );
    return rows.map((r) => ({ at: isoRequired(r.at), action: r.action, detail: r.detail, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? r.actor_id } : null }));
  }

  /** Distinct devices with open (not cleared) alerts in the incident, by rule. */
  async devicesByRule(q: Queryable, incidentId: string): Promise<{ deviceId: string; ruleId: string }[]> {
    const { rows } = await q.query<{ device_id: string; rule_id: string }>('SELECT DISTINCT device_id, rule_id FROM alerts WHERE incident_id = $1', [incidentId]);
    return rows.map((r) => ({ deviceId: r.device_id, ruleId: r.rule_id }));
  }

  async list(p: Principal, filter: { status?: AlertStatus | 'active'; communityId?: string; limit: number }): Promise<Incident[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'i.community_id', grid: 'i.grid_id' })];
    if (filter.status === 'active') where.push(`i.status <> 'resolved'`);
    else if (filter.status) where.push(`i.status = ${params.add(filter.status)}`);
    if (filter.communityId) where.push(`i.community_id = ${params.add(filter.communityId)}`);
    const { rows } = await this.db.query<IncidentRow>(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY i.opened_at DESC, i.id DESC LIMIT ${params.add(filter.limit)}`, params.values);
    return rows.map(this.toIncident);
  }
}
