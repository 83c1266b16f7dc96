/**
 * Residents' requests (接诉即办): intake through the API, the resident's own web form, a kiosk or the
 * control room's phone; routing to the grid worker with a first-response deadline; escalation; the
 * resident's status view and rating (好差评); statistics per grid, community and category.
 */
import { z } from 'zod';
import { Assignee, NotificationRecipient, RequestNotifyEvent, WebhookDelivery, WorkerPosition } from './api.ts';
import { Id } from './ids.ts';
import { RequestCategory, ResidentPhone } from './request-categories.ts';
import { LocalizedText } from './text.ts';

export * from './request-categories.ts';

const Timestamp = z.iso.datetime({ offset: true });
const TimeParam = z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]);

/** How a request came in: an integration, a kiosk, a phone call typed by the control room, the resident's web form. */
export const RequestChannel = z.enum(['api', 'kiosk', 'phone', 'web']);
export type RequestChannel = z.infer<typeof RequestChannel>;
/** open → responded (first response) → in_progress → closed. */
export const RequestStatus = z.enum(['open', 'responded', 'in_progress', 'closed']);
export type RequestStatus = z.infer<typeof RequestStatus>;
/** 好差评: good 好评, fair 中评, bad 差评. */
export const RequestRating = z.enum(['good', 'fair', 'bad']);
export type RequestRating = z.infer<typeof RequestRating>;

/** `AJ-20261129-0007`: the day of intake (Beijing time) and its sequence number that day. */
export const REFERENCE_PATTERN = /^AJ-\d{8}-\d{4,}$/;
export const RequestReference = z.string().regex(REFERENCE_PATTERN, 'a reference number like AJ-20261129-0007');

export const RequestPlaceInput = z.strictObject({
  communityId: Id,
  gridId: Id.optional().describe('derived from the building when one is given'),
  buildingId: Id.optional(),
  unit: z.string().trim().min(1).max(32).optional().describe('unit (单元)'),
  room: z.string().trim().min(1).max(32).optional(),
  address: z.string().trim().min(1).max(200).optional().describe('free text, e.g. "north gate" or "car park B2"'),
});
export type RequestPlaceInput = z.infer<typeof RequestPlaceInput>;

export const RequestContactInput = z.strictObject({ name: z.string().trim().min(1).max(50), phone: ResidentPhone });

const Description = z.string().trim().min(1).max(2000);

/** `POST /requests`: an integration, or the control room typing a phone call. */
export const RequestCreate = z.strictObject({
  category: RequestCategory,
  description: Description,
  place: RequestPlaceInput,
  contact: RequestContactInput,
  channel: z.enum(['api', 'phone', 'web']).default('api').describe('kiosk requests come from the kiosk itself (event request_submitted)'),
  receivedAt: Timestamp.optional().describe('when the resident asked, if earlier (a forwarded 12345 hotline order); at most 30 days ago; the deadline counts from it'),
});
export type RequestCreate = z.input<typeof RequestCreate>;

/** `POST /public/requests`: the resident's own form, no sign-in. */
export const PublicRequestCreate = z.strictObject({
  category: RequestCategory,
  description: Description,
  place: RequestPlaceInput,
  contact: RequestContactInput,
});
export type PublicRequestCreate = z.input<typeof PublicRequestCreate>;

export const RequestPlace = z.object({
  communityId: z.string(),
  gridId: z.string().nullable(),
  buildingId: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  address: z.string().nullable(),
});
export type RequestPlace = z.infer<typeof RequestPlace>;

/** The resident's contact; `phone` is masked (138****1234) unless the viewer is responsible for the place. */
export const RequestContact = z.object({ name: z.string(), phone: z.string(), masked: z.boolean() });
export type RequestContact = z.infer<typeof RequestContact>;

export const RequestRatingInfo = z.object({ value: RequestRating, comment: z.string().nullable(), at: Timestamp });

