/**
 * Alerts and their history. One open alert per (rule, device): a repeat increments its count.
 * Writers take the caller's transaction (`q`), so an alert, its incident and its notifications commit together.
 */
import type { Alert, AlertHistoryEntry, AlertStatus, DeviceKind, DeviceLocation, Disposition, LocalizedText, WarningLevel } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import { newId } from '../ids.ts';
import type { AlertAction } from '../alerts/lifecycle.ts';
import { TRANSITIONS } from '../alerts/lifecycle.ts';
import type { Recipient } from './people.ts';

export interface AlertRow {
  id: string;
  device_id: string;
  device_kind: DeviceKind;
  community_id: string;
  grid_id: string | null;
  building_id: string | null;
  location: DeviceLocation | null;
  rule_id: string;
  title: LocalizedText;
  level: WarningLevel;
  status: AlertStatus;
  count: number;
  value: number | null;
  raised_at: Date;
  last_at: Date;
  cleared_at: Date | null;
  acknowledged_at: Date | null;
  on_site_at: Date | null;
  resolved_at: Date | null;
  disposition: Disposition | null;
  assignees: Recipient[];
  incident_id: string | null;
  category: string;
  test: boolean;
  suppressed: string | null;
}

export function toAlert(r: AlertRow): Alert {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceKind: r.device_kind,
    communityId: r.community_id,
    gridId: r.grid_id,
    buildingId: r.building_id,
    location: r.location,
    rule: r.rule_id,
    title: r.title,
    level: r.level,
    status: r.status,
    count: r.count,
    value: r.value,
    raisedAt: isoRequired(r.raised_at),
    lastAt: isoRequired(r.last_at),
    clearedAt: iso(r.cleared_at),
    acknowledgedAt: iso(r.acknowledged_at),
    onSiteAt: iso(r.on_site_at),
    resolvedAt: iso(r.resolved_at),
    disposition: r.disposition,
    assignees: r.assignees,
    incidentId: r.incident_id,
    category: r.category as Alert['category'],
    test: r.test,
    suppressed: r.suppressed,
  };
}

export interface RaiseInput {
  ruleId: string;
  title: LocalizedText;
  category: string;
  level: WarningLevel;
  value: number | null;
  at: number;
  device: { id: string; kind: DeviceKind; communityId: string; gridId: string | null; buildingId: string | null; location: DeviceLocation | null };
  test: boolean;
  suppressed: string | null;
  source?: { journalId: string; seq: number };
}

/** Undefined when the signal replays a journal entry the alert has already counted. */
export type RaiseOutcome = { alert: Alert; change: 'raised' | 'repeated' | 'level_raised'; previousLevel: WarningLevel | null } | undefined;

export interface Actor {
  id: string;
  name: string;
  source: string | null;
}

export type TransitionOutcome = { alert: Alert; from: AlertStatus } | { error: 'not_found' | 'invalid_transition'; status?: AlertStatus };

export interface AlertFilter {
  status?: AlertStatus | 'active';
  deviceId?: string;
  communityId?: string;
  level?: WarningLevel;
  /** A worker id: only alerts addressed to that worker. */
  assignedTo?: string;
  limit: number;
}

const LEVELS_SQL = `ARRAY['blue','yellow','orange','red']`;

export class AlertStore {
  constructor(private readonly db: Database) {}

