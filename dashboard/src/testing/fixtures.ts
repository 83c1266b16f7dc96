/** Test helpers: sample alerts and devices, a fake API client, and mounting with app state and i18n. */
import { mount, type ComponentMountingOptions } from '@vue/test-utils';
import { vi } from 'vitest';
import { defineComponent, type Component, type Plugin } from 'vue';
import { createMemoryHistory, createRouter } from 'vue-router';
import type { Alert, Building, CommunitySummary, Device, Incident, SystemAlert, User } from '../../../contract/index.ts';
import type { ApiClient } from '../api/client.ts';
import { createAppI18n, type Locale } from '../i18n/index.ts';
import { APP_STATE, createAppState, type AppState, type AppStateOptions } from '../state/app-state.ts';

export const COMMUNITY = 'c1';

export function makeAlert(overrides: Partial<Alert> = {}): Alert {
  return {
    id: 'a1',
    deviceId: 'smoke-101',
    deviceKind: 'smoke_detector',
    communityId: COMMUNITY,
    gridId: 'g1',
    buildingId: 'b1',
    location: { buildingId: 'b1', floor: 3, unit: '2', room: '301' },
    rule: 'smoke_detector.alarm',
    title: { 'zh-CN': '烟感火警', en: 'Smoke alarm' },
    level: 'red',
    status: 'open',
    count: 1,
    value: null,
    raisedAt: '2025-01-01T08:00:00.000Z',
    lastAt: '2025-01-01T08:00:00.000Z',
    clearedAt: null,
    acknowledgedAt: null,
    onSiteAt: null,
    resolvedAt: null,
    disposition: null,
    assignees: [{ workerId: 'w1', name: '王芳', position: 'grid_worker' }],
    incidentId: 'inc1',
    category: 'fire',
    test: false,
    suppressed: null,
    ...overrides,
  };
}

export function makeDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: 'smoke-101',
    kind: 'smoke_detector',
    communityId: COMMUNITY,
    gridId: 'g1',
    name: null,
    location: { buildingId: 'b1', floor: 3 },
    online: true,
    status: 'online',
    lastSeen: '2025-01-01T08:00:00.000Z',
    battery: 80,
    dialect: 'anju',
    productKey: null,
    deviceName: null,
    fieldMap: null,
    testMode: false,
    faultySince: null,
    ruleParams: {},
    createdAt: '2024-12-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeIncident(overrides: Partial<Incident> = {}): Incident {
  return {
    id: 'inc1',
    communityId: COMMUNITY,
    buildingId: 'b1',
    gridId: 'g1',
    category: 'fire',
    scope: 'device',
    level: 'red',
    status: 'open',
    title: { 'zh-CN': '5号楼火警', en: 'Fire in building 5' },
    confirmed: null,
    test: false,
    suppressed: null,
    openedAt: '2025-01-01T08:00:00.000Z',
    lastAlertAt: '2025-01-01T08:00:00.000Z',
    acknowledgedAt: null,
    onSiteAt: null,
    resolvedAt: null,
    escalationStage: 0,
    deadline: { kind: 'acknowledge', at: '2025-01-01T08:01:00.000Z' },
    assignees: [{ workerId: 'w1', name: '王芳', position: 'grid_worker' }],
    alertIds: ['a1'],
    ...overrides,
  };
}

export function makeBuilding(overrides: Partial<Building> = {}): Building {
  return { id: 'b1', communityId: COMMUNITY, gridId: 'g1', name: '5号楼', position: { x: 120, y: 110 }, floors: 18, units: 2, ...overrides };
}

export function makeSummary(overrides: Partial<CommunitySummary> = {}): CommunitySummary {
  return {
    communityId: COMMUNITY,
    devices: { total: 35, online: 30, silent: 2, offline: 3, faulty: 1, lowBattery: 4, testMode: 0 },
    kiosks: { total: 3, inService: 2 },
    openAlerts: { blue: 1, yellow: 0, orange: 2, red: 1 },
    overdueIncidents: 1,
    ...overrides,
  };
}

export function makeSystemAlert(overrides: Partial<SystemAlert> = {}): SystemAlert {
  return {
    id: 'sys1',
    code: 'storage_fault',
    level: 'blue',
    title: { 'zh-CN': '存储故障：数据库不可达', en: 'Storage fault: the database is unreachable' },
    detail: null,
    raisedAt: '2025-01-01T08:00:00.000Z',
    clearedAt: null,
    ...overrides,
  };
}

export function makeUser(overrides: Partial<User> = {}): User {
  return { id: 'u1', username: 'op', displayName: '值班员', role: 'operator', communityIds: [COMMUNITY], workerId: null, ...overrides };
}

