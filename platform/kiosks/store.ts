/**
 * Kiosk records in PostgreSQL: profiles (service hours, maintainer), the availability log, work orders
 * with their history, and service records. Writers take the caller's transaction (`q`) where an alert's
 * transaction must include them.
 */
import type { Channel, KioskOutageReason, KioskServiceRecord, KioskServiceStats, KioskWorkOrder, KioskWorkOrderWithHistory, ServiceWindow, WorkerPosition } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import type { ReasonChange } from './availability.ts';
import { INITIAL_STATE } from './availability.ts';

export interface KioskRow {
  id: string;
  name: string | null;
  community_id: string;
  grid_id: string | null;
  building_id: string | null;
  owner_user_id: string | null;
  created_at: Date;
  service_hours: ServiceWindow[] | null;
  maintainer_worker_id: string | null;
  maintainer_name: string | null;
  maintainer_phone: string | null;
  maintainer_community_id: string | null;
  updated_at: Date | null;
  updated_by: string | null;
}

interface WorkOrderRow {
  id: string;
  device_id: string;
  device_name: string | null;
  community_id: string;
  grid_id: string | null;
  reason: 'fault' | 'paper';
  status: 'open' | 'closed';
  alert_id: string | null;
  detail: string | null;
  maintainer_worker_id: string | null;
  maintainer_name: string | null;
  opened_at: Date;
  closed_at: Date | null;
  close_reason: KioskWorkOrder['closeReason'];
  closed_by_id: string | null;
  closed_by_name: string | null;
  note: string | null;
}

export interface Actor {
  id: string;
  name: string;
  source?: string | null;
}

export type WorkOrderFilter = {
  status?: 'open' | 'closed';
  reason?: 'fault' | 'paper';
  deviceId?: string;
  communityId?: string;
  maintainerWorkerId?: string;
  limit: number;
};

export type StatsGroup = 'kiosk' | 'community' | 'day' | 'service';

const KIOSK_SELECT = `SELECT d.id, d.name, d.community_id, d.grid_id, d.building_id, d.owner_user_id, d.created_at,
    kp.service_hours, kp.maintainer_worker_id, kp.updated_at, kp.updated_by,
    w.name AS maintainer_name, w.phone AS maintainer_phone, w.community_id AS maintainer_community_id
  FROM devices d
  LEFT JOIN kiosk_profiles kp ON kp.device_id = d.id
  LEFT JOIN workers w ON w.id = kp.maintainer_worker_id`;

const WORK_ORDER_SELECT = `SELECT o.*, d.name AS device_name, d.community_id, d.grid_id
  FROM kiosk_work_orders o JOIN devices d ON d.id = o.device_id`;

/** A kiosk's scope is its device's; a worker also sees the kiosks (and work orders) it maintains. */
function scope(p: Principal, params: SqlParams, maintainerColumn: string): string {
  const base = scopeClause(p, params, { community: 'd.community_id', grid: 'd.grid_id', owner: 'd.owner_user_id' });
  return p.workerId && p.role === 'worker' ? `(${base} OR ${maintainerColumn} = ${params.add(p.workerId)})` : base;
}

export function toWorkOrder(r: WorkOrderRow): KioskWorkOrder {
  return {
    id: r.id,
    deviceId: r.device_id,
    deviceName: r.device_name,
    communityId: r.community_id,
    gridId: r.grid_id,
    reason: r.reason,
    status: r.status,
    detail: r.detail,
    alertId: r.alert_id,
    maintainer: r.maintainer_worker_id ? { workerId: r.maintainer_worker_id, name: r.maintainer_name ?? r.maintainer_worker_id } : null,
    openedAt: isoRequired(r.opened_at),
    closedAt: iso(r.closed_at),
    closeReason: r.close_reason,
    closedBy: r.closed_by_id ? { id: r.closed_by_id, name: r.closed_by_name ?? r.closed_by_id } : null,
    note: r.note,
  };
}

export class KioskStore {
  constructor(private readonly db: Database) {}

  // --- profiles

  async kiosks(p: Principal, filter: { communityId?: string; deviceId?: string }): Promise<KioskRow[]> {
    const params = new SqlParams();
    const where = [`d.kind = 'kiosk'`, scope(p, params, 'kp.maintainer_worker_id')];
    if (filter.communityId) where.push(`d.community_id = ${params.add(filter.communityId)}`);
    if (filter.deviceId) where.push(`d.id = ${params.add(filter.deviceId)}`);
    const { rows } = await this.db.query<KioskRow>(`${KIOSK_SELECT} WHERE ${where.join(' AND ')} ORDER BY d.community_id, d.id LIMIT 5000`, params.values);
    return rows;
  }

