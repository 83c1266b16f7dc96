/** Sample workers, rules, dead letters and provisioned devices for the worker and administration screens. */
import type { DeadLetter, ProvisionedDevice, StoredRule, User, Worker } from '../../../contract/index.ts';
import type { DeviceKindInfo } from '../api/types.ts';
import { COMMUNITY, makeDevice } from './fixtures.ts';

/** Cast: fields the contract adds later (with defaults on the server) need not be listed here. */
export function makeWorker(overrides: Partial<Worker> = {}): Worker {
  return {
    id: 'w1',
    name: '王芳',
    communityId: COMMUNITY,
    position: 'grid_worker',
    gridIds: ['g1'],
    channels: [],
    phone: null,
    roster: [],
    awayUntil: null,
    backupWorkerId: null,
    onDuty: true,
    ...overrides,
  } as Worker;
}

export function makeWorkerUser(overrides: Partial<User> = {}): User {
  return { id: 'u-w1', username: 'wangfang', displayName: '王芳', role: 'worker', communityIds: [COMMUNITY], workerId: 'w1', ...overrides };
}

export function makeRule(overrides: Partial<StoredRule> = {}): StoredRule {
  return {
    id: 'gas_detector.gas_lel',
    kind: 'gas_detector',
    name: { 'zh-CN': '燃气浓度超限', en: 'Gas concentration high' },
    category: 'gas',
    condition: { type: 'threshold', metric: 'gas_lel', direction: 'above', steps: [{ level: 'orange', value: 10 }, { level: 'red', value: 25 }], forS: 0, hysteresis: 2 },
    optIn: false,
    version: 1,
    enabled: true,
    builtin: true,
    updatedAt: '2025-01-01T00:00:00.000Z',
    updatedBy: null,
    ...overrides,
  };
}

export function makeDeadLetter(overrides: Partial<DeadLetter> = {}): DeadLetter {
  return {
    id: 'dl1',
    deviceId: 'smoke-101',
    topic: 'anju/v1/devices/smoke-101/telemetry',
    payload: '{"values":{"temperature":"hot"}}',
    error: 'invalid_payload',
    message: 'The payload does not match the device contract; each offending field is listed in details.',
    details: [{ path: 'values.temperature', message: 'must be a number or a boolean' }],
    receivedAt: '2025-01-01T08:00:00.000Z',
    ...overrides,
  };
}

export function makeProvisioned(overrides: Partial<ProvisionedDevice> = {}): ProvisionedDevice {
  return { ...makeDevice({ id: 'dev-new', online: false, status: 'offline', lastSeen: null, battery: null }), secret: 's3cret-once-only', ...overrides };
}

export const KINDS: DeviceKindInfo[] = [
  {
    kind: 'smoke_detector',
    name: { 'zh-CN': '烟感探测器', en: 'Smoke detector' },
    lifeSafety: true,
    reportingIntervalS: 300,
    metrics: { smoke_obscuration: { label: { 'zh-CN': '烟雾浓度', en: 'Smoke' }, unit: '%/m' }, battery: { label: { 'zh-CN': '电量', en: 'Battery' }, unit: '%' } },
    events: { alarm: { label: { 'zh-CN': '火警', en: 'Alarm' } }, alarm_cleared: { label: { 'zh-CN': '火警解除', en: 'Alarm cleared' } } },
  },
  {
    kind: 'gas_detector',
    name: { 'zh-CN': '燃气探测器', en: 'Gas detector' },
    lifeSafety: true,
    reportingIntervalS: 60,
    metrics: { gas_lel: { label: { 'zh-CN': '燃气浓度', en: 'Gas' }, unit: '%LEL' }, battery: { label: { 'zh-CN': '电量', en: 'Battery' }, unit: '%' } },
    events: { alarm: { label: { 'zh-CN': '报警', en: 'Alarm' } }, fault: { label: { 'zh-CN': '故障', en: 'Fault' } } },
  },
];
