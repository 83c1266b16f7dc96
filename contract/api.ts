/** Bodies and answers of the HTTP API (`/api/v1`). Routes, the dashboard and simulators share them. */
import { z } from 'zod';
import { CareProfile } from './care.ts';
import { DEVICE_KINDS } from './device-kinds/index.ts';
import { Id } from './ids.ts';
import { WarningLevel } from './levels.ts';
import { LocalizedText } from './text.ts';

const Timestamp = z.iso.datetime({ offset: true });
const Name = z.string().trim().min(1).max(100);

export const Role = z.enum(['admin', 'operator', 'worker', 'vendor']);
export type Role = z.infer<typeof Role>;

export const LoginBody = z.strictObject({ username: z.string().min(1).max(64), password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof LoginBody>;

export const User = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  communityIds: z.array(z.string()),
  workerId: z.string().nullable(),
});
export type User = z.infer<typeof User>;

export const LoginAnswer = z.object({ token: z.string(), user: User });
export type LoginAnswer = z.infer<typeof LoginAnswer>;

export const UserCreate = z.strictObject({
  username: z.string().regex(/^[a-z0-9_.-]{2,32}$/, '2–32 lower-case letters, digits, "_", "." or "-"'),
  password: z.string().min(8, 'at least 8 characters').max(200),
  role: Role,
  displayName: Name.optional(),
  communityIds: z.array(Id).max(100).default([]),
  workerId: Id.optional(),
});
export type UserCreate = z.input<typeof UserCreate>;

export const CommunityKind = z.enum(['urban', 'rural']);
export const CommunityCreate = z.strictObject({ name: Name, kind: CommunityKind, id: Id.optional() });
export type CommunityCreate = z.input<typeof CommunityCreate>;
export const Community = z.object({ id: z.string(), name: z.string(), kind: CommunityKind, createdAt: Timestamp });
export type Community = z.infer<typeof Community>;

export const GridCreate = z.strictObject({ communityId: Id, name: Name, id: Id.optional() });
export type GridCreate = z.input<typeof GridCreate>;
export const Grid = z.object({ id: z.string(), communityId: z.string(), name: z.string() });
export type Grid = z.infer<typeof Grid>;

export const Position = z.strictObject({ x: z.number().min(0).max(10_000), y: z.number().min(0).max(10_000) });
export const BuildingCreate = z.strictObject({
  communityId: Id,
  gridId: Id,
  name: Name,
  position: Position.optional(),
  floors: z.number().int().min(1).max(200).optional(),
  units: z.number().int().min(1).max(50).optional().describe('units (单元, entrances) side by side'),
  id: Id.optional(),
});
export type BuildingCreate = z.input<typeof BuildingCreate>;
export const BuildingPatch = z.strictObject({
  gridId: Id.optional(),
  name: Name.optional(),
  position: Position.nullable().optional().describe('where it is drawn on the community schematic'),
  floors: z.number().int().min(1).max(200).nullable().optional(),
  units: z.number().int().min(1).max(50).nullable().optional(),
});
export type BuildingPatch = z.input<typeof BuildingPatch>;
export const GridPatch = z.strictObject({ name: Name });
export const CommunityPatch = z.strictObject({ name: Name.optional(), kind: CommunityKind.optional() });
export type CommunityPatch = z.input<typeof CommunityPatch>;
export const Building = z.object({
  id: z.string(),
  communityId: z.string(),
  gridId: z.string(),
  name: z.string(),
  position: Position.nullable(),
  floors: z.number().nullable(),
  units: z.number().nullable(),
});
export type Building = z.infer<typeof Building>;

export const DeviceKindName = z.enum(DEVICE_KINDS);
export const DeviceLocation = z.strictObject({
  buildingId: Id,
  floor: z.number().int().min(-10).max(200).optional(),
  unit: z.string().max(32).optional(),
  room: z.string().max(32).optional(),
});
export type DeviceLocation = z.infer<typeof DeviceLocation>;

export const Dialect = z.enum(['anju', 'alink', 'thingsboard']);
export type Dialect = z.infer<typeof Dialect>;
const AlinkName = z.string().regex(/^[A-Za-z0-9_.:@-]{1,64}$/, '1–64 letters, digits or _.:@-');

