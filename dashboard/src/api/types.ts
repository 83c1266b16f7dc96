/** Answer types of the API, re-exported from the contract under the names the dashboard uses. */
export type { AlertQuery as AlertListQuery, AlertWithHistory, DeviceKindDescription as DeviceKindInfo } from '../../../contract/index.ts';
import type { Alert, Bucket, Incident, Notification, RequestCategory, RequestStatus } from '../../../contract/index.ts';

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

/** `GET /residents` filters: a care flag narrows the list. */
export interface ResidentListQuery {
  communityId?: string;
  gridId?: string;
  flag?: 'livesAlone' | 'specialDifficulty' | 'disabled';
}

/** `GET /visits/due` filters; `assignedTo: 'me'` for a worker's own visits. */
export interface VisitDueQuery {
  communityId?: string;
  gridId?: string;
  assignedTo?: 'me';
}

/** A local day (`date`, YYYY-MM-DD, Asia/Shanghai) of the kiosk answers; default yesterday. */
export interface KioskPeriod {
  date?: string;
  communityId?: string;
  deviceId?: string;
}

/** `GET /work-orders` filters; `maintainer: 'me'` for a maintainer's own. */
export interface WorkOrderListQuery {
  status?: 'open' | 'closed';
  communityId?: string;
  maintainer?: string;
  limit?: number;
}

/** `GET /requests` filters. */
export interface RequestListQuery {
  status?: RequestStatus | 'active';
  overdue?: boolean;
  communityId?: string;
  gridId?: string;
  category?: RequestCategory;
  assignedTo?: string;
  limit?: number;
}

/** `GET /requests/stats`: received in [from, to), grouped. */
export interface RequestStatsQuery {
  communityId?: string;
  from?: string;
  to?: string;
  groupBy?: 'grid' | 'community' | 'category';
}