  async raise(q: Queryable, input: RaiseInput): Promise<RaiseOutcome> {
    const at = new Date(input.at);
    const { rows } = await q.query<AlertRow & { inserted: boolean; previous_level: WarningLevel | null }>(
      `WITH previous AS (
         SELECT level FROM alerts WHERE rule_id = $2 AND device_id = $3 AND status <> 'resolved'
       ), raised AS (
       INSERT INTO alerts (id, rule_id, device_id, device_kind, community_id, grid_id, building_id, location, title, level, status, value, raised_at, last_at,
                           journal_id, last_journal_seq, category, test, suppressed)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', $11, $12, $12, $13, $14, $15, $16, $17)
       ON CONFLICT (rule_id, device_id) WHERE status <> 'resolved' DO UPDATE SET
         count = alerts.count + 1,
         last_at = GREATEST(alerts.last_at, EXCLUDED.last_at),
         value = EXCLUDED.value,
         cleared_at = NULL,
         level = CASE WHEN array_position(${LEVELS_SQL}, EXCLUDED.level) > array_position(${LEVELS_SQL}, alerts.level)
                      THEN EXCLUDED.level ELSE alerts.level END,
         journal_id = EXCLUDED.journal_id,
         last_journal_seq = EXCLUDED.last_journal_seq
       WHERE EXCLUDED.last_journal_seq IS NULL OR alerts.last_journal_seq IS NULL
          OR alerts.journal_id IS DISTINCT FROM EXCLUDED.journal_id OR alerts.last_journal_seq < EXCLUDED.last_journal_seq
       RETURNING alerts.*, (xmax = 0) AS inserted, (SELECT level FROM previous) AS previous_level
       ), history AS (
         -- The history line in the same round trip, with the change as it is computed below.
         INSERT INTO alert_history (alert_id, at, action, to_status, actor_name, note)
         SELECT id, $12,
                CASE WHEN inserted THEN 'raised' WHEN previous_level IS DISTINCT FROM level THEN 'level_raised' ELSE 'repeated' END,
                status, 'system',
                CASE WHEN NOT inserted AND previous_level IS DISTINCT FROM level THEN previous_level::text || ' → ' || level::text ELSE $18 END
           FROM raised
       )
       SELECT * FROM raised`,
      [
        newId('alr'),
        input.ruleId,
        input.device.id,
        input.device.kind,
        input.device.communityId,
        input.device.gridId,
        input.device.buildingId,
        input.device.location ? JSON.stringify(input.device.location) : null,
        JSON.stringify(input.title),
        input.level,
        input.value,
        at,
        input.source?.journalId ?? null,
        input.source?.seq ?? null,
        input.category,
        input.test,
        input.suppressed,
        input.value === null ? null : `value ${input.value}`,
      ],
    );
    const row = rows[0];
    if (!row) return undefined;
    const change = row.inserted ? 'raised' : row.previous_level !== row.level ? 'level_raised' : 'repeated';
    return { alert: toAlert(row), change, previousLevel: row.previous_level };
  }

  async attachToIncident(q: Queryable, alertId: string, incidentId: string, assignees: Recipient[]): Promise<Alert> {
    const { rows } = await q.query<AlertRow>('UPDATE alerts SET incident_id = $2, assignees = $3 WHERE id = $1 RETURNING *', [alertId, incidentId, JSON.stringify(assignees)]);
    return toAlert(rows[0]!);
  }

  async setAssignees(q: Queryable, incidentId: string, assignees: Recipient[]): Promise<Alert[]> {
    const { rows } = await q.query<AlertRow>(`UPDATE alerts SET assignees = $2 WHERE incident_id = $1 AND status <> 'resolved' RETURNING *`, [incidentId, JSON.stringify(assignees)]);
    return rows.map(toAlert);
  }

  /** Marks the condition of the open alert of (rule, device) as cleared; a person still resolves it. */
  async clear(q: Queryable, ruleId: string, deviceId: string, at: number): Promise<Alert | undefined> {
    const { rows } = await q.query<AlertRow>(
      `UPDATE alerts SET cleared_at = $3 WHERE rule_id = $1 AND device_id = $2 AND status <> 'resolved' AND cleared_at IS NULL RETURNING *`,
      [ruleId, deviceId, new Date(at)],
    );
    const row = rows[0];
    if (!row) return undefined;
    await q.query(`INSERT INTO alert_history (alert_id, at, action, to_status, actor_name) VALUES ($1, $2, 'condition_cleared', $3, 'system')`, [row.id, new Date(at), row.status]);
    return toAlert(row);
  }