export const DeviceCreate = z
  .strictObject({
    kind: DeviceKindName,
    communityId: Id,
    gridId: Id.optional(),
    id: Id.optional(),
    name: Name.optional(),
    location: DeviceLocation.optional(),
    dialect: Dialect.optional().describe('How the device speaks; "alink" is implied by productKey and deviceName'),
    productKey: AlinkName.optional().describe('ALink product key'),
    deviceName: AlinkName.optional().describe('ALink device name'),
    fieldMap: z.string().max(64).optional().describe('A declared ALink field map for vendor property names, e.g. aliyun-smoke-detector'),
  })
  .superRefine((d, ctx) => {
    if ((d.productKey === undefined) !== (d.deviceName === undefined)) {
      ctx.addIssue({ code: 'custom', path: [d.productKey === undefined ? 'productKey' : 'deviceName'], message: 'productKey and deviceName go together' });
    }
    if (d.dialect === 'alink' && d.productKey === undefined) ctx.addIssue({ code: 'custom', path: ['productKey'], message: 'an ALink device needs productKey and deviceName' });
    if (d.productKey !== undefined && d.dialect !== undefined && d.dialect !== 'alink') ctx.addIssue({ code: 'custom', path: ['dialect'], message: 'productKey and deviceName make an ALink device' });
  });
export type DeviceCreate = z.input<typeof DeviceCreate>;

/** Per-device parameters of rules: opt in to a rule (e.g. `door_contact.no_open`), or change its period. */
export const RuleParams = z.record(z.string().max(100), z.strictObject({ enabled: z.boolean().optional(), periodS: z.number().int().positive().max(30 * 86_400).optional() }));
export type RuleParams = z.infer<typeof RuleParams>;

export const DevicePatch = z.strictObject({
  gridId: Id.nullable().optional(),
  name: Name.nullable().optional(),
  location: DeviceLocation.nullable().optional(),
  testMode: z.boolean().optional().describe('events are recorded as tests; nobody is paged'),
  ruleParams: RuleParams.optional(),
});
export type DevicePatch = z.input<typeof DevicePatch>;

export const Device = z.object({
  id: z.string(),
  kind: DeviceKindName,
  communityId: z.string(),
  gridId: z.string().nullable(),
  name: z.string().nullable(),
  location: DeviceLocation.nullable(),
  online: z.boolean(),
  /** online: connected and reporting; silent: connected but overdue (2 reporting intervals); offline: not connected. */
  status: z.enum(['online', 'silent', 'offline']),
  lastSeen: Timestamp.nullable(),
  battery: z.number().nullable(),
  dialect: Dialect,
  productKey: z.string().nullable(),
  deviceName: z.string().nullable(),
  fieldMap: z.string().nullable(),
  testMode: z.boolean(),
  /** Set while the device flaps (changes state too often): its alerts are coalesced, never dropped. */
  faultySince: Timestamp.nullable(),
  ruleParams: RuleParams,
  createdAt: Timestamp,
});
export type Device = z.infer<typeof Device>;

export const ProvisionedDevice = Device.extend({ secret: z.string().describe('Shown this once; store it in the device.') });
export type ProvisionedDevice = z.infer<typeof ProvisionedDevice>;

/** maintainer: keeps devices such as kiosks working; gets their work orders, never paged by the dispatch policy unless it names the position. */
export const WorkerPosition = z.enum(['grid_worker', 'grid_leader', 'duty_officer', 'emergency_centre', 'maintainer']);
export type WorkerPosition = z.infer<typeof WorkerPosition>;
export const Channel = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), url: z.url(), secret: z.string().min(8) }),
  z.strictObject({ type: z.literal('wecom'), url: z.url() }),
  z.strictObject({ type: z.literal('dingtalk'), url: z.url(), secret: z.string().optional() }),
  z.strictObject({ type: z.literal('sms'), phone: z.string().regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +') }),
]);
export type Channel = z.infer<typeof Channel>;
const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM');
/** A weekly duty shift in local time; `ends` before `starts` runs over midnight. */
export const Shift = z.strictObject({ weekday: z.number().int().min(1).max(7).describe('ISO weekday, 1 = Monday'), starts: HHMM, ends: HHMM });
export type Shift = z.infer<typeof Shift>;