export const ServiceRequest = z.object({
  id: z.string(),
  reference: z.string(),
  category: RequestCategory,
  description: z.string(),
  channel: RequestChannel,
  place: RequestPlace,
  contact: RequestContact,
  status: RequestStatus,
  /** The worker responsible: the on-duty grid worker of the place's grid (the backup when away). */
  assignee: Assignee.nullable(),
  /** Those the escalation reached (grid leader, duty officer), in order. */
  escalatedTo: z.array(Assignee),
  escalationStage: z.number().int(),
  receivedAt: Timestamp,
  /** First response due by then (per category, see `GET /requests/policy`). */
  deadline: Timestamp,
  /** Not responded to and past the deadline. */
  overdue: z.boolean(),
  respondedAt: Timestamp.nullable(),
  /** Seconds from receipt to the first response. */
  firstResponseS: z.number().nullable(),
  closedAt: Timestamp.nullable(),
  resolution: z.string().nullable(),
  rating: RequestRatingInfo.nullable(),
  /** The kiosk it was submitted at. */
  deviceId: z.string().nullable(),
  createdAt: Timestamp,
});
export type ServiceRequest = z.infer<typeof ServiceRequest>;

export const RequestHistoryEntry = z.object({
  at: Timestamp,
  action: z.string().describe('received, assigned, notified, reminded, escalated, responded, progress, reassigned, closed, rated'),
  fromStatus: RequestStatus.nullable(),
  toStatus: RequestStatus.nullable(),
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  note: z.string().nullable(),
  detail: z.unknown(),
});
export type RequestHistoryEntry = z.infer<typeof RequestHistoryEntry>;

/** One notification about a request and how its delivery went. */
export const RequestNotification = z.object({
  id: z.string(),
  event: RequestNotifyEvent,
  stage: z.number().int(),
  recipient: NotificationRecipient,
  channelType: z.string(),
  status: z.enum(['pending', 'delivered', 'failed', 'suppressed']),
  attempts: z.number().int(),
  createdAt: Timestamp,
  deliveredAt: Timestamp.nullable(),
  lastError: z.string().nullable(),
});
export type RequestNotification = z.infer<typeof RequestNotification>;

/** `POST /requests` answers the request with the check code to read out to the resident (shown this once). */
export const RequestCreated = ServiceRequest.extend({ checkCode: z.string() });
export type RequestCreated = z.infer<typeof RequestCreated>;

export const RequestDetail = ServiceRequest.extend({ history: z.array(RequestHistoryEntry), notifications: z.array(RequestNotification) });
export type RequestDetail = z.infer<typeof RequestDetail>;

export const RequestQuery = z.object({
  status: z.union([RequestStatus, z.literal('active')]).optional().describe('"active" means every status but closed'),
  overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('true: not responded to and past the deadline'),
  communityId: Id.optional(),
  gridId: Id.optional(),
  category: RequestCategory.optional(),
  reference: RequestReference.optional(),
  assignedTo: z.string().min(1).max(64).optional().describe('a worker id, or "me"'),
  from: TimeParam.optional().describe('received at or after'),
  to: TimeParam.optional().describe('received before'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type RequestQuery = z.output<typeof RequestQuery>;

export const RequestStepBody = z.strictObject({ note: z.string().trim().min(1).max(2000) });
export type RequestStepBody = z.infer<typeof RequestStepBody>;
export const RequestCloseBody = z.strictObject({ resolution: z.string().trim().min(1).max(2000) });
export type RequestCloseBody = z.infer<typeof RequestCloseBody>;
export const RequestAssignBody = z.strictObject({ workerId: Id, note: z.string().trim().min(1).max(2000).optional() });
export type RequestAssignBody = z.infer<typeof RequestAssignBody>;

/** What the resident gets back from `POST /public/requests`: keep both to check the status and to rate. */
export const RequestReceipt = z.object({
  reference: z.string(),
  checkCode: z.string().describe('shown this once; with the reference it opens the status page and the rating'),
  status: RequestStatus,
  receivedAt: Timestamp,
  deadline: Timestamp,
});
export type RequestReceipt = z.infer<typeof RequestReceipt>;

export const PublicRequestStatus = z.object({
  reference: z.string(),
  category: RequestCategory,
  categoryName: LocalizedText,
  description: z.string(),
  status: RequestStatus,
  receivedAt: Timestamp,
  deadline: Timestamp,
  respondedAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
  resolution: z.string().nullable(),
  /** The resident's own phone, masked. */
  contactPhone: z.string(),
  /** What was done and said, without the names of the staff. */
  history: z.array(z.object({ at: Timestamp, action: z.string(), status: RequestStatus.nullable(), note: z.string().nullable() })),
  rating: RequestRatingInfo.nullable(),
  /** Closed and not yet rated. */
  canRate: z.boolean(),
});
export type PublicRequestStatus = z.infer<typeof PublicRequestStatus>;

export const PublicRequestLookup = z.object({ code: z.string().trim().min(4).max(32) });
export const PublicRatingBody = z.strictObject({ code: z.string().trim().min(4).max(32), rating: RequestRating, comment: z.string().trim().max(500).optional() });
export type PublicRatingBody = z.infer<typeof PublicRatingBody>;

/** Where a resident may place a request: communities and their buildings, no personal data. */
export const PublicPlace = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['urban', 'rural']),
  buildings: z.array(z.object({ id: z.string(), name: z.string(), units: z.number().nullable() })),
});
export type PublicPlace = z.infer<typeof PublicPlace>;

