/** Communities, grids and buildings: the places everything else hangs from. */
import type { Building, BuildingCreate, BuildingPatch, Community, CommunityCreate, CommunityPatch, Grid, GridCreate } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { isoRequired, SqlParams } from '../db/sql.ts';
import { ApiError, FOREIGN_KEY_VIOLATION, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';

interface CommunityRow {
  id: string;
  name: string;
  kind: 'urban' | 'rural';
  created_at: Date;
}
interface GridRow {
  id: string;
  community_id: string;
  name: string;
}
interface BuildingRow {
  id: string;
  community_id: string;
  grid_id: string;
  name: string;
  position_x: number | null;
  position_y: number | null;
  floors: number | null;
  units: number | null;
}

const community = (r: CommunityRow): Community => ({ id: r.id, name: r.name, kind: r.kind, createdAt: isoRequired(r.created_at) });
const grid = (r: GridRow): Grid => ({ id: r.id, communityId: r.community_id, name: r.name });
const building = (r: BuildingRow): Building => ({
  id: r.id,
  communityId: r.community_id,
  gridId: r.grid_id,
  name: r.name,
  position: r.position_x === null || r.position_y === null ? null : { x: r.position_x, y: r.position_y },
  floors: r.floors,
  units: r.units,
});

async function insertOrExplain<T>(run: () => Promise<T>, foreignKeyField: string): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists');
    if (sqlState(error) === FOREIGN_KEY_VIOLATION) throw invalidField(foreignKeyField, 'no such record');
    throw error;
  }
}

/** Which communities a principal may read: operators and workers their own, admins and vendors all. */
function communityScope(p: Principal, params: SqlParams, column: string): string {
  return p.role === 'operator' || p.role === 'worker' ? `${column} = ANY(${params.add(p.communityIds)}::text[])` : 'TRUE';
}

export class RegistryStore {
  constructor(private readonly db: Database) {}

  async createCommunity(input: CommunityCreate): Promise<Community> {
    const { rows } = await insertOrExplain(
      () => this.db.query<CommunityRow>('INSERT INTO communities (id, name, kind) VALUES ($1, $2, $3) RETURNING *', [input.id ?? newId('com'), input.name, input.kind]),
      'id',
    );
    return community(rows[0]!);
  }

  async listCommunities(p: Principal): Promise<Community[]> {
    const params = new SqlParams();
    const { rows } = await this.db.query<CommunityRow>(`SELECT * FROM communities WHERE ${communityScope(p, params, 'id')} ORDER BY name`, params.values);
    return rows.map(community);
  }

  async getCommunity(id: string): Promise<Community | undefined> {
    const { rows } = await this.db.query<CommunityRow>('SELECT * FROM communities WHERE id = $1', [id]);
    return rows[0] && community(rows[0]);
  }

  async createGrid(input: GridCreate): Promise<Grid> {
    const { rows } = await insertOrExplain(
      () => this.db.query<GridRow>('INSERT INTO grids (id, community_id, name) VALUES ($1, $2, $3) RETURNING *', [input.id ?? newId('grid'), input.communityId, input.name]),
      'communityId',
    );
    return grid(rows[0]!);
  }

  async listGrids(p: Principal, communityId?: string): Promise<Grid[]> {
    const params = new SqlParams();
    const where = [communityScope(p, params, 'community_id')];
    if (p.role === 'worker') where.push(`id = ANY(${params.add(p.gridIds)}::text[])`);
    if (communityId) where.push(`community_id = ${params.add(communityId)}`);
    const { rows } = await this.db.query<GridRow>(`SELECT * FROM grids WHERE ${where.join(' AND ')} ORDER BY community_id, name`, params.values);
    return rows.map(grid);
  }

  async getGrid(id: string): Promise<Grid | undefined> {
    const { rows } = await this.db.query<GridRow>('SELECT * FROM grids WHERE id = $1', [id]);
    return rows[0] && grid(rows[0]);
  }

  async createBuilding(input: BuildingCreate): Promise<Building> {
    const g = await this.getGrid(input.gridId);
    if (!g) throw invalidField('gridId', 'no such grid');
    if (g.communityId !== input.communityId) throw invalidField('gridId', 'the grid belongs to another community');
    const { rows } = await insertOrExplain(
      () =>
        this.db.query<BuildingRow>(
          'INSERT INTO buildings (id, community_id, grid_id, name, position_x, position_y, floors, units) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *',
          [input.id ?? newId('bld'), input.communityId, input.gridId, input.name, input.position?.x ?? null, input.position?.y ?? null, input.floors ?? null, input.units ?? null],
        ),
      'communityId',
    );
    return building(rows[0]!);
  }

  async listBuildings(p: Principal, communityId?: string): Promise<Building[]> {
    const params = new SqlParams();
    const where = [communityScope(p, params, 'community_id')];
    if (communityId) where.push(`community_id = ${params.add(communityId)}`);
    const { rows } = await this.db.query<BuildingRow>(`SELECT * FROM buildings WHERE ${where.join(' AND ')} ORDER BY community_id, name`, params.values);
    return rows.map(building);
  }

  async getBuilding(id: string): Promise<Building | undefined> {
    const { rows } = await this.db.query<BuildingRow>('SELECT * FROM buildings WHERE id = $1', [id]);
    return rows[0] && building(rows[0]);
  }

  async patchCommunity(id: string, patch: CommunityPatch): Promise<Community | undefined> {
    const { rows } = await insertOrExplain(
      () => this.db.query<CommunityRow>('UPDATE communities SET name = COALESCE($2, name), kind = COALESCE($3, kind) WHERE id = $1 RETURNING *', [id, patch.name ?? null, patch.kind ?? null]),
      'name',
    );
    return rows[0] && community(rows[0]);
  }

  async renameGrid(id: string, name: string): Promise<Grid | undefined> {
    const { rows } = await insertOrExplain(() => this.db.query<GridRow>('UPDATE grids SET name = $2 WHERE id = $1 RETURNING *', [id, name]), 'name');
    return rows[0] && grid(rows[0]);
  }

  /** Moves, renames or reshapes a building; a new grid must be of the same community. */
  async patchBuilding(current: Building, patch: BuildingPatch): Promise<Building> {
    if (patch.gridId !== undefined && patch.gridId !== current.gridId) {
      const g = await this.getGrid(patch.gridId);
      if (!g) throw invalidField('gridId', 'no such grid');
      if (g.communityId !== current.communityId) throw invalidField('gridId', 'the grid belongs to another community');
    }
    const next = { ...current, ...patch };
    const position = patch.position === undefined ? current.position : patch.position;
    const { rows } = await insertOrExplain(
      () =>
        this.db.query<BuildingRow>(
          'UPDATE buildings SET grid_id = $2, name = $3, position_x = $4, position_y = $5, floors = $6, units = $7 WHERE id = $1 RETURNING *',
          [current.id, next.gridId, next.name, position?.x ?? null, position?.y ?? null, next.floors ?? null, next.units ?? null],
        ),
      'gridId',
    );
    return building(rows[0]!);
  }
}