  async kiosk(id: string): Promise<KioskRow | undefined> {
    const { rows } = await this.db.query<KioskRow>(`${KIOSK_SELECT} WHERE d.kind = 'kiosk' AND d.id = $1`, [id]);
    return rows[0];
  }

  async saveProfile(q: Queryable, deviceId: string, profile: { serviceHours: ServiceWindow[] | null; maintainerWorkerId: string | null }, at: number, by: string): Promise<void> {
    await q.query(
      `INSERT INTO kiosk_profiles (device_id, service_hours, maintainer_worker_id, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (device_id) DO UPDATE SET service_hours = EXCLUDED.service_hours, maintainer_worker_id = EXCLUDED.maintainer_worker_id,
         updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by`,
      [deviceId, profile.serviceHours ? JSON.stringify(profile.serviceHours) : null, profile.maintainerWorkerId, new Date(at), by],
    );
  }

  async maintainerOf(q: Queryable, deviceId: string): Promise<{ id: string; name: string; position: WorkerPosition; channels: Channel[] } | undefined> {
    const { rows } = await q.query<{ id: string; name: string; position: WorkerPosition; channels: Channel[] }>(
      'SELECT w.id, w.name, w.position, w.channels FROM kiosk_profiles kp JOIN workers w ON w.id = kp.maintainer_worker_id WHERE kp.device_id = $1',
      [deviceId],
    );
    return rows[0];
  }

  // --- availability log

  /** Presence: recorded as it comes (the gateway reports transitions), for kiosks only. */
  async logPresence(deviceId: string, online: boolean, at: number): Promise<void> {
    await this.db.query(`INSERT INTO kiosk_availability_log (device_id, reason, unavailable, at) SELECT id, 'offline', $2, $3 FROM devices WHERE id = $1 AND kind = 'kiosk'`, [
      deviceId,
      !online,
      new Date(at),
    ]);
  }

  /** Records a reason's state at `at` unless it already holds then (readings repeat the same state). */
  async logIfChanged(q: Queryable, deviceId: string, reason: KioskOutageReason, unavailable: boolean, at: number, detail: string | null): Promise<boolean> {
    const { rowCount } = await q.query(
      `INSERT INTO kiosk_availability_log (device_id, reason, unavailable, at, detail)
       SELECT $1, $2, $3::boolean, $4, $5
        WHERE COALESCE((SELECT unavailable FROM kiosk_availability_log WHERE device_id = $1 AND reason = $2 AND at <= $4 ORDER BY at DESC, id DESC LIMIT 1), $6::boolean) <> $3::boolean`,
      [deviceId, reason, unavailable, new Date(at), detail, INITIAL_STATE[reason]],
    );
    return (rowCount ?? 0) > 0;
  }

  async log(q: Queryable, deviceId: string, reason: KioskOutageReason, unavailable: boolean, at: number, detail: string | null): Promise<void> {
    await q.query('INSERT INTO kiosk_availability_log (device_id, reason, unavailable, at, detail) VALUES ($1, $2, $3, $4, $5)', [deviceId, reason, unavailable, new Date(at), detail]);
  }

  /**
   * After a restart nobody has seen the kiosks since they were last heard from: each kiosk the log
   * shows online goes offline from then (its last message or connection), until it connects again.
   */
  async markUnseenOffline(): Promise<number> {
    const { rowCount } = await this.db.query(
      `INSERT INTO kiosk_availability_log (device_id, reason, unavailable, at, detail)
       SELECT d.id, 'offline', true, GREATEST(l.at, COALESCE(d.last_seen, l.at)), 'not seen since; the platform restarted'
         FROM devices d
         JOIN LATERAL (SELECT at, unavailable FROM kiosk_availability_log WHERE device_id = d.id AND reason = 'offline' ORDER BY at DESC, id DESC LIMIT 1) l ON true
        WHERE d.kind = 'kiosk' AND NOT l.unavailable`,
    );
    return rowCount ?? 0;
  }