const Seconds = z.number().int().min(60).max(30 * 86_400);

/** Deadlines, reminders and escalation of residents' requests; a setting, editable through the API. */
export const RequestPolicy = z.strictObject({
  respondWithinS: z.record(RequestCategory, Seconds).describe('first response due this long after receipt, per category'),
  remindBeforeS: Seconds.nullable().describe('remind the assignee this long before the deadline (at the latest half-way); null: no reminder'),
  escalation: z
    .array(z.strictObject({ afterS: z.number().int().min(0).max(30 * 86_400).describe('seconds after the deadline'), positions: z.array(WorkerPosition).min(1) }))
    .min(1)
    .refine((stages) => stages.every((s, i) => i === 0 || s.afterS > stages[i - 1]!.afterS), { message: 'stages must come later and later' })
    .describe('who is paged when there is no first response by the deadline'),
  channels: z.array(z.enum(['webhook', 'wecom', 'dingtalk', 'sms'])),
});
export type RequestPolicy = z.infer<typeof RequestPolicy>;

export const RequestStatsQuery = z.object({
  communityId: Id.optional(),
  from: TimeParam.optional().describe('received at or after; default 30 days before `to`'),
  to: TimeParam.optional().describe('received before; default now'),
  groupBy: z.enum(['grid', 'community', 'category']).default('community'),
});
export type RequestStatsQuery = z.output<typeof RequestStatsQuery>;

export const RequestStatsGroup = z.object({
  /** The grid, community or category; null for requests placed in no grid. */
  key: z.string().nullable(),
  name: z.string().nullable(),
  count: z.number().int(),
  responded: z.number().int(),
  /** Responded by the deadline. */
  respondedOnTime: z.number().int(),
  /** Responded after the deadline, or past it without a response. */
  late: z.number().int(),
  /** Of the requests whose deadline is decided (on time + late), the share responded on time, in %. */
  onTimePct: z.number().nullable(),
  medianResponseS: z.number().nullable(),
  p90ResponseS: z.number().nullable(),
  /** Not responded to and past the deadline, now. */
  overdue: z.number().int(),
  closed: z.number().int(),
  satisfaction: z.object({
    good: z.number().int(),
    fair: z.number().int(),
    bad: z.number().int(),
    rated: z.number().int(),
    /** good / rated, in %. */
    goodPct: z.number().nullable(),
  }),
});
export type RequestStatsGroup = z.infer<typeof RequestStatsGroup>;

export const RequestStats = z.object({
  groupBy: z.enum(['grid', 'community', 'category']),
  from: Timestamp,
  to: Timestamp,
  groups: z.array(RequestStatsGroup),
  total: RequestStatsGroup,
});
export type RequestStats = z.infer<typeof RequestStats>;

/** The JSON body of a request's webhook delivery; the contact phone is masked unless the recipient covers the place's grid. */
export const RequestDelivery = z.object({
  event: RequestNotifyEvent,
  request: ServiceRequest,
  recipient: NotificationRecipient,
  stage: z.number().int(),
});
export type RequestDelivery = z.infer<typeof RequestDelivery>;

/** Everything the notification outbox carries: an alert's delivery or a request's, told apart by `event`. */
export const NotificationPayload = z.union([WebhookDelivery, RequestDelivery]);
export type NotificationPayload = z.infer<typeof NotificationPayload>;

export function isRequestDelivery(payload: NotificationPayload): payload is RequestDelivery {
  return payload.event.startsWith('request.');
}
