/** Evaluates the indicator definitions over the communities' facts: per community and in total. */
import type { IndicatorResult } from '../../contract/index.ts';
import { type CommunityFacts, INDICATORS, type IndicatorDefinition } from './definitions.ts';

const round = (value: number) => Math.round(value * 100) / 100;

export function evaluate(definition: IndicatorDefinition, communities: readonly CommunityFacts[]): IndicatorResult {
  const applicable = communities.filter((c) => definition.applies === 'all' || c.kind === definition.applies);
  let num = 0;
  let den = 0;
  const rows = applicable.map((c) => {
    const ratio = definition.ratio(c);
    if (!ratio || ratio.den <= 0) return { communityId: c.id, name: c.name, kind: c.kind, value: null, met: null };
    num += ratio.num;
    den += ratio.den;
    const value = round((ratio.num / ratio.den) * definition.scale);
    return { communityId: c.id, name: c.name, kind: c.kind, value, met: value >= definition.target2025 };
  });
  const total = den > 0 ? round((num / den) * definition.scale) : null;
  return {
    id: definition.id,
    key: definition.key,
    name: definition.name,
    unit: definition.unit,
    applies: definition.applies,
    base2020: definition.base2020,
    target2025: definition.target2025,
    total: { value: total, met: total === null ? null : total >= definition.target2025, communities: applicable.length },
    communities: rows,
  };
}

export function evaluateAll(communities: readonly CommunityFacts[]): IndicatorResult[] {
  return INDICATORS.map((d) => evaluate(d, communities));
}
