/** The outbox tables: notifications and their attempts, as rows and as contract `Notification`s. */
import type { PoolClient } from 'pg';
import type { z } from 'zod';
import { WorkerPosition, type Notification, type NotificationAttempt as AttemptSchema, type NotifyEvent, type WarningLevel } from '../../contract/index.ts';
import type { Database } from '../db/database.ts';
import { iso, isoRequired } from '../db/sql.ts';

type Status = Notification['status'];
// The contract exports the attempt's schema but no type of that name.
type NotificationAttempt = z.infer<typeof AttemptSchema>;

export interface NotificationRow {
  id: string;
  incident_id: string | null;
  alert_id: string | null;
  event: NotifyEvent;
  stage: number;
  level: WarningLevel;
  recipient_worker_id: string | null;
  recipient_name: string;
  recipient_position: string | null;
  channel_type: string;
  status: Status;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
  delivered_at: Date | null;
  receipt: unknown;
  last_error: string | null;
}

/** A row taken for delivery, with what delivering needs. */
export interface ClaimedRow extends NotificationRow {
  channel: unknown;
  payload: unknown;
  /** Where the request goes (URL origin, or the channel type): a slow one gets only a share of the slots. */
  destination: string;
}

interface AttemptRow {
  notification_id: string;
  at: Date;
  ok: boolean;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

// The table has no recipient position column; the payload's recipient carries it.
const COLUMNS = `id, incident_id, alert_id, event, stage, level, recipient_worker_id, recipient_name,
  payload->'recipient'->>'position' AS recipient_position, channel_type, status, attempts, next_attempt_at,
  created_at, delivered_at, receipt, last_error`;
const DESTINATION = `coalesce(substring(channel->>'url' from '^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]+'), channel_type)`;

export function toNotification(r: NotificationRow, attemptLog?: NotificationAttempt[]): Notification {
  return {
    id: r.id,
    incidentId: r.incident_id,
    alertId: r.alert_id,
    event: r.event,
    stage: r.stage,
    level: r.level,
    recipient: { workerId: r.recipient_worker_id, name: r.recipient_name, position: WorkerPosition.safeParse(r.recipient_position).data ?? null },
    channelType: r.channel_type,
    status: r.status,
    attempts: r.attempts,
    createdAt: isoRequired(r.created_at),
    deliveredAt: iso(r.delivered_at),
    nextAttemptAt: iso(r.next_attempt_at),
    lastError: r.last_error,
    receipt: r.receipt ?? null,
    ...(attemptLog ? { attemptLog } : {}),
  };
}

const toAttempt = (r: AttemptRow): NotificationAttempt => ({ at: isoRequired(r.at), ok: r.ok, statusCode: r.status_code, error: r.error, durationMs: r.duration_ms });

export interface InsertRow {
  id: string;
  incidentId: string | null;
  alertId: string | null;
  requestId?: string | null;
  event: string;
  stage: number;
  level: string | null;
  recipientWorkerId: string | null;
  recipientName: string;
  channelType: string;
  channel: unknown;
  payload: unknown;
  status: Status;
  createdAt: number;
  nextAttemptAt: number | null;
  lastError: string | null;
}

export async function insertNotification(client: PoolClient, n: InsertRow): Promise<NotificationRow> {
  const { rows } = await client.query<NotificationRow>(
    `INSERT INTO notifications (id, incident_id, alert_id, event, stage, level, recipient_worker_id, recipient_name, channel_type,
                                channel, payload, status, created_at, next_attempt_at, last_error, request_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING ${COLUMNS}`,
    [
      n.id, n.incidentId, n.alertId, n.event, n.stage, n.level, n.recipientWorkerId, n.recipientName, n.channelType,
      JSON.stringify(n.channel), JSON.stringify(n.payload), n.status, new Date(n.createdAt),
      n.nextAttemptAt === null ? null : new Date(n.nextAttemptAt), n.lastError, n.requestId ?? null,
    ],
  );
  return rows[0]!;
}

export interface ClaimRequest {
  now: number;
  /** Claimed rows are due again only then: should this instance die mid-delivery, another one retries. */
  leaseUntil: number;
  slots: number;
  perDestination: number;
  /** Requests this instance has in flight, by destination. */
  busy: ReadonlyMap<string, number>;
}

/**
 * Takes up to `slots` due rows, at most `perDestination` in flight per destination. Candidates are read
 * without locks and only the chosen ones are locked (FOR UPDATE SKIP LOCKED, in the one short UPDATE that
 * leases them), so an instance never hides rows from the others that it does not take itself. A row another
 * instance is claiming is skipped; its lease keeps it from being claimed again once the lock is gone.
 */
export async function claimDue(db: Database, request: ClaimRequest): Promise<ClaimedRow[]> {
  const saturated = [...request.busy].filter(([, n]) => n >= request.perDestination).map(([d]) => d);
  const { rows: candidates } = await db.query<{ id: string; destination: string }>(
    `SELECT id, ${DESTINATION} AS destination FROM notifications
      WHERE status = 'pending' AND next_attempt_at <= $1 AND ${DESTINATION} <> ALL($2::text[])
      ORDER BY next_attempt_at, created_at LIMIT $3`,
    [new Date(request.now), saturated, request.slots * 4],
  );
  const taken = new Map(request.busy);
  const chosen: string[] = [];
  for (const c of candidates) {
    if (chosen.length >= request.slots) break;
    const n = taken.get(c.destination) ?? 0;
    if (n >= request.perDestination) continue;
    taken.set(c.destination, n + 1);
    chosen.push(c.id);
  }
  if (!chosen.length) return [];
  const { rows } = await db.query<ClaimedRow>(
    `UPDATE notifications SET next_attempt_at = $3
      WHERE id IN (SELECT id FROM notifications WHERE id = ANY($1::text[]) AND status = 'pending' AND next_attempt_at <= $2 FOR UPDATE SKIP LOCKED)
     RETURNING ${COLUMNS}, channel, payload, ${DESTINATION} AS destination`,
    [chosen, new Date(request.now), new Date(request.leaseUntil)],
  );
  return rows;
}

export interface AttemptRecord {
  id: string;
  /** The row's attempt count when it was claimed: a stale claim (lease lost) does not overwrite a newer one. */
  claimedAttempts: number;
  at: number;
  durationMs: number;
  ok: boolean;
  statusCode: number | null;
  error: string | null;
  status: Status;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  receipt: unknown;
}

/** Records the attempt (always: it happened) and the row's new state; false when the claim had gone stale. */
export async function recordAttempt(db: Database, a: AttemptRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `WITH attempt AS (
       INSERT INTO notification_attempts (notification_id, at, ok, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)
     )
     UPDATE notifications
        SET attempts = attempts + 1, status = $7, next_attempt_at = $8, delivered_at = $9,
            receipt = CASE WHEN $3 THEN $10::jsonb ELSE receipt END, last_error = $5
      WHERE id = $1 AND status = 'pending' AND attempts = $11`,
    [
      a.id, new Date(a.at), a.ok, a.statusCode, a.error, Math.round(a.durationMs), a.status,
      a.nextAttemptAt === null ? null : new Date(a.nextAttemptAt), a.deliveredAt === null ? null : new Date(a.deliveredAt),
      a.receipt === undefined || a.receipt === null ? null : JSON.stringify(a.receipt), a.claimedAttempts,
    ],
  );
  return rowCount === 1;
}

