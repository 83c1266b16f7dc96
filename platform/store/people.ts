/** Users who sign in, and the workers alerts are addressed to. */
import type { Channel, Role, Shift, User, UserCreate, Worker, WorkerCreate, WorkerPatch, WorkerPosition } from '../../contract/index.ts';
import type { Clock } from '../clock.ts';
import { onDuty, type DutyCandidate } from '../dispatch/duty.ts';
import type { Queryable } from '../db/database.ts';
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
  phone: string | null;
  away_until: Date | null;
  backup_worker_id: string | null;
  grid_ids: string[] | null;
  roster: Shift[] | null;
  social_worker_certified: boolean;
}

const candidate = (r: WorkerRow): DutyCandidate => ({
  id: r.id,
  name: r.name,
  position: r.position,
  gridIds: r.grid_ids ?? [],
  channels: r.channels,
  phone: r.phone,
  roster: r.roster ?? [],
  awayUntil: r.away_until?.getTime() ?? null,
  backupWorkerId: r.backup_worker_id,
});

const WORKER_SELECT = `SELECT w.*,
    (SELECT array_agg(grid_id ORDER BY grid_id) FROM worker_grids wg WHERE wg.worker_id = w.id) AS grid_ids,
    (SELECT json_agg(json_build_object('weekday', weekday, 'starts', to_char(starts, 'HH24:MI'), 'ends', to_char(ends, 'HH24:MI')) ORDER BY weekday, starts)
       FROM roster_shifts rs WHERE rs.worker_id = w.id) AS roster
  FROM workers w`;

export interface Recipient {
  workerId: string;
  name: string;
  position: WorkerPosition;
}

export class PeopleStore {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  private worker(r: WorkerRow): Worker {
    const c = candidate(r);
    return {
      id: r.id,
      name: r.name,
      communityId: r.community_id,
      position: r.position,
      gridIds: c.gridIds,
      channels: r.channels,
      phone: r.phone,
      roster: c.roster,
      awayUntil: r.away_until ? r.away_until.toISOString() : null,
      backupWorkerId: r.backup_worker_id,
      socialWorkerCertified: r.social_worker_certified,
      onDuty: onDuty(c, this.clock.now()),
    };
  }

  private async checkGrids(client: Queryable, communityId: string, gridIds: string[]): Promise<void> {
    const grids = await client.query<{ id: string; community_id: string }>('SELECT id, community_id FROM grids WHERE id = ANY($1::text[])', [gridIds]);
    gridIds.forEach((gridId, i) => {
      const found = grids.rows.find((g) => g.id === gridId);
      if (!found) throw invalidField(`gridIds.${i}`, 'no such grid');
      if (found.community_id !== communityId) throw invalidField(`gridIds.${i}`, "the grid belongs to another community than the worker's");
    });
  }

  private async writeRoster(client: Queryable, workerId: string, roster: Shift[]): Promise<void> {
    await client.query('DELETE FROM roster_shifts WHERE worker_id = $1', [workerId]);
    for (const shift of roster) {
      await client.query('INSERT INTO roster_shifts (id, worker_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5)', [newId('sft'), workerId, shift.weekday, shift.starts, shift.ends]);
    }
  }

  async createWorker(input: WorkerCreate): Promise<Worker> {
    const id = input.id ?? newId('wkr');
    const gridIds = input.gridIds ?? [];
    await inTransaction(this.db, async (client) => {
      const community = await client.query('SELECT 1 FROM communities WHERE id = $1', [input.communityId]);
      if (!community.rowCount) throw invalidField('communityId', 'no such community');
      await this.checkGrids(client, input.communityId, gridIds);
      try {
        await client.query('INSERT INTO workers (id, community_id, name, position, channels, phone, social_worker_certified) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
          id,
          input.communityId,
          input.name,
          input.position,
          JSON.stringify(input.channels ?? []),
          input.phone ?? null,
          input.socialWorkerCertified ?? false,
        ]);
      } catch (error) {
        if (sqlState(error) === UNIQUE_VIOLATION) throw new ApiError('already_exists');
        throw error;
      }
      if (gridIds.length) await client.query('INSERT INTO worker_grids (worker_id, grid_id) SELECT $1, unnest($2::text[])', [id, gridIds]);
      await this.writeRoster(client, id, input.roster ?? []);
    });
    return (await this.getWorker(id))!;
  }

  async patchWorker(id: string, patch: WorkerPatch): Promise<Worker | undefined> {
    const current = await this.getWorker(id);
    if (!current) return undefined;
    await inTransaction(this.db, async (client) => {
      if (patch.gridIds) {
        await this.checkGrids(client, current.communityId, patch.gridIds);
        await client.query('DELETE FROM worker_grids WHERE worker_id = $1', [id]);
        if (patch.gridIds.length) await client.query('INSERT INTO worker_grids (worker_id, grid_id) SELECT $1, unnest($2::text[])', [id, patch.gridIds]);
      }
      if (patch.backupWorkerId) {
        if (patch.backupWorkerId === id) throw invalidField('backupWorkerId', 'a worker cannot be their own backup');
        const backup = await client.query<{ community_id: string }>('SELECT community_id FROM workers WHERE id = $1', [patch.backupWorkerId]);
        if (!backup.rows[0]) throw invalidField('backupWorkerId', 'no such worker');
        if (backup.rows[0].community_id !== current.communityId) throw invalidField('backupWorkerId', 'the backup works in another community');
      }
      if (patch.roster) await this.writeRoster(client, id, patch.roster);
      await client.query(
        `UPDATE workers SET name = COALESCE($2, name), channels = COALESCE($3, channels),
           phone = CASE WHEN $4 THEN $5 ELSE phone END,
           away_until = CASE WHEN $6 THEN $7::timestamptz ELSE away_until END,
           backup_worker_id = CASE WHEN $8 THEN $9 ELSE backup_worker_id END,
           social_worker_certified = COALESCE($10, social_worker_certified)
         WHERE id = $1`,
        [
          id,
          patch.name ?? null,
          patch.channels ? JSON.stringify(patch.channels) : null,
          patch.phone !== undefined,
          patch.phone ?? null,
          patch.awayUntil !== undefined,
          patch.awayUntil ?? null,
          patch.backupWorkerId !== undefined,
          patch.backupWorkerId ?? null,
          patch.socialWorkerCertified ?? null,
        ],
      );
    });
    return this.getWorker(id);
  }

  async getWorker(id: string): Promise<Worker | undefined> {
    const { rows } = await this.db.query<WorkerRow>(`${WORKER_SELECT} WHERE w.id = $1`, [id]);
    return rows[0] && this.worker(rows[0]);
  }

  /** Everyone who may be paged in a community, with grids, channels, roster and absence. */
  async dutyCandidates(q: Queryable, communityId: string): Promise<DutyCandidate[]> {
    const { rows } = await q.query<WorkerRow>(`${WORKER_SELECT} WHERE w.community_id = $1 ORDER BY w.name, w.id`, [communityId]);
    return rows.map(candidate);
  }

  async listWorkers(p: Principal, communityId?: string): Promise<Worker[]> {
    const params = new SqlParams();
    const where = ['TRUE'];
    if (p.role === 'operator' || p.role === 'worker') where.push(`w.community_id = ANY(${params.add(p.communityIds)}::text[])`);
    if (communityId) where.push(`w.community_id = ${params.add(communityId)}`);
    const { rows } = await this.db.query<WorkerRow>(`${WORKER_SELECT} WHERE ${where.join(' AND ')} ORDER BY w.community_id, w.name`, params.values);
    return rows.map((r) => this.worker(r));
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
