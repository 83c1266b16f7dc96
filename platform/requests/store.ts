/** The tables of residents' requests: the requests, their history, their reference counter and notifications. */
import type { PublicPlace, RequestHistoryEntry, RequestNotification, RequestNotifyEvent, RequestStatus, WorkerPosition } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import type { Recipient } from '../store/people.ts';
import { localDate } from '../local-time.ts';
import { formatReference } from './reference.ts';

export interface RequestRow {
  id: string;
  reference: string;
  check_code_hash: string;
  category: string;
  description: string;
  channel: string;
  community_id: string;
  grid_id: string | null;
  building_id: string | null;
  unit: string | null;
  room: string | null;
  address: string | null;
  contact_name: string;
  contact_phone: string;
  status: RequestStatus;
  assignee: Recipient | null;
  escalated_to: Recipient[];
  escalation_stage: number;
  received_at: Date;
  deadline: Date;
  responded_at: Date | null;
  closed_at: Date | null;
  resolution: string | null;
  rating: 'good' | 'fair' | 'bad' | null;
  rating_comment: string | null;
  rated_at: Date | null;
  device_id: string | null;
  source_key: string | null;
  created_by: string | null;
  created_at: Date;
}

export interface NewRequestRow {
  id: string;
  reference: string;
  checkCodeHash: string;
  category: string;
  description: string;
  channel: string;
  communityId: string;
  gridId: string | null;
  buildingId: string | null;
  unit: string | null;
  room: string | null;
  address: string | null;
  contactName: string;
  contactPhone: string;
  receivedAt: number;
  deadline: number;
  deviceId: string | null;
  sourceKey: string | null;
  createdBy: string | null;
  createdAt: number;
}

export interface RequestPatch {
  status?: RequestStatus;
  assignee?: Recipient | null;
  escalatedTo?: Recipient[];
  escalationStage?: number;
  respondedAt?: number;
  closedAt?: number;
  resolution?: string;
  rating?: { value: 'good' | 'fair' | 'bad'; comment: string | null; at: number };
}

export interface HistoryRecord {
  from?: RequestStatus | null;
  to?: RequestStatus | null;
  note?: string | null;
  detail?: unknown;
  actor?: { id: string; name: string } | null;
  source?: string | null;
}

export interface ListFilter {
  status?: RequestStatus | 'active';
  overdue?: boolean;
  communityId?: string;
  gridId?: string;
  category?: string;
  reference?: string;
  /** A worker id: requests assigned or escalated to that worker. */
  assignedTo?: string;
  from?: number;
  to?: number;
  limit: number;
}

/** Who may see a request: admins; operators of its community; workers of its grid, or those it was assigned or escalated to. */
export function requestScope(p: Principal, params: SqlParams, table = 'r'): string {
  switch (p.role) {
    case 'admin':
      return 'TRUE';
    case 'operator':
      return `${table}.community_id = ANY(${params.add(p.communityIds)}::text[])`;
    case 'worker': {
      if (!p.workerId) return `${table}.grid_id = ANY(${params.add(p.gridIds)}::text[])`;
      const me = params.add(p.workerId);
      return `(${table}.grid_id = ANY(${params.add(p.gridIds)}::text[]) OR ${table}.assignee->>'workerId' = ${me}
               OR ${table}.escalated_to @> jsonb_build_array(jsonb_build_object('workerId', ${me}::text)))`;
    }
    case 'vendor':
      return 'FALSE';
  }
}

/** `requestScope` for one row in hand. */
export function canSeeRequest(p: Principal, r: Pick<RequestRow, 'community_id' | 'grid_id' | 'assignee' | 'escalated_to'>): boolean {
  switch (p.role) {
    case 'admin':
      return true;
    case 'operator':
      return p.communityIds.includes(r.community_id);
    case 'worker':
      return (
        (r.grid_id !== null && p.gridIds.includes(r.grid_id)) ||
        (p.workerId !== null && (r.assignee?.workerId === p.workerId || r.escalated_to.some((e) => e.workerId === p.workerId)))
      );
    case 'vendor':
      return false;
  }
}

