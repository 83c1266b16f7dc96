/** A community's facts as typed into number fields (empty: unknown) and the body of `PATCH /communities/{id}/profile`. */
import type { CommunityProfile } from '../../../contract/index.ts';
import type { FieldIssue } from '../admin/field-errors.ts';

export const PROFILE_FIELDS = ['residents', 'households', 'totalFloorAreaM2', 'serviceFacilityAreaM2', 'commercialServiceAreaM2', 'activityAreaM2'] as const satisfies readonly (keyof CommunityProfile)[];
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type ProfileDraft = Record<ProfileField, string>;
const WHOLE: readonly ProfileField[] = ['residents', 'households'];

export function toDraft(profile: CommunityProfile | null): ProfileDraft {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f, profile?.[f] === null || profile?.[f] === undefined ? '' : String(profile[f])])) as ProfileDraft;
}

/** Fields that are not a number of 0 or more (whole for counts); `message` is left to the form to word. */
export function profileIssues(draft: ProfileDraft): FieldIssue[] {
  return PROFILE_FIELDS.filter((f) => {
    const text = String(draft[f]).trim();
    if (!text) return false;
    const n = Number(text);
    return !Number.isFinite(n) || n < 0 || (WHOLE.includes(f) && !Number.isInteger(n));
  }).map((path) => ({ path, message: 'notNumber' }));
}

export function toPatch(draft: ProfileDraft): CommunityProfile {
  return Object.fromEntries(PROFILE_FIELDS.map((f) => [f, String(draft[f]).trim() ? Number(draft[f]) : null])) as CommunityProfile;
}