/** Every call resolves to an empty answer unless overridden; each is a vi.fn to assert on. */
export function fakeApi(overrides: Partial<ApiClient> = {}): ApiClient {
  const never = (name: string) => vi.fn(() => Promise.reject(new Error(`unexpected call: ${name}`)));
  const api: ApiClient = {
    login: never('login'),
    me: vi.fn(() => Promise.resolve(makeUser())),
    communities: vi.fn(() => Promise.resolve([{ id: COMMUNITY, name: '幸福里社区', kind: 'urban' as const, createdAt: '2024-01-01T00:00:00.000Z' }])),
    summary: never('summary'),
    grids: vi.fn(() => Promise.resolve([{ id: 'g1', communityId: COMMUNITY, name: '一网格' }])),
    buildings: vi.fn(() => Promise.resolve([{ id: 'b1', communityId: COMMUNITY, gridId: 'g1', name: '5号楼', position: null, floors: 18, units: 2 }])),
    workers: vi.fn(() => Promise.resolve([])),
    devices: vi.fn(() => Promise.resolve([])),
    deviceKinds: vi.fn(() => Promise.resolve([])),
    alerts: vi.fn(() => Promise.resolve([])),
    alert: never('alert'),
    acknowledge: never('acknowledge'),
    onSite: never('onSite'),
    resolve: never('resolve'),
    deadLetters: vi.fn(() => Promise.resolve([])),
    incidents: vi.fn(() => Promise.resolve([])),
    incident: never('incident'),
    device: never('device'),
    telemetry: never('telemetry'),
    deviceEvents: vi.fn(() => Promise.resolve([])),
    communityTelemetry: never('communityTelemetry'),
    systemAlerts: vi.fn(() => Promise.resolve([])),
    myAlerts: vi.fn(() => Promise.resolve([])),
    createCommunity: never('createCommunity'),
    patchCommunity: never('patchCommunity'),
    createGrid: never('createGrid'),
    renameGrid: never('renameGrid'),
    createBuilding: never('createBuilding'),
    patchBuilding: never('patchBuilding'),
    createWorker: never('createWorker'),
    patchWorker: never('patchWorker'),
    users: vi.fn(() => Promise.resolve([])),
    createUser: never('createUser'),
    provisionDevice: never('provisionDevice'),
    patchDevice: never('patchDevice'),
    rules: vi.fn(() => Promise.resolve([])),
    updateRule: never('updateRule'),
    createRule: never('createRule'),
    households: vi.fn(() => Promise.resolve([])),
    residents: vi.fn(() => Promise.resolve([])),
    visitsDue: vi.fn(() => Promise.resolve([])),
    visitRate: vi.fn((query: { month?: string } = {}) => Promise.resolve({ month: query.month ?? '2025-01', target: 1 as const, groups: [] })),
    recordVisit: never('recordVisit'),
    kiosks: vi.fn(() => Promise.resolve([])),
    kioskAvailability: never('kioskAvailability'),
    kioskServiceStats: never('kioskServiceStats'),
    kioskCoverage: never('kioskCoverage'),
    workOrders: vi.fn(() => Promise.resolve([])),
    workOrder: never('workOrder'),
    closeWorkOrder: never('closeWorkOrder'),
    requests: vi.fn(() => Promise.resolve([])),
    request: never('request'),
    createRequest: never('createRequest'),
    respondRequest: never('respondRequest'),
    progressRequest: never('progressRequest'),
    closeRequest: never('closeRequest'),
    assignRequest: never('assignRequest'),
    requestStats: never('requestStats'),
    indicators: never('indicators'),
    indicatorsCsv: never('indicatorsCsv'),
    communityProfile: never('communityProfile'),
    patchCommunityProfile: never('patchCommunityProfile'),
    socialOrganisations: vi.fn(() => Promise.resolve([])),
    createSocialOrganisation: never('createSocialOrganisation'),
    deleteSocialOrganisation: never('deleteSocialOrganisation'),
  };
  return { ...api, ...overrides };
}

export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, String(value)),
  };
}

/** App state with a fake API, signed in as `user`, with community c1 selected. */
export function testState(api: ApiClient = fakeApi(), user: User | null = makeUser(), options: Pick<AppStateOptions, 'audio' | 'storage'> = {}): AppState {
  const state = createAppState({ api, storage: options.storage ?? memoryStorage(), audio: options.audio ?? (() => null) });
  if (user) state.session.signIn({ token: 'test-token', user });
  state.communities.setList([{ id: COMMUNITY, name: '幸福里社区', kind: 'urban', createdAt: '2024-01-01T00:00:00.000Z' }]);
  return state;
}

/** A router with the dashboard's route names and empty pages, for components that link. */
export function testRouter() {
  const Page = defineComponent({ render: () => null });
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'control-room', component: Page },
      { path: '/alerts', name: 'alerts', component: Page },
      { path: '/devices', name: 'devices', component: Page },
      { path: '/devices/:id', name: 'device', component: Page },
      { path: '/buildings/:id', name: 'building', component: Page },
      { path: '/incidents/:id', name: 'incident', component: Page },
      { path: '/worker', name: 'worker', component: Page },
      { path: '/care', name: 'care', component: Page },
      { path: '/kiosks', name: 'kiosks', component: Page },
      { path: '/requests', name: 'requests', component: Page },
      { path: '/requests/new', name: 'request-new', component: Page },
      { path: '/requests/stats', name: 'request-stats', component: Page },
      { path: '/requests/:id', name: 'request', component: Page },
      { path: '/indicators', name: 'indicators', component: Page },
    ],
  });
}

export function mountWith<C extends Component>(
  component: C,
  options: { state: AppState; locale?: Locale; props?: ComponentMountingOptions<C>['props']; plugins?: Plugin[]; attachTo?: Element },
) {
  return mount(component, {
    props: options.props,
    attachTo: options.attachTo,
    global: {
      plugins: [createAppI18n(options.locale ?? 'zh-CN'), ...(options.plugins ?? [])],
      provide: { [APP_STATE as symbol]: options.state },
    },
  } as ComponentMountingOptions<C>);
}