export class RequestStore {
  constructor(private readonly db: Database) {}

  /** The next reference number of the day, counted in the caller's transaction. */
  async nextReference(q: Queryable, now: number): Promise<string> {
    const day = localDate(now);
    const { rows } = await q.query<{ last: number }>(
      'INSERT INTO request_counters (day, last) VALUES ($1, 1) ON CONFLICT (day) DO UPDATE SET last = request_counters.last + 1 RETURNING last',
      [day],
    );
    return formatReference(day, rows[0]!.last);
  }

  async insert(q: Queryable, n: NewRequestRow): Promise<RequestRow> {
    const { rows } = await q.query<RequestRow>(
      `INSERT INTO resident_requests (id, reference, check_code_hash, category, description, channel, community_id, grid_id, building_id, unit, room, address,
                                      contact_name, contact_phone, status, received_at, deadline, device_id, source_key, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'open', $15, $16, $17, $18, $19, $20) RETURNING *`,
      [
        n.id, n.reference, n.checkCodeHash, n.category, n.description, n.channel, n.communityId, n.gridId, n.buildingId, n.unit, n.room, n.address,
        n.contactName, n.contactPhone, new Date(n.receivedAt), new Date(n.deadline), n.deviceId, n.sourceKey, n.createdBy, new Date(n.createdAt),
      ],
    );
    return rows[0]!;
  }

