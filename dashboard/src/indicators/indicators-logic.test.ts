import { describe, expect, it, vi } from 'vitest';
import { makeIndicator } from '../testing/service-fixtures.ts';
import { communitiesOf, communityCell, tally, totalCell, valueText } from './cells.ts';
import { profileIssues, toDraft, toPatch } from './profile-form.ts';
import { saveFile } from './save-file.ts';

describe('indicator cells', () => {
  const urbanOnly = makeIndicator();
  const rural = makeIndicator({ id: 9, applies: 'rural', communities: [{ value: null, met: null, communityId: 'c2', name: '桃源村', kind: 'rural' }], total: { value: null, met: null, communities: 1 } });

  it('says met, not met, no data and not applicable per community', () => {
    expect(communityCell(urbanOnly, 'c1')).toEqual({ state: 'not_met', value: 7 });
    expect(communityCell(urbanOnly, 'c2')).toEqual({ state: 'not_applicable', value: null });
    expect(communityCell(rural, 'c2')).toEqual({ state: 'no_data', value: null });
    expect(totalCell(makeIndicator({ total: { value: 100, met: true, communities: 1 } })).state).toBe('met');
    expect(totalCell(makeIndicator({ total: { value: null, met: null, communities: 0 } })).state).toBe('not_applicable');
  });

  it('lists every community once and tallies the states', () => {
    expect(communitiesOf({ at: '', indicators: [urbanOnly, rural] }).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(tally([communityCell(urbanOnly, 'c1'), communityCell(rural, 'c2'), totalCell(makeIndicator({ total: { value: 1, met: true, communities: 1 } }))])).toEqual({ met: 1, not_met: 1, no_data: 1, not_applicable: 0 });
  });

  it('writes values with their units', () => {
    expect(valueText(9.8, '%', 'zh-CN')).toBe('9.8%');
    expect(valueText(34.29, '平方米', 'zh-CN')).toBe('34.29 平方米');
    expect(valueText(6200, 'people', 'en')).toBe('6,200 people');
  });
});

describe('saveFile', () => {
  it('downloads the blob under the server’s file name', () => {
    const create = vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:csv');
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    expect(saveFile({ blob: new Blob(['a,b']), filename: 'anju-indicators-2025-01-01.csv' }, 'indicators.csv')).toBe('anju-indicators-2025-01-01.csv');
    expect(create).toHaveBeenCalledTimes(1);
    expect(click).toHaveBeenCalledTimes(1);
    expect(document.querySelector('a[download]')).toBeNull();
    click.mockRestore();
    create.mockRestore();
  });
});

describe('community facts form', () => {
  it('round-trips the facts, empty meaning unknown, and refuses negative or broken numbers', () => {
    const draft = toDraft({ residents: 6200, households: null, totalFloorAreaM2: 186000, serviceFacilityAreaM2: 720, commercialServiceAreaM2: null, activityAreaM2: 460 });
    expect(draft.households).toBe('');
    expect(toPatch({ ...draft, activityAreaM2: ' 480.5 ' })).toEqual({ residents: 6200, households: null, totalFloorAreaM2: 186000, serviceFacilityAreaM2: 720, commercialServiceAreaM2: null, activityAreaM2: 480.5 });
    expect(profileIssues({ ...draft, residents: '62.5', totalFloorAreaM2: '-1', serviceFacilityAreaM2: 'abc' }).map((i) => i.path)).toEqual(['residents', 'totalFloorAreaM2', 'serviceFacilityAreaM2']);
  });
});
