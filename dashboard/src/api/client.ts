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
  CommunityProfile,
  CommunityProfilePatch,
  CommunitySummary,
  CommunityTelemetryAnswer,
  DeadLetter,
  Device,
  DeviceCreate,
  DeviceEvent,
  DevicePatch,
  Grid,
  GridCreate,
  Household,
  Incident,
  IndicatorsAnswer,
  Kiosk,
  KioskAvailabilityAnswer,
  KioskCoverage,
  KioskServiceStatsAnswer,
  KioskWorkOrder,
  KioskWorkOrderWithHistory,
  LoginAnswer,
  LoginBody,
  ProvisionedDevice,
  RequestAssignBody,
  RequestCreate,
  RequestCreated,
  RequestDetail,
  RequestStats,
  Resident,
  RuleCreate,
  RuleUpdate,
  ServiceRequest,
  SocialOrganisation,
  SocialOrganisationCreate,
  StoredRule,
  SystemAlert,
  TelemetryAnswer,
  User,
  UserCreate,
  Visit,
  VisitCreate,
  VisitDue,
  VisitRate,
  Worker,
  WorkerCreate,
  WorkerPatch,
} from '../../../contract/index.ts';
import type {
  AlertListQuery,
  AlertWithHistory,
  DeviceKindInfo,
  IncidentDetail,
  IncidentListQuery,
  KioskPeriod,
  RequestListQuery,
  RequestStatsQuery,
  ResidentListQuery,
  TelemetryRangeQuery,
  VisitDueQuery,
  WorkOrderListQuery,
} from './types.ts';

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

/** A file the API answered (CSV export): its bytes and the name the server suggests. */
export interface Download {
  blob: Blob;
  filename: string | null;
}

/** The file name of a `content-disposition: attachment; filename="…"` header. */
export function filenameOf(disposition: string | null): string | null {
  const match = disposition ? /filename="?([^";]+)"?/i.exec(disposition) : null;
  return match?.[1] ?? null;
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

  async function send(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, init: { body?: unknown; query?: Query; auth?: boolean; accept?: string } = {}): Promise<Response> {
    const auth = init.auth ?? true;
    const headers: Record<string, string> = { accept: init.accept ?? 'application/json' };
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
    return response;
  }

  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, init: { body?: unknown; query?: Query; auth?: boolean } = {}): Promise<T> {
    const response = await send(method, path, init);
    // 204 No Content (a deletion) has no body to read.
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  async function download(path: string, query: Query | undefined, accept: string): Promise<Download> {
    const response = await send('GET', path, { query, accept });
    return { blob: await response.blob(), filename: filenameOf(response.headers.get('content-disposition')) };
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

    // Elderly care: households, residents, this month's visits and the visit rate.
    households: (query: { communityId?: string; gridId?: string } = {}) => get<Household[]>('/households', { ...query }),
    residents: (query: ResidentListQuery = {}) => get<Resident[]>('/residents', { ...query }),
    visitsDue: (query: VisitDueQuery = {}) => get<VisitDue[]>('/visits/due', { ...query }),
    visitRate: (query: { month?: string; communityId?: string } = {}) => get<VisitRate>('/visits/rate', { ...query }),
    recordVisit: (body: VisitCreate) => post<Visit>('/visits', body),

    // Kiosks: availability within service hours, work orders, services, coverage.
    kiosks: (communityId?: string) => get<Kiosk[]>('/kiosks', { communityId }),
    kioskAvailability: (query: KioskPeriod & { notFullyAvailable?: boolean } = {}) =>
      get<KioskAvailabilityAnswer>('/kiosks/availability', { ...query, notFullyAvailable: query.notFullyAvailable === undefined ? undefined : String(query.notFullyAvailable) }),
    kioskServiceStats: (query: KioskPeriod & { by?: 'kiosk' | 'community' | 'day' | 'service' } = {}) => get<KioskServiceStatsAnswer>('/kiosks/services/stats', { ...query }),
    kioskCoverage: () => get<KioskCoverage>('/kiosks/coverage'),
    workOrders: (query: WorkOrderListQuery = {}) => get<KioskWorkOrder[]>('/work-orders', { ...query }),
    workOrder: (workOrderId: string) => get<KioskWorkOrderWithHistory>(`/work-orders/${id(workOrderId)}`),
    closeWorkOrder: (workOrderId: string, note: string) => post<KioskWorkOrderWithHistory>(`/work-orders/${id(workOrderId)}/close`, { note }),

    // Residents' requests (接诉即办).
    requests: (query: RequestListQuery = {}) => get<ServiceRequest[]>('/requests', { ...query, overdue: query.overdue === undefined ? undefined : String(query.overdue) }),
    request: (requestId: string) => get<RequestDetail>(`/requests/${id(requestId)}`),
    createRequest: (body: RequestCreate) => post<RequestCreated>('/requests', body),
    respondRequest: (requestId: string, note: string) => post<ServiceRequest>(`/requests/${id(requestId)}/respond`, { note }),
    progressRequest: (requestId: string, note: string) => post<ServiceRequest>(`/requests/${id(requestId)}/progress`, { note }),
    closeRequest: (requestId: string, resolution: string) => post<ServiceRequest>(`/requests/${id(requestId)}/close`, { resolution }),
    assignRequest: (requestId: string, body: RequestAssignBody) => post<ServiceRequest>(`/requests/${id(requestId)}/assign`, body),
    requestStats: (query: RequestStatsQuery = {}) => get<RequestStats>('/requests/stats', { ...query }),

    // The plan's ten indicators and the registry facts behind them.
    indicators: (communityId?: string) => get<IndicatorsAnswer>('/indicators', { communityId }),
    indicatorsCsv: (communityId?: string) => download('/indicators.csv', { communityId }, 'text/csv'),
    communityProfile: (communityId: string) => get<CommunityProfile>(`/communities/${id(communityId)}/profile`),
    patchCommunityProfile: (communityId: string, body: CommunityProfilePatch) => patch<CommunityProfile>(`/communities/${id(communityId)}/profile`, body),
    socialOrganisations: (communityId?: string) => get<SocialOrganisation[]>('/social-organisations', { communityId }),
    createSocialOrganisation: (body: SocialOrganisationCreate) => post<SocialOrganisation>('/social-organisations', body),
    deleteSocialOrganisation: (organisationId: string) => request<void>('DELETE', `/social-organisations/${id(organisationId)}`),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
