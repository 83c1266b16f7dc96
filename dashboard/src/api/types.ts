/** Answer types of the API, re-exported from the contract under the names the dashboard uses. */
export type { AlertQuery as AlertListQuery, AlertWithHistory, DeviceKindDescription as DeviceKindInfo } from '../../../contract/index.ts';
import type { Alert, Bucket, Incident, Notification } from '../../../contract/index.ts';

/** `GET /incidents` filters. */
export interface IncidentListQuery {
  status?: Incident['status'] | 'active';
  communityId?: string;
  limit?: number;
}

/** `GET /incidents/{id}`: the incident with its alerts, timeline, notification attempts and broadcasts. */
export interface IncidentDetail extends Incident {
  alerts: Alert[];
  history: { at: string; action: string; detail: unknown; actor: { id: string; name: string } | null }[];
  notifications: Notification[];
  broadcasts: { id: string; level: string; text: { 'zh-CN': string; en: string }; at: string; receipts: { deviceId: string; playedAt: string }[] }[];
}

/** History queries: `from`/`to` ISO 8601 (or epoch ms), optional bucket. */
export interface TelemetryRangeQuery {
  metric: string;
  from?: string;
  to?: string;
  bucket?: Bucket;
  limit?: number;
}
