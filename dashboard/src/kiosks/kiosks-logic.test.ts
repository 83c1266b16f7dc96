import { describe, expect, it } from 'vitest';
import { makeAlert, makeDevice } from '../testing/fixtures.ts';
import { makeKioskAvailability } from '../testing/service-fixtures.ts';
import { kioskSignature, ratingShares, sortAvailability } from './availability.ts';

describe('kiosk availability', () => {
  it('lists kiosks not available for their full hours first, the least available first', () => {
    const list = sortAvailability([
      makeKioskAvailability({ deviceId: 'fine' }),
      makeKioskAvailability({ deviceId: 'half', fullyAvailable: false, ratio: 0.49 }),
      makeKioskAvailability({ deviceId: 'most', fullyAvailable: false, ratio: 0.9 }),
    ]);
    expect(list.map((k) => k.deviceId)).toEqual(['half', 'most', 'fine']);
  });

  it('changes its live signature with kiosk alerts and presence only', () => {
    const base = kioskSignature([makeAlert()], [makeDevice()]);
    expect(kioskSignature([makeAlert({ status: 'resolved' })], [makeDevice({ status: 'offline' })])).toBe(base);
    expect(kioskSignature([makeAlert({ id: 'k', deviceKind: 'kiosk' })], [makeDevice()])).not.toBe(base);
    expect(kioskSignature([], [makeDevice({ id: 'k1', kind: 'kiosk', status: 'offline' })])).not.toBe(kioskSignature([], [makeDevice({ id: 'k1', kind: 'kiosk' })]));
  });

  it('shares ratings out of those rated, five stars first', () => {
    expect(ratingShares({ 1: 1, 2: 0, 3: 0, 4: 1, 5: 2 }, 4).map((r) => [r.stars, r.share])).toEqual([
      [5, 0.5],
      [4, 0.25],
      [3, 0],
      [2, 0],
      [1, 0.25],
    ]);
  });
});