  async transition(q: Queryable, id: string, action: AlertAction, actor: Actor, at: number, options: { disposition?: Disposition; note?: string }): Promise<TransitionOutcome> {
    const { from, to } = TRANSITIONS[action];
    const stamp = { acknowledge: 'acknowledged_at', on_site: 'on_site_at', resolve: 'resolved_at', cancel: 'resolved_at' }[action];
    const current = await q.query<{ status: AlertStatus }>('SELECT status FROM alerts WHERE id = $1 FOR UPDATE', [id]);
    const status = current.rows[0]?.status;
    if (!status) return { error: 'not_found' };
    if (!from.includes(status)) return { error: 'invalid_transition', status };
    const { rows } = await q.query<AlertRow>(`UPDATE alerts SET status = $2, ${stamp} = $3, disposition = COALESCE($4, disposition) WHERE id = $1 RETURNING *`, [
      id,
      to,
      new Date(at),
      options.disposition ?? null,
    ]);
    await q.query(
      `INSERT INTO alert_history (alert_id, at, action, from_status, to_status, actor_id, actor_name, source, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [id, new Date(at), action, status, to, actor.id, actor.name, actor.source, [options.disposition, options.note].filter(Boolean).join(': ') || null],
    );
    return { alert: toAlert(rows[0]!), from: status };
  }

  async get(id: string, q: Queryable = this.db): Promise<Alert | undefined> {
    const { rows } = await q.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id]);
    return rows[0] && toAlert(rows[0]);
  }

  async ofIncident(incidentId: string, q: Queryable = this.db): Promise<Alert[]> {
    const { rows } = await q.query<AlertRow>('SELECT * FROM alerts WHERE incident_id = $1 ORDER BY raised_at, id', [incidentId]);
    return rows.map(toAlert);
  }

  async history(id: string): Promise<AlertHistoryEntry[]> {
    const { rows } = await this.db.query<{
      at: Date;
      action: string;
      from_status: AlertStatus | null;
      to_status: AlertStatus | null;
      actor_id: string | null;
      actor_name: string | null;
      source: string | null;
      note: string | null;
    }>('SELECT * FROM alert_history WHERE alert_id = $1 ORDER BY id', [id]);
    return rows.map((r) => ({
      at: isoRequired(r.at),
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? r.actor_id } : null,
      source: r.source,
      note: r.note,
    }));
  }

  async list(p: Principal, filter: AlertFilter): Promise<Alert[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'a.community_id', grid: 'a.grid_id', owner: 'd.owner_user_id' })];
    if (filter.status === 'active') where.push(`a.status <> 'resolved'`);
    else if (filter.status) where.push(`a.status = ${params.add(filter.status)}`);
    if (filter.deviceId) where.push(`a.device_id = ${params.add(filter.deviceId)}`);
    if (filter.communityId) where.push(`a.community_id = ${params.add(filter.communityId)}`);
    if (filter.level) where.push(`a.level = ${params.add(filter.level)}`);
    if (filter.assignedTo) where.push(`a.assignees @> ${params.add(JSON.stringify([{ workerId: filter.assignedTo }]))}::jsonb`);
    const { rows } = await this.db.query<AlertRow>(
      `SELECT a.* FROM alerts a JOIN devices d ON d.id = a.device_id WHERE ${where.join(' AND ')} ORDER BY a.raised_at DESC, a.id DESC LIMIT ${params.add(filter.limit)}`,
      params.values,
    );
    return rows.map(toAlert);
  }

  async openStates(): Promise<{ ruleId: string; deviceId: string; level: WarningLevel; cleared: boolean }[]> {
    const { rows } = await this.db.query<{ rule_id: string; device_id: string; level: WarningLevel; cleared: boolean }>(
      `SELECT rule_id, device_id, level, cleared_at IS NOT NULL AS cleared FROM alerts WHERE status <> 'resolved'`,
    );
    return rows.map((r) => ({ ruleId: r.rule_id, deviceId: r.device_id, level: r.level, cleared: r.cleared }));
  }

  async countOpenByLevel(communityId: string): Promise<Record<WarningLevel, number>> {
    const { rows } = await this.db.query<{ level: WarningLevel; n: number }>(
      `SELECT level, count(*)::int AS n FROM alerts WHERE community_id = $1 AND status <> 'resolved' GROUP BY level`,
      [communityId],
    );
    const counts: Record<WarningLevel, number> = { blue: 0, yellow: 0, orange: 0, red: 0 };
    for (const r of rows) counts[r.level] = r.n;
    return counts;
  }

  /** Devices of a community with an alert not yet resolved (tests excluded). */
  async devicesWithActiveAlerts(communityId: string): Promise<Set<string>> {
    const { rows } = await this.db.query<{ device_id: string }>(
      `SELECT DISTINCT device_id FROM alerts WHERE community_id = $1 AND status <> 'resolved' AND NOT test`,
      [communityId],
    );
    return new Set(rows.map((r) => r.device_id));
  }
}
