/** Visits to residents in special difficulty: recorded by workers, scheduled monthly to the grid worker. */
import type { Visit, VisitCreate, VisitDue, VisitOutcome, VisitRate } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import { scopeClause } from '../auth/scope-sql.ts';
import type { Database } from '../db/database.ts';
import { isoRequired, SqlParams } from '../db/sql.ts';
import { newId } from '../ids.ts';
import { disclosureFor } from '../privacy/mask.ts';
import { addMonths, monthOf, monthRange } from '../local-time.ts';
import { RESIDENT_SELECT, type ResidentRow, toResident } from './residents.ts';
import { visitRate, visitStatus } from './visit-schedule.ts';

interface VisitRow {
  id: string;
  resident_id: string;
  resident_name: string;
  worker_id: string | null;
  worker_name: string | null;
  visited_at: Date;
  outcome: VisitOutcome;
  note: string | null;
  follow_up: boolean;
  recorded_by: string | null;
}

const VISIT_SELECT = `SELECT v.*, r.name AS resident_name, w.name AS worker_name FROM visits v JOIN residents r ON r.id = v.resident_id LEFT JOIN workers w ON w.id = v.worker_id`;

const toVisit = (r: VisitRow): Visit => ({
  id: r.id,
  residentId: r.resident_id,
  residentName: r.resident_name,
  workerId: r.worker_id,
  workerName: r.worker_name,
  visitedAt: isoRequired(r.visited_at),
  outcome: r.outcome,
  note: r.note,
  followUp: r.follow_up,
  recordedBy: r.recorded_by,
});

type DueRow = ResidentRow & { building_id: string | null; unit: string | null; room: string | null };

export class VisitStore {
  constructor(private readonly db: Database) {}

