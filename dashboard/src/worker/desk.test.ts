import { describe, expect, it, vi } from 'vitest';
import { makeWorker } from '../testing/admin-fixtures.ts';
import { COMMUNITY, fakeApi, makeAlert, makeDevice } from '../testing/fixtures.ts';
import { createWorkerDesk } from './desk.ts';

describe('worker desk', () => {
  it('finds my worker record, loads my grid’s devices and my alerts', async () => {
    const api = fakeApi({
      workers: vi.fn(() => Promise.resolve([makeWorker(), makeWorker({ id: 'w2', gridIds: ['g2'] })])),
      devices: vi.fn(() => Promise.resolve([makeDevice({ id: 'mine', battery: 5 }), makeDevice({ id: 'theirs', gridId: 'g2', battery: 5 })])),
      myAlerts: vi.fn(() => Promise.resolve([makeAlert()])),
    });
    const desk = createWorkerDesk({ api, workerId: () => 'w1' });
    await desk.resync();
    expect(desk.me.value?.name).toBe('王芳');
    expect(api.devices).toHaveBeenCalledWith(COMMUNITY);
    expect(desk.attention.value.map((a) => a.device.id)).toEqual(['mine']);
    expect(desk.myAlerts.value.map((a) => a.id)).toEqual(['a1']);
    expect(desk.places.building('b1')?.name).toBe('5号楼');
  });

  it('applies device.status events of my grids only', async () => {
    const api = fakeApi({ workers: vi.fn(() => Promise.resolve([makeWorker()])), devices: vi.fn(() => Promise.resolve([makeDevice({ id: 'd1' })])) });
    const desk = createWorkerDesk({ api, workerId: () => 'w1' });
    await desk.resync();
    expect(desk.attention.value).toEqual([]);
    desk.apply({ type: 'device.status', device: makeDevice({ id: 'd1', status: 'offline', online: false }) });
    desk.apply({ type: 'device.status', device: makeDevice({ id: 'd9', gridId: 'g2', status: 'offline', online: false }) });
    expect(desk.attention.value.map((a) => [a.device.id, a.reasons])).toEqual([['d1', ['offline']]]);
  });

  it('says so when my worker record cannot be found', async () => {
    const desk = createWorkerDesk({ api: fakeApi(), workerId: () => 'w1' });
    await desk.resync();
    expect(desk.profileLoaded.value).toBe(true);
    expect(desk.me.value).toBeNull();
  });
});