export const WorkerCreate = z.strictObject({
  name: Name,
  communityId: Id,
  position: WorkerPosition,
  gridIds: z.array(Id).max(50).default([]),
  channels: z.array(Channel).max(10).default([]),
  phone: z.string().regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +').optional(),
  roster: z.array(Shift).max(50).default([]).describe('weekly shifts; a worker with no roster is always on duty'),
  socialWorkerCertified: z.boolean().default(false).describe('holds the national social-worker certificate (社会工作者职业资格)'),
  id: Id.optional(),
});
export type WorkerCreate = z.input<typeof WorkerCreate>;
export const WorkerPatch = z.strictObject({
  name: Name.optional(),
  gridIds: z.array(Id).max(50).optional(),
  channels: z.array(Channel).max(10).optional(),
  phone: z.string().regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +').nullable().optional(),
  roster: z.array(Shift).max(50).optional(),
  awayUntil: Timestamp.nullable().optional().describe('away (leave, sick) until then: the backup is paged instead'),
  backupWorkerId: Id.nullable().optional(),
  socialWorkerCertified: z.boolean().optional(),
});
export type WorkerPatch = z.input<typeof WorkerPatch>;
export const Worker = z.object({
  id: z.string(),
  name: z.string(),
  communityId: z.string(),
  position: WorkerPosition,
  gridIds: z.array(z.string()),
  channels: z.array(Channel),
  phone: z.string().nullable(),
  roster: z.array(Shift),
  awayUntil: Timestamp.nullable(),
  backupWorkerId: z.string().nullable(),
  socialWorkerCertified: z.boolean(),
  /** On duty now: within a shift (or no roster), and not away. */
  onDuty: z.boolean(),
});
export type Worker = z.infer<typeof Worker>;

export const AlertStatus = z.enum(['open', 'acknowledged', 'on_site', 'resolved']);
export type AlertStatus = z.infer<typeof AlertStatus>;
export const Disposition = z.enum(['real', 'false_alarm', 'test', 'device_fault']);
export type Disposition = z.infer<typeof Disposition>;

export const Assignee = z.object({ workerId: z.string(), name: z.string(), position: WorkerPosition });
export const Alert = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceKind: DeviceKindName,
  communityId: z.string(),
  gridId: z.string().nullable(),
  buildingId: z.string().nullable(),
  location: DeviceLocation.nullable(),
  rule: z.string(),
  title: LocalizedText,
  level: WarningLevel,
  status: AlertStatus,
  count: z.number().int(),
  value: z.number().nullable(),
  raisedAt: Timestamp,
  lastAt: Timestamp,
  clearedAt: Timestamp.nullable(),
  acknowledgedAt: Timestamp.nullable(),
  onSiteAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  disposition: Disposition.nullable(),
  assignees: z.array(Assignee),
  /** The incident this alert belongs to (alerts of one place and hazard are grouped). */
  incidentId: z.string().nullable(),
  category: z.enum(['fire', 'gas', 'flood', 'electrical', 'medical', 'security', 'device', 'service']),
  /** Raised while the device was in test mode: recorded, nobody paged. */
  test: z.boolean(),
  /** Why nobody was paged, if nobody was: test_mode or maintenance. */
  suppressed: z.string().nullable(),
});
export type Alert = z.infer<typeof Alert>;