  /** Each reason's state at `at` per kiosk (before a kiosk's first row: offline). */
  async currentReasons(deviceIds: string[], at: number, q: Queryable = this.db): Promise<Map<string, KioskOutageReason[]>> {
    const { rows } = await q.query<{ device_id: string; reason: KioskOutageReason; unavailable: boolean | null }>(
      `SELECT d.id AS device_id, r.reason, l.unavailable
         FROM unnest($1::text[]) AS d(id)
        CROSS JOIN unnest(ARRAY['offline', 'fault', 'no_paper']) AS r(reason)
         LEFT JOIN LATERAL (SELECT unavailable FROM kiosk_availability_log
                             WHERE device_id = d.id AND reason = r.reason AND at <= $2 ORDER BY at DESC, id DESC LIMIT 1) l ON true`,
      [deviceIds, new Date(at)],
    );
    const out = new Map<string, KioskOutageReason[]>(deviceIds.map((id) => [id, []]));
    for (const r of rows) if (r.unavailable ?? INITIAL_STATE[r.reason]) out.get(r.device_id)!.push(r.reason);
    return out;
  }

  /** The changes needed for [from, to): each reason's latest change at or before `from`, and every one after. */
  async changes(deviceIds: string[], from: number, to: number): Promise<Map<string, ReasonChange[]>> {
    const { rows } = await this.db.query<{ device_id: string; reason: KioskOutageReason; at: Date; unavailable: boolean }>(
      `(SELECT DISTINCT ON (device_id, reason) device_id, reason, at, unavailable, id FROM kiosk_availability_log
         WHERE device_id = ANY($1::text[]) AND at <= $2 ORDER BY device_id, reason, at DESC, id DESC)
       UNION ALL
       (SELECT device_id, reason, at, unavailable, id FROM kiosk_availability_log WHERE device_id = ANY($1::text[]) AND at > $2 AND at < $3)
       ORDER BY at, id`,
      [deviceIds, new Date(from), new Date(to)],
    );
    const out = new Map<string, ReasonChange[]>(deviceIds.map((id) => [id, []]));
    for (const r of rows) out.get(r.device_id)!.push({ reason: r.reason, at: r.at.getTime(), unavailable: r.unavailable });
    return out;
  }

  async logMany(q: Queryable, deviceId: string, changes: { at: number; reason: KioskOutageReason; unavailable: boolean; detail: string | null }[]): Promise<void> {
    await q.query(
      `INSERT INTO kiosk_availability_log (device_id, reason, unavailable, at, detail)
       SELECT $1, u.reason, u.unavailable, u.at, u.detail FROM unnest($2::text[], $3::boolean[], $4::timestamptz[], $5::text[]) AS u(reason, unavailable, at, detail)`,
      [deviceId, changes.map((c) => c.reason), changes.map((c) => c.unavailable), changes.map((c) => new Date(c.at)), changes.map((c) => c.detail)],
    );
  }

  /** When each kiosk's log starts (the demo and migrations may know of a kiosk before it was provisioned here). */
  async firstLogged(deviceIds: string[], q: Queryable = this.db): Promise<Map<string, number>> {
    const { rows } = await q.query<{ device_id: string; first: Date }>(
      'SELECT device_id, min(at) AS first FROM kiosk_availability_log WHERE device_id = ANY($1::text[]) GROUP BY device_id',
      [deviceIds],
    );
    return new Map(rows.map((r) => [r.device_id, r.first.getTime()]));
  }

  // --- work orders

  /** Opens a work order unless one is open for the kiosk and reason; undefined when one was. */
  async openWorkOrder(
    q: Queryable,
    input: { id: string; deviceId: string; reason: 'fault' | 'paper'; alertId: string | null; detail: string | null; maintainer: { id: string; name: string } | null; at: number },
  ): Promise<KioskWorkOrder | undefined> {
    const { rows } = await q.query<{ id: string }>(
      `INSERT INTO kiosk_work_orders (id, device_id, reason, status, alert_id, detail, maintainer_worker_id, maintainer_name, opened_at)
       VALUES ($1, $2, $3, 'open', $4, $5, $6, $7, $8)
       ON CONFLICT (device_id, reason) WHERE status = 'open' DO NOTHING RETURNING id`,
      [input.id, input.deviceId, input.reason, input.alertId, input.detail, input.maintainer?.id ?? null, input.maintainer?.name ?? null, new Date(input.at)],
    );
    if (!rows[0]) return undefined;
    return this.workOrder(rows[0].id, q);
  }

