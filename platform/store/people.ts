/** Users who sign in, and the workers alerts are addressed to. */
import type { Channel, Role, User, UserCreate, Worker, WorkerCreate, WorkerPosition } from '../../contract/index.ts';
import { hashSecret } from '../auth/passwords.ts';
import { toUser, type Principal } from '../auth/principal.ts';
import { type Database, inTransaction } from '../db/database.ts';
import { SqlParams } from '../db/sql.ts';
import { ApiError, invalidField, sqlState, UNIQUE_VIOLATION } from '../errors.ts';
import { newId } from '../ids.ts';

interface WorkerRow {
  id: string;
  community_id: string;
  name: string;
  position: WorkerPosition;
  channels: Channel[];
  grid_ids: string[] | null;
}

const worker = (r: WorkerRow): Worker => ({
  id: r.id,
  name: r.name,
  communityId: r.community_id,
  position: r.position,
  gridIds: r.grid_ids ?? [],
  channels: r.channels,
});

const WORKER_SELECT = `SELECT w.*, (SELECT array_agg(grid_id ORDER BY grid_id) FROM worker_grids wg WHERE wg.worker_id = w.id) AS grid_ids FROM workers w`;

export interface Recipient {
  workerId: string;
  name: string;
  position: WorkerPosition;
}

export class PeopleStore {
  constructor(private readonly db: Database) {}

  async createWorker(input: WorkerCreate): Promise<Worker> {
    const id = input.id ?? newId('wkr');
    const gridIds = input.gridIds ?? [];
    await inTransaction(this.db, async (client) => {
      const community = await client.query('SELECT 1 FROM communities WHERE id = $1', [input.communityId]);
      if (!community.rowCount) throw invalidField('communityId', 'no such community');
      const grids = await client.query<{ id: string; community_id: string }>('SELECT id, community_id FROM grids WHERE id = ANY($1::text[])', [gridIds]);
      gridIds.forEach((gridId, i) => {
        const found = grids.rows.find((g) => g.id === gridId);
        if (!found) throw invalidField(`gridIds.${i}`, 'no such grid');
        if (found.community_id !== input.communityId) throw invalidField(`gridIds.${i}`, "the grid belongs to another community than the worker's");
      });
      try {
        await client.query('INSERT INTO workers (id, community_id, name, position, channels) VALUES ($1, $2, $3, $4, $5)', [
          id,
          input.communityId,
          input.name,
          input.position,
          JSON.stringify(input.channels ?? []),
        ]);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists');
        throw error;
      }
      if (gridIds.length) await client.query('INSERT INTO worker_grids (worker_id, grid_id) SELECT $1, unnest($2::text[])', [id, gridIds]);
    });
    return (await this.getWorker(id))!;
  }

  async getWorker(id: string): Promise<Worker | undefined> {
    const { rows } = await this.db.query<WorkerRow>(`${WORKER_SELECT} WHERE w.id = $1`, [id]);
    return rows[0] && worker(rows[0]);
  }

  async listWorkers(p: Principal, communityId?: string): Promise<Worker[]> {
    const params = new SqlParams();
    const where = ['TRUE'];
    if (p.role === 'operator' || p.role === 'worker') where.push(`w.community_id = ANY(${params.add(p.communityIds)}::text[])`);
    if (communityId) where.push(`w.community_id = ${params.add(communityId)}`);
    const { rows } = await this.db.query<WorkerRow>(`${WORKER_SELECT} WHERE ${where.join(' AND ')} ORDER BY w.community_id, w.name`, params.values);
    return rows.map(worker);
  }