/** Notifications of an incident or alert (the newest 1000 when unfiltered), oldest first, with their attempts; never a resident request's. */
export async function listNotifications(db: Database, filter: { incidentId?: string; alertId?: string }): Promise<Notification[]> {
  const { rows } = await db.query<NotificationRow>(
    `SELECT * FROM (
       SELECT ${COLUMNS} FROM notifications
        WHERE ($1::text IS NULL OR incident_id = $1) AND ($2::text IS NULL OR alert_id = $2) AND request_id IS NULL
        ORDER BY created_at DESC, id DESC LIMIT 1000
     ) newest ORDER BY created_at, id`,
    [filter.incidentId ?? null, filter.alertId ?? null],
  );
  if (!rows.length) return [];
  const { rows: attempts } = await db.query<AttemptRow>(
    'SELECT notification_id, at, ok, status_code, error, duration_ms FROM notification_attempts WHERE notification_id = ANY($1::text[]) ORDER BY id',
    [rows.map((r) => r.id)],
  );
  const byNotification = new Map<string, NotificationAttempt[]>();
  for (const a of attempts) {
    const log = byNotification.get(a.notification_id) ?? [];
    log.push(toAttempt(a));
    byNotification.set(a.notification_id, log);
  }
  return rows.map((r) => toNotification(r, byNotification.get(r.id) ?? []));
}
