/**
 * Response-time and satisfaction statistics per grid, community or category, computed by PostgreSQL in
 * one pass (GROUPING SETS give the groups and the total, whose median is not a mean of medians).
 */
import { REQUEST_CATEGORY_LABELS, RequestCategory, type RequestStats, type RequestStatsGroup } from '../../contract/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Database } from '../db/database.ts';
import { SqlParams } from '../db/sql.ts';
import { requestScope } from './store.ts';

export type StatsGroupBy = RequestStats['groupBy'];

/** One aggregated row as PostgreSQL returns it (counts as numbers, percentiles as seconds). */
export interface StatsRow {
  key: string | null;
  name: string | null;
  total: boolean;
  count: number;
  responded: number;
  on_time: number;
  late: number;
  overdue: number;
  median_s: number | null;
  p90_s: number | null;
  closed: number;
  good: number;
  fair: number;
  bad: number;
}

/** A share in per cent with one decimal; null when there is nothing to divide by. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;
}

const seconds = (s: number | null) => (s === null ? null : Math.round(s));

export function toStatsGroup(r: StatsRow): RequestStatsGroup {
  const rated = r.good + r.fair + r.bad;
  return {
    key: r.key,
    name: r.name,
    count: r.count,
    responded: r.responded,
    respondedOnTime: r.on_time,
    late: r.late,
    onTimePct: percent(r.on_time, r.on_time + r.late),
    medianResponseS: seconds(r.median_s),
    p90ResponseS: seconds(r.p90_s),
    overdue: r.overdue,
    closed: r.closed,
    satisfaction: { good: r.good, fair: r.fair, bad: r.bad, rated, goodPct: percent(r.good, rated) },
  };
}

export const EMPTY_GROUP: StatsRow = { key: null, name: null, total: true, count: 0, responded: 0, on_time: 0, late: 0, overdue: 0, median_s: null, p90_s: null, closed: 0, good: 0, fair: 0, bad: 0 };

const KEY: Record<StatsGroupBy, { key: string; name: string; join: string }> = {
  grid: { key: 'r.grid_id', name: 'g.name', join: 'LEFT JOIN grids g ON g.id = r.grid_id' },
  community: { key: 'r.community_id', name: 'c.name', join: 'JOIN communities c ON c.id = r.community_id' },
  // Category names come from the contract's labels, not the database.
  category: { key: 'r.category', name: 'NULL::text', join: '' },
};

export async function requestStats(
  db: Database,
  p: Principal,
  q: { communityId?: string; from: number; to: number; groupBy: StatsGroupBy },
  now: number,
): Promise<RequestStats> {
  const params = new SqlParams();
  const k = KEY[q.groupBy];
  const where = [requestScope(p, params), `r.received_at >= ${params.add(new Date(q.from))}`, `r.received_at < ${params.add(new Date(q.to))}`];
  if (q.communityId) where.push(`r.community_id = ${params.add(q.communityId)}`);
  const nowParam = params.add(new Date(now));
  const responseS = `CASE WHEN r.responded_at IS NOT NULL THEN extract(epoch FROM r.responded_at - r.received_at) END`;
  const { rows } = await db.query<StatsRow>(
    `SELECT ${k.key} AS key, min(${k.name}) AS name, GROUPING(${k.key}) = 1 AS total,
            count(*)::int AS count,
            count(r.responded_at)::int AS responded,
            count(*) FILTER (WHERE r.responded_at <= r.deadline)::int AS on_time,
            count(*) FILTER (WHERE r.responded_at > r.deadline OR (r.responded_at IS NULL AND r.deadline < ${nowParam}))::int AS late,
            count(*) FILTER (WHERE r.responded_at IS NULL AND r.status <> 'closed' AND r.deadline < ${nowParam})::int AS overdue,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY ${responseS}))::float8 AS median_s,
            (percentile_cont(0.9) WITHIN GROUP (ORDER BY ${responseS}))::float8 AS p90_s,
            count(*) FILTER (WHERE r.status = 'closed')::int AS closed,
            count(*) FILTER (WHERE r.rating = 'good')::int AS good,
            count(*) FILTER (WHERE r.rating = 'fair')::int AS fair,
            count(*) FILTER (WHERE r.rating = 'bad')::int AS bad
       FROM resident_requests r ${k.join}
      WHERE ${where.join(' AND ')}
      GROUP BY GROUPING SETS ((${k.key}), ())
      ORDER BY total, key NULLS LAST`,
    params.values,
  );
  const named = (r: StatsRow): StatsRow => {
    if (q.groupBy !== 'category' || r.key === null) return r;
    const category = RequestCategory.safeParse(r.key);
    return { ...r, name: category.success ? REQUEST_CATEGORY_LABELS[category.data]['zh-CN'] : null };
  };
  const total = rows.find((r) => r.total) ?? EMPTY_GROUP;
  return {
    groupBy: q.groupBy,
    from: new Date(q.from).toISOString(),
    to: new Date(q.to).toISOString(),
    groups: rows.filter((r) => !r.total).map((r) => toStatsGroup(named(r))),
    total: toStatsGroup({ ...total, key: null, name: null }),
  };
}