  /**
   * Whom an alert of a grid is addressed to: its grid workers; when the grid has none, its grid leaders;
   * when it has neither (or the device has no grid), the community's duty officers.
   */
  async recipientsFor(communityId: string, gridId: string | null): Promise<Recipient[]> {
    const { rows } = await this.db.query<{ id: string; name: string; position: WorkerPosition }>(
      `SELECT w.id, w.name, w.position FROM workers w
         LEFT JOIN worker_grids wg ON wg.worker_id = w.id AND wg.grid_id = $2
        WHERE w.community_id = $1 AND (wg.grid_id IS NOT NULL OR w.position = 'duty_officer')
        ORDER BY w.name`,
      [communityId, gridId],
    );
    const byPosition = (position: WorkerPosition) => rows.filter((r) => r.position === position && (position === 'duty_officer' || gridId !== null));
    const chosen = [byPosition('grid_worker'), byPosition('grid_leader'), rows.filter((r) => r.position === 'duty_officer')].find((group) => group.length) ?? [];
    return chosen.map((r) => ({ workerId: r.id, name: r.name, position: r.position }));
  }

  async createUser(input: UserCreate): Promise<User> {
    const role: Role = input.role;
    const communityIds = input.communityIds ?? [];
    if (role === 'worker' && !input.workerId) throw invalidField('workerId', 'a worker user must name its worker');
    const id = newId('usr');
    const passwordHash = await hashSecret(input.password);
    await inTransaction(this.db, async (client) => {
      if (input.workerId) {
        const found = await client.query('SELECT 1 FROM workers WHERE id = $1', [input.workerId]);
        if (!found.rowCount) throw invalidField('workerId', 'no such worker');
      }
      const known = await client.query<{ id: string }>('SELECT id FROM communities WHERE id = ANY($1::text[])', [communityIds]);
      communityIds.forEach((c, i) => {
        if (!known.rows.some((r) => r.id === c)) throw invalidField(`communityIds.${i}`, 'no such community');
      });
      try {
        await client.query('INSERT INTO users (id, username, password_hash, role, display_name, worker_id) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          input.username,
          passwordHash,
          role,
          input.displayName ?? input.username,
          input.workerId ?? null,
        ]);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists', [{ path: 'username', message: 'is taken' }]);
        throw error;
      }
      if (communityIds.length) await client.query('INSERT INTO user_communities SELECT $1, unnest($2::text[])', [id, communityIds]);
    });
    return toUser((await this.loadPrincipal(id))!);
  }

  async findLogin(username: string): Promise<{ id: string; passwordHash: string } | undefined> {
    const { rows } = await this.db.query<{ id: string; password_hash: string }>('SELECT id, password_hash FROM users WHERE username = $1', [username]);
    return rows[0] && { id: rows[0].id, passwordHash: rows[0].password_hash };
  }

  async countUsers(): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
    return rows[0]!.n;
  }

  /** The user with the scope their role grants, read fresh so that a changed grid takes effect at once. */
  async loadPrincipal(userId: string): Promise<Principal | undefined> {
    const { rows } = await this.db.query<{
      id: string;
      username: string;
      display_name: string;
      role: Role;
      worker_id: string | null;
      community_ids: string[] | null;
      grid_ids: string[] | null;
      grid_community_ids: string[] | null;
    }>(
      `SELECT u.id, u.username, u.display_name, u.role, u.worker_id,
              (SELECT array_agg(community_id ORDER BY community_id) FROM user_communities WHERE user_id = u.id) AS community_ids,
              (SELECT array_agg(grid_id ORDER BY grid_id) FROM worker_grids WHERE worker_id = u.worker_id) AS grid_ids,
              (SELECT array_agg(DISTINCT g.community_id) FROM worker_grids wg JOIN grids g ON g.id = wg.grid_id WHERE wg.worker_id = u.worker_id) AS grid_community_ids
         FROM users u WHERE u.id = $1`,
      [userId],
    );
    const r = rows[0];
    if (!r) return undefined;
    const gridIds = r.role === 'worker' ? (r.grid_ids ?? []) : [];
    const communityIds = r.role === 'worker' ? (r.grid_community_ids ?? []) : (r.community_ids ?? []);
    return { userId: r.id, username: r.username, displayName: r.display_name, role: r.role, communityIds, gridIds, workerId: r.worker_id };
  }

  async listUsers(): Promise<User[]> {
    const { rows } = await this.db.query<{ id: string }>('SELECT id FROM users ORDER BY username');
    const principals = await Promise.all(rows.map((r) => this.loadPrincipal(r.id)));
    return principals.filter((p): p is Principal => p !== undefined).map(toUser);
  }
}
