import { describe, expect, it } from 'vitest';
import { makeDevice } from '../testing/fixtures.ts';
import { attentionReasons, devicesNeedingAttention } from './attention.ts';

describe('devices needing attention', () => {
  it('names every reason a device needs a visit', () => {
    expect(attentionReasons(makeDevice())).toEqual([]);
    expect(attentionReasons(makeDevice({ status: 'offline', online: false, battery: 5 }))).toEqual(['offline', 'low_battery']);
    expect(attentionReasons(makeDevice({ status: 'silent' }))).toEqual(['silent']);
    expect(attentionReasons(makeDevice({ faultySince: '2025-01-01T08:00:00.000Z' }))).toEqual(['faulty']);
    expect(attentionReasons(makeDevice({ battery: 19 }))).toEqual(['low_battery']);
    expect(attentionReasons(makeDevice({ battery: null }))).toEqual([]);
  });

  it('keeps only my grids and puts offline devices first', () => {
    const devices = [
      makeDevice({ id: 'low', battery: 10 }),
      makeDevice({ id: 'fine' }),
      makeDevice({ id: 'silent', status: 'silent' }),
      makeDevice({ id: 'down', status: 'offline', online: false }),
      makeDevice({ id: 'elsewhere', gridId: 'g2', status: 'offline', online: false }),
      makeDevice({ id: 'no-grid', gridId: null, status: 'offline', online: false }),
    ];
    const shown = devicesNeedingAttention(devices, new Set(['g1']));
    expect(shown.map((a) => a.device.id)).toEqual(['down', 'silent', 'low']);
    expect(devicesNeedingAttention(devices, null).map((a) => a.device.id)).toEqual(['down', 'elsewhere', 'no-grid', 'silent', 'low']);
  });
});
