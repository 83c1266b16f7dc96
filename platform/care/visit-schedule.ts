/**
 * Monthly visits: every resident in special difficulty is visited at least once each local calendar
 * month (the plan's 100 % target). A visit counts when the resident was seen — "not at home" does not.
 * This month's visit is *due* until done; a resident not visited last month (nor yet this month) is
 * *overdue* from the 1st.
 */
import type { VisitOutcome } from '../../contract/index.ts';
import { addMonths, monthRange } from '../local-time.ts';

export const countsAsVisit = (outcome: VisitOutcome): boolean => outcome !== 'not_home';

export interface VisitFact {
  visitedAt: number;
  outcome: VisitOutcome;
}

export type VisitStatus = { status: 'done' | 'due' | 'overdue'; dueBy: number };

/** `createdAt`: a resident added this month owes no visit for last month. */
export function visitStatus(month: string, visits: readonly VisitFact[], createdAt: number): VisitStatus {
  const thisMonth = monthRange(month);
  const lastMonth = monthRange(addMonths(month, -1));
  const seenIn = (range: { from: number; to: number }) => visits.some((v) => countsAsVisit(v.outcome) && v.visitedAt >= range.from && v.visitedAt < range.to);
  if (seenIn(thisMonth)) return { status: 'done', dueBy: thisMonth.to };
  const owedLastMonth = createdAt < lastMonth.to && !seenIn(lastMonth);
  return owedLastMonth ? { status: 'overdue', dueBy: lastMonth.to } : { status: 'due', dueBy: thisMonth.to };
}

export interface RateGroup {
  residents: number;
  visited: number;
  rate: number | null;
  met: boolean;
}

/** Visited ÷ residents owing a visit; with nobody to visit the target counts as met. */
export function visitRate(owing: number, visited: number): RateGroup {
  const rate = owing ? visited / owing : null;
  return { residents: owing, visited, rate, met: owing === 0 || visited >= owing };
}
