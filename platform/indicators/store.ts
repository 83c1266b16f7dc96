/** The registry facts behind the indicators, community profiles, and social organisations. */
import type { CommunityProfile, CommunityProfilePatch, SocialOrganisation, SocialOrganisationCreate } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { isoRequired, SqlParams } from '../db/sql.ts';
import { ApiError, FOREIGN_KEY_VIOLATION, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';
import type { CommunityFacts } from './definitions.ts';

/** Who counts as a community worker (社区工作者): the community's own staff, not the street's or contractors. */
export const COMMUNITY_WORKER_POSITIONS = ['grid_worker', 'grid_leader', 'duty_officer'] as const;

interface FactsRow {
  id: string;
  name: string;
  kind: 'urban' | 'rural';
  residents: number | null;
  households: number | null;
  registered_households: number;
  total_floor_area_m2: number | null;
  service_facility_area_m2: number | null;
  commercial_service_area_m2: number | null;
  activity_area_m2: number | null;
  kiosks: number;
  community_workers: number;
  certified_workers: number;
  social_organisations: number;
}

const PROFILE_COLUMNS = {
  residents: 'residents',
  households: 'households',
  totalFloorAreaM2: 'total_floor_area_m2',
  serviceFacilityAreaM2: 'service_facility_area_m2',
  commercialServiceAreaM2: 'commercial_service_area_m2',
  activityAreaM2: 'activity_area_m2',
} as const satisfies Record<keyof CommunityProfile, string>;

/** Communities a principal may read indicators for: admins all; operators and workers their own. */
function communityScope(p: Principal, params: SqlParams): string {
  if (p.role === 'admin') return 'TRUE';
  if (p.role === 'vendor') return 'FALSE';
  return `c.id = ANY(${params.add(p.communityIds)}::text[])`;
}

export class IndicatorStore {
  constructor(private readonly db: Database) {}

  async facts(p: Principal, communityId?: string): Promise<CommunityFacts[]> {
    const params = new SqlParams();
    const where = [communityScope(p, params)];
    if (communityId) where.push(`c.id = ${params.add(communityId)}`);
    const positions = params.add(COMMUNITY_WORKER_POSITIONS);
    const { rows } = await this.db.query<FactsRow>(
      `SELECT c.id, c.name, c.kind, p.residents, p.households, p.total_floor_area_m2, p.service_facility_area_m2, p.commercial_service_area_m2, p.activity_area_m2,
              (SELECT count(*)::int FROM households h WHERE h.community_id = c.id) AS registered_households,
              (SELECT count(*)::int FROM devices d WHERE d.community_id = c.id AND d.kind = 'kiosk') AS kiosks,
              (SELECT count(*)::int FROM workers w WHERE w.community_id = c.id AND w.position = ANY(${positions}::text[])) AS community_workers,
              (SELECT count(*)::int FROM workers w WHERE w.community_id = c.id AND w.position = ANY(${positions}::text[]) AND w.social_worker_certified) AS certified_workers,
              (SELECT count(*)::int FROM social_organisations o WHERE o.community_id = c.id) AS social_organisations
         FROM communities c LEFT JOIN community_profiles p ON p.community_id = c.id
        WHERE ${where.join(' AND ')} ORDER BY c.kind DESC, c.name`,
      params.values,
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      residents: r.residents,
      households: r.households ?? (r.registered_households || null),
      totalFloorAreaM2: r.total_floor_area_m2,
      serviceFacilityAreaM2: r.service_facility_area_m2,
      commercialServiceAreaM2: r.commercial_service_area_m2,
      activityAreaM2: r.activity_area_m2,
      kiosks: r.kiosks,
      communityWorkers: r.community_workers,
      certifiedWorkers: r.certified_workers,
      socialOrganisations: r.social_organisations,
    }));
  }

  async profile(communityId: string): Promise<CommunityProfile> {
    const { rows } = await this.db.query<Record<string, number | null>>('SELECT * FROM community_profiles WHERE community_id = $1', [communityId]);
    const row = rows[0];
    return Object.fromEntries(Object.entries(PROFILE_COLUMNS).map(([key, column]) => [key, row?.[column] ?? null])) as CommunityProfile;
  }

  async setProfile(communityId: string, patch: CommunityProfilePatch, now: number): Promise<CommunityProfile> {
    const next = { ...(await this.profile(communityId)), ...patch };
    const columns = Object.values(PROFILE_COLUMNS);
    const values = Object.keys(PROFILE_COLUMNS).map((key) => next[key as keyof CommunityProfile]);
    await this.db.query(
      `INSERT INTO community_profiles (community_id, ${columns.join(', ')}, updated_at) VALUES ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')}, $${columns.length + 2})
       ON CONFLICT (community_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = EXCLUDED.updated_at`,
      [communityId, ...values, new Date(now)],
    );
    return this.profile(communityId);
  }

  async organisations(p: Principal, communityId?: string): Promise<SocialOrganisation[]> {
    const params = new SqlParams();
    const where = [communityScope(p, params)];
    if (communityId) where.push(`c.id = ${params.add(communityId)}`);
    const { rows } = await this.db.query<{ id: string; community_id: string; name: string; kind: string; created_at: Date }>(
      `SELECT o.* FROM social_organisations o JOIN communities c ON c.id = o.community_id WHERE ${where.join(' AND ')} ORDER BY o.community_id, o.name`,
      params.values,
    );
    return rows.map((r) => ({ id: r.id, communityId: r.community_id, name: r.name, kind: r.kind, createdAt: isoRequired(r.created_at) }));
  }

  async addOrganisation(input: SocialOrganisationCreate, now: number): Promise<SocialOrganisation> {
    const id = newId('org');
    try {
      await this.db.query('INSERT INTO social_organisations (id, community_id, name, kind, created_at) VALUES ($1, $2, $3, $4, $5)', [id, input.communityId, input.name, input.kind, new Date(now)]);
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists', [{ path: 'name', message: 'the community already has an organisation of this name' }]);
      if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw invalidField('communityId', 'no such community');
      throw error;
    }
    return { id, communityId: input.communityId, name: input.name, kind: input.kind, createdAt: new Date(now).toISOString() };
  }

  /** Removes an organisation; answers the community it belonged to (for the scope check), if it existed. */
  async organisationCommunity(id: string): Promise<string | undefined> {
    const { rows } = await this.db.query<{ community_id: string }>('SELECT community_id FROM social_organisations WHERE id = $1', [id]);
    return rows[0]?.community_id;
  }

  async removeOrganisation(id: string): Promise<void> {
    await this.db.query('DELETE FROM social_organisations WHERE id = $1', [id]);
  }
}
