/** This month's visits to residents in special difficulty, as the control room and the worker see them. */
import type { Resident, VisitDue, VisitOutcome, VisitRate } from '../../../contract/index.ts';

/** Overdue (missed last month) first, then due, then done: the server's order, kept for live re-reads. */
export const VISIT_STATUS_ORDER: Record<VisitDue['status'], number> = { overdue: 0, due: 1, done: 2 };

export const VISIT_OUTCOMES = ['well', 'needs_help', 'not_home', 'hospitalised', 'other'] as const satisfies readonly VisitOutcome[];

/** A visit counts when the resident was seen: "not at home" does not (the server's rule, kept for live updates). */
export function countsAsVisit(outcome: VisitOutcome): boolean {
  return outcome !== 'not_home';
}

export const CARE_FLAGS = ['livesAlone', 'specialDifficulty', 'disabled'] as const;
export type CareFlag = (typeof CARE_FLAGS)[number];

export function careFlags(resident: Pick<Resident, CareFlag>): CareFlag[] {
  return CARE_FLAGS.filter((flag) => resident[flag]);
}

export function sortVisits(list: readonly VisitDue[]): VisitDue[] {
  return [...list].sort((a, b) => VISIT_STATUS_ORDER[a.status] - VISIT_STATUS_ORDER[b.status] || a.resident.name.localeCompare(b.resident.name, 'zh-CN'));
}

export function visitCounts(list: readonly VisitDue[]): Record<VisitDue['status'], number> {
  const counts = { overdue: 0, due: 0, done: 0 };
  for (const visit of list) counts[visit.status] += 1;
  return counts;
}

export type RateGroup = VisitRate['groups'][number];

/** A community's total (the row without a grid) and its grids, from a month's visit rate. */
export function ratesOf(rate: VisitRate | null, communityId: string | null): { community: RateGroup | null; grids: RateGroup[] } {
  const groups = rate?.groups.filter((g) => g.communityId === communityId) ?? [];
  return { community: groups.find((g) => g.gridId === null) ?? null, grids: groups.filter((g) => g.gridId !== null) };
}