  /** Closes the open work orders matching `where` (by alert, or by id); answers those it closed. */
  async closeWorkOrders(
    q: Queryable,
    where: { alertId: string } | { id: string },
    close: { reason: NonNullable<KioskWorkOrder['closeReason']>; actor: Actor | null; note: string | null; at: number },
  ): Promise<KioskWorkOrder[]> {
    const [column, value] = 'alertId' in where ? ['alert_id', where.alertId] : ['id', where.id];
    const { rows } = await q.query<{ id: string }>(
      `UPDATE kiosk_work_orders SET status = 'closed', closed_at = $2, close_reason = $3, closed_by_id = $4, closed_by_name = $5, note = $6
        WHERE ${column} = $1 AND status = 'open' RETURNING id`,
      [value, new Date(close.at), close.reason, close.actor?.id ?? null, close.actor?.name ?? null, close.note],
    );
    const out: KioskWorkOrder[] = [];
    for (const { id } of rows) out.push((await this.workOrder(id, q))!);
    return out;
  }

  async reassignOpen(q: Queryable, deviceId: string, maintainer: { id: string; name: string } | null): Promise<string[]> {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE kiosk_work_orders SET maintainer_worker_id = $2, maintainer_name = $3
        WHERE device_id = $1 AND status = 'open' AND maintainer_worker_id IS DISTINCT FROM $2 RETURNING id`,
      [deviceId, maintainer?.id ?? null, maintainer?.name ?? null],
    );
    return rows.map((r) => r.id);
  }

  async record(q: Queryable, workOrderId: string, at: number, action: string, actor: Actor | null, note: string | null, detail?: unknown): Promise<void> {
    await q.query(
      'INSERT INTO kiosk_work_order_history (work_order_id, at, action, actor_id, actor_name, source, note, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [workOrderId, new Date(at), action, actor?.id ?? null, actor?.name ?? null, actor?.source ?? null, note, detail === undefined ? null : JSON.stringify(detail)],
    );
  }

  async workOrder(id: string, q: Queryable = this.db, lock = false): Promise<KioskWorkOrder | undefined> {
    const { rows } = await q.query<WorkOrderRow>(`${WORK_ORDER_SELECT} WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`, [id]);
    return rows[0] && toWorkOrder(rows[0]);
  }

  /** The work order if the principal may see it. */
  async visibleWorkOrder(p: Principal, id: string): Promise<KioskWorkOrder | undefined> {
    const params = new SqlParams();
    const where = [`o.id = ${params.add(id)}`, scope(p, params, 'o.maintainer_worker_id')];
    const { rows } = await this.db.query<WorkOrderRow>(`${WORK_ORDER_SELECT} WHERE ${where.join(' AND ')}`, params.values);
    return rows[0] && toWorkOrder(rows[0]);
  }

  async workOrderHistory(id: string): Promise<KioskWorkOrderWithHistory['history']> {
    const { rows } = await this.db.query<{ at: Date; action: string; actor_id: string | null; actor_name: string | null; source: string | null; note: string | null; detail: unknown }>(
      'SELECT at, action, actor_id, actor_name, source, note, detail FROM kiosk_work_order_history WHERE work_order_id = $1 ORDER BY id',
      [id],
    );
    return rows.map((r) => ({ at: isoRequired(r.at), action: r.action, actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? r.actor_id } : null, source: r.source, note: r.note, detail: r.detail }));
  }

  async workOrders(p: Principal, filter: WorkOrderFilter): Promise<KioskWorkOrder[]> {
    const params = new SqlParams();
    const where = [scope(p, params, 'o.maintainer_worker_id')];
    if (filter.status) where.push(`o.status = ${params.add(filter.status)}`);
    if (filter.reason) where.push(`o.reason = ${params.add(filter.reason)}`);
    if (filter.deviceId) where.push(`o.device_id = ${params.add(filter.deviceId)}`);
    if (filter.communityId) where.push(`d.community_id = ${params.add(filter.communityId)}`);
    if (filter.maintainerWorkerId) where.push(`o.maintainer_worker_id = ${params.add(filter.maintainerWorkerId)}`);
    const { rows } = await this.db.query<WorkOrderRow>(
      `${WORK_ORDER_SELECT} WHERE ${where.join(' AND ')} ORDER BY o.opened_at DESC, o.id DESC LIMIT ${params.add(filter.limit)}`,
      params.values,
    );
    return rows.map(toWorkOrder);
  }

  async openWorkOrderCounts(deviceIds: string[]): Promise<Map<string, number>> {
    const { rows } = await this.db.query<{ device_id: string; n: number }>(
      `SELECT device_id, count(*)::int AS n FROM kiosk_work_orders WHERE status = 'open' AND device_id = ANY($1::text[]) GROUP BY device_id`,
      [deviceIds],
    );
    return new Map(rows.map((r) => [r.device_id, r.n]));
  }

  // --- services

  async insertServices(records: { deviceId: string; ts: number; service: string; durationS: number; rating: number | null }[]): Promise<void> {
    if (!records.length) return;
    await this.db.query(
      `INSERT INTO kiosk_services (device_id, ts, service, duration_s, rating)
       SELECT u.device_id, u.ts, u.service, u.duration_s, u.rating
         FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::float8[], $5::smallint[]) AS u(device_id, ts, service, duration_s, rating)
         JOIN devices d ON d.id = u.device_id
       ON CONFLICT (device_id, ts, service) DO NOTHING`,
      [records.map((r) => r.deviceId), records.map((r) => new Date(r.ts)), records.map((r) => r.service), records.map((r) => r.durationS), records.map((r) => r.rating)],
    );
  }

  async services(deviceIds: string[], from: number, to: number, limit: number): Promise<KioskServiceRecord[]> {
    const { rows } = await this.db.query<{ device_id: string; ts: Date; service: string; duration_s: number; rating: number | null }>(
      `SELECT device_id, ts, service, duration_s, rating FROM kiosk_services
        WHERE device_id = ANY($1::text[]) AND ts >= $2 AND ts < $3 ORDER BY ts DESC, id DESC LIMIT $4`,
      [deviceIds, new Date(from), new Date(to), limit],
    );
    return rows.map((r) => ({ deviceId: r.device_id, ts: isoRequired(r.ts), service: r.service, durationS: r.duration_s, rating: r.rating }));
  }

  /** Count, average duration and rating, and the rating distribution, per group (days are local). */
  async serviceStats(deviceIds: string[], from: number, to: number, by: StatsGroup): Promise<{ groups: (KioskServiceStats & { key: string })[]; total: KioskServiceStats }> {
    const key = { kiosk: 's.device_id', community: 'd.community_id', day: `to_char((s.ts AT TIME ZONE 'UTC') + interval '8 hours', 'YYYY-MM-DD')`, service: 's.service' }[by];
    const { rows } = await this.db.query<StatsRow & { key: string | null }>(
      `SELECT ${key} AS key, GROUPING(${key})::int AS grouped, ${STATS_COLUMNS}
         FROM kiosk_services s JOIN devices d ON d.id = s.device_id
        WHERE s.device_id = ANY($1::text[]) AND s.ts >= $2 AND s.ts < $3
        GROUP BY GROUPING SETS ((${key}), ())
        ORDER BY GROUPING(${key}), 1`,
      [deviceIds, new Date(from), new Date(to)],
    );
    const groups = rows.filter((r) => r.grouped === 0).map((r) => ({ key: r.key!, ...toStats(r) }));
    const totalRow = rows.find((r) => r.grouped === 1);
    return { groups, total: totalRow ? toStats(totalRow) : EMPTY_STATS };
  }
}

interface StatsRow {
  grouped: number;
  count: number;
  avg_duration: number | null;
  avg_rating: number | null;
  rated: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
}

const STATS_COLUMNS = `count(*)::int AS count, avg(s.duration_s)::float8 AS avg_duration, avg(s.rating)::float8 AS avg_rating, count(s.rating)::int AS rated,
  count(*) FILTER (WHERE s.rating = 1)::int AS r1, count(*) FILTER (WHERE s.rating = 2)::int AS r2, count(*) FILTER (WHERE s.rating = 3)::int AS r3,
  count(*) FILTER (WHERE s.rating = 4)::int AS r4, count(*) FILTER (WHERE s.rating = 5)::int AS r5`;

const round = (value: number | null, digits: number) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const toStats = (r: StatsRow): KioskServiceStats => ({
  count: r.count,
  averageDurationS: round(r.avg_duration, 1),
  averageRating: round(r.avg_rating, 2),
  rated: r.rated,
  ratings: { 1: r.r1, 2: r.r2, 3: r.r3, 4: r.r4, 5: r.r5 },
});
const EMPTY_STATS: KioskServiceStats = { count: 0, averageDurationS: null, averageRating: null, rated: 0, ratings: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } };
