import { describe, expect, it } from 'vitest';
import { telHref } from '../format/phone.ts';
import { makeAlert } from '../testing/fixtures.ts';
import { makeHousehold, makeResident, makeVisitDue } from '../testing/service-fixtures.ts';
import { careSignature, quietHomes } from './inactivity.ts';
import { homePlace } from './place.ts';
import { careFlags, ratesOf, sortVisits, visitCounts } from './visits.ts';

describe('visits', () => {
  it('puts overdue first, then due, then done, and counts each', () => {
    const list = [
      makeVisitDue({ status: 'done', resident: makeResident({ id: 'a', name: '甲' }) }),
      makeVisitDue({ status: 'overdue', resident: makeResident({ id: 'b', name: '乙' }) }),
      makeVisitDue({ status: 'due', resident: makeResident({ id: 'c', name: '丙' }) }),
    ];
    expect(sortVisits(list).map((v) => v.status)).toEqual(['overdue', 'due', 'done']);
    expect(visitCounts(list)).toEqual({ overdue: 1, due: 1, done: 1 });
  });

  it('names care flags and splits a month’s rate into the community and its grids', () => {
    expect(careFlags(makeResident({ livesAlone: true, specialDifficulty: false, disabled: true }))).toEqual(['livesAlone', 'disabled']);
    const rate = {
      month: '2025-01',
      target: 1 as const,
      groups: [
        { communityId: 'c1', gridId: null, residents: 4, visited: 1, rate: 0.25, met: false },
        { communityId: 'c1', gridId: 'g1', residents: 3, visited: 1, rate: 1 / 3, met: false },
        { communityId: 'c2', gridId: null, residents: 2, visited: 2, rate: 1, met: true },
      ],
    };
    const { community, grids } = ratesOf(rate, 'c1');
    expect(community?.residents).toBe(4);
    expect(grids.map((g) => g.gridId)).toEqual(['g1']);
  });
});

describe('quiet homes', () => {
  it('pairs each open inactivity alert with the household of its device', () => {
    const homes = quietHomes(
      [
        makeAlert({ id: 'quiet', rule: 'care.inactivity', deviceId: 'door-1', level: 'yellow', category: 'medical' }),
        makeAlert({ id: 'done', rule: 'care.inactivity', deviceId: 'door-1', status: 'resolved' }),
        makeAlert({ id: 'smoke' }),
      ],
      [makeHousehold()],
    );
    expect(homes.map((h) => [h.alert.id, h.household?.id])).toEqual([['quiet', 'h1']]);
  });

  it('changes its signature only with care alerts', () => {
    const before = careSignature([makeAlert()]);
    expect(careSignature([makeAlert({ status: 'acknowledged' })])).toBe(before);
    expect(careSignature([makeAlert(), makeAlert({ id: 'q', rule: 'care.inactivity' })])).not.toBe(before);
  });
});

describe('places and phones', () => {
  it('says building, unit and room', () => {
    const lookup = { building: () => ({ id: 'b1', communityId: 'c1', gridId: 'g1', name: '1号楼', position: null, floors: null, units: null }), grid: () => undefined };
    const t = (key: string, params?: Record<string, unknown>) => `${key}:${String(params?.n ?? '')}`;
    expect(homePlace({ buildingId: 'b1', unit: '1', room: '302' }, lookup, t)).toBe('1号楼 · place.unit:1 · place.room:302');
  });

  it('links whole numbers for a tap to call, never masked ones', () => {
    expect(telHref('139 0002 0001')).toBe('tel:13900020001');
    expect(telHref('139****0001')).toBeNull();
    expect(telHref(null)).toBeNull();
  });
});
