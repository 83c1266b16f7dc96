/** Request statistics as the control room reads them: the period in local days, group names, the chart. */
import type { RequestStats, RequestStatsGroup } from '../../../contract/index.ts';
import type { RequestStatsQuery } from '../api/types.ts';

export type StatsGrouping = NonNullable<RequestStatsQuery['groupBy']>;
export const STATS_GROUPINGS: readonly StatsGrouping[] = ['grid', 'community', 'category'];

const DAY_MS = 86_400_000;
/** Asia/Shanghai has no daylight saving: a local day starts at 00:00+08:00. */
const OFFSET = '+08:00';

/** The day after a YYYY-MM-DD day. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** `from`/`to` of the API for whole local days, `to` inclusive. */
export function periodQuery(fromDay: string, toDay: string): { from: string; to: string } {
  return { from: `${fromDay}T00:00:00${OFFSET}`, to: `${nextDay(toDay)}T00:00:00${OFFSET}` };
}

/** Per community the whole scope is compared; per grid or category, the community chosen in the header. */
export function statsQuery(groupBy: StatsGrouping, communityId: string, fromDay: string, toDay: string): RequestStatsQuery {
  return { groupBy, ...(groupBy === 'community' ? {} : { communityId }), ...periodQuery(fromDay, toDay) };
}

/** Of the requests whose deadline is decided, how many: responded on time plus late. */
export function decided(group: RequestStatsGroup): number {
  return group.respondedOnTime + group.late;
}

/** Groups with a name: categories by their word, grids and communities by name, no grid as such. */
export function groupName(group: RequestStatsGroup, grouping: StatsGrouping, t: (key: string) => string): string {
  if (grouping === 'category' && group.key) return t(`requests.categories.${group.key}`);
  if (group.key === null) return t('requests.stats.noGroup');
  return group.name ?? group.key;
}

export interface StatsChartData {
  names: string[];
  onTime: (number | null)[];
  good: (number | null)[];
}

export function chartData(stats: RequestStats, grouping: StatsGrouping, t: (key: string) => string): StatsChartData {
  return {
    names: stats.groups.map((g) => groupName(g, grouping, t)),
    onTime: stats.groups.map((g) => g.onTimePct),
    good: stats.groups.map((g) => g.satisfaction.goodPct),
  };
}