  async get(id: string, q: Queryable = this.db): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>('SELECT * FROM resident_requests WHERE id = $1', [id]);
    return rows[0];
  }

  async bySourceKey(key: string, q: Queryable = this.db): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>('SELECT * FROM resident_requests WHERE source_key = $1', [key]);
    return rows[0];
  }

  async byReference(reference: string, q: Queryable = this.db, forUpdate = false): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>(`SELECT * FROM resident_requests WHERE reference = $1${forUpdate ? ' FOR UPDATE' : ''}`, [reference]);
    return rows[0];
  }

  async lock(q: Queryable, id: string): Promise<RequestRow | undefined> {
    const { rows } = await q.query<RequestRow>('SELECT * FROM resident_requests WHERE id = $1 FOR UPDATE', [id]);
    return rows[0];
  }

  async update(q: Queryable, id: string, patch: RequestPatch): Promise<RequestRow> {
    const params = new SqlParams();
    const sets: string[] = [];
    const set = (column: string, value: unknown, cast = '') => sets.push(`${column} = ${params.add(value)}${cast}`);
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.assignee !== undefined) set('assignee', patch.assignee === null ? null : JSON.stringify(patch.assignee), '::jsonb');
    if (patch.escalatedTo !== undefined) set('escalated_to', JSON.stringify(patch.escalatedTo), '::jsonb');
    if (patch.escalationStage !== undefined) set('escalation_stage', patch.escalationStage);
    if (patch.respondedAt !== undefined) set('responded_at', new Date(patch.respondedAt));
    if (patch.closedAt !== undefined) set('closed_at', new Date(patch.closedAt));
    if (patch.resolution !== undefined) set('resolution', patch.resolution);
    if (patch.rating !== undefined) {
      set('rating', patch.rating.value);
      set('rating_comment', patch.rating.comment);
      set('rated_at', new Date(patch.rating.at));
    }
    const { rows } = await q.query<RequestRow>(`UPDATE resident_requests SET ${sets.join(', ')} WHERE id = ${params.add(id)} RETURNING *`, params.values);
    return rows[0]!;
  }

  async record(q: Queryable, requestId: string, at: number, action: string, r: HistoryRecord = {}): Promise<void> {
    await q.query(
      'INSERT INTO request_history (request_id, at, action, from_status, to_status, note, detail, actor_id, actor_name, source) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
      [
        requestId, new Date(at), action, r.from ?? null, r.to ?? null, r.note ?? null, r.detail === undefined ? null : JSON.stringify(r.detail),
        r.actor?.id ?? null, r.actor?.name ?? null, r.source ?? null,
      ],
    );
  }

  async history(requestId: string): Promise<RequestHistoryEntry[]> {
    const { rows } = await this.db.query<{
      at: Date; action: string; from_status: RequestStatus | null; to_status: RequestStatus | null; note: string | null; detail: unknown; actor_id: string | null; actor_name: string | null;
    }>('SELECT at, action, from_status, to_status, note, detail, actor_id, actor_name FROM request_history WHERE request_id = $1 ORDER BY id', [requestId]);
    return rows.map((r) => ({
      at: isoRequired(r.at),
      action: r.action,
      fromStatus: r.from_status,
      toStatus: r.to_status,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? r.actor_id } : null,
      note: r.note,
      detail: r.detail ?? null,
    }));
  }

  async list(p: Principal, f: ListFilter, now: number): Promise<RequestRow[]> {
    const params = new SqlParams();
    const where = [requestScope(p, params)];
    if (f.status === 'active') where.push(`r.status <> 'closed'`);
    else if (f.status) where.push(`r.status = ${params.add(f.status)}`);
    if (f.overdue !== undefined) {
      const overdue = `(r.responded_at IS NULL AND r.status <> 'closed' AND r.deadline < ${params.add(new Date(now))})`;
      where.push(f.overdue ? overdue : `NOT ${overdue}`);
    }
    if (f.communityId) where.push(`r.community_id = ${params.add(f.communityId)}`);
    if (f.gridId) where.push(`r.grid_id = ${params.add(f.gridId)}`);
    if (f.category) where.push(`r.category = ${params.add(f.category)}`);
    if (f.reference) where.push(`r.reference = ${params.add(f.reference)}`);
    if (f.assignedTo) {
      // Mine: assigned to me, or escalated to me (I was paged to step in).
      const me = params.add(f.assignedTo);
      where.push(`(r.assignee->>'workerId' = ${me} OR r.escalated_to @> jsonb_build_array(jsonb_build_object('workerId', ${me}::text)))`);
    }
    if (f.from !== undefined) where.push(`r.received_at >= ${params.add(new Date(f.from))}`);
    if (f.to !== undefined) where.push(`r.received_at < ${params.add(new Date(f.to))}`);
    // Overdue lists put the longest-waiting first; everything else is newest first.
    const order = f.overdue ? 'r.deadline, r.id' : 'r.received_at DESC, r.id DESC';
    const { rows } = await this.db.query<RequestRow>(`SELECT r.* FROM resident_requests r WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${params.add(f.limit)}`, params.values);
    return rows;
  }

  /** Communities and their buildings, for the resident's form: names only. */
  async publicPlaces(): Promise<PublicPlace[]> {
    const { rows } = await this.db.query<{ id: string; name: string; kind: 'urban' | 'rural'; buildings: PublicPlace['buildings'] | null }>(
      `SELECT c.id, c.name, c.kind,
              (SELECT json_agg(json_build_object('id', b.id, 'name', b.name, 'units', b.units) ORDER BY b.name) FROM buildings b WHERE b.community_id = c.id) AS buildings
         FROM communities c ORDER BY c.name`,
    );
    return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, buildings: r.buildings ?? [] }));
  }

  async notifications(requestId: string): Promise<RequestNotification[]> {
    const { rows } = await this.db.query<{
      id: string; event: RequestNotifyEvent; stage: number; recipient_worker_id: string | null; recipient_name: string; recipient_position: WorkerPosition | null;
      channel_type: string; status: RequestNotification['status']; attempts: number; created_at: Date; delivered_at: Date | null; last_error: string | null;
    }>(
      `SELECT id, event, stage, recipient_worker_id, recipient_name, payload->'recipient'->>'position' AS recipient_position, channel_type, status, attempts,
              created_at, delivered_at, last_error
         FROM notifications WHERE request_id = $1 ORDER BY created_at, id`,
      [requestId],
    );
    return rows.map((r) => ({
      id: r.id,
      event: r.event,
      stage: r.stage,
      recipient: { workerId: r.recipient_worker_id, name: r.recipient_name, position: r.recipient_position },
      channelType: r.channel_type,
      status: r.status,
      attempts: r.attempts,
      createdAt: isoRequired(r.created_at),
      deliveredAt: iso(r.delivered_at),
      lastError: r.last_error,
    }));
  }
}
