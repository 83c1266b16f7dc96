/**
 * Residents, households and elderly care: care flags, emergency contacts, monthly visits (the plan's
 * 100 % monthly visit rate for elderly people in special difficulty) and household inactivity.
 * Phone and ID numbers in answers are masked unless the viewer is responsible for the person.
 */
import { z } from 'zod';
import { Id } from './ids.ts';

const Timestamp = z.iso.datetime({ offset: true });
const Name = z.string().trim().min(1).max(100);
const Phone = z.string().regex(/^\+?[0-9]{5,20}$/, 'digits with an optional leading +');
/** Mainland resident ID: 17 digits and a check digit (or X). */
const IdNumber = z.string().regex(/^[0-9]{17}[0-9Xx]$/, '18 characters: 17 digits and a digit or X');

export const EmergencyContact = z.strictObject({ name: Name, relation: z.string().trim().min(1).max(32), phone: Phone });
export type EmergencyContact = z.infer<typeof EmergencyContact>;

export const CareFlags = z.strictObject({
  livesAlone: z.boolean().default(false).describe('elderly, living alone (独居老人)'),
  specialDifficulty: z.boolean().default(false).describe('in special difficulty (特殊困难老人): visited every month'),
  disabled: z.boolean().default(false),
});

export const HouseholdCreate = z.strictObject({
  communityId: Id,
  buildingId: Id.optional(),
  gridId: Id.optional().describe("defaults to the building's grid"),
  unit: z.string().trim().min(1).max(32).optional(),
  room: z.string().trim().min(1).max(32).optional(),
  inactivityPeriodS: z.number().int().min(3600).max(7 * 86_400).optional().describe('overrides the quiet period learned from the household'),
  id: Id.optional(),
});
export type HouseholdCreate = z.input<typeof HouseholdCreate>;
export const HouseholdPatch = HouseholdCreate.omit({ communityId: true, id: true }).extend({ inactivityPeriodS: HouseholdCreate.shape.inactivityPeriodS.unwrap().nullable().optional() }).partial();
export type HouseholdPatch = z.input<typeof HouseholdPatch>;

export const ResidentCreate = z.strictObject({
  householdId: Id,
  name: Name,
  birthYear: z.number().int().min(1900).max(2100).optional(),
  phone: Phone.optional(),
  idNumber: IdNumber.optional(),
  ...CareFlags.shape,
  careNotes: z.string().max(1000).optional().describe('what a responder should know: illnesses, mobility, medication'),
  contacts: z.array(EmergencyContact).max(5).default([]),
  registeredAt: Timestamp.optional().describe('when the resident came under care, for records moved from another system; defaults to now'),
  id: Id.optional(),
});
export type ResidentCreate = z.input<typeof ResidentCreate>;
export const ResidentPatch = ResidentCreate.omit({ householdId: true, id: true, registeredAt: true }).partial();
export type ResidentPatch = z.input<typeof ResidentPatch>;

export const Resident = z.object({
  id: z.string(),
  householdId: z.string(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  name: z.string(),
  birthYear: z.number().nullable(),
  age: z.number().nullable(),
  /** Masked (138****1234) unless you are responsible for the resident. */
  phone: z.string().nullable(),
  /** Masked unless you are an admin or an operator of the community. */
  idNumber: z.string().nullable(),
  livesAlone: z.boolean(),
  specialDifficulty: z.boolean(),
  disabled: z.boolean(),
  careNotes: z.string().nullable(),
  contacts: z.array(z.object({ name: z.string(), relation: z.string(), phone: z.string() })),
  createdAt: Timestamp,
});
export type Resident = z.infer<typeof Resident>;

export const Household = z.object({
  id: z.string(),
  communityId: z.string(),
  gridId: z.string().nullable(),
  buildingId: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  residents: z.array(Resident),
  deviceIds: z.array(z.string()),
  inactivity: z.object({
    /** The quiet period in force: the override, else the learned one, else 24 h. */
    periodS: z.number(),
    source: z.enum(['override', 'learned', 'default']),
    lastActivityAt: Timestamp.nullable(),
  }),
  createdAt: Timestamp,
});
export type Household = z.infer<typeof Household>;

/** What a responder to an alarm from a household sees: who lives there, what to know, whom to call. */
export const CareProfile = z.object({
  householdId: z.string(),
  place: z.object({ buildingId: z.string().nullable(), unit: z.string().nullable(), room: z.string().nullable() }),
  residents: z.array(Resident),
});
export type CareProfile = z.infer<typeof CareProfile>;

export const VisitOutcome = z.enum(['well', 'needs_help', 'not_home', 'hospitalised', 'other']);
export type VisitOutcome = z.infer<typeof VisitOutcome>;
export const VisitCreate = z.strictObject({
  residentId: Id,
  visitedAt: Timestamp.optional().describe('defaults to now'),
  outcome: VisitOutcome,
  note: z.string().max(2000).optional(),
  followUp: z.boolean().default(false).describe('something must be done after the visit'),
});
export type VisitCreate = z.input<typeof VisitCreate>;
export const Visit = z.object({
  id: z.string(),
  residentId: z.string(),
  residentName: z.string(),
  workerId: z.string().nullable(),
  workerName: z.string().nullable(),
  visitedAt: Timestamp,
  outcome: VisitOutcome,
  note: z.string().nullable(),
  followUp: z.boolean(),
  recordedBy: z.string().nullable(),
});
export type Visit = z.infer<typeof Visit>;

/** A resident in special difficulty and their visit this month: done, due (this month) or overdue. */
export const VisitDue = z.object({
  resident: Resident,
  householdId: z.string(),
  buildingId: z.string().nullable(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  /** The grid worker the visit is scheduled to. */
  worker: z.object({ id: z.string(), name: z.string() }).nullable(),
  status: z.enum(['done', 'due', 'overdue']),
  /** Overdue: not visited last month (nor yet this month); due: not yet this month. */
  dueBy: Timestamp,
  lastVisit: Visit.nullable(),
});
export type VisitDue = z.infer<typeof VisitDue>;

/** Visit rate of a month against the plan's 100 % target, per grid and per community. */
export const VisitRate = z.object({
  month: z.string().regex(/^\d{4}-\d{2}$/),
  target: z.literal(1),
  groups: z.array(
    z.object({
      communityId: z.string(),
      gridId: z.string().nullable(),
      residents: z.number(),
      visited: z.number(),
      rate: z.number().nullable(),
      met: z.boolean(),
    }),
  ),
});
export type VisitRate = z.infer<typeof VisitRate>;
