/** The ten indicators as data: per-community values, totals as ratios of sums, missing data, CSV. */
import { describe, expect, it } from 'vitest';
import { evaluateAll } from '../../platform/indicators/compute.ts';
import { indicatorsCsv } from '../../platform/indicators/csv.ts';
import type { CommunityFacts } from '../../platform/indicators/definitions.ts';

const urban = (id: string, f: Partial<CommunityFacts> = {}): CommunityFacts => ({
  id,
  name: `${id}社区`,
  kind: 'urban',
  residents: 10_000,
  households: 3_000,
  totalFloorAreaM2: 100_000,
  serviceFacilityAreaM2: 1_000,
  commercialServiceAreaM2: 9_000,
  activityAreaM2: 700,
  kiosks: 1,
  communityWorkers: 20,
  certifiedWorkers: 5,
  socialOrganisations: 12,
  ...f,
});
const rural = (id: string, f: Partial<CommunityFacts> = {}): CommunityFacts => ({ ...urban(id, f), kind: 'rural', ...f });

describe('the ten indicators', () => {
  const results = evaluateAll([urban('a'), urban('b', { kiosks: 0, socialOrganisations: 6, certifiedWorkers: 2 }), rural('c', { serviceFacilityAreaM2: 0, socialOrganisations: 5 }), rural('d', { residents: null })]);
  const byId = (id: number) => results.find((r) => r.id === id)!;

  it('has all ten, numbered, bilingual, with base and target', () => {
    expect(results.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const r of results) expect(r.name['zh-CN'] && r.name.en).toBeTruthy();
    expect(byId(4)).toMatchObject({ base2020: 25.4, target2025: 30 });
  });

  it('computes coverage as the share of communities, and applies each indicator to its kind only', () => {
    expect(byId(1).total).toEqual({ value: 50, met: false, communities: 2 });
    expect(byId(1).communities.map((c) => [c.communityId, c.value, c.met])).toEqual([
      ['c', 0, false],
      ['d', 100, true],
    ]);
    expect(byId(2).total).toEqual({ value: 100, met: true, communities: 2 });
    expect(byId(6).total).toEqual({ value: 50, met: false, communities: 2 });
  });

  it('computes ratios per community and in total as the ratio of sums', () => {
    // (1000 + 9000) / 100000 = 10 %; for c: 9000 / 100000 = 9 %.
    expect(byId(3).communities.find((c) => c.communityId === 'c')).toMatchObject({ value: 9, met: false });
    expect(byId(3).total.value).toBe(9.75);
    // 1000 m² per 3000 households = 33.33 m² per 100.
    expect(byId(4).communities[0]).toMatchObject({ value: 33.33, met: true });
    expect(byId(5).communities[0]).toMatchObject({ value: 70, met: true });
    expect(byId(7).communities[0]).toMatchObject({ value: 20, met: true });
    expect(byId(8).total).toEqual({ value: 9, met: false, communities: 2 });
    expect(byId(9).total).toEqual({ value: 8.5, met: true, communities: 2 });
    expect(byId(10).total).toEqual({ value: 17.5, met: false, communities: 2 });
  });

  it('says "no data" rather than guessing when a fact is missing', () => {
    const missing = evaluateAll([urban('x', { residents: null, serviceFacilityAreaM2: null })]);
    expect(missing.find((r) => r.id === 7)!.total).toEqual({ value: null, met: null, communities: 1 });
    expect(missing.find((r) => r.id === 2)!.communities[0]).toMatchObject({ value: null, met: null });
  });

  it('exports CSV with a BOM, both languages, a total row per indicator and quoted cells', () => {
    const csv = indicatorsCsv(evaluateAll([urban('a', { name: '幸福里, "东区"' } as Partial<CommunityFacts>)]));
    expect(csv.startsWith('\uFEFF编号 No.,指标 Indicator,Indicator,')).toBe(true);
    const lines = csv.trim().split('\r\n');
    // A total per indicator, and a row for the one (urban) community under the eight that apply to it.
    expect(lines).toHaveLength(1 + 10 + 8);
    expect(lines[1]).toContain('合计 Total');
    expect(csv).toContain('"幸福里, ""东区"""');
    expect(lines.find((l) => l.startsWith('6,'))).toContain('是 yes');
  });
});
