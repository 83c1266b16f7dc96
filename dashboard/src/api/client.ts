/** The one typed HTTP client: `fetch` on `/api/v1` with the bearer token; errors become ApiError. */
import type {
  AlertResolveBody,
  Alert,
  Building,
  BuildingCreate,
  BuildingPatch,
  Community,
  CommunityCreate,
  CommunityPatch,
  CommunitySummary,
  CommunityTelemetryAnswer,
  DeadLetter,
  Device,
  DeviceCreate,
  DeviceEvent,
  DevicePatch,
  Grid,
  GridCreate,
  Incident,
  LoginAnswer,
  LoginBody,
  ProvisionedDevice,
  RuleCreate,
  RuleUpdate,
  StoredRule,
  SystemAlert,
  TelemetryAnswer,
  User,
  UserCreate,
  Worker,
  WorkerCreate,
  WorkerPatch,
} from '../../../contract/index.ts';
import type { AlertListQuery, AlertWithHistory, DeviceKindInfo, IncidentDetail, IncidentListQuery, TelemetryRangeQuery } from './types.ts';

export const API_BASE = '/api/v1';

/** An answer other than 2xx, or no answer at all (`status` 0, `code` "network"). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClientOptions {
  getToken: () => string | null;
  /** Called when an authenticated call answers 401 (token missing, expired or revoked). */
  onUnauthorized?: () => void;
  baseUrl?: string;
  fetch?: typeof fetch;
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function errorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') {
    const message = 'message' in body && typeof body.message === 'string' ? body.message : response.statusText;
    return new ApiError(response.status, body.error, message, 'details' in body ? body.details : undefined);
  }
  return new ApiError(response.status, 'unknown', response.statusText || `HTTP ${response.status}`);
}

export function createApiClient(options: ApiClientOptions) {
  const base = options.baseUrl ?? API_BASE;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init));

  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', path: string, init: { body?: unknown; query?: Query; auth?: boolean } = {}): Promise<T> {
    const auth = init.auth ?? true;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const token = auth ? options.getToken() : null;
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(base + withQuery(path, init.query), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (error) {
      throw new ApiError(0, 'network', error instanceof Error ? error.message : String(error));
    }
    if (!response.ok) {
      const error = await errorFrom(response);
      if (auth && response.status === 401) options.onUnauthorized?.();
      throw error;
    }
    return (await response.json()) as T;
  }

  const get = <T>(path: string, query?: Query) => request<T>('GET', path, { query });
  const post = <T>(path: string, body: unknown) => request<T>('POST', path, { body });
  const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, { body });
  const put = <T>(path: string, body: unknown) => request<T>('PUT', path, { body });
  const id = encodeURIComponent;

  return {
    login: (body: LoginBody) => request<LoginAnswer>('POST', '/auth/login', { body, auth: false }),
    me: () => get<User>('/auth/me'),
    communities: () => get<Community[]>('/communities'),
    summary: (communityId: string) => get<CommunitySummary>(`/communities/${id(communityId)}/summary`),
    grids: (communityId: string) => get<Grid[]>('/grids', { communityId }),
    buildings: (communityId: string) => get<Building[]>('/buildings', { communityId }),
    workers: (communityId: string) => get<Worker[]>('/workers', { communityId }),
    devices: (communityId: string) => get<Device[]>('/devices', { communityId }),
    deviceKinds: () => get<DeviceKindInfo[]>('/device-kinds'),
    alerts: (query: AlertListQuery) => get<Alert[]>('/alerts', { ...query }),
    alert: (alertId: string) => get<AlertWithHistory>(`/alerts/${id(alertId)}`),
    acknowledge: (alertId: string) => post<Alert>(`/alerts/${id(alertId)}/acknowledge`, {}),
    onSite: (alertId: string) => post<Alert>(`/alerts/${id(alertId)}/on-site`, {}),
    resolve: (alertId: string, body: AlertResolveBody) => post<Alert>(`/alerts/${id(alertId)}/resolve`, body),
    deadLetters: (deviceId?: string) => get<DeadLetter[]>('/dead-letters', { deviceId }),

    // Control room: incidents, one device, history, platform alerts.
    incidents: (query: IncidentListQuery) => get<Incident[]>('/incidents', { ...query }),
    incident: (incidentId: string) => get<IncidentDetail>(`/incidents/${id(incidentId)}`),
    device: (deviceId: string) => get<Device>(`/devices/${id(deviceId)}`),
    telemetry: (deviceId: string, query: TelemetryRangeQuery) => get<TelemetryAnswer>(`/devices/${id(deviceId)}/telemetry`, { ...query }),
    deviceEvents: (deviceId: string, query: { from?: string; to?: string; limit?: number } = {}) => get<DeviceEvent[]>(`/devices/${id(deviceId)}/events`, query),
    communityTelemetry: (communityId: string, query: TelemetryRangeQuery & { kind?: string }) =>
      get<CommunityTelemetryAnswer>(`/communities/${id(communityId)}/telemetry`, { ...query }),
    systemAlerts: () => get<SystemAlert[]>('/system/alerts'),

    // Worker view: the alerts addressed to me.
    myAlerts: (status: AlertListQuery['status'] = 'active') => get<Alert[]>('/alerts', { assignedTo: 'me', status }),

    // Administration.
    createCommunity: (body: CommunityCreate) => post<Community>('/communities', body),
    patchCommunity: (communityId: string, body: CommunityPatch) => patch<Community>(`/communities/${id(communityId)}`, body),
    createGrid: (body: GridCreate) => post<Grid>('/grids', body),
    renameGrid: (gridId: string, name: string) => patch<Grid>(`/grids/${id(gridId)}`, { name }),
    createBuilding: (body: BuildingCreate) => post<Building>('/buildings', body),
    patchBuilding: (buildingId: string, body: BuildingPatch) => patch<Building>(`/buildings/${id(buildingId)}`, body),
    createWorker: (body: WorkerCreate) => post<Worker>('/workers', body),
    patchWorker: (workerId: string, body: WorkerPatch) => patch<Worker>(`/workers/${id(workerId)}`, body),
    users: () => get<User[]>('/users'),
    createUser: (body: UserCreate) => post<User>('/users', body),
    provisionDevice: (body: DeviceCreate) => post<ProvisionedDevice>('/devices', body),
    patchDevice: (deviceId: string, body: DevicePatch) => patch<Device>(`/devices/${id(deviceId)}`, body),
    rules: () => get<StoredRule[]>('/rules'),
    updateRule: (ruleId: string, body: RuleUpdate) => put<StoredRule>(`/rules/${id(ruleId)}`, body),
    createRule: (body: RuleCreate) => post<StoredRule>('/rules', body),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
