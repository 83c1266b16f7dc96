/**
 * The ten indicators as a table: one row per indicator, the total and one column per community, each
 * cell a value with its unit and whether the 2025 target is met — or "no data", or "not applicable"
 * (a rural indicator in an urban community), never a made-up zero.
 */
import type { IndicatorResult, IndicatorsAnswer } from '../../../contract/index.ts';
import { formatNumber } from '../format/number.ts';
import { targetState, type TargetState } from '../services/target.ts';

export interface IndicatorCell {
  state: TargetState;
  value: number | null;
}

export interface IndicatorCommunity {
  id: string;
  name: string;
  kind: 'urban' | 'rural';
}

/** Every community any indicator reports on, in the order they first appear. */
export function communitiesOf(answer: IndicatorsAnswer): IndicatorCommunity[] {
  const seen = new Map<string, IndicatorCommunity>();
  for (const indicator of answer.indicators) {
    for (const c of indicator.communities) if (!seen.has(c.communityId)) seen.set(c.communityId, { id: c.communityId, name: c.name, kind: c.kind });
  }
  return [...seen.values()];
}

export function communityCell(indicator: IndicatorResult, communityId: string): IndicatorCell {
  const cell = indicator.communities.find((c) => c.communityId === communityId);
  if (!cell) return { state: 'not_applicable', value: null };
  return { state: targetState(cell.met, cell.value), value: cell.value };
}

export function totalCell(indicator: IndicatorResult): IndicatorCell {
  if (indicator.total.communities === 0) return { state: 'not_applicable', value: null };
  return { state: targetState(indicator.total.met, indicator.total.value), value: indicator.total.value };
}

/** A value with its unit: "9.8 %", "34.29 平方米", "6.45 people". */
export function valueText(value: number, unit: string, locale: string): string {
  const number = formatNumber(value, locale);
  return unit === '%' ? `${number}%` : `${number} ${unit}`;
}

/** How many indicators a community (or the total) meets, misses, and lacks data for. */
export function tally(cells: readonly IndicatorCell[]): Record<TargetState, number> {
  const counts = { met: 0, not_met: 0, no_data: 0, not_applicable: 0 };
  for (const cell of cells) counts[cell.state] += 1;
  return counts;
}
