/**
 * Flood control for the low levels: at most one blue or yellow notification per (recipient worker,
 * incident, channel) per interval; orange and red always go out. Keyed on the alert when there is no incident.
 */
import type { PoolClient } from 'pg';
import type { Channel, NotificationRecipient, WarningLevel } from '../../contract/index.ts';

// Two-key advisory locks (namespace, hash) live apart from the migrations' one-key lock.
const FLOOD_LOCK_NAMESPACE = 0x6e6f7466;

export interface FloodSubject {
  incidentId: string | null;
  alertId: string | null;
  level: WarningLevel;
  recipient: NotificationRecipient;
  channel: Channel;
}

export const isFloodControlled = (level: WarningLevel): boolean => level === 'blue' || level === 'yellow';

export function floodKey(item: FloodSubject): string {
  const channel = JSON.stringify(item.channel, Object.keys(item.channel).sort());
  return JSON.stringify([item.recipient.workerId, item.incidentId ?? `alert:${item.alertId}`, channel]);
}

/**
 * Serialises concurrent dispatcher transactions deciding for the same key until they commit, so two of
 * them cannot both send "the first" notification. Keys are locked in one order to rule out deadlocks.
 */
export async function lockFloodKeys(client: PoolClient, items: readonly FloodSubject[]): Promise<void> {
  const keys = [...new Set(items.filter((i) => isFloodControlled(i.level)).map(floodKey))].sort();
  for (const key of keys) await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [FLOOD_LOCK_NAMESPACE, key]);
}

/** Whether a notification for the same key went out (was not itself suppressed) after `since`. */
export async function notifiedSince(client: PoolClient, item: FloodSubject, since: number): Promise<boolean> {
  const { rows } = await client.query(
    `SELECT 1 FROM notifications
      WHERE recipient_worker_id IS NOT DISTINCT FROM $1::text
        AND incident_id IS NOT DISTINCT FROM $2::text
        AND ($2::text IS NOT NULL OR alert_id IS NOT DISTINCT FROM $3::text)
        AND channel = $4::jsonb
        AND status <> 'suppressed'
        AND created_at > $5
      LIMIT 1`,
    [item.recipient.workerId, item.incidentId, item.alertId, JSON.stringify(item.channel), new Date(since)],
  );
  return rows.length > 0;
}
