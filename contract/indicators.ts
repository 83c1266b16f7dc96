/**
 * The ten indicators of the plan (table after §二(三)), per community and in total, against the 2020
 * base and the 2025 target; and the registry facts they are computed from.
 */
import { z } from 'zod';
import { Id } from './ids.ts';
import { LocalizedText } from './text.ts';

const Area = z.number().min(0).max(10_000_000);

/** What a community declares about itself: population and floor areas (m²). */
export const CommunityProfile = z.strictObject({
  residents: z.number().int().min(0).max(10_000_000).nullable().describe('permanent residents (常住人口)'),
  households: z.number().int().min(0).max(5_000_000).nullable().describe('households; the registered households are counted when unset'),
  totalFloorAreaM2: Area.nullable().describe('total floor area of the community'),
  serviceFacilityAreaM2: Area.nullable().describe('community service facilities (综合服务设施)'),
  commercialServiceAreaM2: Area.nullable().describe('commercial and service facilities'),
  activityAreaM2: Area.nullable().describe("residents' activity rooms within the service facilities"),
});
export type CommunityProfile = z.infer<typeof CommunityProfile>;
export const CommunityProfilePatch = CommunityProfile.partial();
export type CommunityProfilePatch = z.input<typeof CommunityProfilePatch>;

export const SocialOrganisationCreate = z.strictObject({
  communityId: Id,
  name: z.string().trim().min(1).max(100),
  kind: z.string().trim().min(1).max(50).describe('e.g. 志愿服务, 文体, 养老, 慈善'),
});
export type SocialOrganisationCreate = z.input<typeof SocialOrganisationCreate>;
export const SocialOrganisation = SocialOrganisationCreate.extend({ id: z.string(), createdAt: z.string() });
export type SocialOrganisation = z.infer<typeof SocialOrganisation>;

export const IndicatorScope = z.enum(['urban', 'rural', 'all']);

export const IndicatorValue = z.object({
  /** null: the data needed is not registered yet. */
  value: z.number().nullable(),
  met: z.boolean().nullable(),
});

export const IndicatorResult = z.object({
  id: z.number().int().min(1).max(10),
  key: z.string(),
  name: LocalizedText,
  unit: LocalizedText,
  applies: IndicatorScope,
  base2020: z.number().nullable(),
  /** The 2025 target: the value must be at least this. */
  target2025: z.number(),
  total: IndicatorValue.extend({ communities: z.number().int() }),
  communities: z.array(IndicatorValue.extend({ communityId: z.string(), name: z.string(), kind: z.enum(['urban', 'rural']) })),
});
export type IndicatorResult = z.infer<typeof IndicatorResult>;

export const IndicatorsAnswer = z.object({ at: z.string(), indicators: z.array(IndicatorResult) });
export type IndicatorsAnswer = z.infer<typeof IndicatorsAnswer>;
