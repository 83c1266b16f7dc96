/** Sample answers of the community-service APIs: care, kiosks, residents' requests and the ten indicators. */
import type {
  CareProfile,
  Household,
  IndicatorResult,
  KioskAvailability,
  KioskAvailabilityAnswer,
  KioskWorkOrder,
  RequestDetail,
  RequestStatsGroup,
  Resident,
  ServiceRequest,
  VisitDue,
} from '../../../contract/index.ts';
import { COMMUNITY } from './fixtures.ts';

export function makeResident(overrides: Partial<Resident> = {}): Resident {
  return {
    id: 'r1',
    householdId: 'h1',
    communityId: COMMUNITY,
    gridId: 'g1',
    name: '张桂兰',
    birthYear: 1941,
    age: 84,
    phone: '138****0001',
    idNumber: null,
    livesAlone: true,
    specialDifficulty: true,
    disabled: false,
    careNotes: '高血压，行动较慢',
    contacts: [{ name: '张明', relation: '儿子', phone: '13900020001' }],
    createdAt: '2024-06-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeVisitDue(overrides: Partial<VisitDue> = {}): VisitDue {
  return {
    resident: makeResident(),
    householdId: 'h1',
    buildingId: 'b1',
    unit: '1',
    room: '302',
    worker: { id: 'w1', name: '王芳' },
    status: 'due',
    dueBy: '2025-01-31T16:00:00.000Z',
    lastVisit: null,
    ...overrides,
  };
}

export function makeHousehold(overrides: Partial<Household> = {}): Household {
  return {
    id: 'h1',
    communityId: COMMUNITY,
    gridId: 'g1',
    buildingId: 'b1',
    unit: '1',
    room: '302',
    residents: [makeResident()],
    deviceIds: ['door-1', 'sos-1'],
    inactivity: { periodS: 86_400, source: 'default', lastActivityAt: '2025-01-01T06:00:00.000Z' },
    createdAt: '2024-06-01T00:00:00.000Z',
    ...overrides,
  };
}

export function makeCareProfile(overrides: Partial<CareProfile> = {}): CareProfile {
  return { householdId: 'h1', place: { buildingId: 'b1', unit: '1', room: '302' }, residents: [makeResident()], ...overrides };
}

export function makeKioskAvailability(overrides: Partial<KioskAvailability> = {}): KioskAvailability {
  return {
    deviceId: 'kiosk-1',
    name: '社区服务中心一体机',
    communityId: COMMUNITY,
    serviceMinutes: 480,
    availableMinutes: 480,
    unavailableMinutes: 0,
    ratio: 1,
    fullyAvailable: true,
    outages: [],
    ...overrides,
  };
}

export function makeAvailabilityAnswer(kiosks: KioskAvailability[]): KioskAvailabilityAnswer {
  const sum = (key: 'serviceMinutes' | 'availableMinutes' | 'unavailableMinutes') => kiosks.reduce((n, k) => n + k[key], 0);
  const figures = { serviceMinutes: sum('serviceMinutes'), availableMinutes: sum('availableMinutes'), unavailableMinutes: sum('unavailableMinutes') };
  const ratio = figures.serviceMinutes ? figures.availableMinutes / figures.serviceMinutes : null;
  const notFullyAvailable = kiosks.filter((k) => !k.fullyAvailable).length;
  return {
    from: '2025-01-01T16:00:00.000Z',
    to: '2025-01-02T16:00:00.000Z',
    timeZone: 'Asia/Shanghai',
    kiosks,
    communities: [{ communityId: COMMUNITY, name: '幸福里社区', kiosks: kiosks.length, notFullyAvailable, ...figures, ratio }],
    total: { kiosks: kiosks.length, notFullyAvailable, ...figures, ratio },
  };
}

export function makeWorkOrder(overrides: Partial<KioskWorkOrder> = {}): KioskWorkOrder {
  return {
    id: 'wo1',
    deviceId: 'kiosk-2',
    deviceName: null,
    communityId: COMMUNITY,
    gridId: 'g1',
    reason: 'fault',
    status: 'open',
    detail: '打印机卡纸',
    alertId: 'a-kiosk',
    maintainer: { workerId: 'w9', name: '马建国' },
    openedAt: '2025-01-02T02:12:00.000Z',
    closedAt: null,
    closeReason: null,
    closedBy: null,
    note: null,
    ...overrides,
  };
}

export function makeRequest(overrides: Partial<ServiceRequest> = {}): ServiceRequest {
  return {
    id: 'req1',
    reference: 'AJ-20250101-0001',
    category: 'repair',
    description: '2号楼3单元电梯停在8楼不动',
    channel: 'phone',
    place: { communityId: COMMUNITY, gridId: 'g1', buildingId: 'b1', unit: '3', room: null, address: null },
    contact: { name: '刘奶奶', phone: '13912340001', masked: false },
    status: 'open',
    assignee: { workerId: 'w1', name: '王芳', position: 'grid_worker' },
    escalatedTo: [],
    escalationStage: 0,
    receivedAt: '2025-01-01T02:00:00.000Z',
    deadline: '2025-01-02T02:00:00.000Z',
    overdue: false,
    respondedAt: null,
    firstResponseS: null,
    closedAt: null,
    resolution: null,
    rating: null,
    deviceId: null,
    createdAt: '2025-01-01T02:00:00.000Z',
    ...overrides,
  };
}

export function makeRequestDetail(overrides: Partial<RequestDetail> = {}): RequestDetail {
  return {
    ...makeRequest(),
    history: [
      { at: '2025-01-01T02:00:00.000Z', action: 'received', fromStatus: null, toStatus: 'open', actor: { id: 'u1', name: '值班员' }, note: null, detail: { channel: 'phone' } },
      { at: '2025-01-01T02:00:00.000Z', action: 'assigned', fromStatus: null, toStatus: null, actor: null, note: null, detail: { assignee: { workerId: 'w1', name: '王芳', position: 'grid_worker' } } },
    ],
    notifications: [
      {
        id: 'n1',
        event: 'request.assigned',
        stage: 0,
        recipient: { workerId: 'w1', name: '王芳', position: 'grid_worker' },
        channelType: 'sms',
        status: 'delivered',
        attempts: 1,
        createdAt: '2025-01-01T02:00:00.000Z',
        deliveredAt: '2025-01-01T02:00:01.000Z',
        lastError: null,
      },
    ],
    ...overrides,
  };
}

export function makeStatsGroup(overrides: Partial<RequestStatsGroup> = {}): RequestStatsGroup {
  return {
    key: 'g1',
    name: '第一网格',
    count: 3,
    responded: 2,
    respondedOnTime: 1,
    late: 2,
    onTimePct: 33.3,
    medianResponseS: 100_800,
    p90ResponseS: 164_160,
    overdue: 1,
    closed: 2,
    satisfaction: { good: 2, fair: 0, bad: 1, rated: 3, goodPct: 66.7 },
    ...overrides,
  };
}

export function makeIndicator(overrides: Partial<IndicatorResult> = {}): IndicatorResult {
  return {
    id: 8,
    key: 'social_organisations_per_urban_community',
    name: { 'zh-CN': '城市社区平均拥有社区社会组织数', en: 'Social organisations per urban community' },
    unit: { 'zh-CN': '个', en: 'organisations' },
    applies: 'urban',
    base2020: 5.1,
    target2025: 10,
    total: { value: 7, met: false, communities: 1 },
    communities: [{ value: 7, met: false, communityId: COMMUNITY, name: '幸福里社区', kind: 'urban' }],
    ...overrides,
  };
}