  async record(input: VisitCreate & { workerId: string | null; recordedBy: string }, now: number): Promise<Visit> {
    const id = newId('visit');
    await this.db.query('INSERT INTO visits (id, resident_id, worker_id, visited_at, outcome, note, follow_up, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      id,
      input.residentId,
      input.workerId,
      new Date(input.visitedAt ? Date.parse(input.visitedAt) : now),
      input.outcome,
      input.note ?? null,
      input.followUp ?? false,
      input.recordedBy,
    ]);
    const { rows } = await this.db.query<VisitRow>(`${VISIT_SELECT} WHERE v.id = $1`, [id]);
    return toVisit(rows[0]!);
  }

  async list(p: Principal, filter: { residentId?: string; communityId?: string; month?: string; followUp?: boolean }): Promise<Visit[]> {
    const params = new SqlParams();
    const where = [scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    if (filter.residentId) where.push(`v.resident_id = ${params.add(filter.residentId)}`);
    if (filter.communityId) where.push(`h.community_id = ${params.add(filter.communityId)}`);
    if (filter.followUp !== undefined) where.push(`v.follow_up = ${params.add(filter.followUp)}`);
    if (filter.month) {
      const range = monthRange(filter.month);
      where.push(`v.visited_at >= ${params.add(new Date(range.from))} AND v.visited_at < ${params.add(new Date(range.to))}`);
    }
    const { rows } = await this.db.query<VisitRow>(
      `${VISIT_SELECT} JOIN households h ON h.id = r.household_id WHERE ${where.join(' AND ')} ORDER BY v.visited_at DESC, v.id DESC LIMIT 2000`,
      params.values,
    );
    return rows.map(toVisit);
  }

  /**
   * Residents in special difficulty in scope and their visit this month (at `now`), each scheduled to the
   * grid worker of the household's grid; overdue first, then due, then done.
   */
  async due(p: Principal, filter: { communityId?: string; gridId?: string; workerId?: string }, now: number): Promise<VisitDue[]> {
    const month = monthOf(now);
    const params = new SqlParams();
    const where = ['r.special_difficulty', scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    if (filter.communityId) where.push(`h.community_id = ${params.add(filter.communityId)}`);
    if (filter.gridId) where.push(`h.grid_id = ${params.add(filter.gridId)}`);
    if (filter.workerId) where.push(`h.grid_id IN (SELECT grid_id FROM worker_grids WHERE worker_id = ${params.add(filter.workerId)})`);
    const residents = await this.db.query<DueRow>(
      `SELECT r.*, h.community_id, h.grid_id, h.building_id, h.unit, h.room FROM residents r JOIN households h ON h.id = r.household_id WHERE ${where.join(' AND ')} ORDER BY h.building_id, h.unit, h.room, r.name`,
      params.values,
    );
    if (!residents.rows.length) return [];
    const since = monthRange(addMonths(month, -1)).from;
    const visits = await this.db.query<VisitRow>(`${VISIT_SELECT} WHERE v.resident_id = ANY($1::text[]) AND v.visited_at >= $2 ORDER BY v.visited_at DESC`, [
      residents.rows.map((r) => r.id),
      new Date(since),
    ]);
    const lastVisits = await this.db.query<VisitRow>(
      `SELECT DISTINCT ON (v.resident_id) v.*, r.name AS resident_name, w.name AS worker_name FROM visits v JOIN residents r ON r.id = v.resident_id LEFT JOIN workers w ON w.id = v.worker_id
        WHERE v.resident_id = ANY($1::text[]) ORDER BY v.resident_id, v.visited_at DESC`,
      [residents.rows.map((r) => r.id)],
    );
    const gridWorkers = await this.db.query<{ grid_id: string; id: string; name: string }>(
      `SELECT DISTINCT ON (wg.grid_id) wg.grid_id, w.id, w.name FROM worker_grids wg JOIN workers w ON w.id = wg.worker_id
        WHERE w.position = 'grid_worker' AND wg.grid_id = ANY($1::text[]) ORDER BY wg.grid_id, w.created_at, w.id`,
      [[...new Set(residents.rows.map((r) => r.grid_id).filter((g): g is string => g !== null))]],
    );
    const workerOf = new Map(gridWorkers.rows.map((w) => [w.grid_id, { id: w.id, name: w.name }]));
    const order = { overdue: 0, due: 1, done: 2 } as const;
    return residents.rows
      .map((r) => {
        const facts = visits.rows.filter((v) => v.resident_id === r.id).map((v) => ({ visitedAt: v.visited_at.getTime(), outcome: v.outcome }));
        const { status, dueBy } = visitStatus(month, facts, r.created_at.getTime());
        const last = lastVisits.rows.find((v) => v.resident_id === r.id);
        return {
          resident: toResident(r, disclosureFor(p, { communityId: r.community_id, gridId: r.grid_id }), now),
          householdId: r.household_id,
          buildingId: r.building_id,
          unit: r.unit,
          room: r.room,
          worker: r.grid_id ? (workerOf.get(r.grid_id) ?? null) : null,
          status,
          dueBy: new Date(dueBy).toISOString(),
          lastVisit: last ? toVisit(last) : null,
        };
      })
      .sort((a, b) => order[a.status] - order[b.status]);
  }

  /** The visit rate of a month per grid and per community (a row with gridId null), in scope. */
  async rate(p: Principal, month: string, communityId: string | undefined): Promise<VisitRate> {
    const range = monthRange(month);
    const params = new SqlParams();
    const where = ['r.special_difficulty', `r.created_at < ${params.add(new Date(range.to))}`, scopeClause(p, params, { community: 'h.community_id', grid: 'h.grid_id' })];
    if (communityId) where.push(`h.community_id = ${params.add(communityId)}`);
    const from = params.add(new Date(range.from));
    const to = params.add(new Date(range.to));
    const { rows } = await this.db.query<{ community_id: string; grid_id: string | null; total: boolean; residents: number; visited: number }>(
      `SELECT h.community_id, h.grid_id, GROUPING(h.grid_id) = 1 AS total, count(*)::int AS residents,
              count(*) FILTER (WHERE EXISTS (SELECT 1 FROM visits v WHERE v.resident_id = r.id AND v.outcome <> 'not_home' AND v.visited_at >= ${from} AND v.visited_at < ${to}))::int AS visited
         FROM residents r JOIN households h ON h.id = r.household_id
        WHERE ${where.join(' AND ')}
        GROUP BY GROUPING SETS ((h.community_id, h.grid_id), (h.community_id))
        ORDER BY h.community_id, h.grid_id NULLS FIRST`,
      params.values,
    );
    // One row per grid and one community total (gridId null); households without a grid count in the total only.
    return {
      month,
      target: 1,
      groups: rows.filter((r) => r.total || r.grid_id !== null).map((r) => ({ communityId: r.community_id, gridId: r.total ? null : r.grid_id, ...visitRate(r.residents, r.visited) })),
    };
  }
}

