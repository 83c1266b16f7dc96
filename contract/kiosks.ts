/**
 * Self-service government kiosks (政务通用自助服务一体机): service hours and maintainer per kiosk,
 * availability within service hours, work orders for the maintainer, services completed with their
 * ratings, and the plan's indicator 6 — kiosk coverage of urban communities (target 100 %).
 *
 * Times of day are local to the communities (Asia/Shanghai, UTC+8 all year).
 */
import { z } from 'zod';
import { Id } from './ids.ts';

const Timestamp = z.iso.datetime({ offset: true });

export const KIOSK_TIME_ZONE = 'Asia/Shanghai';
/** The plan (§三(六)1): community service facilities are open at least 8 hours on every day they open. */
export const MIN_OPEN_HOURS_PER_DAY = 8;
/** Below this much paper a kiosk cannot print: it counts as unavailable (the blue "paper low" alert starts at 10 %). */
export const PAPER_OUT_BELOW_PCT = 5;
/** Until a kiosk's hours are set it is taken to serve 09:00–17:00 every day, the plan's minimum. */
export const DEFAULT_SERVICE_HOURS = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opens: '09:00', closes: '17:00' }));

const WEEKDAY_NAME = ['', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day, HH:MM');
const ClosingTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'a time of day, HH:MM (24:00 for midnight at the end of the day)');
export const minutesOfDay = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const hoursText = (minutes: number) => `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;

/** One opening of a kiosk on an ISO weekday; a day may have several (a lunch break), never one past midnight. */
export const ServiceWindow = z.strictObject({
  weekday: z.number().int().min(1).max(7).describe('ISO weekday, 1 = Monday'),
  opens: TimeOfDay,
  closes: ClosingTime,
});
export type ServiceWindow = z.infer<typeof ServiceWindow>;

/**
 * A kiosk's weekly service hours. Each window closes after it opens, windows of one day do not overlap,
 * and every day the kiosk opens it is open at least 8 h in all — otherwise the error names the field.
 */
export const ServiceHours = z
  .array(ServiceWindow)
  .min(1, 'a kiosk opens on at least one day a week')
  .max(21)
  .superRefine((windows, ctx) => {
    const byDay = new Map<number, number[]>();
    windows.forEach((w, i) => {
      const opens = minutesOfDay(w.opens);
      const closes = minutesOfDay(w.closes);
      if (closes <= opens) {
        ctx.addIssue({ code: 'custom', path: [i, 'closes'], message: `closes at ${w.closes}, not after it opens at ${w.opens}; a window past midnight is two windows, one each day` });
        return;
      }
      const same = byDay.get(w.weekday) ?? [];
      const clash = same.find((j) => {
        const other = windows[j]!;
        return opens < minutesOfDay(other.closes) && minutesOfDay(other.opens) < closes;
      });
      if (clash !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'opens'], message: `overlaps ${windows[clash]!.opens}–${windows[clash]!.closes} on the same day (serviceHours.${clash})` });
      same.push(i);
      byDay.set(w.weekday, same);
    });
    for (const [weekday, indexes] of byDay) {
      const open = indexes.reduce((sum, i) => sum + Math.max(0, minutesOfDay(windows[i]!.closes) - minutesOfDay(windows[i]!.opens)), 0);
      if (open >= MIN_OPEN_HOURS_PER_DAY * 60) continue;
      ctx.addIssue({
        code: 'custom',
        path: [indexes.at(-1)!, 'closes'],
        message: `open ${hoursText(open)} on ${WEEKDAY_NAME[weekday]} (weekday ${weekday}); a kiosk must be open at least ${MIN_OPEN_HOURS_PER_DAY} h on every day it opens`,
      });
    }
  });

export const KioskPatch = z.strictObject({
  serviceHours: ServiceHours.optional(),
  maintainerWorkerId: Id.nullable().optional().describe('the worker who gets the work orders of this kiosk (usually a "maintainer")'),
});
export type KioskPatch = z.input<typeof KioskPatch>;

/** Why a kiosk cannot serve: not connected, a fault not yet dealt with, or too little paper to print. */
export const KioskOutageReason = z.enum(['offline', 'fault', 'no_paper']);
export type KioskOutageReason = z.infer<typeof KioskOutageReason>;

export const KioskMaintainer = z.object({
  workerId: z.string(),
  name: z.string(),
  /** Masked (138****1234) unless you are responsible for the maintainer's community. */
  phone: z.string().nullable(),
});

export const Kiosk = z.object({
  deviceId: z.string(),
  name: z.string().nullable(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  buildingId: z.string().nullable(),
  serviceHours: z.array(ServiceWindow),
  /** False while the kiosk runs on the default hours (09:00–17:00 every day). */
  serviceHoursSet: z.boolean(),
  maintainer: KioskMaintainer.nullable(),
  /** Now: available when connected, with no fault open and paper to print. */
  available: z.boolean(),
  reasons: z.array(KioskOutageReason),
  openWorkOrders: z.number().int(),
  updatedAt: Timestamp.nullable(),
  updatedBy: z.string().nullable(),
});
export type Kiosk = z.infer<typeof Kiosk>;

export const KioskListQuery = z.object({ communityId: Id.optional() });

const LocalDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date, YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');
const TimeParam = z.union([z.iso.datetime({ offset: true }), z.coerce.number().int().nonnegative()]);

/** A local day (`date`), or `from`/`to`; by default yesterday, local time. */
export const KioskPeriodQuery = z.object({
  date: LocalDate.optional().describe('a local day (Asia/Shanghai); default yesterday'),
  from: TimeParam.optional().describe('instead of date: ISO 8601 or epoch ms'),
  to: TimeParam.optional(),
  communityId: Id.optional(),
  deviceId: Id.optional(),
});

export const KioskAvailabilityQuery = KioskPeriodQuery.extend({
  notFullyAvailable: z.stringbool().optional().describe('"true": only kiosks that were unavailable for part of their service hours'),
});

export const KioskOutage = z.object({
  from: Timestamp,
  to: Timestamp,
  minutes: z.number(),
  /** Every reason in force over the interval (an offline kiosk with a fault open: both). */
  reasons: z.array(KioskOutageReason),
});
export type KioskOutage = z.infer<typeof KioskOutage>;

const AvailabilityFigures = {
  /** Service hours within the period (and since the kiosk was installed, and not after now). */
  serviceMinutes: z.number(),
  availableMinutes: z.number(),
  unavailableMinutes: z.number(),
  /** available ÷ service time; null without service time (closed all period). */
  ratio: z.number().nullable(),
};

export const KioskAvailability = z.object({
  deviceId: z.string(),
  name: z.string().nullable(),
  communityId: z.string(),
  ...AvailabilityFigures,
  /** Available for all of its service hours in the period. */
  fullyAvailable: z.boolean(),
  /** Unavailable intervals within service hours only, with their reasons. */
  outages: z.array(KioskOutage),
});
export type KioskAvailability = z.infer<typeof KioskAvailability>;

export const CommunityKioskAvailability = z.object({
  communityId: z.string(),
  name: z.string(),
  kiosks: z.number().int(),
  notFullyAvailable: z.number().int(),
  ...AvailabilityFigures,
});

export const KioskAvailabilityAnswer = z.object({
  from: Timestamp,
  to: Timestamp,
  timeZone: z.literal(KIOSK_TIME_ZONE),
  kiosks: z.array(KioskAvailability),
  communities: z.array(CommunityKioskAvailability),
  total: z.object({ kiosks: z.number().int(), notFullyAvailable: z.number().int(), ...AvailabilityFigures }),
});
export type KioskAvailabilityAnswer = z.infer<typeof KioskAvailabilityAnswer>;

/**
 * Availability history the platform did not observe itself, e.g. from the system it replaces. It can
 * only be added before the first change the platform recorded for the kiosk, never rewrite it.
 */
export const KioskHistoryImport = z.strictObject({
  changes: z
    .array(
      z.strictObject({
        at: Timestamp,
        reason: KioskOutageReason,
        unavailable: z.boolean(),
        note: z.string().trim().max(200).optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type KioskHistoryImport = z.input<typeof KioskHistoryImport>;
export const KioskHistoryImported = z.object({ recorded: z.number().int() });

export const KioskWorkOrderReason = z.enum(['fault', 'paper']);
export const KioskWorkOrderStatus = z.enum(['open', 'closed']);
export const KioskWorkOrderCloseReason = z.enum(['alert_resolved', 'condition_cleared', 'closed_by_hand']);

/** A job for a kiosk's maintainer, opened by the kiosk's fault alert or its paper-low alert. */
export const KioskWorkOrder = z.object({
  id: z.string(),
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  reason: KioskWorkOrderReason,
  status: KioskWorkOrderStatus,
  detail: z.string().nullable(),
  alertId: z.string().nullable(),
  maintainer: z.object({ workerId: z.string(), name: z.string() }).nullable(),
  openedAt: Timestamp,
  closedAt: Timestamp.nullable(),
  closeReason: KioskWorkOrderCloseReason.nullable(),
  closedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  note: z.string().nullable(),
});
export type KioskWorkOrder = z.infer<typeof KioskWorkOrder>;

export const KioskWorkOrderHistoryEntry = z.object({
  at: Timestamp,
  action: z.string().describe('opened, notified, reassigned or closed'),
  actor: z.object({ id: z.string(), name: z.string() }).nullable().describe('null: the platform'),
  source: z.string().nullable(),
  note: z.string().nullable(),
  detail: z.unknown(),
});
export const KioskWorkOrderWithHistory = KioskWorkOrder.extend({ history: z.array(KioskWorkOrderHistoryEntry) });
export type KioskWorkOrderWithHistory = z.infer<typeof KioskWorkOrderWithHistory>;

export const KioskWorkOrderQuery = z.object({
  status: KioskWorkOrderStatus.optional(),
  reason: KioskWorkOrderReason.optional(),
  deviceId: Id.optional(),
  communityId: Id.optional(),
  maintainer: z.string().min(1).max(64).optional().describe('a worker id, or "me"'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type KioskWorkOrderQuery = z.infer<typeof KioskWorkOrderQuery>;

export const KioskWorkOrderClose = z.strictObject({ note: z.string().trim().min(1, 'say what was done').max(1000) });

export const KioskServiceRecord = z.object({
  deviceId: z.string(),
  ts: Timestamp,
  service: z.string(),
  durationS: z.number(),
  rating: z.number().int().nullable(),
});
export type KioskServiceRecord = z.infer<typeof KioskServiceRecord>;

export const KioskServiceQuery = KioskPeriodQuery.extend({ limit: z.coerce.number().int().min(1).max(10_000).default(500) });

export const KioskServiceStatsQuery = KioskPeriodQuery.extend({
  by: z.enum(['kiosk', 'community', 'day', 'service']).default('kiosk').describe('day: local days'),
});

export const KioskServiceStats = z.object({
  count: z.number().int(),
  averageDurationS: z.number().nullable(),
  /** Over the services that were rated (好差评, 1–5). */
  averageRating: z.number().nullable(),
  rated: z.number().int(),
  ratings: z.object({ 1: z.number().int(), 2: z.number().int(), 3: z.number().int(), 4: z.number().int(), 5: z.number().int() }),
});
export type KioskServiceStats = z.infer<typeof KioskServiceStats>;

export const KioskServiceStatsAnswer = z.object({
  from: Timestamp,
  to: Timestamp,
  by: z.enum(['kiosk', 'community', 'day', 'service']),
  groups: z.array(KioskServiceStats.extend({ key: z.string().describe('the device id, community id, local day or service') })),
  total: KioskServiceStats,
});
export type KioskServiceStatsAnswer = z.infer<typeof KioskServiceStatsAnswer>;

export const CommunityKioskCoverage = z.object({
  communityId: z.string(),
  name: z.string(),
  kind: z.enum(['urban', 'rural']),
  kiosks: z.number().int(),
  /** Kiosks available now (connected, no fault open, paper to print). */
  inService: z.number().int(),
  covered: z.boolean(),
  coveredInService: z.boolean(),
});

/** Indicator 6 of the plan: the share of urban communities with a kiosk (target 100 %). */
export const KioskCoverage = z.object({
  communities: z.array(CommunityKioskCoverage),
  urban: z.object({
    communities: z.number().int(),
    covered: z.number().int(),
    coveredInService: z.number().int(),
    /** covered ÷ urban communities; null without urban communities. */
    coverage: z.number().nullable(),
    coverageInService: z.number().nullable(),
    target: z.number(),
  }),
});
export type KioskCoverage = z.infer<typeof KioskCoverage>;