export const AlertHistoryEntry = z.object({
  at: Timestamp,
  action: z.string(),
  fromStatus: AlertStatus.nullable(),
  toStatus: AlertStatus.nullable(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  source: z.string().nullable(),
  note: z.string().nullable(),
});
export type AlertHistoryEntry = z.infer<typeof AlertHistoryEntry>;
export const AlertWithHistory = Alert.extend({
  history: z.array(AlertHistoryEntry),
  /** For an alarm from a household: who lives there, what a responder should know, whom to call. */
  care: CareProfile.nullable(),
});
export type AlertWithHistory = z.infer<typeof AlertWithHistory>;

export const AlertStepBody = z.strictObject({ note: z.string().max(1000).optional() }).default({});
export const AlertResolveBody = z.strictObject({ disposition: Disposition, note: z.string().max(1000).optional() });
export type AlertResolveBody = z.infer<typeof AlertResolveBody>;

export const AlertQuery = z.object({
  status: z.union([AlertStatus, z.literal('active')]).optional().describe('"active" means every status but resolved'),
  deviceId: Id.optional(),
  communityId: Id.optional(),
  level: WarningLevel.optional(),
  assignedTo: z.string().min(1).max(64).optional().describe('a worker id, or "me": alerts addressed to that worker'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type AlertQuery = Partial<z.infer<typeof AlertQuery>>;

export const DeadLetter = z.object({
  id: z.string(),
  deviceId: z.string().nullable(),
  topic: z.string(),
  payload: z.string().describe('The payload as received (UTF-8, cut at 4 KiB)'),
  error: z.string(),
  message: z.string(),
  details: z.unknown(),
  receivedAt: Timestamp,
});
export type DeadLetter = z.infer<typeof DeadLetter>;

const TimeParam = z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]);
export const Bucket = z.enum(['1m', '1h', '1d']);
export type Bucket = z.infer<typeof Bucket>;
export const TelemetryQuery = z.object({
  metric: z.string().min(1).max(64),
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  bucket: Bucket.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const TelemetryPoint = z.object({
  ts: Timestamp,
  value: z.number(),
  min: z.number().optional(),
  max: z.number().optional(),
  avg: z.number().optional(),
  last: z.number().optional(),
  count: z.number().int().optional(),
});
export type TelemetryPoint = z.infer<typeof TelemetryPoint>;
export const TelemetryAnswer = z.object({ deviceId: z.string(), metric: z.string(), bucket: Bucket.nullable(), points: z.array(TelemetryPoint) });
export type TelemetryAnswer = z.infer<typeof TelemetryAnswer>;

export const CommunityTelemetryQuery = z.object({
  metric: z.string().min(1).max(64),
  kind: DeviceKindName.optional().describe('only devices of this kind'),
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  bucket: Bucket.default('1h'),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const CommunityTelemetryPoint = TelemetryPoint.extend({ devices: z.number().int().describe('devices that reported in the bucket') });
export const CommunityTelemetryAnswer = z.object({
  communityId: z.string(),
  metric: z.string(),
  kind: z.string().nullable(),
  bucket: Bucket,
  points: z.array(CommunityTelemetryPoint),
});
export type CommunityTelemetryAnswer = z.infer<typeof CommunityTelemetryAnswer>;

export const EventsQuery = z.object({
  from: TimeParam.optional(),
  to: TimeParam.optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(200),
});
export const DeviceEvent = z.object({
  ts: Timestamp,
  event: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  seq: z.number().nullable(),
});
export type DeviceEvent = z.infer<typeof DeviceEvent>;

export const CommunitySummary = z.object({
  communityId: z.string(),
  devices: z.object({
    total: z.number(),
    online: z.number(),
    /** Connected but overdue (two reporting intervals without a message). */
    silent: z.number(),
    offline: z.number(),
    /** Flapping: its alerts are coalesced. */
    faulty: z.number(),
    lowBattery: z.number(),
    testMode: z.number(),
  }),
  /** Self-service kiosks: in service when online with no alert open on them. */
  kiosks: z.object({ total: z.number(), inService: z.number() }),
  openAlerts: z.record(WarningLevel, z.number()),
  /** Active incidents past their deadline (acknowledgement or arrival on site). */
  overdueIncidents: z.number(),
});
export type CommunitySummary = z.infer<typeof CommunitySummary>;

/** `GET /device-kinds`: a kind's labels, fields with units, and events, without its zod schemas. */
export const DeviceKindDescription = z.object({
  kind: DeviceKindName,
  name: LocalizedText,
  lifeSafety: z.boolean(),
  reportingIntervalS: z.number(),
  metrics: z.record(z.string(), z.object({ label: LocalizedText, unit: z.string() })),
  events: z.record(z.string(), z.object({ label: LocalizedText })),
});
export type DeviceKindDescription = z.infer<typeof DeviceKindDescription>;

export const CommandStatus = z.enum(['sent', 'succeeded', 'failed', 'timed_out']);
export const CommandCreate = z.strictObject({
  command: z.string().min(1).max(64),
  args: z.record(z.string(), z.unknown()).default({}),
  timeoutS: z.number().int().min(1).max(3600).default(30),
});
export type CommandCreate = z.input<typeof CommandCreate>;
export const Command = z.object({
  id: z.string(),
  deviceId: z.string(),
  command: z.string(),
  args: z.record(z.string(), z.unknown()),
  status: CommandStatus,
  createdAt: Timestamp,
  deadline: Timestamp,
  repliedAt: Timestamp.nullable(),
  result: z.unknown(),
  message: z.string().nullable(),
});
export type Command = z.infer<typeof Command>;

/** What an alert is about; alerts of one place and category within a window join one incident. */
export const HazardCategory = z.enum(['fire', 'gas', 'flood', 'electrical', 'medical', 'security', 'device', 'service']);
export type HazardCategory = z.infer<typeof HazardCategory>;

export const Incident = z.object({
  id: z.string(),
  communityId: z.string(),
  buildingId: z.string().nullable(),
  gridId: z.string().nullable(),
  category: HazardCategory,
  /** device: one device's alerts; building: several devices of one building; area: a community-wide hazard (flood). */
  scope: z.enum(['device', 'building', 'area']),
  level: WarningLevel,
  status: AlertStatus,
  title: LocalizedText,
  /** Set when correlation confirmed the hazard, e.g. "fire": two smoke detectors, or smoke with rising heat. */
  confirmed: z.string().nullable(),
  test: z.boolean(),
  suppressed: z.string().nullable(),
  openedAt: Timestamp,
  lastAlertAt: Timestamp,
  acknowledgedAt: Timestamp.nullable(),
  onSiteAt: Timestamp.nullable(),
  resolvedAt: Timestamp.nullable(),
  escalationStage: z.number().int(),
  /** What is due next and when: acknowledgement before the next escalation stage, or arrival on site. */
  deadline: z.object({ kind: z.enum(['acknowledge', 'on_site']), at: Timestamp }).nullable(),
  assignees: z.array(Assignee),
  alertIds: z.array(z.string()),
});
export type Incident = z.infer<typeof Incident>;

export const AlertNotifyEvent = z.enum(['alert.raised', 'alert.reminder', 'alert.escalated', 'alert.updated']);
export type AlertNotifyEvent = z.infer<typeof AlertNotifyEvent>;
/** Residents' requests: assigned to a worker, reminded before the deadline, escalated after it, updated. */
export const RequestNotifyEvent = z.enum(['request.assigned', 'request.reminder', 'request.escalated', 'request.updated']);
export type RequestNotifyEvent = z.infer<typeof RequestNotifyEvent>;
export const NotifyEvent = z.enum([...AlertNotifyEvent.options, ...RequestNotifyEvent.options]);
export type NotifyEvent = z.infer<typeof NotifyEvent>;

export const NotificationRecipient = z.object({ workerId: z.string().nullable(), name: z.string(), position: WorkerPosition.nullable() });
export type NotificationRecipient = z.infer<typeof NotificationRecipient>;

/**
 * The JSON body of an alert's webhook delivery (signed with X-Anju-Signature, deduplicated by
 * X-Anju-Delivery). A resident request's delivery is `RequestDelivery` (contract/requests.ts).
 */
export const WebhookDelivery = z.object({
  event: AlertNotifyEvent,
  alert: Alert,
  incident: Incident.optional(),
  recipient: NotificationRecipient,
  stage: z.number().int(),
  /** Set when the notification hands the recipient a work order (a kiosk's maintainer). */
  workOrder: z.object({ id: z.string(), reason: z.string(), deviceId: z.string() }).optional(),
  /**
   * For an alarm from a household: who lives there, care notes, whom to call. Phones are whole only for a
   * worker of the household's grid on a personal channel (webhook, SMS); ID numbers are always masked.
   */
  care: CareProfile.optional(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const NotificationStatus = z.enum(['pending', 'delivered', 'failed', 'suppressed']);
export const NotificationAttempt = z.object({ at: Timestamp, ok: z.boolean(), statusCode: z.number().nullable(), error: z.string().nullable(), durationMs: z.number() });
export const Notification = z.object({
  id: z.string(),
  incidentId: z.string().nullable(),
  alertId: z.string().nullable(),
  event: NotifyEvent,
  stage: z.number().int(),
  level: WarningLevel,
  recipient: NotificationRecipient,
  channelType: z.string(),
  status: NotificationStatus,
  attempts: z.number().int(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
  nextAttemptAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
  receipt: z.unknown(),
  attemptLog: z.array(NotificationAttempt).optional(),
});
export type Notification = z.infer<typeof Notification>;

/** A platform alert that belongs to no device, e.g. the storage outage ("storage_fault"). */
export const SystemAlert = z.object({
  id: z.string(),
  code: z.string(),
  level: WarningLevel,
  title: LocalizedText,
  detail: z.unknown(),
  raisedAt: Timestamp,
  clearedAt: Timestamp.nullable(),
});
export type SystemAlert = z.infer<typeof SystemAlert>;
