/** Households and their residents: the registry of who lives where, scoped and masked per viewer. */
import type { CareProfile, Household, HouseholdCreate, HouseholdPatch, Resident, ResidentCreate, ResidentPatch } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database, Queryable } from '../db/database.ts';
import { iso, isoRequired, SqlParams } from '../db/sql.ts';
import { ApiError, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';
import { type Disclosure, disclosureFor, type PersonPlace } from '../privacy/mask.ts';
import type { RegistryStore } from '../store/registry.ts';
import { quietPeriod } from './quiet-period.ts';
import { RESIDENT_SELECT, type ResidentRow, toResident } from './residents.ts';

export interface HouseholdRow {
  id: string;
  community_id: string;
  grid_id: string | null;
  building_id: string | null;
  unit: string | null;
  room: string | null;
  inactivity_period_s: number | null;
  last_activity_at: Date | null;
  created_at: Date;
  device_ids: string[] | null;
}

const HOUSEHOLD_SELECT = `SELECT h.*, (SELECT array_agg(d.id ORDER BY d.id) FROM devices d WHERE d.household_id = h.id) AS device_ids FROM households h`;

export interface LearnedQuiet {
  firstActivity: number | null;
  longestGapMs: number | null;
}

export class HouseholdStore {
  constructor(
    private readonly db: Database,
    private readonly registry: RegistryStore,
  ) {}

  /** The household's row if the principal may see it (404 otherwise, without saying whether it exists). */
  async visibleRow(p: Principal, id: string): Promise<HouseholdRow> {
    const params = new SqlParams();
    const where = [`h.id = ${params.add(id)}`, scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    const { rows } = await this.db.query<HouseholdRow>(`${HOUSEHOLD_SELECT} WHERE ${where.join(' AND ')}`, params.values);
    if (!rows[0]) throw new ApiError('not_found');
    return rows[0];
  }

  async list(p: Principal, filter: { communityId?: string; gridId?: string; buildingId?: string }, now: number): Promise<Household[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    if (filter.communityId) where.push(`h.community_id = ${params.add(filter.communityId)}`);
    if (filter.gridId) where.push(`h.grid_id = ${params.add(filter.gridId)}`);
    if (filter.buildingId) where.push(`h.building_id = ${params.add(filter.buildingId)}`);
    const { rows } = await this.db.query<HouseholdRow>(`${HOUSEHOLD_SELECT} WHERE ${where.join(' AND ')} ORDER BY h.building_id, h.unit, h.room, h.id LIMIT 5000`, params.values);
    return this.withResidents(p, rows, now);
  }

  async get(p: Principal, id: string, now: number): Promise<Household> {
    return (await this.withResidents(p, [await this.visibleRow(p, id)], now))[0]!;
  }

  private async withResidents(p: Principal, rows: HouseholdRow[], now: number): Promise<Household[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const residents = await this.db.query<ResidentRow>(`${RESIDENT_SELECT} WHERE r.household_id = ANY($1::text[]) ORDER BY r.created_at, r.id`, [ids]);
    const learned = await this.learnedQuiet(ids, now);
    return rows.map((h) => {
      const quiet = quietPeriod({ overrideS: h.inactivity_period_s, ...(learned.get(h.id) ?? { firstActivity: null, longestGapMs: null }), now });
      return {
        id: h.id,
        communityId: h.community_id,
        gridId: h.grid_id,
        buildingId: h.building_id,
        unit: h.unit,
        room: h.room,
        residents: residents.rows.filter((r) => r.household_id === h.id).map((r) => toResident(r, disclosureFor(p, { communityId: r.community_id, gridId: r.grid_id }), now)),
        deviceIds: h.device_ids ?? [],
        inactivity: { periodS: quiet.periodS, source: quiet.source, lastActivityAt: iso(h.last_activity_at) },
        createdAt: isoRequired(h.created_at),
      };
    });
  }

  /** Activity history of the last two weeks, per household: when it starts and its longest quiet spell. */
  async learnedQuiet(householdIds: string[], now: number, q: Queryable = this.db): Promise<Map<string, LearnedQuiet>> {
    const { rows } = await q.query<{ household_id: string; first: Date; longest: number | null }>(
      `SELECT household_id, min(hour) AS first, max(extract(epoch FROM gap)) * 1000 AS longest FROM (
         SELECT household_id, hour, hour - lag(hour) OVER (PARTITION BY household_id ORDER BY hour) AS gap
           FROM household_activity WHERE household_id = ANY($1::text[]) AND hour >= $2
       ) g GROUP BY household_id`,
      [householdIds, new Date(now - 14 * 86_400_000)],
    );
    return new Map(rows.map((r) => [r.household_id, { firstActivity: r.first.getTime(), longestGapMs: r.longest === null ? null : Number(r.longest) }]));
  }

  /** The household's grid: given, else its building's. The building must be in the same community. */
  private async place(communityId: string, buildingId: string | undefined | null, gridId: string | undefined | null): Promise<{ buildingId: string | null; gridId: string | null }> {
    let grid = gridId ?? null;
    if (buildingId) {
      const building = await this.registry.getBuilding(buildingId);
      if (!building || building.communityId !== communityId) throw invalidField('buildingId', 'no such building in this community');
      grid ??= building.gridId;
    }
    if (grid) {
      const g = await this.registry.getGrid(grid);
      if (!g || g.communityId !== communityId) throw invalidField('gridId', 'no such grid in this community');
    }
    return { buildingId: buildingId ?? null, gridId: grid };
  }

  async create(input: HouseholdCreate, now: number): Promise<string> {
    if (!(await this.registry.getCommunity(input.communityId))) throw invalidField('communityId', 'no such community');
    const place = await this.place(input.communityId, input.buildingId, input.gridId);
    const id = input.id ?? newId('hh');
    try {
      await this.db.query(
        'INSERT INTO households (id, community_id, grid_id, building_id, unit, room, inactivity_period_s, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [id, input.communityId, place.gridId, place.buildingId, input.unit ?? null, input.room ?? null, input.inactivityPeriodS ?? null, new Date(now)],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists', [{ path: 'room', message: 'this building, unit and room already has a household' }]);
      throw error;
    }
    return id;
  }

  async patch(row: HouseholdRow, patch: HouseholdPatch): Promise<void> {
    const buildingId = patch.buildingId === undefined ? row.building_id : patch.buildingId;
    const gridId = patch.gridId === undefined ? (patch.buildingId === undefined ? row.grid_id : null) : patch.gridId;
    const place = await this.place(row.community_id, buildingId, gridId);
    await this.db.query('UPDATE households SET grid_id = $2, building_id = $3, unit = $4, room = $5, inactivity_period_s = $6 WHERE id = $1', [
      row.id,
      place.gridId,
      place.buildingId,
      patch.unit === undefined ? row.unit : patch.unit,
      patch.room === undefined ? row.room : patch.room,
      patch.inactivityPeriodS === undefined ? row.inactivity_period_s : patch.inactivityPeriodS,
    ]);
  }

  /** Installs a device in the household (same community), or takes it out. */
  async setDevice(row: HouseholdRow, deviceId: string, installed: boolean): Promise<void> {
    const { rowCount } = await this.db.query(
      installed ? 'UPDATE devices SET household_id = $2 WHERE id = $1 AND community_id = $3' : 'UPDATE devices SET household_id = NULL WHERE id = $1 AND household_id = $2',
      installed ? [deviceId, row.id, row.community_id] : [deviceId, row.id],
    );
    if (!rowCount) throw invalidField('deviceId', installed ? 'no such device in this community' : 'the device is not in this household');
  }

  async residentRow(p: Principal, id: string): Promise<ResidentRow> {
    const params = new SqlParams();
    const where = [`r.id = ${params.add(id)}`, scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    const { rows } = await this.db.query<ResidentRow>(`${RESIDENT_SELECT} WHERE ${where.join(' AND ')}`, params.values);
    if (!rows[0]) throw new ApiError('not_found');
    return rows[0];
  }

  async listResidents(p: Principal, filter: { communityId?: string; gridId?: string; flag?: 'livesAlone' | 'specialDifficulty' | 'disabled' }, now: number): Promise<Resident[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    if (filter.communityId) where.push(`h.community_id = ${params.add(filter.communityId)}`);
    if (filter.gridId) where.push(`h.grid_id = ${params.add(filter.gridId)}`);
    if (filter.flag) where.push({ livesAlone: 'r.lives_alone', specialDifficulty: 'r.special_difficulty', disabled: 'r.disabled' }[filter.flag]);
    const { rows } = await this.db.query<ResidentRow>(`${RESIDENT_SELECT} WHERE ${where.join(' AND ')} ORDER BY h.community_id, r.name, r.id LIMIT 5000`, params.values);
    return rows.map((r) => toResident(r, disclosureFor(p, { communityId: r.community_id, gridId: r.grid_id }), now));
  }

  async createResident(input: ResidentCreate, now: number): Promise<string> {
    const id = input.id ?? newId('res');
    try {
      await this.db.query(
        `INSERT INTO residents (id, household_id, name, birth_year, phone, id_number, lives_alone, special_difficulty, disabled, care_notes, contacts, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          id,
          input.householdId,
          input.name,
          input.birthYear ?? null,
          input.phone ?? null,
          input.idNumber?.toUpperCase() ?? null,
          input.livesAlone ?? false,
          input.specialDifficulty ?? false,
          input.disabled ?? false,
          input.careNotes ?? null,
          JSON.stringify(input.contacts ?? []),
          new Date(input.registeredAt ? Date.parse(input.registeredAt) : now),
        ],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists');
      throw error;
    }
    return id;
  }

  async patchResident(row: ResidentRow, patch: ResidentPatch): Promise<void> {
    const pick = <T>(value: T | undefined, current: T) => (value === undefined ? current : value);
    await this.db.query(
      `UPDATE residents SET name = $2, birth_year = $3, phone = $4, id_number = $5, lives_alone = $6, special_difficulty = $7, disabled = $8, care_notes = $9, contacts = $10 WHERE id = $1`,
      [
        row.id,
        pick(patch.name, row.name),
        pick(patch.birthYear, row.birth_year),
        pick(patch.phone, row.phone),
        pick(patch.idNumber?.toUpperCase(), row.id_number),
        pick(patch.livesAlone, row.lives_alone),
        pick(patch.specialDifficulty, row.special_difficulty),
        pick(patch.disabled, row.disabled),
        pick(patch.careNotes, row.care_notes),
        JSON.stringify(pick(patch.contacts, row.contacts)),
      ],
    );
  }

  /**
   * Who lives where an alarm went off (the device's household), for the responder. Shown to whoever may
   * see the alert; personal data masked per viewer like everywhere else.
   */
  careProfile(p: Principal, deviceId: string, now: number): Promise<CareProfile | null> {
    return this.careProfileBy(deviceId, (place) => disclosureFor(p, place), now);
  }

  /** The same for any audience (a notification's recipient and channel), read in the caller's transaction. */
  async careProfileBy(deviceId: string, disclose: (place: PersonPlace) => Disclosure, now: number, q: Queryable = this.db): Promise<CareProfile | null> {
    const { rows } = await q.query<HouseholdRow>(`${HOUSEHOLD_SELECT} WHERE h.id = (SELECT household_id FROM devices WHERE id = $1)`, [deviceId]);
    const h = rows[0];
    if (!h) return null;
    const residents = await q.query<ResidentRow>(`${RESIDENT_SELECT} WHERE r.household_id = $1 ORDER BY r.created_at, r.id`, [h.id]);
    return {
      householdId: h.id,
      place: { buildingId: h.building_id, unit: h.unit, room: h.room },
      residents: residents.rows.map((r) => toResident(r, disclose({ communityId: r.community_id, gridId: r.grid_id }), now)),
    };
  }

  async residentOut(p: Principal, id: string, now: number): Promise<Resident> {
    const row = await this.residentRow(p, id);
    return toResident(row, disclosureFor(p, { communityId: row.community_id, gridId: row.grid_id }), now);
  }
}
